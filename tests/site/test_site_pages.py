"""The site's pure parts: the model, Markdown helpers, page rendering, search augmentation, export."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from daylog.cli.app import app
from daylog.site import search_ko
from daylog.site.model import (
    ParsedEntry,
    SiteModel,
    SourceEntry,
    build,
    demote_headings,
    parse_entries,
    python_markdown_lists,
)
from daylog.site.pages import TEMPLATE_NAMES, esc, rebase_links, relative, render
from daylog.site.source import builtin_template
from daylog.workspace.settings import Settings
from daylog.workspace.settings_reader import parse_settings

SETTINGS = """\
plugins:
  - daylog:
      course: 부스트캠프
      start_date: 2021-01-18
      issue_repo: team/peer-session
      private_sections: [remark]
      members:
        - {id: mj, name: 엠제이}
        - {id: sally, name: 샐리, aliases: [Sally]}
"""

TEXT = """\
---
title: "[부스트캠프 / Day1] Today"
date: 2021-01-18 22:00:00 +0900
author: mj
tags: [today]
---

## 피어세션 정리

- `Sally`: 질문 하나 #5
  - `엠제이`: 답 하나

### 더 정리할 것

- [ ] 열린 주제: 메모
- [x] 닫힌 주제 ✅ 2021-01-19

## 과제 진행 상황

- [ ] 과제 A

## TIL

- 배운 것

## 오늘의 한마디

- 비밀 #9 [x](https://github.com/team/peer-session/issues/10)
"""


def cli_data(settings: Settings, parsed: list[ParsedEntry]) -> dict[str, Any]:
    """What the CLI's listings make of these entries, through the same views and pure functions
    (`daylog streak`, `questions`, `issues`) but without a workspace on disk."""
    from daylog.issues.index import build_index, refs_view
    from daylog.questions.ledger import EntryQuestions, NameMap, records_from_rows
    from daylog.questions.service import QUESTIONS_VIEW
    from daylog.streaks.activity import Activity, entry_days, written
    from daylog.workspace.files import EntryFile

    rows, q_rows, ref_rows = [], [], []
    refs = refs_view(settings.issue_repo)
    for p in parsed:
        f = EntryFile(p.source.rel, p.source.rel, p.source.member, p.source.date)
        wrote, keys = written(p.entry, p.source.text, frozenset())
        rows.append((p.source.member, p.source.date, wrote, keys))
        q_rows.append(EntryQuestions(f.rel, f.member, p.source.date, QUESTIONS_VIEW.extract(f, p.entry, p.source.text)))
        ref_rows.append((f.rel, f.member, p.source.date, refs.extract(f, p.entry, p.source.text)))
    cal = settings.calendar
    return {
        "activity": Activity(entry_days(rows), (), ()),
        "questions": records_from_rows(q_rows, cal, NameMap(settings.members)),
        "index": build_index(ref_rows, {}, cal, issue_repo=settings.issue_repo),
    }


def model(
    text: str = TEXT, today: date = date(2021, 1, 22), *more: SourceEntry, settings_text: str = SETTINGS
) -> SiteModel:
    """The model of mj's entry (plus `more`), fed what the CLI's listings make of them."""
    settings = parse_settings(settings_text)
    sources = [SourceEntry("mj", date(2021, 1, 18), "logs/mj/2021-01-18.md", text), *more]
    parsed = parse_entries(settings, sources)
    return build(settings, parsed, today=today, **cli_data(settings, parsed))


def test_private_sections_are_blanked_before_anything_is_read() -> None:
    """The remark section's text, its issue links and its lines are in no part of the model."""
    m = model()
    (entry,) = m.entries
    assert "비밀" not in entry.body and "오늘의 한마디" not in entry.body
    assert [i.number for i in m.issues] == [5]  # #9 and issue 10 sit in the private section
    assert entry.til.strip() == "- 배운 것"


def test_model_questions_followups_tasks_and_streaks() -> None:
    """Names map to member ids (aliases too); follow-ups keep their ids and status; activity makes streaks."""
    m = model()
    (q,) = m.questions
    assert q.askers == ("sally",) and q.answers[0].answerer == "mj" and q.week == 1
    assert [(f.topic, f.status.value) for f in m.followups] == [("열린 주제", "open"), ("닫힌 주제", "resolved")]
    assert [t.text for t in m.tasks] == ["과제 A"]
    mj = m.member("mj")
    assert mj is not None and mj.asked == 0 and mj.answered == 1 and mj.streak.longest == 1
    assert m.member("sally").asked == 1  # type: ignore[union-attr]


