"""`daylog search` over real posts brought in with `daylog import`: recall of 40+ queries, and a phrase's source
in the top three (#14, "Recall"). Skipped when ../shared/corpus is not here; nothing of it is copied into the repo."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import CORPUS, published
from typer.testing import CliRunner

from daylog.cli.app import app

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not here")

# Vocabulary of study logs (single words and two-word phrases, no sentences of the posts).
# Heads that the posts glue behind other syllables (피어세션, 부스트캠프, 뷰컨트롤러, …).
COMPOUND_HEADS = ("세션", "캠프", "컨트롤러", "타입", "정리", "구조", "데이터", "구현", "프로젝트", "방법", "값")
# Words the posts write with a particle glued on (학습을, 계층으로, 파라미터를, …).
BEFORE_PARTICLES = (
    "학습", "계층", "파라미터", "의존성", "모델", "클래스", "객체", "기능", "결과", "문제",
    "발표", "피어", "모듈", "실험", "질문", "과제", "코드",
)  # fmt: skip
ENGLISH = ("BERT", "service", "pytorch", "CNN", "augmentation", "Layer", "resnet", "SGD", "adam", "loss", "GPT", "net")
PHRASES = ("과제 현황", "코드 리뷰", "문제 해결", "진행 상황", "weak self", "mean loss", "적용 이유", "도메인 특화")
QUERIES = COMPOUND_HEADS + BEFORE_PARTICLES + ENGLISH + PHRASES
MKDOCS = """\
site_name: 실제 글
plugins:
  - daylog:
      course: 부스트캠프 AI Tech
      start_date: 2021-01-18
      members:
        - id: mj
          name: 엠제이
"""


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace holding the real posts as `daylog import --author mj` brings them in."""
    root = tmp_path_factory.mktemp("corpus") / "ws"
    (root / "logs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    posts = sorted(str(p) for p in CORPUS.glob("*.md"))
    r = CliRunner().invoke(app, ["-w", str(root), "import", *posts, "--author", "mj"])
    assert r.exit_code == 0, r.stderr
    assert len(list((root / "logs" / "mj").glob("*.md"))) >= 10
    return root



def search(root: Path, *args: str) -> list[dict[str, object]]:
    r = CliRunner().invoke(app, ["-w", str(root), "search", "--json", *args])
    assert r.exit_code == 0, r.stderr
    data: list[dict[str, object]] = json.loads(r.stdout)
    return data


def test_the_queries_are_what_they_claim(imported: Path) -> None:
    """40+ queries; each head occurs glued behind another syllable, each particle word with one glued on."""
    text = "\n".join(published(imported).values())
    assert len(QUERIES) >= 40
    for q in COMPOUND_HEADS:
        assert re.search(rf"[가-힣]{q}", text), q
    for q in BEFORE_PARTICLES:
        assert re.search(rf"{q}[가-힣]", text), q
    assert re.search(r"[a-z]net", text, re.I)  # `net` inside ResNet


@pytest.mark.parametrize("query", QUERIES)
def test_every_imported_post_containing_the_query_is_found(imported: Path, query: str) -> None:
    """Recall: every entry whose published text contains the query (case aside, a plain scan) is returned."""
    needle = query.lower()
    expected = {path for path, text in published(imported).items() if needle in text.lower()}
    assert expected, f"{query!r} is in no post: pick another query"
    got = {str(hit["path"]) for hit in search(imported, query, "--limit", "0")}
    assert expected <= got, sorted(expected - got)


def test_a_phrase_from_a_post_ranks_it_in_the_top_three(imported: Path) -> None:
    """Four words from the middle of a post's longest line found in no other post: that post is in the top three."""
    texts = published(imported)
    misses, checked = [], 0
    for path, text in texts.items():
        lines = sorted((ln.strip() for ln in text.split("\n") if len(ln.split()) >= 6), key=len, reverse=True)
        line = next((ln for ln in lines if not any(ln in t for p, t in texts.items() if p != path)), None)
        if line is None:
            continue
        words = line.split()
        mid = len(words) // 2
        piece = words[max(1, mid - 2) : max(1, mid - 2) + 4]
        top = [str(h["path"]) for h in search(imported, "--limit", "3", "--", " ".join(piece))]
        checked += 1
        if path not in top:
            misses.append((path, piece, top))
    assert checked >= 10 and misses == []
