"""`daylog search` end to end: recall on the sample team, ranking, filters, output, and hostile queries."""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CORPUS, REPO, published
from typer.testing import CliRunner

from daylog.cli.app import app
from daylog.search import index

# Heads of compounds: each also appears glued behind other syllables (선형회귀, 균등분포, 오차역전파, …).
COMPOUND_HEADS = (
    "분포", "하강법", "확률", "밀도", "함수", "회귀", "벡터", "행렬", "미분", "전파",
    "평균", "분산", "추정", "우도", "샘플링", "배치", "차원",
)  # fmt: skip
# Words written with a particle or ending glued on (역전파를, 정규화는, 가중치가, …).
BEFORE_PARTICLES = (
    "경사", "역전파", "정규화", "가중치", "손실", "초기화", "과적합", "모델", "구현", "질문",
    "편향", "베이즈", "사전", "사후", "최적화",
)  # fmt: skip
# English, in any case, also inside longer words (LayerNorm, ResNet).
ENGLISH = (
    "gradient", "GRADIENT", "Attention", "relu", "ResNet", "CNN", "softmax", "sigmoid", "norm",
    "SGD", "adam", "prior", "MLE", "numpy", "LSTM", "cifar", "L2", "lr", "net",
)  # fmt: skip
PHRASES = ("local minimum", "conjugate prior", "경사하강법 시각화", '"균등분포"')


def run(runner: CliRunner, root: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["-w", str(root), "search", *args])


def found(runner: CliRunner, root: Path, *args: str) -> list[dict[str, object]]:
    r = run(runner, root, "--json", *args)
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert isinstance(data, list)
    return data


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample workspace (mkdocs.yml + logs/), so its index is built afresh here."""
    root = tmp_path_factory.mktemp("sample") / "ws"
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "logs", root / "logs")
    return root



def test_the_query_list_exercises_compounds_and_particles(sample: Path) -> None:
    """Each compound head occurs glued behind another syllable, each particle word with one glued on, in the sample."""
    text = "\n".join(published(sample).values())
    assert len(COMPOUND_HEADS + BEFORE_PARTICLES + ENGLISH + PHRASES) >= 40
    for q in COMPOUND_HEADS:
        assert re.search(rf"[가-힣]{q}", text), q
    for q in BEFORE_PARTICLES:
        assert re.search(rf"{q}[가-힣]", text), q
    assert re.search(r"[A-Za-z]norm", text, re.I) and re.search(r"[A-Za-z]net", text, re.I)


@pytest.mark.parametrize("query", COMPOUND_HEADS + BEFORE_PARTICLES + ENGLISH + PHRASES)
def test_every_entry_containing_the_query_is_found(runner: CliRunner, sample: Path, query: str) -> None:
    """Recall and precision: found are exactly the entries whose published text contains the query, case aside."""
    needle = query.strip('"').lower()
    expected = {path for path, text in published(sample).items() if needle in text.lower()}
    assert expected, f"{query!r} is in no entry: pick another query"
    got = {str(hit["path"]) for hit in found(runner, sample, query, "--limit", "0")}
    assert got == expected


def distinctive_lines(root: Path) -> dict[str, str]:
    """For each entry, its longest line (of 5+ words) found in no other entry."""
    texts = published(root)
    out = {}
    for path, text in texts.items():
        lines = sorted((ln.strip() for ln in text.split("\n") if len(ln.split()) >= 6), key=len, reverse=True)
        for ln in lines:
            if not any(ln in other for p, other in texts.items() if p != path):
                out[path] = ln
                break
    return out


def test_a_phrase_from_an_entry_ranks_its_source_in_the_top_three(runner: CliRunner, sample: Path) -> None:
    """Four words from the middle of an entry's line, as a phrase or as separate words, find that entry first-ish."""
    lines = distinctive_lines(sample)
    assert len(lines) >= 40
    misses = []
    for path, line in lines.items():
        words = line.split()
        mid = len(words) // 2
        piece = words[max(1, mid - 2) : max(1, mid - 2) + 4]
        for args in ([" ".join(piece)], piece):
            top = [str(h["path"]) for h in found(runner, sample, "--limit", "3", "--", *args)]
            if path not in top:
                misses.append((path, args, top))
    assert misses == []


