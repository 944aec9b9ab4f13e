"""The team site built with `mkdocs build --strict`: the sample workspace and small fixtures."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, copy_sample

pytest.importorskip("mkdocs")
pytest.importorskip("material")

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError

from daylog.site.escape import text as escape_text

NOW = "2026-11-20T22:00:00+09:00"
SAMPLE_MEMBERS = ("minji", "seohyun", "jiwoo", "hayoon", "dogyeom")


def build_site(config: Path, site_dir: Path) -> Path:
    """`mkdocs build --strict` in-process (warnings abort)."""
    cfg = load_config(str(config), strict=True, site_dir=str(site_dir))
    build(cfg)
    return site_dir


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The repo's sample workspace, built once for this module (Korean search extra off: faster)."""
    root = tmp_path_factory.mktemp("sample")
    for name in ("mkdocs.yml", "templates", "logs", "concepts", "docs", ".daylog"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, root / name, ignore=shutil.ignore_patterns("cache"))
        else:
            shutil.copy(src, root / name)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DAYLOG_NOW", NOW)
        mp.setenv("DAYLOG_SEARCH_KO", "0")
        yield build_site(root / "mkdocs.yml", root / "site")


def html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def section(page: str, start: str, end: str) -> str:
    """The HTML between the heading with text `start` and the next `end` marker."""
    i = page.index(start)
    j = page.find(end, i + len(start))
    return page[i : j if j >= 0 else len(page)]


# --- the sample workspace ----------------------------------------------------------


def test_every_entry_has_a_page_at_its_url(sample_site: Path) -> None:
    """logs/<member>/<date>.md → /<member>/<date>/ for every sample entry, and nothing is written to docs/."""
    logs = sorted((REPO / "logs").glob("*/*.md"))
    assert len(logs) > 50
    for path in logs:
        assert (sample_site / path.parent.name / path.stem / "index.html").is_file(), path
    assert sorted(p.name for p in (REPO / "docs").iterdir()) == [".gitkeep"]


def test_a_members_archive_lists_every_entry_and_stays_out_of_the_navigation(sample_site: Path) -> None:
    """`/<member>/archive/` links each of the member's entries under its week; the member's page
    shows the newest ones and links the archive; no page's navigation lists an archive."""
    for member in SAMPLE_MEMBERS:
        archive = html(sample_site, f"{member}/archive")
        days = sorted(p.stem for p in (REPO / "logs" / member).glob("*.md"))
        assert days and all(f'href="../{d}/"' in archive for d in days), member
        assert re.search(r"<h2 id=\"\d+주차\">\d+주차", archive)
        page = html(sample_site, member)
        listed = section(page, ">기록 (", "</ul>")
        assert f">기록 ({len(days)})" in page
        shown = [d for d in days if f'href="{d}/"' in listed]
        assert shown == days[-len(shown) :] and len(shown) == min(len(days), 20)
    for page in (sample_site / "index.html", sample_site / "minji" / "index.html"):
        assert "archive/" not in section(page.read_text(encoding="utf-8"), 'class="md-nav', "</nav>")


def test_entry_page_header_and_neighbours(sample_site: Path) -> None:
    """An entry shows author, date, Day N, its week, and links to the same member's previous and next entries."""
    page = html(sample_site, "minji/2026-11-05")
    assert "[AI 부트캠프 3기 / Day4] Today" in page
    meta = section(page, 'class="daylog-meta"', "</p>")
    assert 'href="../"' in meta and "민지" in meta and "2026-11-05 (목)" in meta and "Day4" in meta
    assert 'href="../../weeks/1/"' in meta
    nav = section(page, 'class="daylog-prevnext"', "</p>")
    assert 'href="../2026-11-04/"' in nav and 'href="../2026-11-06/"' in nav
    first = html(sample_site, "minji/2026-11-02")
    assert "←" not in section(first, 'class="daylog-prevnext"', "</p>")


def test_entries_are_not_in_the_navigation(sample_site: Path) -> None:
    """Material's nav lists the team pages but no entry: an entry page links only where its content does."""
    page = html(sample_site, "minji/2026-11-05")
    nav = section(page, 'class="md-nav md-nav--primary"', "</nav>")
    assert 'href="../../hayoon/2026-11-02/"' not in page
    assert "2026-11" not in re.sub(r"<[^>]+>", "", nav)
    home = html(sample_site, ".")
    for label in ("팀원", "주차별", "질문 모음", "Follow-ups", "과제", "이슈", "태그"):
        assert label in home


def test_followups_page_lists_exactly_the_open_ones(sample_site: Path) -> None:
    """The open list equals `daylog followups --json` for the same day; resolved ones are listed apart."""
    from daylog.followups.service import list_followups
    from daylog.workspace.files import Workspace

    ws = Workspace.find(REPO)
    from datetime import date

    records, _ = list_followups(ws, date(2026, 11, 20))
    page = html(sample_site, "followups")
    open_part = section(page, '<h2 id="열린-follow-up', '<h2 id="해결된-follow-up')
    shown = re.findall(r"<code>([0-9a-z]{6})</code>", open_part)
    assert sorted(shown) == sorted(r.id for r in records)
    assert f"열린 follow-up ({len(records)})" in page
    done_part = page[page.index('<h2 id="해결된-follow-up') :]
    assert "<del>" in done_part and not set(shown) & set(re.findall(r"<code>([0-9a-z]{6})</code>", done_part))