SALLY = """\
## 피어세션 정리

- `Sally`: 질문  하나 #5
  - `엠제이`: 답 하나
  - `히스`: 다른 답
"""


def test_a_question_two_members_wrote_up_is_shown_once() -> None:
    """mj and sally both recorded sally's question: one view linking both entries, every answer once,
    asked and answered counted once, and each entry still counts its own question."""
    m = model(TEXT, date(2021, 1, 22), SourceEntry("sally", date(2021, 1, 18), "logs/sally/2021-01-18.md", SALLY))
    (q,) = m.questions
    assert [(r.member, r.page) for r in q.recorded] == [("mj", "mj/2021-01-18.md"), ("sally", "sally/2021-01-18.md")]
    assert [(a.answerer, a.text) for a in q.answers] == [("mj", "답 하나"), ("히스", "다른 답")]
    assert (q.member, q.page, q.line) == ("mj", "mj/2021-01-18.md", 10)
    assert m.member("sally").asked == 1 and m.member("mj").answered == 1  # type: ignore[union-attr]
    assert [e.questions for e in m.entries] == [1, 1]
    assert m.weeks[0].questions == (q,)


def test_a_private_peer_section_keeps_the_ledger_off_the_pages() -> None:
    """With the peer section private, the ledger's questions, answers and issue mentions there are dropped."""
    private = SETTINGS.replace("private_sections: [remark]", "private_sections: [peer, remark]")
    m = model(settings_text=private)
    assert m.questions == () and m.issues == ()
    assert [(x.asked, x.answered) for x in m.members] == [(0, 0), (0, 0)]
    assert m.entries[0].questions == 0 and m.entries[0].issues == ()


def test_streaks_follow_daylog_streak() -> None:
    """Member figures, grass days and the team line come from `activity` with `daylog streak`'s rule
    (calendar mode: a day without activity ends a streak)."""
    from daylog.issues.index import build_index
    from daylog.streaks.activity import Activity

    settings = parse_settings(SETTINGS)
    parsed = parse_entries(settings, [SourceEntry("mj", date(2021, 1, 18), "logs/mj/2021-01-18.md", TEXT)])
    days = {
        "mj": {date(2021, 1, 15): 2, date(2021, 1, 18): 1, date(2021, 1, 19): 1, date(2021, 1, 30): 1},
        "sally": {date(2021, 1, 19): 3},
    }
    cal = settings.calendar
    m = build(
        settings, parsed, today=date(2021, 1, 20), activity=Activity(days, (), ()), questions=[],
        index=build_index([], {}, cal),
    )  # fmt: skip
    mj, sally = m.members
    assert (mj.streak.current, mj.streak.longest, mj.streak.active_days) == (2, 2, 3)
    assert dict(mj.days) == {date(2021, 1, 15): 2, date(2021, 1, 18): 1, date(2021, 1, 19): 1}  # not the future
    assert (sally.streak.current, sally.streak.longest, sally.streak.current_since) == (1, 1, date(2021, 1, 19))
    assert dict(m.team_days) == {date(2021, 1, 15): 2, date(2021, 1, 18): 1, date(2021, 1, 19): 4}
    assert (m.team.streak.current, dict(m.team.days)) == (1, {date(2021, 1, 19): 4})
    assert m.mode.value == "calendar" and m.team.source.value == "both"


def test_esc_makes_untrusted_text_inert() -> None:
    """Every ASCII punctuation mark becomes a character reference; Hangul and letters stay."""
    out = esc("<b>제목</b> **x** [a](b) #7 $y$ :smile: |\n둘째 줄")
    assert "<" not in out and "*" not in out and "[" not in out and "#7" not in out and "$" not in out
    assert "\n" not in out and "제목" in out and "둘째 줄" in out
    import markdown

    html = markdown.markdown(out)
    assert "<b>" not in html and "<strong>" not in html and "<a" not in html and "&#60;b&#62;제목" in html


