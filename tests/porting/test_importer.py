"""`daylog import` and `daylog export jekyll`: dates from every clue, bodies kept, nothing overwritten."""

from __future__ import annotations

import json
import time
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import CORPUS
from typer.testing import CliRunner

from daylog.cli.app import app
from daylog.porting.jekyll import slug

POSTS = {
    # Chirpy, the year typo of bsm8734, the date also in the file name.
    "_posts/2021-02-03-bc-d013-today.md": (
        '---\ntitle: "[부스트캠프 AI Tech / Day13] Today"\ndate: 2020-02-03 22:31:00 +0900\n'
        "categories: [네이버 부스트캠프 AI Tech, Today] # Python\ntags: [today]\n---\n\n\n"
        "## **피어세션 정리**\n\n- `엠제이`: colab 연결 이슈\n- `샐리` & `후미`: ResNet 이해?\n"
        "  - [링크](https://github.com/team/peer-session/issues/53)\n\n"
        "## **과제 진행 상황**\n\n- 과제 현황\n  - [ ] CNN assignment\n"
    ),
    # `data:` typo and no date in the file name; Day14 in the title agrees.
    "_posts/day14.md": (
        '---\ntitle: "[부스트캠프 AI Tech / Day14] Today"\ndata: 2021-02-04 22:31:00 +0900\n---\n\n'
        "## 피어세션 정리\n- `펭귄` AdaDelta 수식\n  - https://github.com/team/peer-session/issues/55\n"
    ),
    # No front matter: dates only in file names of several spellings.
    "record/2021.02.05.md": "# augmentation 시각화\n\n- widgets 간의 연결 방법 ?\n",
    "diary/2021_02_08.md": "# 2021.02.08\n\n오늘 한 일\n",
    "Week3/0820-Level1-Day14.md": "# 부스트캠프 14일차\n\n## 오늘 일정 정리\n\n* 8/20 (금)\n  - [x] PyTorch\n",
    "10week/day12.md": "# BERT 학습\n\n## 왜 학습을 다시?\n\n본문\n",
    # Dated headings without a year.
    "회의록/0913.md": "## 09/13(월) 피어세션\n\n- 세부 일정 정리\n",
    "til/2021-07-16.md": "# 7.16\n\n- 하루 정리\n",
    "til/note-b.md": "# 7.17\n\n- 다음 날\n",
    # Week/day headings mapped through the course calendar.
    "peer meeting/Week 02/week2_3.md": "# Week2 - Day3  \n\n## Today Peersession\n\n1. hook 차이?\n",
    "blockquote-date.md": ">Date : 21.02.10\n\n# 오늘\n\n- 정리\n",
    # Front matter and file name agree on a date before the course: they beat the day number.
    "old/2020-01-06.md": '---\ntitle: "[다른 과정 / Day1] Today"\ndate: 2020-01-06 22:51:00 +0900\n---\n- 첫날\n',
}


def write_posts(root: Path, posts: dict[str, str | bytes]) -> Path:
    for rel, content in posts.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    return root


def run(runner: CliRunner, ws: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["-w", str(ws), *args], env={"DAYLOG_NOW": "2021-03-02T22:00:00+09:00"})


def import_json(runner: CliRunner, ws: Path, *args: str) -> tuple[int, list[dict[str, object]], str]:
    r = run(runner, ws, "import", *args, "--json")
    return r.exit_code, json.loads(r.stdout), r.stderr


