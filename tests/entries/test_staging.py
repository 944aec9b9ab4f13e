"""What `daylog commit` stages and refuses (#15 item 5), decided on paths and text alone."""

from __future__ import annotations

from daylog.entries.staging import (
    commit_message,
    conflict_line,
    html_sources,
    off_day,
    others_staged,
    referenced_files,
    staged_refusal,
)


def test_only_local_files_under_the_members_folder_are_referenced() -> None:
    """Web links, anchors, absolute paths, other members' files and the entry itself are left out."""
    urls = [
        "img/a.png",
        "./img/a.png#top",
        "img/%EA%B7%B8%EB%9E%98%ED%94%84.png?raw=1",
        "https://example.com/x.png",
        "mailto:a@b.c",
        "#section",
        "/etc/passwd",
        "../sally/2021-02-03.md",
        "../../mkdocs.yml",
        "2021-02-03.md",
        "notes/../data.csv",
    ]
    assert referenced_files(urls, "logs/mj/2021-02-03.md", "logs/mj") == (
        "logs/mj/img/a.png",
        "logs/mj/img/그래프.png",
        "logs/mj/data.csv",
    )


def test_img_tags_and_conflict_markers() -> None:
    """`<img src>` in either quoting is a reference; a marker is found on its line, `=======` alone is not one."""
    assert html_sources('<img width="300" src="img/a.png"> <IMG src=\'b.gif\'>') == ["img/a.png", "b.gif"]
    assert conflict_line("제목\n=======\n") is None
    assert conflict_line("a\nb\n<<<<<<< HEAD\nc\n") == 3


def test_other_staged_paths_are_refused_by_name() -> None:
    """Staged paths that are not ours are listed (three, then a count) with the command to unstage them."""
    others = others_staged(["logs/mj/x.md", "b", "a", "c", "d"], ["logs/mj/x.md"])
    assert others == ("a", "b", "c", "d")
    assert staged_refusal(others) == (
        "other changes are staged (a, b, c and 1 more); commit them yourself or unstage them "
        "(`git restore --staged -- a`) first"
    )
    assert staged_refusal(()) is None


def test_the_message_keeps_the_first_line_of_the_title() -> None:
    """A title with a newline does not spill into the commit body."""
    fields = {"course": "c", "day": 3, "date": "2021-01-20", "author": "mj", "name": "엠제이", "week": 1}
    assert commit_message("[Day{day}] {name}: {title}", title="첫 줄\n둘째 줄", **fields) == "[Day3] 엠제이: 첫 줄"


def test_a_day_without_a_number_puts_the_date_in_the_message() -> None:
    """A weekend or a day after `end_date` has no Day N: `[Day{day}]` reads the date, never `[Day]`."""
    fields = {"course": "c", "day": "", "date": "2021-01-23", "author": "mj", "name": "엠제이", "week": 1}
    assert commit_message(off_day("[Day{day}] {name}: {title}"), title="주말", **fields) == "[2021-01-23] 엠제이: 주말"
    assert commit_message(off_day("{day}일차 {title}"), title="주말", **fields) == "2021-01-23일차 주말"