def test_lists_are_reindented_for_python_markdown() -> None:
    """GitHub's two-space nesting becomes four spaces per level; a list after a paragraph gets a blank line."""
    src = "문단\n- a\n  - b\n    - c\n- d\n\n```\n  - 코드\n```\n2026. 11월은 목록이 아님\n"
    out = python_markdown_lists(src)
    assert out.startswith("문단\n\n- a\n    - b\n        - c\n- d\n")
    assert "```\n  - 코드\n```" in out
    assert "2026. 11월은 목록이 아님" in out


def test_continuation_lines_follow_their_list_item() -> None:
    """A line indented to an item's text stays in that item, re-indented with it; a paragraph at the
    margin after a blank line ends the list, so an indented item after it starts a new one."""
    assert (
        python_markdown_lists("- a\n  계속\n  - b\n    b의 둘째 줄\n")
        == "- a\n    계속\n    - b\n        b의 둘째 줄\n"
    )
    assert python_markdown_lists("- a\n\n문단\n  - 들여쓴 줄\n") == "- a\n\n문단\n\n- 들여쓴 줄\n"


def test_weeks_before_the_start_and_weeks_to_come() -> None:
    """Week 0 runs from its first entry's Monday to the day before the start; a week that has not begun
    shows no streaks; an entry that opens with `# title` has it as its heading, not in its body."""
    early = SourceEntry("sally", date(2021, 1, 15), "logs/sally/2021-01-15.md", "# 사전 학습\n\n- 준비\n")
    later = SourceEntry("sally", date(2021, 1, 26), "logs/sally/2021-01-26.md", "- 다음 주\n")
    m = model(TEXT, date(2021, 1, 18), early, later)
    assert [(w.number, w.monday, w.sunday) for w in m.weeks] == [
        (0, date(2021, 1, 11), date(2021, 1, 17)),
        (1, date(2021, 1, 18), date(2021, 1, 24)),
        (2, date(2021, 1, 25), date(2021, 1, 31)),
    ]
    assert [e.page for e in m.weeks[0].entries] == ["sally/2021-01-15.md"]
    assert m.weeks[1].streaks == (("mj", 0, 1), ("sally", 0, 0))
    assert m.weeks[2].streaks == ()
    first = m.entries_on(date(2021, 1, 15))[0]
    assert (first.heading, first.body) == ("# 사전 학습", "- 준비\n")


def test_demote_and_rebase_for_embedding() -> None:
    """An embedded TIL's headings go below the page's, and its relative links still point at their targets."""
    assert demote_headings("## 제목\n```\n# 주석\n```\n") == "#### 제목\n```\n# 주석\n```\n"
    md = "![그림](img/a.png) [어제](2021-01-17.md) [절](#til) [밖](https://x.org) `[코드](y.md)`"
    out = rebase_links(md, "mj/2021-01-18.md", "weeks/1.md")
    assert "](../mj/img/a.png)" in out and "](../mj/2021-01-17.md)" in out
    assert "](../mj/2021-01-18.md#til)" in out and "](https://x.org)" in out and "`[코드](y.md)`" in out
    assert relative("index.md", "mj/2021-01-18.md") == "mj/2021-01-18.md"
    assert relative("mj/2021-01-18.md", "weeks/1.md#x") == "../weeks/1.md#x"


def test_render_gives_every_page_with_relative_links() -> None:
    """One model renders home, ledgers, people, weeks and the entry, linked by relative .md paths."""
    templates = {n: builtin_template(n) for n in TEMPLATE_NAMES}
    pages = render(model(), templates, issue_repo="team/peer-session")
    assert set(pages) >= {
        "index.md", "followups.md", "tasks.md", "questions.md", "issues.md", "people/index.md",
        "mj/index.md", "sally/index.md", "weeks/index.md", "weeks/1.md", "mj/2021-01-18.md",
    }  # fmt: skip
    assert "tags.md" not in pages
    entry = pages["mj/2021-01-18.md"]
    assert entry.startswith('---\ntitle: "엠제이 · Day1 · 2021-01-18"\nsearch:\n  boost: 4\ntags:\n  - "today"\n---')
    assert "\n# 엠제이 · Day1 · 2021-01-18\n" in entry and "[부스트캠프 / Day1] Today" in entry
    assert "[엠제이](index.md) · 2021-01-18 (월) · **Day1** · [1주차](../weeks/1.md)" in entry
    assert "[\\#5](https://github.com/team/peer-session/issues/5)" in entry
    assert "](mj/2021-01-18.md)" in pages["followups.md"]


