"""#16 item 1: how the site looks to a member: tidy entry pages, the grass board, calendars,
avatars, the streak board, the palette toggle and titles that name the author."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO, copy_sample
from hypothesis import given
from hypothesis import strategies as st

from daylog.site import visual
from daylog.site.tidy import done_badges, drop_empty_sections

pytest.importorskip("mkdocs")
pytest.importorskip("material")

NOW = "2026-11-20T22:00:00+09:00"


def test_empty_sections_are_left_out_with_their_heading() -> None:
    text = (
        "## 피어세션 정리\n\n<!-- - `이름`: 질문 -->\n\n### 더 정리할 것\n\n- [ ]\n\n---\n\n"
        "## 과제 진행 상황\n\n- [x] 과제 A\n\n## 과제 결과물에 대한 정리\n\n---\n\n"
        "## TIL\n\n```md\n## 코드 안의 제목\n```\n\n## 오늘의 한마디\n"
    )
    out = drop_empty_sections(text)
    assert "피어세션" not in out and "더 정리할 것" not in out and "과제 결과물" not in out
    assert "오늘의 한마디" not in out
    assert "## 과제 진행 상황\n\n- [x] 과제 A" in out
    assert "## TIL\n\n```md\n## 코드 안의 제목\n```" in out  # code is content, its `##` no heading
    parent = "## 피어세션 정리\n\n### 더 정리할 것\n\n- [ ] 주제\n"
    assert drop_empty_sections(parent) == parent  # a heading whose sub-section holds something stays


def test_done_dates_become_badges_outside_code() -> None:
    out = done_badges("- [x] 과제✅ 2021-02-05\n- [x] 다른 것 ✅ 2021-02-06\n`✅ 2021-02-07`\n")
    assert '- [x] 과제 <span class="daylog-done" title="완료한 날">✅ 2021-02-05</span>' in out
    assert '- [x] 다른 것 <span class="daylog-done" title="완료한 날">✅ 2021-02-06</span>' in out
    assert "`✅ 2021-02-07`" in out


_OLD_DONE = re.compile(r"(?P<glue>[^\s(\[])?[ \t]*✅[ \t]*(?P<date>\d{4}-\d{2}-\d{2})\b")
"""The pattern `done_badges` used before it stepped back from the `✅` (#12): the oracle."""


def _old_done_badges(markdown: str) -> str:
    from daylog.entries.markdown import mask_code

    masked = mask_code(markdown, inline=True, comments=True)
    pieces, done = [], 0
    for m in _OLD_DONE.finditer(masked):
        glue = m.group("glue") or ""
        space = " " if glue or masked[m.start()] in " \t" else ""
        badge = f'<span class="daylog-done" title="완료한 날">✅ {m.group("date")}</span>'
        pieces += (markdown[done : m.start()], f"{glue}{space}{badge}")
        done = m.end()
    return "".join([*pieces, markdown[done:]])


ATOMS = [" ", "\t", "✅", "2021-02-05", "(", "[", "a", "\n", "`", "\u3000", "5", "-"]


@given(st.lists(st.sampled_from(ATOMS), max_size=14))
def test_done_badges_glue_and_space_as_the_pattern_they_replace(atoms: list[str]) -> None:
    """Stepping back from each `✅` finds the glue and blanks the old leading pattern found."""
    text = "".join(atoms)
    assert done_badges(text) == (_old_done_badges(text) if "✅" in text else text)


def test_done_badges_on_long_blank_runs_take_no_time() -> None:
    """Regression (#12, "long item lines"): a 64 KB blank run before a dateless `✅` cost 9 s a line."""
    import time

    line = "- [x] a" + " \t" * 32768 + "b ✅\n"
    started = time.perf_counter()
    badge = '<span class="daylog-done" title="완료한 날">✅ 2021-02-05</span>'
    assert done_badges(line * 8 + "끝 ✅ 2021-02-05") == line * 8 + "끝 " + badge
    assert time.perf_counter() - started < 1.0


def test_board_has_a_team_row_then_one_row_per_member_and_a_tip_per_day() -> None:
    today = date(2026, 11, 20)
    rows = [
        visual.Row("팀", {date(2026, 11, 19): 5}, {date(2026, 11, 19): 2}, {date(2026, 11, 19): 2}, 2),
        visual.Row("민지", {date(2026, 11, 19): 3}, {date(2026, 11, 19): 1}),
        visual.Row("<i>서현", {date(2026, 11, 19): 2}, {date(2026, 11, 19): 1}),
    ]
    svg = str(visual.board(rows, today=today, is_off=lambda d: d == date(2026, 11, 18), title="t", ident="g"))
    assert 'width="100%"' in svg and "data-search-exclude" in svg
    assert re.findall(r'<text class="who"[^>]*>([^<]*)</text>', svg) == ["팀", "민지", "&lt;i&gt;서현"]
    assert "<title>2026-11-19 (목) · 민지 · 기록 1 · 커밋 2</title>" in svg
    assert "<title>2026-11-19 (목) · 팀 · 기록 2 · 커밋 3 · 활동 2/2명</title>" in svg
    assert svg.count('data-date="2026-11-21"') == 0 and "future" in svg  # days to come: no data
    assert 'class="day l0 off" x=' in svg  # a day off (weekend, holiday) is marked
    assert "11월" in svg  # month label


def test_avatars_need_no_network_and_escape_what_they_show() -> None:
    a = str(visual.avatar("민지", "minji-kim"))
    assert "<span>민</span>" in a and 'src="https://github.com/minji-kim.png?size=48"' in a
    assert 'alt=""' in a and "onerror" not in a  # the initials stay when the picture cannot load
    b = str(visual.avatar("Jane Doe", 'bad/login"><script>'))
    assert "<span>JD</span>" in b and "<img" not in b and "<script>" not in b
    assert "&lt;" in str(visual.avatar("<x>", None))


def test_month_calendar_links_entries_and_marks_weekends_and_holidays() -> None:
    days = {date(2026, 11, 5): visual.CalendarDay("2026-11-05.md", "Day4 · a|b")}
    cal = str(
        visual.month_calendars(
            days, today=date(2026, 11, 20), first=date(2026, 11, 2), is_holiday={date(2026, 11, 19)}.__contains__
        )
    )
    assert '<span class="entry" title="Day4 · a&#124;b">[5](2026-11-05.md)</span>' in cal
    assert '<span class="weekend">7</span>' in cal and '<span class="holiday" title="휴일">19</span>' in cal
    assert '<span class="today">20</span>' in cal and "**2026년 11월** · 기록 1편" in cal
    assert cal.count("| 월 | 화 | 수 | 목 | 금 | 토 | 일 |") == 1


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = tmp_path_factory.mktemp("look")
    copy_sample(root)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DAYLOG_NOW", NOW)
        mp.setenv("DAYLOG_SEARCH_KO", "0")
        build(load_config(str(root / "mkdocs.yml"), strict=True, site_dir=str(root / "site")))
    return root / "site"


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_built_site_has_the_palette_toggle(site: Path) -> None:
    home = page(site, ".")
    assert 'data-md-color-scheme="slate"' in home and 'data-md-color-scheme="default"' in home
    assert home.count('for="__palette_') >= 2  # one toggle label per scheme


def test_entry_title_and_search_result_name_the_author(site: Path) -> None:
    entry = page(site, "minji/2026-11-05")
    assert "<title>민지 · Day4 · 2026-11-05 - " in entry
    assert re.search(r"<h1[^>]*>민지 · Day4 · 2026-11-05", entry)
    assert "[AI 부트캠프 3기 / Day4] Today" in entry  # the entry's own title, under the heading
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    first = next(d for d in index["docs"] if d["location"] == "minji/2026-11-05/")
    assert first["title"] == "민지 · Day4 · 2026-11-05" and first["boost"] == 4


def test_home_has_the_board_the_streak_board_and_avatars(site: Path) -> None:
    home = page(site, ".")
    start = home.index('class="daylog-grass daylog-board"')
    board = home[start : home.index("</svg>", start)]
    assert re.findall(r'<text class="who"[^>]*>([^<]*)</text>', board) == ["팀", "민지", "서현", "지우", "하윤", "도겸"]
    assert board.count("<title>2026-11-05 (목)") == 6
    assert "daylog-streaks" in home and home.count('class="daylog-avatar"') >= 5
    assert 'daylog-today daylog-today--done">씀' in home


def test_member_page_has_month_calendars_linking_entries(site: Path) -> None:
    minji = page(site, "minji")
    assert 'id="daylog-calendar"' in minji
    assert re.search(r'<span class="entry" title="Day4"><a href="2026-11-05/">5</a></span>', minji)
    assert '<span class="holiday" title="휴일">19</span>' in minji  # the sample's 수능 holiday


def test_empty_template_sections_are_not_bare_headings(site: Path) -> None:
    entries = sorted(site.glob("*/2026-*/index.html"))
    assert entries
    bare = []
    for path in entries:
        text = path.read_text(encoding="utf-8")
        body = text[text.index('<article class="md-content__inner md-typeset">') : text.index("</article>")]
        for m in re.finditer(r"<h([2-6]) id=\"[^\"]*\">(.*?)</h\1>\s*(?=<h([2-6])|<hr|<nav|$)", body, re.S):
            nxt = m.group(3)
            if nxt is None or int(nxt) <= int(m.group(1)):
                bare.append((path.parent.name, re.sub(r"<[^>]+>", "", m.group(2))))
    assert bare == []


def test_init_turns_the_palette_toggle_on() -> None:
    from daylog.site.source import builtin_template  # noqa: F401  (the site extra is importable)

    text = (REPO / "daylog" / "workspace" / "templates" / "mkdocs.yml.j2").read_text(encoding="utf-8")
    assert "scheme: slate" in text and "scheme: default" in text and "toggle:" in text


def test_aggregate_pages_are_split_and_every_item_is_on_one_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """#16 item 4: a listing longer than a page has its items on `name/k.md`, each ending in a
    pager, and `name.md` lists those pages under the team-wide figures (#17: only it states
    them); an entry links an issue on the page that holds it."""
    from daylog.site import paging
    from daylog.site.pages import issue_anchor
    from daylog.site.source import site_pages
    from daylog.workspace.files import Workspace

    monkeypatch.setenv("DAYLOG_NOW", NOW)
    monkeypatch.setattr(paging, "PER_PAGE", {"followups": 5, "tasks": 4, "questions": 20, "issues": 3})
    site = site_pages(Workspace.find(REPO))
    model, pages = site.model, site.pages
    landing = pages["questions.md"]
    chunks = re.findall(r"\]\((questions/[0-9a-f-]+\.md)\)", landing)  # the landing page lists them in order
    assert len(chunks) > 2 and sorted(chunks) == sorted(p for p in pages if p.startswith("questions/"))
    assert f"질문 **{len(model.questions)}개**" in landing and "| 팀원 | 질문 | 답변 |" in landing
    assert f"- [1쪽]({chunks[0]}): 1주차" in landing and f"[{len(chunks)}쪽]({chunks[-1]})" in landing
    assert "daylog-q-unanswered" not in landing and "daylog-q-answered" not in landing  # items: chunk pages
    newest = model.questions[-1]
    assert landing.index("## 최근 질문") < landing.index(newest.text) < landing.index("## 페이지")
    second = pages[chunks[1]]
    name = lambda p: p.split("/")[1]  # noqa: E731
    assert f"[목록](../questions.md) · [← 이전]({name(chunks[0])}) · [다음 →]({name(chunks[2])})" in second
    assert "질문 **" not in second and "| 팀원 |" not in second and "전체" not in second
    shown = "".join(pages[p] for p in chunks)
    assert all(shown.count(q.page.rsplit("/", 1)[-1]) >= 1 for q in model.questions)
    assert all(pages[p].count("\n- ") <= 20 for p in chunks)  # no page holds more than its size
    issue_chunks = re.findall(r"\]\((issues/[0-9a-f-]+\.md)\)", pages["issues.md"])
    issue = next(i for i in model.issues if f"{{ #{issue_anchor(i.key)} }}" in pages[issue_chunks[1]])
    anchor = issue_anchor(issue.key)
    assert f"#{anchor} " not in pages["issues.md"] and f"#{anchor} " not in pages[issue_chunks[0]]
    entry = pages[issue.mentions[0].page]
    assert f"../{issue_chunks[1]}#{anchor}" in entry
    followups = [p for p in pages if p.startswith("followups/")]
    assert len(followups) >= -(-len(model.followups) // 5)
    shown = "".join(pages[p] for p in followups)
    assert all(f"`{f.id}`" in shown for f in model.open_followups)
    assert f"열린 follow-up **{len(model.open_followups)}개**" in pages["followups.md"]
    recent = pages["followups.md"].split("## 최근 열린 follow-up")[1].split("## 페이지")[0]
    assert recent.count("\n- ") == 10 and model.open_followups[-1].topic in recent
    assert "`" not in pages["followups.md"].split("## 페이지")[1].split("\n- ")[0]  # no items on the landing page


def test_a_team_listing_template_without_landing_pages_gets_the_built_in_landing_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A team's own follow-ups template written before landing pages (it does not read
    `landing`) renders the chunk pages; the landing page is daylog's, so no item is on two pages."""
    from daylog.site import paging
    from daylog.site.source import site_pages
    from daylog.workspace.files import Workspace

    copy_sample(tmp_path, ("mkdocs.yml", "templates", "logs", ".daylog"))
    own = tmp_path / "templates" / "site" / "followups.md.j2"
    own.parent.mkdir(parents=True, exist_ok=True)
    items = "{% for f in model.followups %}\n- {{ f.topic }} `{{ f.id }}`\n{% endfor %}\n"
    own.write_text("# 우리 팀 follow-up\n\n" + items, "utf-8")
    monkeypatch.setenv("DAYLOG_NOW", NOW)
    monkeypatch.setattr(paging, "PER_PAGE", {"followups": 6, "tasks": 500, "questions": 300, "issues": 120})
    site = site_pages(Workspace.find(tmp_path))
    pages, model = site.pages, site.model
    chunks = [p for p in pages if p.startswith("followups/")]
    assert len(chunks) > 2 and all(pages[p].startswith("# 우리 팀 follow-up") for p in chunks)
    landing = pages["followups.md"]
    assert "우리 팀" not in landing and f"열린 follow-up **{len(model.open_followups)}개**" in landing
    for f in model.followups:
        assert sum(pages[p].count(f"`{f.id}`") for p in [*chunks, "followups.md"]) == 1, f.id


def test_a_listing_that_fits_one_page_has_no_landing_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """A listing that fits one page: items and figures together, no pager."""
    from daylog.site import paging
    from daylog.site.source import site_pages
    from daylog.workspace.files import Workspace

    monkeypatch.setattr(paging, "PER_PAGE", {"followups": 1000, "tasks": 1000, "questions": 1000, "issues": 1000})
    pages = site_pages(Workspace.find(REPO)).pages
    for name in ("followups", "tasks", "questions", "issues"):
        assert not any(p.startswith(f"{name}/") for p in pages)
        assert "daylog-pager" not in pages[f"{name}.md"] and "## 페이지" not in pages[f"{name}.md"]
    assert "| 팀원 | 질문 | 답변 |" in pages["questions.md"] and "답변 없음" in pages["questions.md"]


def test_a_members_page_shows_the_newest_and_links_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    """A member's page stays small: the newest entries and open follow-ups, with links to the
    archive and to the follow-ups page where the member's open ones begin (#17)."""
    from daylog.site import paging
    from daylog.site.source import site_pages
    from daylog.workspace.files import Workspace

    monkeypatch.setenv("DAYLOG_NOW", NOW)
    monkeypatch.setattr(paging, "PERSON_NEWEST", 3)
    monkeypatch.setattr(paging, "PER_PAGE", {"followups": 4, "tasks": 500, "questions": 300, "issues": 120})
    site = site_pages(Workspace.find(REPO))
    model, pages = site.model, site.pages
    member = max(model.members, key=lambda m: sum(f.author == m.id for f in model.open_followups))
    opened = [f for f in model.open_followups if f.author == member.id]
    assert len(opened) > 3 and len(member.entries) > 3
    page = pages[f"{member.id}/index.md"]
    assert f"## 기록 ({len(member.entries)})" in page
    assert "최근 3편 · 모두 보기: [주차별 모든 기록](archive.md)" in page
    newest = [e.page.rsplit("/", 1)[1] for e in member.entries[::-1]]
    listed = page.split("## 기록")[1].split("## 열린")[0]
    assert all(f"]({p})" in listed for p in newest[:3]) and f"]({newest[3]})" not in listed
    assert f"## 열린 follow-up ({len(opened)})" in page
    assert f"최근 3개 · 모두 보기: [Follow-ups](../followups.md), `daylog followups --author {member.id}`" in page
    assert [f.id for f in opened[::-1][:3]] == [f.id for f in opened if f"`{f.id}`" in page][::-1]
    archive = pages[f"{member.id}/archive.md"]
    assert all(f"]({p})" in archive for p in newest)


def test_no_page_carries_an_inline_event_handler(site: Path) -> None:
    """The avatars (GitHub pictures over initials) need no `onerror=`: no page of the sample has one (#12)."""
    pages = sorted(site.rglob("*.html"))
    assert 'class="daylog-avatar"' in (site / "index.html").read_text(encoding="utf-8")
    offenders = [p.relative_to(site).as_posix() for p in pages if re.search(r"\son\w+=", p.read_text("utf-8"))]
    assert offenders == []


def test_an_issue_keeps_its_place_when_others_come_or_go(monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries link an issue on the page that holds it: pages are ranges of numbers (#1–#3, #4–#6
    here), so removing or adding other issues never moves it (#17: no entry page renders again)."""
    from dataclasses import replace

    from daylog.site import paging
    from daylog.site.pages import issue_pages
    from daylog.site.source import site_pages
    from daylog.workspace.files import Workspace

    monkeypatch.setenv("DAYLOG_NOW", NOW)
    monkeypatch.setattr(paging, "PER_PAGE", {"followups": 200, "tasks": 250, "questions": 200, "issues": 3})
    model = site_pages(Workspace.find(REPO)).model
    places = issue_pages(model)
    assert len(set(p.split("#")[0] for p in places.values())) > 2
    for gone in (model.issues[0], model.issues[len(model.issues) // 2]):
        fewer = issue_pages(replace(model, issues=tuple(i for i in model.issues if i is not gone)))
        assert {k: v for k, v in places.items() if k != gone.key} == fewer
    by_page: dict[str, set[tuple[str, int]]] = {}
    for issue in model.issues:
        by_page.setdefault(places[issue.key].split("#")[0], set()).add((issue.repo, (issue.number - 1) // 3))
    assert all(len(ranges) == 1 for ranges in by_page.values())