def test_json_shape_and_plain_output(runner: CliRunner, sample: Path) -> None:
    """--json gives {author, date, day, section, path, line, text, score}; plain output is one aligned line per hit."""
    hits = found(runner, sample, "균등분포", "--limit", "2")
    assert len(hits) == 2
    for h in hits:
        assert set(h) == {"author", "date", "day", "section", "path", "line", "text", "score"}
        assert isinstance(h["score"], float) and float(h["score"]) > 0
        path = sample / str(h["path"])
        assert path.read_text(encoding="utf-8").split("\n")[int(str(h["line"])) - 1].strip() == h["text"]
    r = run(runner, sample, "균등분포", "--limit", "2")
    assert r.exit_code == 0
    first = r.stdout.splitlines()[0]
    h = hits[0]
    assert re.match(
        rf"{re.escape(str(h['path']))}:{h['line']}\s+{h['author']}\s+{h['date']} Day{h['day']}\s+\[peer\]\s+- ", first
    )
    assert "\x1b[" not in r.stdout and "showing the best 2 lines" in r.stderr


def test_hits_are_bold_with_color(runner: CliRunner, sample: Path) -> None:
    """--color marks each hit in bold (what a terminal gets); without it the text is as written."""
    r = run(runner, sample, "하강법", "--color", "--limit", "1")
    assert "경사\x1b[1m하강법\x1b[22m" in r.stdout
    assert "경사하강법" in run(runner, sample, "하강법", "--no-color", "--limit", "1").stdout


def test_filters(runner: CliRunner, sample: Path) -> None:
    """--author, --in, --since, --until, --week and --limit narrow the hits."""
    every = found(runner, sample, "정리", "--limit", "0")
    assert {h["author"] for h in every} == {"minji", "seohyun", "jiwoo", "hayoon", "dogyeom"}
    mine = found(runner, sample, "정리", "--author", "minji", "--author", "jiwoo", "--limit", "0")
    assert mine and {h["author"] for h in mine} == {"minji", "jiwoo"}
    assert len(mine) == sum(1 for h in every if h["author"] in ("minji", "jiwoo"))
    assert found(runner, sample, "정리", "--author", "민지", "--author", "MINJI-KIM", "--limit", "0") == [
        h for h in every if h["author"] == "minji"
    ]  # any name of a member, as everywhere (#15)
    assert found(runner, sample, "정리", "--since", "Day5", "--until", "Day5", "--limit", "0") == found(
        runner, sample, "정리", "--since", "2026-11-06", "--until", "2026-11-06", "--limit", "0"
    )  # dates as people say them (#15)
    til = found(runner, sample, "정리", "--in", "til", "--in", "tasks", "--limit", "0")
    assert til and {h["section"] for h in til} <= {"til", "tasks"}
    assert len(found(runner, sample, "정리", "--in", "all", "--limit", "0")) == len(every)
    span = found(runner, sample, "정리", "--since", "2026-11-05", "--until", "2026-11-06", "--limit", "0")
    assert span and {h["date"] for h in span} <= {"2026-11-05", "2026-11-06"}
    week2 = found(runner, sample, "정리", "--week", "2", "--limit", "0")
    assert week2 and all("2026-11-09" <= str(h["date"]) <= "2026-11-15" for h in week2)
    assert found(runner, sample, "정리", "--week", "2", "--since", "2026-11-12", "--limit", "0") == [
        h for h in week2 if str(h["date"]) >= "2026-11-12"
    ]
    assert len(found(runner, sample, "정리", "--limit", "5")) == 5
    assert len(found(runner, sample, "정리")) == 20


def test_private_sections_are_never_found(runner: CliRunner, sample: Path) -> None:
    """The sample keeps 오늘의 한마디 (`remark`) private: words only written there are not found."""
    raw = "\n".join(p.read_text(encoding="utf-8") for p in (sample / "logs").rglob("*.md"))
    public = "\n".join(published(sample).values())
    private_only = sorted({w for w in re.findall(r"[가-힣]{2,}", raw) if w not in public})
    assert len(private_only) >= 5
    for word in private_only[:10]:
        assert found(runner, sample, word, "--limit", "0") == [], word
    assert found(runner, sample, "한마디", "--limit", "0") == []
    assert found(runner, sample, "정리", "--in", "remark", "--limit", "0") == []