def test_search_augmentation_adds_the_ko_field() -> None:
    """Documents with Hangul get the analyser's nouns and roots once each; the field is registered."""
    index = {
        "config": {"fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}},
        "docs": [
            {"location": "a/", "title": "전문검색", "text": "<p>형태소분석기를</p>"},
            {"location": "b/", "title": "English", "text": "only"},
        ],
    }

    def analyze(texts):  # type: ignore[no-untyped-def]
        assert texts == ["전문검색", "형태소분석기를"]  # each Hangul word once
        yield [("전문", "NNG"), ("검색", "NNG")]
        yield [("형태소", "NNG"), ("분석기", "NNG"), ("를", "JKO")]

    assert search_ko.augment(index, analyze) == 1
    assert index["docs"][0]["ko"] == "전문 검색 형태소 태소 분석기 석기"  # tails of 3+ syllable nouns too
    assert "ko" not in index["docs"][1]
    assert index["config"]["fields"]["ko"] == {"boost": 0.5}


def test_kiwi_splits_compounds() -> None:
    """The real analyser finds the compound heads Material's prefix search misses."""
    pytest.importorskip("kiwipiepy")
    (morphemes,) = list(search_ko.kiwi_analyzer()(["전문검색은 형태소분석기를 쓴다"]))
    words = search_ko.terms(morphemes)
    assert {"전문", "검색", "형태소", "분석기"} <= set(words)


def test_search_switch() -> None:
    """DAYLOG_SEARCH_KO=0 turns the augmentation off."""
    import os

    old = os.environ.get("DAYLOG_SEARCH_KO")
    try:
        os.environ["DAYLOG_SEARCH_KO"] = "0"
        assert not search_ko.enabled()
        os.environ["DAYLOG_SEARCH_KO"] = "1"
        assert search_ko.enabled()
    finally:
        if old is None:
            os.environ.pop("DAYLOG_SEARCH_KO", None)
        else:
            os.environ["DAYLOG_SEARCH_KO"] = old


# --- daylog site export ------------------------------------------------------------------


def _ws_with_entry(make_ws: Callable[..., Path]) -> Path:
    root = make_ws()
    (root / "logs" / "mj").mkdir(parents=True)
    (root / "logs" / "mj" / "2021-01-18.md").write_text(TEXT, encoding="utf-8")
    return root


def test_site_export_writes_replaces_and_refuses(
    runner: CliRunner, make_ws: Callable[..., Path], tmp_path: Path
) -> None:
    """Export writes the pages and a manifest; a re-export removes stale pages; a foreign folder is refused."""
    root = _ws_with_entry(make_ws)
    out = tmp_path / "out"
    env = {"DAYLOG_NOW": "2021-01-22T22:00:00+09:00"}
    r = runner.invoke(app, ["-w", str(root), "site", "export", str(out), "--json"], env=env)
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert set(data) == {"dir", "pages", "assets", "media", "removed", "files"}
    assert "mj/2021-01-18.md" in data["files"] and (out / "mj" / "2021-01-18.md").is_file()
    assert (out / ".daylog-export").is_file()
    (root / "logs" / "mj" / "2021-01-18.md").rename(root / "logs" / "mj" / "2021-01-19.md")
    r = runner.invoke(app, ["-w", str(root), "site", "export", str(out), "--json"], env=env)
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["removed"] == ["mj/2021-01-18.md"] and not (out / "mj" / "2021-01-18.md").exists()
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "note.md").write_text("내 글\n", encoding="utf-8")
    r = runner.invoke(app, ["-w", str(root), "site", "export", str(foreign)], env=env)
    assert r.exit_code == 1 and "holds no earlier daylog export" in r.stderr
    assert sorted(p.name for p in foreign.iterdir()) == ["note.md"]
    r = runner.invoke(app, ["-w", str(root), "site", "export", str(root / "logs")], env=env)
    assert r.exit_code == 1 and "refusing to export into the workspace root or the logs folder" in r.stderr