def by_name(results: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    return {Path(str(r["source"])).as_posix().split("/posts/", 1)[-1]: r for r in results}


@pytest.fixture
def ws(make_ws: Callable[..., Path]) -> Path:
    return make_ws()


def test_dates_from_every_kind_of_clue(runner: CliRunner, ws: Path, tmp_path: Path) -> None:
    """Front matter, file names, dated headings (year inferred) and Week/Day numbers give the right dates."""
    src = write_posts(tmp_path / "posts", POSTS)
    code, results, _ = import_json(runner, ws, str(src), "--author", "mj")
    assert code == 0
    got = {k: (r["date"], r["date_source"], r["day"], r["status"]) for k, r in by_name(results).items()}
    assert got == {
        "_posts/2021-02-03-bc-d013-today.md": ("2021-02-03", "file name", 13, "imported"),
        "_posts/day14.md": ("2021-02-04", "front matter", 14, "imported"),
        "record/2021.02.05.md": ("2021-02-05", "file name", 15, "imported"),
        "diary/2021_02_08.md": ("2021-02-08", "file name", 16, "imported"),
        "Week3/0820-Level1-Day14.md": ("2021-08-20", "file name", 155, "imported"),
        "10week/day12.md": ("2021-02-02", "day number", 12, "imported"),
        "회의록/0913.md": ("2021-09-13", "heading", 171, "imported"),
        "til/2021-07-16.md": ("2021-07-16", "file name", 130, "imported"),
        "til/note-b.md": ("2021-07-17", "heading", None, "imported"),
        "peer meeting/Week 02/week2_3.md": ("2021-01-27", "day number", 8, "imported"),
        "blockquote-date.md": ("2021-02-10", "heading", 18, "imported"),
        "old/2020-01-06.md": ("2020-01-06", "front matter", None, "imported"),
    }
    first = by_name(results)["_posts/2021-02-03-bc-d013-today.md"]
    assert any("2020-02-03" in str(x) and "file name" in str(x) for x in first["reasons"])  # type: ignore[attr-defined]
    partial = by_name(results)["Week3/0820-Level1-Day14.md"]
    assert any("Day14 in the title" not in str(x) and "2021-02-04" in str(x) for x in partial["reasons"])  # type: ignore[attr-defined]
    assert any("weekday" in str(x) for x in by_name(results)["회의록/0913.md"]["reasons"])  # type: ignore[attr-defined]
    assert first["counts"] == {"questions": 2, "followups": 0, "tasks": 1, "issue_links": 1, "sections": 2}


def test_written_entry_keeps_body_and_normalises_front_matter(runner: CliRunner, ws: Path, tmp_path: Path) -> None:
    """Original keys and comments stay, `date` is corrected, `author`/`day` added, body byte for byte."""
    src = write_posts(tmp_path / "posts", {k: v for k, v in POSTS.items() if k.startswith("_posts/")})
    assert import_json(runner, ws, str(src), "--author", "mj")[0] == 0
    text = (ws / "logs" / "mj" / "2021-02-03.md").read_text(encoding="utf-8")
    original = POSTS["_posts/2021-02-03-bc-d013-today.md"]
    assert text.split("---\n", 2)[2] == original.split("---\n", 2)[2]
    assert "date: 2021-02-03 22:31:00 +0900\n" in text
    assert "categories: [네이버 부스트캠프 AI Tech, Today] # Python\n" in text
    assert "author: mj\nday: 13\n---\n" in text
    typo = (ws / "logs" / "mj" / "2021-02-04.md").read_text(encoding="utf-8")
    assert "data:" not in typo and "date: 2021-02-04 22:31:00 +0900" in typo
    r = run(runner, ws, "check")
    assert "error" not in r.stdout, r.stdout


def test_second_import_imports_nothing(runner: CliRunner, ws: Path, tmp_path: Path) -> None:
    """Running the same import twice writes nothing new and says so, exit 0."""
    src = write_posts(tmp_path / "posts", POSTS)
    import_json(runner, ws, str(src), "--author", "mj")
    before = {p: p.read_bytes() for p in (ws / "logs").rglob("*.md")}
    r = run(runner, ws, "import", str(src), "--author", "mj")
    assert r.exit_code == 0
    assert "nothing new to import" in r.stderr
    assert not [line for line in r.stdout.splitlines() if line.startswith("imported")]
    assert {p: p.read_bytes() for p in (ws / "logs").rglob("*.md")} == before


def test_merge_appends_same_day_posts_once(runner: CliRunner, ws: Path, tmp_path: Path) -> None:
    """`--merge` appends a second post of the day as a section; merging again adds nothing."""
    src = write_posts(
        tmp_path / "posts",
        {"a/2021-02-03-today.md": "## 피어세션\n- `샐리`: 질문?\n", "b/2021-02-03-peer.md": "추가 메모 본문\n"},
    )
    _, results, _ = import_json(runner, ws, str(src), "--author", "sally", "--merge")
    assert [r["status"] for r in results] == ["imported", "imported"]
    text = (ws / "logs" / "sally" / "2021-02-03.md").read_text(encoding="utf-8")
    assert text.endswith(
        "<!-- daylog import: merged from 2021-02-03-peer.md -->\n"
        "## [부스트캠프 AI Tech / Day13] Today\n\n추가 메모 본문\n"
    )
    _, again, _ = import_json(runner, ws, str(src), "--author", "sally", "--merge")
    assert [r["status"] for r in again] == ["skipped", "skipped"]
    assert (ws / "logs" / "sally" / "2021-02-03.md").read_text(encoding="utf-8") == text


def test_wrong_author_and_day_are_replaced_keeping_the_old_values(runner: CliRunner, ws: Path, tmp_path: Path) -> None:
    """`author` and `day` that disagree are rewritten in place with the old value as a comment, and said so."""
    post = "---\ntitle: 오늘\nauthor: 다른 사람\nday: 7  # 잘못 셈\n---\n- 본문\n"
    src = write_posts(tmp_path / "posts", {"2021-02-03.md": post})
    _, results, _ = import_json(runner, ws, str(src), "--author", "mj")
    text = (ws / "logs" / "mj" / "2021-02-03.md").read_text(encoding="utf-8")
    assert text == (
        "---\ntitle: 오늘\nauthor: mj  # was: 다른 사람\nday: 13  # was: 7\ndate: 2021-02-03\n---\n- 본문\n"
    )
    assert results[0]["reasons"] == [
        "front matter `author: 다른 사람` replaced by `mj` (the old value kept as a comment)",
        "front matter `day: 7` replaced by `13` (the old value kept as a comment)",
    ]


def test_dry_run_writes_nothing(runner: CliRunner, ws: Path, tmp_path: Path) -> None:
    """`--dry-run` reports what would be imported and leaves logs/ empty."""
    src = write_posts(tmp_path / "posts", {"2021-02-03.md": "# 오늘\n"})
    r = run(runner, ws, "import", str(src), "--author", "mj", "--dry-run")
    assert r.exit_code == 0 and "would import 1" in r.stderr
    assert not list((ws / "logs").rglob("*.md"))


def test_bad_input_never_stops_the_others(runner: CliRunner, ws: Path, tmp_path: Path) -> None:
    """CP949 and BOM files import (saying so); binary fails; empty and undated are skipped; exit 1."""
    src = write_posts(
        tmp_path / "posts",
        {
            "2021-02-01.md": "## 피어세션\n- `엠제이`: 인코딩 질문?\n".encode("cp949"),
            "2021-02-02.md": "\ufeff---\ntitle: BOM\n---\n## TIL\n- 내용\n".encode(),
            "2021-02-03.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "2021-02-04.md": b"  \n",
            "notes.md": "# 날짜 없는 글\n",
            "2021-02-05.md": "---\ntitle: [깨진\ndate: 2021-02-05\n---\n## TIL\n- 본문은 남는다\n",
        },
    )
    code, results, _ = import_json(runner, ws, str(src), "--author", "mj")
    assert code == 1
    got = {Path(str(r["source"])).name: (r["status"], " ".join(map(str, r["reasons"]))) for r in results}  # type: ignore[call-overload]
    assert got["2021-02-01.md"][0] == "imported" and "CP949" in got["2021-02-01.md"][1]
    assert got["2021-02-02.md"][0] == "imported" and "UTF-8-SIG" in got["2021-02-02.md"][1]
    assert got["2021-02-03.md"] == ("failed", "binary file, not text")
    assert got["2021-02-04.md"] == ("skipped", "empty file")
    assert got["notes.md"][0] == "skipped" and "no date found" in got["notes.md"][1]
    assert got["2021-02-05.md"][0] == "imported" and "does not parse (line 3:" in got["2021-02-05.md"][1]
    cp = (ws / "logs" / "mj" / "2021-02-01.md").read_text(encoding="utf-8")
    assert cp.endswith("## 피어세션\n- `엠제이`: 인코딩 질문?\n")
    broken = (ws / "logs" / "mj" / "2021-02-05.md").read_text(encoding="utf-8")
    assert "# title: [깨진" in broken and broken.endswith("## TIL\n- 본문은 남는다\n")
    assert run(runner, ws, "check", str(ws / "logs" / "mj" / "2021-02-05.md")).exit_code == 0


def test_crlf_nfd_and_no_final_newline_bodies_are_kept(runner: CliRunner, ws: Path, tmp_path: Path) -> None:
    """CRLF line ends, decomposed Hangul and a missing last newline survive import unchanged."""
    body = unicodedata.normalize("NFD", "## 피어세션 정리\r\n- 동현님: 질문?\r\n- 끝")
    src = write_posts(tmp_path / "posts", {"2021-02-03.md": "---\r\ntitle: x\r\n---\r\n" + body})
    import_json(runner, ws, str(src), "--author", "mj")
    text = (ws / "logs" / "mj" / "2021-02-03.md").read_bytes().decode("utf-8")
    assert text.endswith("---\r\n" + body)
    assert "\r\nauthor: mj\r\nday: 13\r\n" in text
    qs = json.loads(run(runner, ws, "questions", "--json").stdout)
    assert [q["askers"] for q in qs] == [["동현"]]


def test_unknown_author_and_missing_author_are_usage_errors(runner: CliRunner, ws: Path, tmp_path: Path) -> None:
    """`--author` must name a member: exit 2 with the member list."""
    r = run(runner, ws, "import", str(tmp_path), "--author", "nobody")
    assert r.exit_code == 2 and "mj, sally, heath" in r.stderr
    r = run(runner, ws, "import", str(tmp_path))
    assert r.exit_code == 2 and "--author is required" in r.stderr


# --- export ---------------------------------------------------------------------------------


ENTRY = """\
---
title: "[부스트캠프 AI Tech / Day13] Today"
date: 2021-02-03 22:31:00 +0900
author: mj
day: 13
categories: [부스트캠프 AI Tech, Today]
tags: [today]
---

## 피어세션 정리
- `샐리`: 질문?

## TIL (Today I Learned)
- $h(x) - x$ 잔차

## 오늘의 한마디
- 비밀 한마디
"""


def test_export_jekyll_writes_chirpy_posts_without_private_sections(
    runner: CliRunner, make_ws: Callable[..., Path], tmp_path: Path
) -> None:
    """Chirpy front matter with offset and `math: true`; private sections left out; re-export is unchanged."""
    ws = make_ws(extra="      private_sections: [remark]\n")
    (ws / "logs" / "mj").mkdir()
    (ws / "logs" / "mj" / "2021-02-03.md").write_text(ENTRY, encoding="utf-8")
    out = tmp_path / "blog"
    r = run(runner, ws, "export", "jekyll", str(out), "--author", "mj")
    assert r.exit_code == 0, r.stderr
    post = out / "_posts" / "2021-02-03-부스트캠프-ai-tech-day13-today.md"
    text = post.read_text(encoding="utf-8")
    assert text.startswith("---\n# exported by daylog from logs/mj/2021-02-03.md\n")
    assert 'title: "[부스트캠프 AI Tech / Day13] Today"\ndate: 2021-02-03 22:31:00 +0900\n' in text
    assert 'categories: ["부스트캠프 AI Tech", "Today"]\ntags: ["today"]\nauthor: "mj"\nmath: true\n' in text
    assert "비밀" not in text and "오늘의 한마디" not in text
    assert text.endswith("## TIL (Today I Learned)\n- $h(x) - x$ 잔차\n\n")
    r = run(runner, ws, "export", "jekyll", str(out), "--author", "mj", "--json")
    assert [x["status"] for x in json.loads(r.stdout)] == ["unchanged"]
    r = run(runner, ws, "export", "jekyll", str(out), "--since", "2021-02-04")
    assert json.loads(run(runner, ws, "export", "jekyll", str(out), "--since", "2021-02-04", "--json").stdout) == []
    assert r.exit_code == 0


def test_export_jekyll_rewrites_links_between_entries_and_keeps_author(
    runner: CliRunner, ws: Path, tmp_path: Path
) -> None:
    """The reminder list's `[…](2021-02-08.md)` works in Jekyll; a link it cannot map is named."""
    folder = ws / "logs" / "mj"
    folder.mkdir()
    (folder / "2021-02-05.md").write_text(ENTRY.replace("2021-02-03", "2021-02-05").replace("Day13", "Day15"), "utf-8")
    (ws / "logs" / "sally").mkdir()
    (ws / "logs" / "sally" / "2021-02-05.md").write_text("---\ntitle: 샐리의 날\nauthor: sally\n---\n\n본문\n", "utf-8")
    body = (
        "\n## 복습\n\n- [금요일](2021-02-05.md) 에 남긴 것\n- [샐리](../sally/2021-02-05.md#til \"제목\")\n"
        "- [없는 날](2021-01-01.md)\n- [밖](https://example.com/a.md)\n\n```\n[코드](2021-02-05.md)\n```\n"
    )
    (folder / "2021-02-08.md").write_text(ENTRY.replace("2021-02-03", "2021-02-08").replace("Day13", "Day16") + body,
                                          "utf-8")  # fmt: skip
    out = tmp_path / "blog"
    r = run(runner, ws, "export", "jekyll", str(out))
    assert r.exit_code == 0, r.stderr
    post = (out / "_posts" / "2021-02-08-부스트캠프-ai-tech-day16-today-mj.md").read_text(encoding="utf-8")
    assert "- [금요일]({% post_url 2021-02-05-부스트캠프-ai-tech-day15-today-mj %}) 에 남긴 것\n" in post
    assert '- [샐리]({% post_url 2021-02-05-샐리의-날-sally %}#til "제목")\n' in post
    assert "- [없는 날](2021-01-01.md)\n" in post and "(https://example.com/a.md)" in post
    assert "```\n[코드](2021-02-05.md)\n```" in post  # code is left alone
    assert 'author: "mj"\n' in post
    sally = (out / "_posts" / "2021-02-05-샐리의-날-sally.md").read_text(encoding="utf-8")
    assert 'author: "sally"\n' in sally
    assert "logs/mj/2021-02-08.md:" in r.stderr and "link to 2021-01-01.md left as written" in r.stderr
    assert r.stderr.count("left as written") == 1


def test_export_updates_the_posts_it_wrote(runner: CliRunner, ws: Path, tmp_path: Path) -> None:
    """An entry edited after an export: the post daylog wrote is updated in place."""
    entry = ws / "logs" / "mj" / "2021-02-03.md"
    entry.parent.mkdir()
    entry.write_text(ENTRY, encoding="utf-8")
    out = tmp_path / "blog"
    assert run(runner, ws, "export", "jekyll", str(out), "--author", "mj").exit_code == 0
    entry.write_text(ENTRY.replace("- `샐리`: 질문?", "- `샐리`: 고친 질문?"), encoding="utf-8")
    r = run(runner, ws, "export", "jekyll", str(out), "--author", "mj", "--json")
    assert [x["status"] for x in json.loads(r.stdout)] == ["updated"]
    post = out / "_posts" / "2021-02-03-부스트캠프-ai-tech-day13-today.md"
    assert "- `샐리`: 고친 질문?\n" in post.read_text(encoding="utf-8")


def test_export_leaves_foreign_files_alone(runner: CliRunner, ws: Path, tmp_path: Path) -> None:
    """A post not written by daylog is never replaced."""
    (ws / "logs" / "mj").mkdir()
    (ws / "logs" / "mj" / "2021-02-03.md").write_text(ENTRY, encoding="utf-8")
    target = tmp_path / "blog" / "_posts" / "2021-02-03-부스트캠프-ai-tech-day13-today.md"
    target.parent.mkdir(parents=True)
    target.write_text("내가 직접 쓴 글\n", encoding="utf-8")
    r = run(runner, ws, "export", "jekyll", str(tmp_path / "blog"), "--author", "mj", "--json")
    assert json.loads(r.stdout)[0]["status"] == "skipped"
    assert target.read_text(encoding="utf-8") == "내가 직접 쓴 글\n"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("[부스트캠프 AI Tech / Day13] Today", "부스트캠프-ai-tech-day13-today"),
        ("../../etc/passwd", "etc-passwd"),
        ("a/b\\c:d*e?", "a-b-c-d-e"),
        ("...", "entry"),
        (unicodedata.normalize("NFD", "챌린지 4일차"), "챌린지-4일차"),
    ],
)
def test_slugs_are_safe_file_names(title: str, expected: str) -> None:
    """Slugs keep Hangul and never contain separators or `..`."""
    assert slug(title) == expected