@pytest.mark.parametrize(
    "query",
    ['"', '""', '"unbalanced', "*", "**", "NEAR", "NEAR(a b)", "-", "--", "-x", "AND", "OR", "NOT", "a AND b",
     "(", ")", "()", "{", "terms:", "^", "'", "';--", "%", "_", "수", "분", "x", "…", "ㅋㅋ", "🙂"],
)  # fmt: skip
def test_fts_syntax_and_tiny_queries_are_text(runner: CliRunner, sample: Path, query: str) -> None:
    """Quotes, operators, one syllable or letter, punctuation: exit 0, no traceback, hits only where the text is."""
    r = run(runner, sample, "--json", "--limit", "0", "--", query)
    assert r.exit_code == 0, r.stderr
    assert "Traceback" not in r.stderr and "error" not in r.stderr
    for hit in json.loads(r.stdout):
        assert query.lower().strip('"') in str(hit["text"]).lower() or '"' in query


def test_bad_options_are_usage_errors(runner: CliRunner, sample: Path) -> None:
    """A non-member, an unknown section, a bad date or an empty query: one line, exit 2."""
    for args, says in [
        (["분포", "--author", "nobody"], "--author 'nobody' is not a member"),
        (["분포", "--in", "diary"], "--in 'diary' is no section; use one of"),
        (["분포", "--since", "2026-13-01"], "--since 2026-13-01: there is no month 13"),
        (["  "], "nothing to search for"),
    ]:
        r = run(runner, sample, *args)
        assert r.exit_code == 2, (args, r.stderr)
        assert r.stderr.startswith("daylog: error: ") and says in r.stderr and r.stderr.count("\n") == 1


def test_no_matches(runner: CliRunner, sample: Path) -> None:
    """Nothing found: `no matches` (exit 0), or `[]` with --json."""
    r = run(runner, sample, "양자역학")
    assert (r.exit_code, r.stdout) == (0, "no matches\n")
    assert found(runner, sample, "양자역학") == []


def test_sqlite_without_fts5_is_one_clear_line(
    runner: CliRunner, make_ws: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An SQLite built without FTS5 (played by a missing module name): one line saying so, exit 1."""
    root = make_ws()
    (root / "logs" / "mj").mkdir()
    (root / "logs" / "mj" / "2021-02-03.md").write_text("## TIL\n- 분포\n", encoding="utf-8")
    monkeypatch.setattr(index, "FTS_MODULE", "fts5_not_built_in")
    r = run(runner, root, "분포")
    assert r.exit_code == 1
    assert r.stderr.startswith("daylog: error: this Python's SQLite") and "has no FTS5" in r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_python_without_sqlite3_is_one_clear_line(
    runner: CliRunner, sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Python built without its sqlite3 module: one line saying so, exit 1, not an internal error."""
    for name in [m for m in sys.modules if m.startswith("daylog.search.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "sqlite3", None)
    r = run(runner, sample, "분포")
    assert (r.exit_code, r.stderr) == (
        1,
        "daylog: error: this Python has no sqlite3 module, which `daylog search` needs\n",
    )


def test_corrupt_index_file_is_rebuilt_from_the_cli(runner: CliRunner, sample: Path) -> None:
    """Garbage in .daylog/cache/search.sqlite: the search answers as before, and the file is an index again."""
    before = found(runner, sample, "하강법", "--limit", "0")
    path = sample / ".daylog" / "cache" / "search.sqlite"
    path.write_bytes(b"\x00garbage" * 5000)
    assert found(runner, sample, "하강법", "--limit", "0") == before
    assert path.read_bytes().startswith(b"SQLite format 3\x00")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not here")
def test_real_posts_are_found_by_their_own_words(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """Real posts as entries: every Hangul word of 2–4 syllables cut from inside their text finds its post."""
    root = make_ws()
    posts = sorted(CORPUS.glob("*.md"))
    assert posts
    texts = {}
    for i, post in enumerate(posts):
        target = root / "logs" / "mj" / f"2021-02-{i + 1:02d}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(post, target)
        texts[f"logs/mj/{target.name}"] = target.read_text(encoding="utf-8", errors="replace")
    published_texts = published(root)
    checked = 0
    for path, text in published_texts.items():
        runs = [m for m in re.findall(r"[가-힣]{5,}", text)][:4]
        for run_ in runs:
            piece = run_[1:4]  # from inside the run: a compound head or a word before its particle
            hits = {str(h["path"]) for h in found(runner, root, piece, "--limit", "0")}
            expected = {p for p, t in published_texts.items() if piece in t}
            assert hits == expected, (path, piece)
            checked += 1
    assert checked >= 20