def test_site_export_copies_images_but_never_over_a_foreign_file(
    runner: CliRunner, make_ws: Callable[..., Path], tmp_path: Path
) -> None:
    """Images beside the entries are copied to the same place; one whose path holds a file daylog did
    not write is skipped and not listed, and the file is left as it was."""
    root = _ws_with_entry(make_ws)
    (root / "logs" / "mj" / "img").mkdir()
    (root / "logs" / "mj" / "img" / "그림.png").write_bytes(b"png-1")
    out = tmp_path / "out"
    env = {"DAYLOG_NOW": "2021-01-22T22:00:00+09:00"}
    r = runner.invoke(app, ["-w", str(root), "site", "export", str(out), "--json"], env=env)
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["media"] == 1 and (out / "mj" / "img" / "그림.png").read_bytes() == b"png-1"
    (root / "logs" / "mj" / "img" / "새 그림.png").write_bytes(b"png-2")
    (out / "mj" / "img" / "새 그림.png").write_bytes(b"mine")
    r = runner.invoke(app, ["-w", str(root), "site", "export", str(out), "--json"], env=env)
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["media"] == 1 and "mj/img/새 그림.png" not in data["files"] and "mj/img/그림.png" in data["files"]
    assert (out / "mj" / "img" / "새 그림.png").read_bytes() == b"mine"


def test_init_writes_the_pages_workflow(runner: CliRunner, tmp_path: Path) -> None:
    """init writes docs/.gitkeep and a workflow that checks, builds with full history and deploys Pages."""
    r = runner.invoke(app, ["init", str(tmp_path / "w"), "--course", "c", "--start-date", "2021-01-18"])
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "w" / "docs" / ".gitkeep").is_file()
    wf = (tmp_path / "w" / ".github" / "workflows" / "daylog.yml").read_text(encoding="utf-8")
    for needle in ("fetch-depth: 0", "run: daylog check", "mkdocs build --strict", "upload-pages-artifact",
                   "deploy-pages", "pages: write"):  # fmt: skip
        assert needle in wf
    import yaml

    assert set(yaml.safe_load(wf)["jobs"]) == {"build", "deploy"}


def test_issue_numbers_glued_to_korean_are_linked() -> None:
    """`#53에서` becomes a link (the index counts it), but not in code, and not without issue_repo."""
    from daylog.site.model import link_glued_refs

    text = "#53에서 정리함, (#54) 그대로, `#55에서` 코드, 이슈#56를 봄, C#7은 아님"
    out = link_glued_refs(text, "team/peer")
    assert out.startswith("[#53](https://github.com/team/peer/issues/53)에서 정리함")
    assert "(#54)" in out and "`#55에서`" in out
    assert "이슈[#56](https://github.com/team/peer/issues/56)를" in out and "C#7은" in out
    assert link_glued_refs(text, None) == text


def test_a_line_that_ends_in_a_block_tag_keeps_its_line_break() -> None:
    """#13: `trim_blocks` eats the line break after a block tag, so a line of text that ends in one
    joins the next line (the next list item) unless the tag says `+%}`."""
    import re

    bad = []
    for name in TEMPLATE_NAMES:
        for n, line in enumerate(builtin_template(name).splitlines(), 1):
            last = line.rfind("{%")
            if line.endswith("%}") and not line.endswith("+%}") and re.sub(r"\{%.*?%\}", "", line[:last]).strip():
                bad.append(f"{name}:{n}: {line}")
    assert bad == []


def test_templates_escape_what_they_print() -> None:
    """#12: a template prints any string as inert text unless it is `Markup` (the filters' Markdown, an
    entry's body on its own page); workspace templates get the same, and `| safe` still opts out."""
    hostile = SETTINGS.replace("course: 부스트캠프", "course: '<script>alert(1)</script>'")
    body = TEXT.replace("- 배운 것", "- 배운 것 <b>굵게</b>")
    templates = {n: builtin_template(n) for n in TEMPLATE_NAMES}
    templates["home.md.j2"] = "{{ model.course }} {{ model.course | safe }} {{ model.entries[0].body }}"
    templates["weeks.md.j2"] = "{% for w in model.weeks %}{{ w.entries[0].til }}{% endfor %}"
    pages = render(model(body, settings_text=hostile), templates)
    home = pages["index.md"]
    assert home.startswith("&#60;script&#62;alert(1)&#60;/script&#62; <script>alert(1)</script> ")
    assert "- 배운 것 <b>굵게</b>" in home  # the entry's own Markdown, as written
    assert pages["weeks/index.md"] == "- 배운 것 &#60;b>굵게&#60;/b>"  # lifted onto a page of its own
    assert pages["mj/2021-01-18.md"].count("<b>굵게</b>") == 1
