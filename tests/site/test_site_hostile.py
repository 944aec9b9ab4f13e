"""Hostile entries on the site (#12): a build costs about what a normal entry of the size costs,
and the page still shows all of the text (`daylog.site.budget`)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("material")

import markdown
from mkdocs.commands.build import build
from mkdocs.config import load_config

from daylog.site import budget

THEME = "theme:\n  name: material\n  language: ko\nmarkdown_extensions:\n  - admonition\n"
HEADINGS = 5000
"""Where the old build took tens of seconds (Markdown re-testing the rest of the block after each
heading, Material's search walking the toc for each section) and a normal entry about one."""
NORMAL = """\
## TIL {i}

오늘은 역전파 {i}와 [링크](https://example.com/{i})를 배웠다. 손실을 각 층의 가중치로 미분해
거꾸로 전하는 과정을 `loss.backward()`로 확인했고, 학습률을 바꿔 가며 수렴을 비교했다.

내일은 정규화 {i}를 정리한다. **배치 정규화**와 층 정규화의 차이를 표로 만들어 볼 것.

"""
"""Prose with a heading every few hundred bytes: a normal entry's shape."""


def _headings() -> str:
    # One block (no blank line) of headings, each over a line of its own: the site drops empty
    # sections (#16), and a line under each keeps them all while the block stays one run.
    body = "".join("#" * (2 + i % 3) + f" follow-up {i}\n내용 {i}\n" for i in range(HEADINGS))
    return "---\nauthor: mj\n---\n\n" + body + "마지막 줄\n"


def _normal(size: int) -> str:
    parts, i = ["---\nauthor: mj\n---\n\n"], 0
    while sum(map(len, parts)) < size:
        parts.append(NORMAL.format(i=i))
        i += 1
    return "".join(parts)


def _build(ws: Path, text: str, site: Path) -> float:
    (ws / "logs" / "mj" / "2021-02-03.md").write_text(text, encoding="utf-8")
    t0 = time.perf_counter()
    build(load_config(str(ws / "mkdocs.yml"), site_dir=str(site)))
    return time.perf_counter() - t0


@pytest.fixture
def ws(make_ws: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_ws(extra=THEME)
    (root / "logs" / "mj").mkdir()
    (root / "docs").mkdir()
    monkeypatch.setenv("DAYLOG_NOW", "2021-02-05T22:00:00+09:00")
    monkeypatch.setenv("DAYLOG_SEARCH_KO", "0")
    return root


def test_thousands_of_headings_build_like_a_normal_entry_and_all_show(ws: Path, tmp_path: Path) -> None:
    hostile = _headings()
    normal_s = min(_build(ws, _normal(len(hostile)), tmp_path / f"normal{i}") for i in range(2))
    hostile_s = _build(ws, hostile, tmp_path / "hostile")
    assert hostile_s < 3 * normal_s + 1, f"{hostile_s:.1f} s against {normal_s:.1f} s for a normal entry"
    page = (tmp_path / "hostile" / "mj" / "2021-02-03" / "index.html").read_text(encoding="utf-8")
    article = page[page.index("<article") :]
    shown = re.findall(r"<h([2-4]) id=\"[^\"]+\">follow-up (\d+)", article)
    assert [int(n) for _, n in shown] == list(range(HEADINGS))
    assert [int(level) for level, _ in shown[:3]] == [2, 3, 4]
    assert "마지막 줄" in article
    toc = page[page.index('data-md-component="toc"') : page.index("<article")]
    assert toc.count('class="md-nav__link"') >= HEADINGS  # the page keeps its whole table of contents
    index = json.loads((tmp_path / "hostile" / "search" / "search_index.json").read_text(encoding="utf-8"))
    sections = [d for d in index["docs"] if d["location"].startswith("mj/2021-02-03/#")]
    assert len(sections) == HEADINGS
    assert sections[-1]["title"] == f"follow-up {HEADINGS - 1}"


def test_the_search_index_is_the_same_without_the_toc_walk(
    ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _headings().replace("follow-up 7\n", "follow-up 7 {: #own-id }\n")
    monkeypatch.setattr(budget, "TOC_ENTRIES", 10**9)  # Material's own walk
    _build(ws, text, tmp_path / "walked")
    monkeypatch.setattr(budget, "TOC_ENTRIES", 0)  # every page indexed without it
    _build(ws, text, tmp_path / "skipped")
    walked = (tmp_path / "walked" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "#own-id" in walked
    assert (tmp_path / "skipped" / "search" / "search_index.json").read_text(encoding="utf-8") == walked


@pytest.mark.parametrize(
    "text",
    [
        "".join(f"## h{i}\n" for i in range(40)) + "text\n",
        "intro\n" + "".join(f"## h{i}\n- item {i}\n" for i in range(40)),
        "> quote\n" + "".join(f"### h{i}\n" for i in range(40)) + "    code\n",
        "".join(f"#{i} not a heading\n## h{i} ##\n" for i in range(40)),
        "```\n" + "".join(f"## in code {i}\n" for i in range(40)) + "```\n" + "".join(f"## h{i}\n" for i in range(40)),
        "<div>\n" + "".join(f"## in html {i}\n" for i in range(40)) + "</div>\n",
    ],
)
def test_blank_lines_after_heading_runs_change_nothing_on_the_page(text: str) -> None:
    exts = ["pymdownx.saneheaders", "pymdownx.superfences", "attr_list", "md_in_html", "tables", "admonition"]
    plain = markdown.markdown(text, extensions=exts)
    assert markdown.markdown(text, extensions=[*exts, budget.BudgetExtension()]) == plain
    assert budget.HeadingRuns(markdown.Markdown(extensions=exts)).run(text.split("\n")) != text.split("\n") or (
        "```" in text or "<div>" in text
    )


def test_attribute_lists_on_long_blank_runs_match_as_before() -> None:
    exts = ["attr_list", "tables"]
    for text in ("## a {: #x }", "## a   {: .c }  ", "## a {b", "| a {: #t } | b |\n|---|---|\n| 1 | 2 |", "## {}"):
        assert markdown.markdown(text, extensions=[*exts, budget.BudgetExtension()]) == markdown.markdown(
            text, extensions=exts
        )
    slow = "## a" + " \t" * 20000 + "b\n"
    t0 = time.perf_counter()
    out = markdown.markdown(slow, extensions=[*exts, budget.BudgetExtension()])
    assert time.perf_counter() - t0 < 2
    assert out.startswith("<h2>a") and out.endswith("b</h2>")


def test_a_huge_til_is_cut_on_the_week_page_and_whole_on_its_own(ws: Path, tmp_path: Path) -> None:
    rows = "".join(f"| {i} | `코드 {i}` |\n" for i in range(6000))
    text = f"---\nauthor: mj\n---\n\n## TIL\n\n| a | b |\n|---|---|\n{rows}\n끝 문장\n"
    _build(ws, text, tmp_path / "site")
    entry = (tmp_path / "site" / "mj" / "2021-02-03" / "index.html").read_text(encoding="utf-8")
    assert "<td>5999</td>" in entry and "끝 문장" in entry
    week = next(p for p in (tmp_path / "site" / "weeks").rglob("index.html") if "<td>0</td>" in p.read_text("utf-8"))
    page = week.read_text(encoding="utf-8")
    assert "<td>5999</td>" not in page and "끝 문장" not in page
    assert "…" in page and "기록 전체 보기" in page
    assert 500 < page.count("<tr>") < 3000  # an excerpt, not the whole table


WIKILINKS = ("[[a [[", "[[", "a[[", "[[../x]] ", "[[x]](", "[[ResNet|레즈넷]] ", "[[8강] x](#y) ")
"""The open-wikilinks shapes of `benchmarks/hostile.py`."""


def _wikilinks(line: int) -> str:
    """One paragraph: a line of `line` bytes of each shape, no blank line between them."""
    body = "\n".join((s * (line // len(s) + 1))[:line] for s in WIKILINKS)
    return "---\nauthor: mj\n---\n\n첫 문단\n\n" + body + "\n\n마지막 줄\n"


def _escaped(text: str, lines: tuple[int, ...]) -> str:
    """`text` with each `[` outside code spans on `lines` (0-based) written `\\[` (`\\[` left as it is)."""
    from daylog.entries.markdown import mask_code

    out = []
    for n, (line, masked) in enumerate(zip(text.split("\n"), mask_code(text).split("\n"), strict=True)):
        bare = [i for i, c in enumerate(masked) if c == "[" and line[i - 1 : i] != "\\"] if n in lines else []
        out.append("".join("\\[" if i in bare else c for i, c in enumerate(line)))
    return "\n".join(out)


def test_a_paragraph_of_open_wikilinks_builds_like_a_normal_entry(
    ws: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Regression (#12, "open wikilinks"): 7 lines of 16 KB of `[[` shapes in one paragraph took
    over 20 s (an escape per `[`, each copying the paragraph); now about a normal entry of the size."""
    import logging

    hostile = _wikilinks(16 * 1024)
    normal_s = min(_build(ws, _normal(len(hostile)), tmp_path / f"normal{i}") for i in range(2))
    with caplog.at_level(logging.WARNING):
        hostile_s = _build(ws, hostile, tmp_path / "hostile")
    assert hostile_s < 3 * normal_s + 1, f"{hostile_s:.1f} s against {normal_s:.1f} s for a normal entry"
    warned = [r.getMessage() for r in caplog.records if "shown as text" in r.getMessage()]
    assert len(warned) == 1 and warned[0].startswith("daylog: logs/mj/2021-02-03.md:7: 1 paragraph(s)"), warned
    page = (tmp_path / "hostile" / "mj" / "2021-02-03" / "index.html").read_text(encoding="utf-8")
    article = page[page.index("<article") :]
    assert "[[a [[[[a [[" in article and "[[8강] x](#y) [[8강] x](#y)" in article  # shown as written
    assert 'href="#y"' not in article and "첫 문단" in article and "마지막 줄" in article


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("[ok](https://e.com) 첫 줄\n" + "[[" * 200 + " `[[코드]]` \\[x \\\\[y *강조*\n" + "a[[" * 99, (0, 1, 2)),
        ("- 할 일 " + "[[x]](" * 300 + "\n- 끝 [링크](https://e.com)\n", (0,)),
        ("| a | b |\n|---|---|\n| " + "[[" * 300 + " | `[[` |\n| [c](d) | e |\n", (2,)),
        ("## 제목 " + "[" * 300 + "\n\n" + "[a](b " * 20 + "(((" * 20000 + "\n\n[ok](https://e.com)\n", (0, 2)),
    ],
)
def test_brackets_over_budget_read_as_escaped_brackets(text: str, lines: tuple[int, ...]) -> None:
    """A run over budget renders as the same text with each `[` escaped: code spans, emphasis,
    escapes and the other runs (list items, cells) as before; only its links are lost."""
    exts = ["pymdownx.tasklist", "tables", "toc", "attr_list", "pymdownx.superfences"]
    shown = markdown.markdown(text, extensions=[*exts, budget.BudgetExtension()])
    assert shown == markdown.markdown(_escaped(text, lines), extensions=exts)


def test_a_task_over_budget_keeps_its_checkbox() -> None:
    """The budget runs after task lists read `[ ]`: the item stays a task, its text is shown as text."""
    exts = ["pymdownx.tasklist", budget.BudgetExtension()]
    shown = markdown.markdown("- [ ] 할 일 " + "[[" * 300 + "\n", extensions=exts)
    assert 'type="checkbox"' in shown and "할 일 " + "[[" * 300 in shown


def test_ordinary_entries_render_as_without_the_budget() -> None:
    """The sample workspace's entries (and a run just under the budget) are untouched by `BracketBudget`."""
    from mkdocs.config import load_config as load

    repo = Path(__file__).resolve().parents[2]
    cfg = load(str(repo / "mkdocs.yml"))
    under = [
        "[[" * (budget.BRACKETS_PER_BLOCK // 2) + "\n\n" + "[a](b) " * budget.BRACKETS_PER_BLOCK,
        " ".join(f'[글 {i}](https://e.com/{i} "제목 {i}")' for i in range(200)),  # titles close
        "- 질문 ](" + "](" * 64 + " " * 20000 + "?",  # no `[`: no link is looked for
    ]
    texts = [f.read_text(encoding="utf-8") for f in sorted((repo / "logs").rglob("*.md"))] + under
    assert len(texts) > 20
    ext = budget.BudgetExtension()
    for text in texts:
        plain = markdown.markdown(text, extensions=cfg.markdown_extensions, extension_configs=cfg.mdx_configs)
        own = markdown.markdown(text, extensions=[*cfg.markdown_extensions, ext], extension_configs=cfg.mdx_configs)
        assert own == plain
    assert ext.take_shown() == []


def test_a_feed_summary_of_a_megabyte_of_brackets_takes_no_time() -> None:
    """The feed's summary pattern looked for every `[`'s `]` to the end of the entry: 28 s for 80 KB of `[[`."""
    import time
    from types import SimpleNamespace
    from typing import Any, cast

    from daylog.site.feeds import SUMMARY_CHARS, summary

    entry = cast(Any, SimpleNamespace(til="[[" * 500_000 + "<" * 500_000, body=""))
    started = time.perf_counter()
    text = summary(entry)
    assert time.perf_counter() - started < 1.0
    assert len(text) <= SUMMARY_CHARS and text.startswith("[[[[")


@given(st.text(alphabet="[]a(", max_size=24), st.data())
def test_link_text_is_found_as_python_markdown_finds_it(data: str, draw: st.DataObject) -> None:
    """`LinearLinkText` answers every `getText(data, index)` as Python-Markdown's own link pattern does."""
    from markdown.inlinepatterns import LINK_RE, LinkInlineProcessor

    index = draw.draw(st.integers(0, len(data)))
    own = LinkInlineProcessor(LINK_RE, markdown.Markdown())
    assert budget.LinearLinkText()(data, index) == own.getText(data, index)


def test_a_paragraph_of_links_costs_its_links_not_their_product_with_its_length() -> None:
    """Python-Markdown rebuilt its bracket table over the whole paragraph after each link: 256 links
    in 256 KB took 22 s; with `LinearLinkText` the paragraph costs about ten times a plain one."""
    filler = "가나다라 마바사 " * 100
    plain = "".join(f"x{i} " + filler for i in range(256))
    linked = "".join(f"[x{i}](y) " + filler for i in range(256))
    exts = [budget.BudgetExtension()]

    def took(text: str) -> float:
        t0 = time.perf_counter()
        out = markdown.markdown(text, extensions=exts)
        assert out.count("<a ") == text.count("](y)")
        return time.perf_counter() - t0

    plain_s = min(took(plain) for _ in range(2))
    assert took(linked) < 10 * plain_s + 1.0  # the old way: over 300 times plain