def test_issue_badges_titles_and_mentions(sample_site: Path) -> None:
    """The issues page shows each issue's cached title and state badge, with every mentioning entry."""
    page = html(sample_site, "issues")
    one = section(page, 'id="issue-daylog-demo-peer-session-1"', "<h2")
    assert "브로드캐스팅" in one and "daylog-badge--closed" in one
    assert "daylog-badge--merged" in section(page, 'id="issue-daylog-demo-peer-session-3"', "<h2")
    last = section(page, 'id="issue-daylog-demo-peer-session-24"', "<h2")
    assert "daylog-badge--open" in last and 'href="../dogyeom/2026-11-20/"' in last
    entry = html(sample_site, "jiwoo/2026-11-06")
    assert 'class="magiclink magiclink-github magiclink-issue"' in entry
    assert 'href="https://github.com/daylog-demo/peer-session/issues/9"' in entry
    assert "로지스틱 회귀에 MSE 대신 cross&#45;entropy" in section(entry, 'id="daylog-issues"', "</ul>")


def test_private_sections_appear_nowhere(sample_site: Path) -> None:
    """`private_sections: [remark]`: no line of any 오늘의 한마디 is in any file of site/, search index included."""
    from daylog.entries.parse import parse

    secret_lines = []
    for path in sorted((REPO / "logs").glob("*/*.md")):
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        for s in parse(text).sections_with("remark"):
            secret_lines += [ln.strip("- ").strip() for ln in lines[s.line : s.end] if len(ln.strip("- ").strip()) > 8]
    assert len(secret_lines) > 30
    blobs = [p.read_text(encoding="utf-8") for p in sample_site.rglob("*") if p.suffix in (".html", ".json", ".xml")]
    blobs = [json.dumps(json.loads(b), ensure_ascii=False) if b.startswith("{") else b for b in blobs]
    everything = "\n".join(blobs)
    leaked = [s for s in secret_lines if s in everything]
    assert leaked == []
    assert "오늘의 한마디" not in everything


