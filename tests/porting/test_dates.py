"""A post's date from its clues (`porting.dates`): the contradictions the import settles, one rule each."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date

from daylog.calendar import CourseCalendar
from daylog.entries.parse import parse
from daylog.porting.dates import Resolved, gather_clues, infer_year, resolve_date

COURSE = CourseCalendar(date(2021, 1, 18))


def resolved(name: str, text: str, folders: Sequence[str] = ()) -> Resolved:
    return resolve_date(gather_clues(name, folders, parse(text), text), COURSE)


def test_a_post_covering_several_days_is_filed_under_the_first() -> None:
    """`Day12~14` in the title: the date of Day12, and a reason saying the post covers three days."""
    r = resolved("retro.md", '---\ntitle: "[부스트캠프 / Day12~14] 회고"\n---\n본문\n')
    assert (r.date, r.source) == (date(2021, 2, 2), "day number")
    assert r.reasons == (
        "covers Day12–14; filed under Day12",
        "no date written; Day12 in the title is 2021-02-02 by the course calendar",
    )


def test_front_matter_beats_the_file_name_when_the_day_number_agrees() -> None:
    """The file name usually wins a disagreement, but not against a front matter its Day N confirms."""
    text = '---\ntitle: "[부스트캠프 / Day14] Today"\ndate: 2021-02-04 22:00:00 +0900\n---\n본문\n'
    r = resolved("2021-02-05-today.md", text)
    assert (r.date, r.source) == (date(2021, 2, 4), "front matter")
    assert r.reasons == (
        "file name says 2021-02-05 but front matter `date` says 2021-02-04; "
        "used 2021-02-04 (Day14 in the title agrees)",
    )


def test_a_yearless_heading_takes_the_year_of_its_day_number() -> None:
    """`02/04(목)` with Day14 of the same month and day: dated at once, no neighbours needed."""
    r = resolved("peer.md", "# Day14 정리\n\n## 02/04(목) 피어세션\n- 내용\n")
    assert (r.date, r.source, r.partial) == (date(2021, 2, 4), "heading", None)
    assert r.reasons == ("no year written; 2021 from Day14 in the heading",)


def test_a_dated_heading_that_disagrees_is_reported() -> None:
    """The front matter is kept, and the heading's other date is named in the reasons."""
    r = resolved("notes.md", "---\ndate: 2021-02-04\n---\n# 2021.02.05 회고\n")
    assert (r.date, r.source) == (date(2021, 2, 4), "front matter")
    assert r.reasons == ("heading `2021.02.05 회고` says 2021-02-05; kept 2021-02-04 from the front matter",)


def test_day_number_from_tags_and_date_from_a_yymmdd_folder() -> None:
    """A `13days` tag is Day13; a `210203` folder dates the posts in it."""
    text = "---\ntags: [til, 13days]\n---\n본문\n"
    clues = gather_clues("note.md", ["til", "210203"], parse(text), text)
    assert (clues.file_name, clues.day, clues.day_from) == (date(2021, 2, 3), 13, "tags")
    assert resolve_date(clues, COURSE).reasons == ()  # Day13 is 2021-02-03: no contradiction


def test_a_weekday_far_from_the_course_searches_further_years() -> None:
    """`09/13(월)` near 2025 (no Monday 13 September in 2024–2026) is the nearest year that fits."""
    assert infer_year(9, 13, 0, [], CourseCalendar(date(2025, 1, 6))) == date(2027, 9, 13)
    assert infer_year(9, 13, 0, [], COURSE) == date(2021, 9, 13)



def test_a_heading_of_hashes_is_read_in_linear_time() -> None:
    """`# # # …` cost the import its length squared before #12 (16 s at this size); its date line still counts."""
    text = "# " + "# " * 30_000 + "x\n>Date : 21.02.10\n"
    t0 = time.perf_counter()
    r = resolved("post.md", text)
    assert time.perf_counter() - t0 < 3
    assert r.date == date(2021, 2, 10)