def test_round_trip_import_export_import(runner: CliRunner, make_ws: Callable[..., Path], tmp_path: Path) -> None:
    """Import → export jekyll → import into a fresh workspace reproduces the same entry bodies."""
    first = make_ws()
    src = write_posts(tmp_path / "posts", POSTS)
    import_json(runner, first, str(src), "--author", "mj")
    out = tmp_path / "blog"
    assert run(runner, first, "export", "jekyll", str(out), "--author", "mj").exit_code == 0
    second = tmp_path / "second"
    second.mkdir()
    for name in ("mkdocs.yml", "templates"):
        (second / name).symlink_to(first / name)
    (second / "logs").mkdir()
    code, results, _ = import_json(runner, second, str(out / "_posts"), "--author", "mj")
    assert code == 0 and {r["status"] for r in results} == {"imported"}

    def bodies(root: Path) -> dict[str, str]:
        return {
            p.name: p.read_text(encoding="utf-8").split("\n---\n", 1)[1] for p in (root / "logs" / "mj").glob("*.md")
        }

    assert bodies(second) == bodies(first) and len(bodies(first)) == 12


def test_progress_is_quiet_when_not_a_terminal(runner: CliRunner, ws: Path, tmp_path: Path) -> None:
    """Many posts import with only the summary on stderr when it is not a terminal."""
    src = write_posts(
        tmp_path / "posts", {f"2021-{m:02d}-{d:02d}.md": "- 메모\n" for m in (3, 4) for d in range(1, 29)}
    )
    r = run(runner, ws, "import", str(src), "--author", "heath")
    assert r.exit_code == 0
    assert r.stderr.strip() == "daylog: imported 56, skipped 0, failed 0"
    assert date(2021, 3, 1).isoformat() in r.stdout