def test_grass_svg_and_streaks(sample_site: Path) -> None:
    """Home and person pages carry the grass SVG inline (kept out of search) and the streak numbers."""
    home = html(sample_site, ".")
    assert home.count('<svg xmlns="http://www.w3.org/2000/svg" class="daylog-grass') == 1
    assert "data-search-exclude" in home and 'data-date="2026-11-05"' in home
    minji = html(sample_site, "minji")
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="daylog-grass' in minji
    # Calendar mode (`daylog streak`'s default): the holiday on 11-19 ends the streak.
    assert "현재 연속 <strong>1일</strong>" in minji and "최장 연속 <strong>5일</strong>" in minji
    index = json.loads((sample_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not any("activities on" in d["text"] for d in index["docs"])


def test_korean_anchors_tasks_and_math(sample_site: Path) -> None:
    """Korean headings get Korean ids, checklists are checkboxes, `$…$` becomes arithmatex for MathJax."""
    page = html(sample_site, "minji/2026-11-05")
    assert 'id="피어세션-정리"' in page and 'id="더-정리할-것"' in page
    assert 'class="task-list-item"' in page and "checked" in page
    assert '<span class="arithmatex">\\(P(A \\mid B)' in page
    assert "assets/daylog/mathjax.js" in page and "mathjax@3" in page


def test_team_pages_render(sample_site: Path) -> None:
    """Home, questions (by week, with counts), tasks, people, weekly digests and tags all exist and link entries."""
    home = html(sample_site, ".")
    assert "최근 기록: 2026-11-20 (금)" in home and "열린 follow-up <strong>" in home
    questions = html(sample_site, "questions")
    assert 'id="week-1"' in questions and "MLE랑 MAP 차이가 뭐야?" in questions
    week = html(sample_site, "weeks/2")
    assert "TIL" in week and "연속 기록" in week and "새로 남긴 것" in week
    assert "심화 과제 1 (로지스틱 회귀 미분)" in html(sample_site, "tasks")
    for m in SAMPLE_MEMBERS:
        assert (sample_site / m / "index.html").is_file()
    tags = html(sample_site, "tags")
    assert 'id="tag:cnn"' in tags and "../minji/2026-11-12/" in tags


def test_entry_pages_stay_small(sample_site: Path) -> None:
    """Pruned navigation keeps an entry page far below the 100 KB budget."""
    sizes = [p.stat().st_size for m in SAMPLE_MEMBERS for p in (sample_site / m).glob("2026-*/index.html")]
    assert max(sizes) < 100_000


# --- the site and the CLI's --json agree ----------------------------------------------


def cli_json(root: Path, *args: str) -> Any:
    """`daylog -w ROOT ARGS --json` at the sample's DAYLOG_NOW, parsed."""
    from typer.testing import CliRunner

    from daylog.cli.app import app

    r = CliRunner().invoke(app, ["-w", str(root), *args, "--json"], env={"DAYLOG_NOW": NOW})
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def table_rows(page: str) -> dict[str, list[str]]:
    """The first table of a page: member link text → the other cells' text."""
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    avatar = r'<span class="daylog-avatar"[^>]*><span>[^<]*</span>(?:<img[^>]*>)?</span>'  # initials under a picture
    body = re.sub(avatar, "", body)
    out = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        out[cells[0]] = cells[1:]
    return out


def grass_counts(page: str, ident: str) -> dict[str, int]:
    """date → count of the non-empty cells of the grass SVG with id `ident`."""
    svg = section(page, f'aria-labelledby="{ident}-title', "</svg>")
    out: dict[str, int] = {}
    for d, n in re.findall(r'data-date="([\d-]+)" data-count="(\d+)"', svg):  # the first row (the team's on home)
        if int(n):
            out.setdefault(d, int(n))
    return out


def test_home_and_people_numbers_equal_streak_json(sample_site: Path) -> None:
    """Every streak figure and grass cell on home, people and person pages is what `daylog streak --json` says."""
    root = sample_site.parent
    reports = {r["member"]: r for r in cli_json(root, "streak")}
    team = cli_json(root, "streak", "--team")
    assert [r["source"] for r in reports.values()] == ["both"] * 5 and reports["minji"]["mode"] == "calendar"
    names = {"minji": "민지", "seohyun": "서현", "jiwoo": "지우", "hayoon": "하윤", "dogyeom": "도겸"}
    home = table_rows(html(sample_site, "."))
    people = table_rows(html(sample_site, "people"))
    for member, r in reports.items():
        figures = [f"{r['current']}일", f"{r['longest']}일"]
        assert home[names[member]][1:3] == figures, member
        assert people[names[member]][1:3] == figures, member
        page = html(sample_site, member)
        assert f"현재 연속 <strong>{r['current']}일</strong>" in page
        assert f"최장 연속 <strong>{r['longest']}일</strong>" in page
        assert f"활동한 날 <strong>{r['active_days']}일</strong>" in page
        assert grass_counts(page, f"daylog-grass-{member}") == r["days"], member
    summed: dict[str, int] = {}
    for r in reports.values():
        for d, n in r["days"].items():
            summed[d] = summed.get(d, 0) + n
    home_page = html(sample_site, ".")
    assert grass_counts(home_page, "daylog-grass-team") == summed
    assert (
        f"현재 <strong>{team['current']}일</strong> · 최장 <strong>{team['longest']}일</strong>"
        f" · 함께 활동한 날 <strong>{team['active_days']}일</strong>"
    ) in home_page


def _same_question(q: dict[str, Any]) -> tuple[str, tuple[str, ...], str]:
    """The dedup rule, restated: day, askers in any order, text without case, spacing or a trailing `?`."""
    import unicodedata

    text = " ".join(unicodedata.normalize("NFC", q["text"]).casefold().split()).rstrip("?!. ")
    return (q["date"], tuple(sorted(set(q["askers"]))), text)


def test_questions_page_equals_questions_json_after_dedup(sample_site: Path) -> None:
    """The Questions page lists `daylog questions --json` with same-day write-ups of one question merged,
    each merged one linking every entry that recorded it; the per-member counts are the ledger's `member_counts`."""
    from daylog.questions.ledger import group_questions, member_counts
    from daylog.questions.service import list_questions
    from daylog.workspace.files import Workspace

    root = sample_site.parent
    records = cli_json(root, "questions")
    groups: dict[tuple[str, tuple[str, ...], str], list[dict[str, Any]]] = {}
    for q in records:
        groups.setdefault(_same_question(q), []).append(q)
    assert len(groups) < len(records)  # the sample has questions written up by two members
    page = html(sample_site, "questions")
    assert f"질문 <strong>{len(groups)}개</strong>" in page
    items = re.findall(r"의 기록</a>(?:, <a [^>]*>[^<]*의 기록</a>)*<br />", page)
    assert len(items) == len(groups)
    twice = groups[("2026-11-05", ("jiwoo",), "확률밀도가 1보다 클 수 있어")]
    assert sorted(q["author"] for q in twice) == ["hayoon", "minji"]
    assert page.count("확률밀도가 1보다 클 수 있어?") == 1
    before = page[: page.index("확률밀도가 1보다 클 수 있어?")]
    links = before[before.rindex("<li>") :]  # the item's own line: its askers and entries
    assert 'href="../hayoon/2026-11-05/"' in links and 'href="../minji/2026-11-05/"' in links
    ws = Workspace.find(root)
    counts = member_counts(group_questions(list_questions(ws)[0]), ws.settings.member_ids())
    names = {"minji": "민지", "seohyun": "서현", "jiwoo": "지우", "hayoon": "하윤", "dogyeom": "도겸"}
    for table in (table_rows(page), table_rows(html(sample_site, "."))):
        for c in counts:
            cells = table[names[c.member]]
            assert [cells[-2], cells[-1]] == [str(c.asked), str(c.answered)], c


def test_issues_page_equals_issues_json(sample_site: Path) -> None:
    """The Issues page lists exactly the issues of `daylog issues --json`, with the same mention counts;
    every entry page links exactly the issues whose mentions name it."""
    root = sample_site.parent
    issues = cli_json(root, "issues")
    page = html(sample_site, "issues")
    shown = dict(re.findall(r'id="issue-daylog-demo-peer-session-(\d+)".*?언급 (\d+)회', page, re.S))
    assert shown == {str(i["number"]): str(len(i["mentions"])) for i in issues}
    by_entry: dict[str, set[int]] = {}
    for i in issues:
        for m in i["mentions"]:
            by_entry.setdefault(m["path"], set()).add(i["number"])
    for path in sorted((REPO / "logs").glob("*/*.md")):
        rel = f"logs/{path.parent.name}/{path.name}"
        entry = html(sample_site, f"{path.parent.name}/{path.stem}")
        linked = set()
        if 'id="daylog-issues"' in entry:
            part = section(entry, 'id="daylog-issues"', "</ul>")
            linked = {int(n) for n in re.findall(r"issues/#issue-daylog-demo-peer-session-(\d+)", part)}
        assert linked == by_entry.get(rel, set()), rel


class ListItems(HTMLParser):
    """Every `<li>` of a page: its own text (nested lists, `<pre>` and `<code>` left out), with `⟨a⟩`
    where a link starts, and the number of its own links."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, int]] = []
        self._open: list[list[str]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "li":
            self._open.append([])
        elif tag in ("pre", "code"):
            self._skip += 1
        elif tag == "a" and self._open and not self._skip:
            self._open[-1].append("⟨a⟩")

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._open:
            own = "".join(self._open.pop())
            self.items.append((own, own.count("⟨a⟩")))
        elif tag in ("pre", "code"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._open and not self._skip:
            self._open[-1].append(data)


def list_items(page: str) -> list[tuple[str, int]]:
    parser = ListItems()
    parser.feed(page)
    return parser.items


def test_13_list_items_ran_together_into_one_li(sample_site: Path) -> None:
    """#13: `trim_blocks` ate the line break after `{% endif %}`, so a member's entries of a week and an
    issue's mentions became one bullet (`…Day1</a> · 질문 3- <a …>`). On every page of the sample site no
    `<li>` holds a second item's marker, and each entry or mention item holds exactly one link."""
    pages = sorted(sample_site.rglob("*.html"))
    assert len(pages) > 60
    one_link = re.compile(r"^⟨a⟩\d{4}-\d{2}-\d{2} \(.\) · ")  # `[2026-11-02 (월) · Day1](…)`, `[… · 지우](…)`
    checked = 0
    for path in pages:
        for own, links in list_items(path.read_text(encoding="utf-8")):
            where = f"{path.relative_to(sample_site)}: {own[:120]!r}"
            assert not re.search(r"\S-\s*⟨a⟩|\n\s*[-*+] \S", own), where
            if one_link.match(own.strip()):
                assert links == 1, where
                checked += 1
    per_member = sum(len(list((sample_site / m).glob("2026-*/index.html"))) for m in SAMPLE_MEMBERS)
    assert checked >= per_member + len(cli_json(sample_site.parent, "issues"))


# --- small fixture workspaces --------------------------------------------------------

ENTRY = """\
---
title: "[부스트캠프 AI Tech / Day{day}] Today"
date: {date} 22:00:00 +0900
author: {author}
day: {day}
tags: [today, 검색]
---

## 피어세션 정리

- `엠제이`: 전문검색은 어떻게 해?
  - `샐리`: 형태소분석기를 쓰면 됨 #53

### 더 정리할 것

- [ ] 역색인: 구조 정리
- [x] 토크나이저 비교 ✅ 2021-01-21

## 과제 진행 상황

- [ ] 과제 1

## TIL (Today I Learned)

- 수식 $a^2$ 도 된다

## 오늘의 한마디

- 비밀스러운-회고-문장
"""

THEME = """\
theme:
  name: material
  language: ko
"""


@pytest.fixture
def fixture_ws(make_ws: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """A make_ws workspace with docs/ and entries for mj (Day1, Day2) and sally (Day1)."""
    monkeypatch.setenv("DAYLOG_NOW", "2021-01-22T22:00:00+09:00")
    monkeypatch.setenv("DAYLOG_SEARCH_KO", "0")

    def make(extra: str = "", private: str = "[remark]") -> Path:
        root = make_ws(extra=f"      private_sections: {private}\n" + THEME + extra)
        (root / "docs").mkdir()
        (root / "docs" / ".gitkeep").write_text("", encoding="utf-8")
        for author, d, day in (("mj", "2021-01-18", 1), ("mj", "2021-01-19", 2), ("sally", "2021-01-18", 1)):
            path = root / "logs" / author / f"{d}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(ENTRY.format(date=d, author=author, day=day), encoding="utf-8")
        return root

    return make


def add_to_til(path: Path, line: str) -> None:
    """Append a line to the entry's TIL (the last section is private in these fixtures)."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("## 오늘의 한마디", f"{line}\n\n## 오늘의 한마디"), encoding="utf-8")


def test_fixture_builds_and_links_issue_shorthand(fixture_ws: Callable[..., Path], tmp_path: Path) -> None:
    """magiclink is configured from issue_repo even when mkdocs.yml does not list it; private text is gone."""
    root = fixture_ws()
    site = build_site(root / "mkdocs.yml", tmp_path / "site")
    page = html(site, "mj/2021-01-18")
    assert 'href="https://github.com/team/peer-session/issues/53"' in page
    assert 'id="피어세션-정리"' in page
    everything = "\n".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    everything += (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "비밀스러운" not in everything
    assert sorted(p.name for p in (root / "docs").iterdir()) == [".gitkeep"]


def write_issue_cache(root: Path, title: str, url: str = "https://github.com/team/peer-session/issues/53") -> None:
    """`.daylog/issues.json` as `daylog issues fetch` writes it, holding issue #53 with `title` and `url`."""
    record = {"etag": None, "fetched_at": "2021-01-20T00:00:00Z", "kind": "issue", "missing": False, "number": 53,
              "repo": "team/peer-session", "state": "open", "title": title, "updated_at": None, "url": url}  # fmt: skip
    cache = {"version": 1, "repos": {}, "issues": {"team/peer-session#53": record}}
    (root / ".daylog").mkdir(exist_ok=True)
    (root / ".daylog" / "issues.json").write_text(json.dumps(cache), encoding="utf-8")


def test_untrusted_issue_titles_are_escaped(fixture_ws: Callable[..., Path], tmp_path: Path) -> None:
    """A hostile title from the issue cache renders as text: no tag, no link, no emphasis."""
    root = fixture_ws()
    write_issue_cache(root, "<script>alert(1)</script> **굵게** [x](javascript:alert(1)) #7 $a$ |")
    site = build_site(root / "mkdocs.yml", tmp_path / "site")
    for url in ("issues", "mj/2021-01-18", "."):
        page = html(site, url)
        assert "&#60;script&#62;alert&#40;1&#41;&#60;&#47;script&#62;" in page, url
        assert "<script>alert(1)" not in page and 'href="javascript' not in page
        assert "<strong>굵게</strong>" not in page and "daylog-badge--open" in page


SCRIPT, IMG = "<script>alert(1)</script>", "<img src=x onerror=alert(2)>"

HOSTILE = f"""\
---
title: "{SCRIPT} {IMG}"
date: 2021-01-20 22:00:00 +0900
author: mj
tags: [today, "{IMG}"]
---

## 피어세션 정리

- `샐리`: {SCRIPT} 질문 {IMG}
  - `엠제이`: {IMG} 답 {SCRIPT}

### 더 정리할 것

- [ ] {SCRIPT}주제: {IMG} 메모 [x](javascript:alert(3))
- [x] 닫은 {IMG} ✅ 2021-01-21

## 과제 진행 상황

- [ ] {IMG} 과제 {SCRIPT}

## TIL (Today I Learned)

- {SCRIPT} 배운 것 #53
{IMG}
- [링크](javascript:alert(3))
"""


class Hazards(HTMLParser):
    """Scripts that call alert, `onerror` attributes and `javascript:` targets in a page, entities
    decoded; on an entry's page the part between its header and daylog's own sections (the entry's
    Markdown as written) is left out, its title and header are not."""

    def __init__(self, entry_page: bool) -> None:
        super().__init__()
        self.found: list[str] = []
        self.h1: list[str] = []
        self._body = False
        self._entry_page = entry_page
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if self._entry_page and ({"daylog-meta", "daylog-prevnext"} & set(classes)):
            self._body = False
        if tag == "h2" and a.get("id") in ("daylog-followups", "daylog-issues"):
            self._body = False
        self._in = tag if tag in ("script", "h1") else self._in
        if self._body:
            return
        for name, value in attrs:
            target = "".join((value or "").split()).lower()
            if name == "onerror" or (name in ("href", "src") and target.startswith("javascript:")):
                self.found.append(f"<{tag} {name}={value!r}> at line {self.getpos()[0]}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._entry_page and not self._body and self._in != "article":
            self._body = True  # the entry's own Markdown follows its header lines
        if tag == "article":
            self._body = False
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "h1":
            self.h1.append(data)
        if self._in == "script" and "alert" in data and not self._body:
            self.found.append(f"<script>{data[:30]} at line {self.getpos()[0]}")


def test_12_lifted_text_is_never_raw_html(fixture_ws: Callable[..., Path], tmp_path: Path) -> None:
    """#12: payloads in a title, a tag, follow-ups, a question and its answer, a task, a TIL, member display
    names (settings) and the issue cache (`javascript:` URL) reach no page as markup: no alert script, no
    `onerror` attribute, no `javascript:` link in any HTML file, except inside the entry's own Markdown on
    its page. They show as the text they are, the entry's `<h1>` included."""
    root = fixture_ws()
    config = (root / "mkdocs.yml").read_text(encoding="utf-8").replace("  - search\n", "  - search\n  - tags\n")
    config = config.replace("name: 엠제이", f"name: '{IMG}'\n          aliases: [엠제이]")
    config = config.replace("name: 샐리", f"name: '{SCRIPT}'\n          aliases: [샐리]")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    (root / "logs" / "mj" / "2021-01-20.md").write_text(HOSTILE, encoding="utf-8")
    write_issue_cache(root, f"{SCRIPT} {IMG}", url="javascript:alert(3)")
    site = build_site(root / "mkdocs.yml", tmp_path / "site")
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 15
    for path in pages:
        rel = path.relative_to(site).as_posix()
        parser = Hazards(entry_page=re.fullmatch(r"[^/]+/\d{4}-\d{2}-\d{2}/index\.html", rel) is not None)
        parser.feed(path.read_text(encoding="utf-8"))
        assert parser.found == [], rel
    entry = Hazards(entry_page=True)
    entry.feed(html(site, "mj/2021-01-20"))
    assert "".join(entry.h1) == f"{IMG} · Day3 · 2021-01-20"  # the author's display name, as text
    assert escape_text(f"{SCRIPT} {IMG}") in html(site, "mj/2021-01-20")  # the title, as text
    as_written = Hazards(entry_page=False)  # the check sees them where the entry's own Markdown has them
    as_written.feed(html(site, "mj/2021-01-20"))
    assert len(as_written.found) >= 8
    shown_as_text = {
        "followups": f"{SCRIPT}주제",
        "questions": f"{SCRIPT} 질문 {IMG}",
        "tasks": f"{IMG} 과제 {SCRIPT}",
        "weeks/1": f"{SCRIPT} 배운 것",
        "people": IMG,
        "issues": f"#53 {SCRIPT} {IMG}",
    }
    for url, expected in shown_as_text.items():
        shown = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html(site, url))))
        assert expected in shown, url
    issues = html(site, "issues")
    # The cached `javascript:` URL is dropped when the cache is read; the link goes to the issue on GitHub.
    assert 'href="javascript' not in issues
    assert re.search(r'href="https://github\.com/[^"]+/issues/53">GitHub에서 보기</a>', issues)


def test_unknown_plugin_key_stops_with_its_name(fixture_ws: Callable[..., Path], tmp_path: Path) -> None:
    """A misspelt key in the daylog block is a PluginError naming the key, its line and a suggestion."""
    root = fixture_ws()
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(text.replace("issue_repo:", "tmezone: Asia/Seoul\n      issue_repo:"), "utf-8")
    message = r"mkdocs.yml:\d+: daylog setting `tmezone`: unknown key \(did you mean `timezone`"
    with pytest.raises(PluginError, match=message):
        build_site(root / "mkdocs.yml", tmp_path / "site")


def test_hand_written_pages_join_the_site(
    fixture_ws: Callable[..., Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """docs/index.md replaces the generated home; other docs pages are added to the nav; a clash is an error."""
    root = fixture_ws()
    (root / "docs" / "index.md").write_text("# 우리 팀\n\n[질문 모음](questions.md)\n", encoding="utf-8")
    (root / "docs" / "about.md").write_text("# 소개\n", encoding="utf-8")
    site = build_site(root / "mkdocs.yml", tmp_path / "site")
    home = html(site, ".")
    assert "우리 팀" in home and "daylog-grass" not in home
    assert 'href="about/"' in home
    (root / "docs" / "followups.md").write_text("# 내 것\n", encoding="utf-8")
    with pytest.raises(Abort):
        build_site(root / "mkdocs.yml", tmp_path / "site2")
    assert "docs/followups.md has the path of a generated page" in caplog.text


def test_member_folder_with_a_reserved_name(
    fixture_ws: Callable[..., Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A folder logs/people/ would collide with the people pages: the build stops and says so."""
    root = fixture_ws()
    (root / "logs" / "people").mkdir()
    (root / "logs" / "people" / "2021-01-18.md").write_text("# x\n", encoding="utf-8")
    with pytest.raises(Abort):
        build_site(root / "mkdocs.yml", tmp_path / "site")
    assert "logs/people: member folder `people` has the name of a generated page" in caplog.text


def test_broken_link_in_an_entry_fails_strict(
    fixture_ws: Callable[..., Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Links between entries resolve (logs/ is mirrored); a link to a missing entry is a strict-mode error."""
    root = fixture_ws()
    path = root / "logs" / "mj" / "2021-01-19.md"
    add_to_til(path, "[어제](2021-01-18.md) [샐리](../sally/2021-01-18.md)")
    site = build_site(root / "mkdocs.yml", tmp_path / "site")
    page = html(site, "mj/2021-01-19")
    assert 'href="../2021-01-18/"' in page and 'href="../../sally/2021-01-18/"' in page
    add_to_til(path, "[없음](2021-01-01.md)")
    with pytest.raises(Abort):
        build_site(root / "mkdocs.yml", tmp_path / "site2")
    assert "'2021-01-01.md'" in caplog.text


def test_images_beside_entries_are_published(fixture_ws: Callable[..., Path], tmp_path: Path) -> None:
    """logs/mj/img/a.png is served at /mj/img/a.png, so `![](img/a.png)` in an entry works."""
    root = fixture_ws()
    (root / "logs" / "mj" / "img").mkdir()
    (root / "logs" / "mj" / "img" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    path = root / "logs" / "mj" / "2021-01-18.md"
    add_to_til(path, "![그림](img/a.png)")
    site = build_site(root / "mkdocs.yml", tmp_path / "site")
    assert (site / "mj" / "img" / "a.png").read_bytes().startswith(b"\x89PNG")
    assert 'src="../img/a.png"' in html(site, "mj/2021-01-18")
    assert 'src="../../mj/img/a.png"' in html(site, "weeks/1")  # the TIL, embedded in the digest


def test_serve_watches_logs_templates_and_issue_cache(fixture_ws: Callable[..., Path]) -> None:
    """`mkdocs serve` rebuilds when a log, a template or the issue cache changes."""
    root = fixture_ws()
    (root / ".daylog").mkdir()
    (root / ".daylog" / "issues.json").write_text('{"version": 1, "repos": {}, "issues": {}}', encoding="utf-8")
    cfg = load_config(str(root / "mkdocs.yml"))
    plugin = cfg.plugins["daylog"]
    plugin.on_config(cfg)

    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    server = Server()
    plugin.on_serve(server, config=cfg, builder=lambda: None)
    assert sorted(Path(p).relative_to(root).as_posix() for p in server.watched) == [
        ".daylog/issues.json",
        "logs",
        "templates",
    ]


def test_site_templates_can_be_overridden(fixture_ws: Callable[..., Path], tmp_path: Path) -> None:
    """templates/site/home.md.j2 in the workspace replaces the built-in home page template."""
    root = fixture_ws()
    (root / "templates" / "site").mkdir()
    (root / "templates" / "site" / "home.md.j2").write_text(
        "---\ntitle: 홈\n---\n\n# 우리 팀 {{ model.members | length }}명\n", encoding="utf-8"
    )
    site = build_site(root / "mkdocs.yml", tmp_path / "site")
    assert "우리 팀 3명" in html(site, ".")


def test_fresh_init_workspace_builds_strict(runner: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`daylog init` then `daylog new` gives a workspace whose site builds with --strict."""
    from typer.testing import CliRunner

    from daylog.cli.app import app

    monkeypatch.setenv("DAYLOG_SEARCH_KO", "0")
    cli = CliRunner()
    env = {"DAYLOG_NOW": "2021-02-03T22:31:00+09:00"}
    ws = tmp_path / "team"
    r = cli.invoke(app, ["init", str(ws), "--course", "부스트캠프 AI Tech", "--start-date", "2021-01-18",
                         "--member", "mj:엠제이", "--issue-repo", "my-team/peer-session"], env=env)  # fmt: skip
    assert r.exit_code == 0, r.stderr
    r = cli.invoke(app, ["-w", str(ws), "new", "--author", "mj", "--no-edit"], env=env)
    assert r.exit_code == 0, r.stderr
    site = build_site(ws / "mkdocs.yml", tmp_path / "site")
    assert (site / "mj" / "2021-02-03" / "index.html").is_file()
    workflow = (ws / ".github" / "workflows" / "daylog.yml").read_text(encoding="utf-8")
    assert "fetch-depth: 0" in workflow and "daylog check" in workflow and "mkdocs build --strict" in workflow
    assert "actions/deploy-pages" in workflow


def test_korean_search_field_is_added_when_kiwi_is_installed(
    fixture_ws: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With kiwipiepy the index gains a `ko` field holding compound heads (검색 from 전문검색)."""
    pytest.importorskip("kiwipiepy")
    root = fixture_ws()
    monkeypatch.setenv("DAYLOG_SEARCH_KO", "1")
    site = build_site(root / "mkdocs.yml", tmp_path / "site")
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["fields"]["ko"] == {"boost": 0.5}
    peer = [d for d in index["docs"] if "전문검색" in d["text"] and "피어세션" in d["location"]]
    assert peer and all("검색" in d["ko"].split() and "분석기" in d["ko"].split() for d in peer), peer


def test_without_kiwi_the_site_searches_as_material_does(
    fixture_ws: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No kiwipiepy: the build still passes and the index is Material's own."""
    import sys

    from daylog.site import search_ko

    root = fixture_ws()
    monkeypatch.setenv("DAYLOG_SEARCH_KO", "1")
    monkeypatch.setitem(sys.modules, "kiwipiepy", None)
    monkeypatch.setattr(search_ko, "_kiwi", functools.cache(search_ko._kiwi.__wrapped__))  # nothing loaded yet
    site = build_site(root / "mkdocs.yml", tmp_path / "site")
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert "ko" not in index["config"]["fields"] and not any("ko" in d for d in index["docs"])


def _git(repo: Path, *args: str, when: str | None = None, email: str = "mj@example.com") -> None:
    """git in `repo`; with `when`, as an empty commit authored then by `email`."""
    import subprocess

    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(repo.parent)}
    if when is not None:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_EMAIL": email}
        env |= {"GIT_AUTHOR_NAME": email.split("@")[0], "GIT_COMMITTER_NAME": "CI", "GIT_COMMITTER_EMAIL": "c@x.org"}
        args = ("commit", "-q", "--allow-empty", "-m", "기록", *args)
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def _repo_with_commits(root: Path) -> Path:
    """`root` as a git repository: the entries, commits by mj on 01-20 and 01-21, one by somebody who is no member."""
    import subprocess

    subprocess.run(["git", "-c", "init.defaultBranch=main", "init", "-q", str(root)], check=True)
    _git(root, "add", ".")
    _git(root, when="2021-01-20T21:00:00+09:00")
    _git(root, when="2021-01-21T21:00:00+09:00")
    _git(root, when="2021-01-21T21:30:00+09:00", email="maintainers@example.org")
    return root


def test_the_site_counts_commits_as_daylog_streak_does(
    fixture_ws: Callable[..., Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """In a git repository members' commits count on the site as in `daylog streak --json`; a commit by no
    member is an info line, not a warning, so `--strict` still builds."""
    import logging

    caplog.set_level(logging.INFO)
    root = _repo_with_commits(fixture_ws())
    site = build_site(root / "mkdocs.yml", tmp_path / "site")
    from typer.testing import CliRunner

    from daylog.cli.app import app

    r = CliRunner().invoke(app, ["-w", str(root), "streak", "--author", "mj", "--json"])
    report = json.loads(r.stdout)
    assert report["days"] == {"2021-01-18": 1, "2021-01-19": 1, "2021-01-20": 1, "2021-01-21": 1}
    page = html(site, "mj")
    assert grass_counts(page, "daylog-grass-mj") == report["days"]
    assert f"현재 연속 <strong>{report['current']}일</strong>" in page and report["current"] == 4
    unmapped = [rec for rec in caplog.records if "belong to no member" in rec.getMessage()]
    assert unmapped and all(rec.levelno == logging.INFO for rec in unmapped)


def test_a_shallow_clone_is_a_warning_that_stops_strict(
    fixture_ws: Callable[..., Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A `--depth 1` checkout cuts streaks short: the site says so as a warning, so `--strict` stops."""
    import subprocess

    origin = _repo_with_commits(fixture_ws())
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(clone)], check=True)
    with pytest.raises(Abort):
        build_site(clone / "mkdocs.yml", tmp_path / "site")
    warned = [rec for rec in caplog.records if "shallow clone" in rec.getMessage()]
    assert warned and warned[0].levelname == "WARNING" and "fetch-depth: 0" in warned[0].getMessage()
    assert not warned[0].getMessage().startswith("warning:")


def test_a_corrupt_issue_cache_is_a_warning(
    fixture_ws: Callable[..., Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """As for `daylog issues`, a corrupt cache does not stop the pages (no titles); it is a warning, so
    `--strict` stops and says how to rebuild it."""
    root = fixture_ws()
    (root / ".daylog").mkdir()
    (root / ".daylog" / "issues.json").write_text("{ 고장", encoding="utf-8")
    with pytest.raises(Abort):
        build_site(root / "mkdocs.yml", tmp_path / "site")
    warned = [rec for rec in caplog.records if "issues.json" in rec.getMessage()]
    assert warned and warned[0].levelname == "WARNING" and "daylog issues fetch" in warned[0].getMessage()
    build(load_config(str(root / "mkdocs.yml"), strict=False, site_dir=str(tmp_path / "loose")))
    assert "미확인" in html(tmp_path / "loose", "issues")


def test_generated_pages_equal_the_export(fixture_ws: Callable[..., Path], tmp_path: Path) -> None:
    """`daylog site export` writes the very Markdown the plugin hands to MkDocs."""
    from daylog.site.export import export
    from daylog.site.pages import Options
    from daylog.site.source import site_pages
    from daylog.workspace.files import Workspace

    root = fixture_ws()
    ws = Workspace.find(root)
    result = export(ws, tmp_path / "out")
    pages = site_pages(ws, options=Options(tags_page=False)).pages
    assert result.pages == len(pages)
    for rel, text in pages.items():
        assert (tmp_path / "out" / rel).read_text(encoding="utf-8") == text
    assert os.path.exists(tmp_path / "out" / "assets" / "daylog" / "mathjax.js")


def test_questions_page_marks_unanswered_questions_and_offers_the_filter(sample_site: Path) -> None:
    """Each question nobody answered (`questions --unanswered`) carries a 답변 없음 badge, every other one the
    marker the "답변 없는 질문만" checkbox hides; the page counts them."""
    open_ = cli_json(sample_site.parent, "questions", "--unanswered")
    page = html(sample_site, "questions")
    badge = '<span class="daylog-badge daylog-badge--missing daylog-q-unanswered">답변 없음</span>'
    assert len(open_) == 1 and page.count(badge) == 1
    assert f"답변 없는 질문 <strong>{len(open_)}개</strong>" in page
    item = page[page.index(badge) : page.index("</li>", page.index(badge))]
    assert open_[0]["text"] in item and 'href="../dogyeom/2026-11-13/"' in item
    total = int(re.search(r"질문 <strong>(\d+)개</strong>", page).group(1))  # type: ignore[union-attr]
    assert page.count('<span class="daylog-q-answered" hidden></span>') == total - len(open_)
    assert '<input type="checkbox" id="daylog-unanswered-only"> 답변 없는 질문만' in page
    assert 'querySelectorAll(".daylog-q-answered")' in page  # the filter's script (run in test_site_browser)


def test_the_korean_index_from_memory_is_the_file_augmented(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`search_ko.write_index` (Material's documents as they are in memory) writes what reading
    back Material's file and augmenting it wrote, byte for byte; with its cache, documents it
    has seen are not analysed again (`daylog site serve` after a save)."""
    from daylog.site import search_ko
    from daylog.site.plugin import _material_search_index

    copy_sample(tmp_path, ("mkdocs.yml", "templates", "logs", "concepts", "docs", ".daylog"))
    monkeypatch.setenv("DAYLOG_NOW", NOW)
    monkeypatch.setenv("DAYLOG_SEARCH_KO", "0")
    cfg = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    build(cfg)
    material = _material_search_index(cfg)
    assert material is not None
    seen: list[list[str]] = []

    def analyze(texts):  # type: ignore[no-untyped-def]
        seen.append(list(texts))
        return [[(w, "NNG")] for w in texts]

    written = tmp_path / "site" / "search" / "search_index.json"
    from_file = tmp_path / "from_file.json"
    shutil.copy(written, from_file)
    search_ko.augment_file(from_file, analyze)
    from_memory = tmp_path / "from_memory.json"
    cache: dict[str, str] = {}
    assert search_ko.write_index(from_memory, *material, analyze, cache=cache) > 50
    assert from_memory.read_bytes() == from_file.read_bytes()
    assert '"ko":' in from_memory.read_text(encoding="utf-8") and "ko" not in material[1][0]  # Material's own untouched
    seen.clear()
    again = tmp_path / "again.json"
    search_ko.write_index(again, *material, analyze, cache=cache)
    assert seen in ([], [[]]) and again.read_bytes() == from_file.read_bytes()