# --- the real posts of ../shared/corpus ------------------------------------------------------

# Written down by reading each post (askers as member ids of the test team: mj 엠제이, sally 샐리,
# heath 히스; other nicknames as written). (status, date, day, questions' askers, follow-ups, tasks, issue links)
CORPUS_EXPECTED: dict[str, tuple[str, str | None, int | None, list[tuple[str, ...]], int, int, int]] = {
    # Day13 in the title; front matter says 2020-02-03 (year typo) → 2021-02-03.
    "01": (
        "imported",
        "2021-02-03",
        13,
        [("mj",), ("mj",), ("sally",), ("sally", "후미", "mj"), (), (), ("heath",), ("heath",)],
        0,
        1,
        2,
    ),
    # `[펭귄]`, `[MJ]` under a `- Questions` label, `[서폿]` under `- 꿀팁`; [x]/[X] mixed.
    "03": ("imported", "2021-01-19", 2, [("펭귄",), ("mj",), ("mj",), ("서폿",)], 0, 4, 0),
    # `### 피어세션 시간 고찰` nested in the peer section; the issues *index* link is no issue.
    "05": (
        "imported",
        "2021-01-29",
        10,
        [
            ("mj",),
            ("서폿",),
            ("서폿",),
            ("펭귄",),
            ("펭귄",),
            ("heath",),
            ("펭귄",),
            ("sally",),
            ("서폿",),
            ("원딜",),
            ("서폿",),
            ("sally",),
            ("펭귄",),
            ("sally",),
        ],
        0,
        1,
        0,
    ),
    # `## 09/13(월) 피어세션`: no year, the weekday says 2021; a schedule, no questions.
    "12": ("imported", "2021-09-13", 171, [], 0, 0, 0),
    # Week4-Day2; presenters in headings are not askers.
    "13": ("imported", "2021-02-09", 17, [], 0, 0, 0),
    # `- 질문` then a top-level numbered list of four unanswered questions.
    "14": ("imported", "2021-01-27", 8, [(), (), (), ()], 0, 0, 0),
    # `# Day13`: same day as 01, so skipped without --merge.
    "15": ("skipped", "2021-02-03", 13, [], 0, 0, 0),
    "20": ("imported", "2021-01-21", 4, [], 0, 0, 0),
    # No date anywhere (P-stage reflection).
    "23": ("skipped", None, None, [], 0, 0, 0),
    "24": ("imported", "2025-07-02", 1163, [], 0, 0, 0),
    # `- 취업 컨설팅 ✅` emoji done-markers, no assignment section.
    "25": ("imported", "2025-07-09", 1168, [], 0, 3, 0),
    "27": ("imported", "2022-04-14", 324, [], 0, 0, 0),
    "30": ("imported", "2021-03-17", 43, [], 0, 0, 0),
    # `용범님:` and a `Q.`/`A.` pair; two PR review links are references, blob links are not.
    "31": ("imported", "2021-02-19", 25, [("용범",), ()], 0, 0, 2),
    # `## 피어세션` followed by H1 topics: the peer section is empty, `- 동현님` items are not read.
    "32": ("imported", "2021-02-23", 27, [], 0, 0, 0),
    "34": ("imported", "2022-09-23", 440, [], 0, 0, 0),
    # `질문? -> 답` inline answers and `질문 : …?`.
    "35": ("imported", "2021-09-16", 174, [(), (), (), ()], 0, 0, 0),
    "36": ("imported", "2021-01-22", 5, [], 0, 0, 0),
    # `data:` typo; `` `서폿` `` without colon; bare issue URLs 55 and 56.
    "37": ("imported", "2021-02-04", 14, [("서폿",), ("서폿",), ("펭귄",), ("펭귄",)], 0, 2, 2),
    "40": ("imported", "2021-02-10", 18, [], 0, 0, 0),
    # Day27 / Day14 again: same day as 32 / 37 (43 has a three-level checklist of 8 done items).
    "42": ("skipped", "2021-02-23", 27, [], 0, 0, 0),
    "43": ("skipped", "2021-02-04", 14, [], 0, 8, 0),
}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_corpus_posts_import_with_the_expected_dates_and_items(runner: CliRunner, ws: Path) -> None:
    """Every real post imports or is skipped with a reason; dates, days, askers and counts as read by hand."""
    posts = sorted(p for p in CORPUS.glob("[0-9]*.md"))
    code, results, _ = import_json(runner, ws, *map(str, posts), "--author", "mj")
    assert code == 0
    from daylog.questions.ledger import NameMap
    from daylog.workspace.files import Workspace

    space = Workspace.find(ws)
    names = NameMap(space.settings.members)
    seen = {}
    for r in results:
        key = Path(str(r["source"])).name[:2]
        assert r["reasons"] or r["status"] == "imported", key
        counts = r["counts"] or {}
        askers: list[tuple[str, ...]] = []
        if r["status"] == "imported":
            entry = space.parse_text((ws / str(r["target"])).read_text(encoding="utf-8"))
            askers = [tuple(names.resolve(a) for a in q.askers) for q in entry.questions]
            assert len(askers) == counts["questions"]  # type: ignore[index]
        seen[key] = (
            r["status"],
            r["date"],
            r["day"],
            askers,
            counts.get("followups", 0),
            counts.get("tasks", 0),
            counts.get("issue_links", 0),  # type: ignore[union-attr]
        )
    expected = {k: v for k, v in CORPUS_EXPECTED.items() if any(p.name.startswith(k) for p in posts)}
    assert seen == expected
    # Bodies are kept byte for byte.
    for r in results:
        if r["status"] == "imported":
            original = Path(str(r["source"])).read_text(encoding="utf-8")
            body = original.split("\n---", 1)[1].split("\n", 1)[1] if original.startswith("---") else original
            assert (ws / str(r["target"])).read_text(encoding="utf-8").endswith(body)
    again = run(runner, ws, "import", *map(str, posts), "--author", "mj")
    assert again.exit_code == 0 and "nothing new to import" in again.stderr


def test_a_50_mb_post_is_refused_unread_and_the_batch_goes_on(runner: CliRunner, ws: Path, tmp_path: Path) -> None:
    """A 50 MB post (#12) fails at once with its size on one line; the post after it is imported."""
    src = write_posts(tmp_path / "posts", {"2021-02-02.md": "## TIL\n- 내용\n"})
    with (src / "2021-02-01-huge.md").open("wb") as fh:
        fh.write(b"# x\n")
        fh.truncate(50 * 1024 * 1024)  # sparse: refused by its size, never read
    t0 = time.perf_counter()
    code, results, _ = import_json(runner, ws, str(src), "--author", "mj")
    assert time.perf_counter() - t0 < 3
    got = {Path(str(r["source"])).name: (r["status"], r["reasons"]) for r in results}
    assert got["2021-02-01-huge.md"] == ("failed", ["is 50.0 MB, over the 2 MB an entry may have; skipped"])
    assert got["2021-02-02.md"][0] == "imported" and code == 1
