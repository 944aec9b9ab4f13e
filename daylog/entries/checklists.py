"""Follow-ups and tasks: the checklist-like items of an entry.

Follow-ups are read from the "더 정리할 것" block in three forms (`- [ ] topic: note`,
`> ▪ **topic**` quotes, plain bullets) and from `- 추후 보완 필요 - topic` placeholders
anywhere else; tasks are the checkboxes of the assignment section (or of the whole entry
when it has none), `✅` written instead of a box included. Pure: standard library only.
"""

from __future__ import annotations

import re
from datetime import date

from daylog.entries.items import Item, items, nfc, walk
from daylog.entries.markdown import trim_line_end
from daylog.entries.model import Diagnostic, FollowUp, FollowUpForm, Severity, Task

_CHECKBOX = re.compile(r"^\[(?P<mark>[ xX])\][ \t]*(?P<text>.*)$")  # `[ ]topic` (no space) is meant as a box too
_DONE_DATE = re.compile(r"✅\s*(\d{4}-\d{2}-\d{2})\s*$")
"""No `\\s*` before the ✅: tried from every blank of a long run, it costs the run squared (the text is rstripped)."""
_ARROW = re.compile(r"^(?:➡️?|→|->|=>|⇒)\s*")
# The item texts end in `.*` and `trim_line_end` drops their trailing blanks: a lazy `.*?` before
# `[ \t]*\r?$` tries the rest of the line at every character (#12).
_QUOTE_ITEM = re.compile(r"^[ \t]*>[ \t]*(?:▪️?|■|•|◾|◼️?)[ \t]*+(?P<text>.*)$")
_QUOTE_LINE = re.compile(r"^[ \t]*>[ \t]?(?P<text>.*)$")
_BOLD_TOPIC = re.compile(r"^\*\*(.+?)\*\*\s*(?:[:：]|\s[-—]\s)?\s*(.*)$")
_MARKS = ("✅", "☑\ufe0f", "☑")
"""What is written instead of a checked box (`- 취업 컨설팅 ✅`)."""
_DATE_TAIL = re.compile(r"\d{4}-\d{2}-\d{2}")
_MARKER_ITEM = re.compile(
    r"^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]++(?:\[(?P<mark>[ xX])\][ \t]++)?"
    r"(?P<marker>추후[ \t]*보완[ \t]*필요|추가[ \t]*필요|보완[ \t]*필요)(?P<rest>.*)$"
)
_MARKER_SEPARATORS = " \t-:：—–"
"""What may follow the marker: `- 추후 보완 필요 - topic`, `…필요: topic`; not `…필요한 것`."""


# --- follow-ups ------------------------------------------------------------------------


def followups(body: list[str], first: int) -> tuple[list[FollowUp], list[Diagnostic]]:
    """The follow-ups of a "더 정리할 것" body (`first` is the 1-based number of body[0]), by line."""
    quoted, rest, problems = _quote_followups(body, first)
    listed, more = _item_followups(items(rest, first))
    return sorted([*quoted, *listed], key=lambda f: f.line), [*problems, *more]


class _Quote:
    """A `> ▪ topic` item being read: its notes are the `>` lines up to a blank line or the next `▪`."""

    __slots__ = ("end", "line", "notes", "topic")

    def __init__(self, line: int, topic: str) -> None:
        self.line = line
        self.end = line
        self.topic = topic
        self.notes: list[str] = []

    def add(self, line: int, text: str) -> None:
        self.end = line
        note = _strip_arrow(text) if text.strip() else ""
        if note:
            self.notes.append(note)


def _quote_followups(body: list[str], first: int) -> tuple[list[FollowUp], list[str], list[Diagnostic]]:
    """The quote-form follow-ups, the body with their lines blanked (for the item reader), problems."""
    quotes: list[_Quote] = []
    rest: list[str] = []
    current: _Quote | None = None
    for n, raw in enumerate(body, first):
        head = _QUOTE_ITEM.match(raw)
        note = _QUOTE_LINE.match(raw) if head is None and current is not None and raw.strip() else None
        if head is not None:
            current = _Quote(n, trim_line_end(head.group("text")))
            quotes.append(current)
        elif current is not None and note is not None:
            current.add(n, trim_line_end(note.group("text")))
        else:
            current = None
            rest.append(raw)
            continue
        rest.append("")
    found: list[FollowUp] = []
    problems: list[Diagnostic] = []
    for q in quotes:
        topic = _clean_topic(q.topic)
        if topic:
            found.append(FollowUp(topic, "\n".join(q.notes), False, None, FollowUpForm.QUOTE, q.line, q.end, 0))
        else:
            problems.append(Diagnostic(q.line, Severity.WARNING, "follow-up `▪` with no topic: skipped", "empty-item"))
    return found, rest, problems


def _item_followups(roots: list[Item]) -> tuple[list[FollowUp], list[Diagnostic]]:
    """`- [ ] topic: note` and `- topic` items; what is nested in an item adds to its note."""
    found: list[FollowUp] = []
    problems: list[Diagnostic] = []
    for it in roots:
        box = _CHECKBOX.match(it.text)
        text, done_on = _done_date(box.group("text").strip()) if box else (it.text, None)
        if text:
            topic, note = _split_topic(text)
            nested = [t for _, t in it.flatten()[1:] if t]
            if nested:
                note = "\n".join([note, *nested]).strip()
            form = FollowUpForm.CHECKBOX if box else FollowUpForm.BULLET
            done = box is not None and box.group("mark") != " "
            found.append(FollowUp(_clean_topic(topic), note, done, done_on, form, it.line, it.end, 0))
        elif box:
            problems.append(Diagnostic(it.line, Severity.WARNING, _EMPTY_BOX, "empty-item"))
    return found, problems


_EMPTY_BOX = "follow-up checkbox with no text: skipped"


def marker_followups(lines: list[str]) -> list[FollowUp]:
    """`- 추후 보완 필요 - topic` placeholders (in `lines`, from line 1): open follow-ups.

    A bare marker (`- 추가필요` under `과제 결과물에 대한 정리`) names nothing to look into and
    is left alone, as is the marker in the middle of a sentence.
    """
    out: list[FollowUp] = []
    for n, raw in enumerate(lines, 1):
        m = _MARKER_ITEM.match(raw) if "필요" in raw else None
        rest = trim_line_end(m.group("rest")) if m is not None else ""
        if m is None or (rest and rest[0] not in _MARKER_SEPARATORS):
            continue
        rest, done_on = _done_date(rest.strip(_MARKER_SEPARATORS))
        topic = _clean_topic(rest)
        if not topic:
            continue  # a bare `- 추후 보완 필요` says nothing to look into: template residue, not a topic
        mark = m.group("mark")
        form = FollowUpForm.CHECKBOX if mark is not None else FollowUpForm.BULLET
        out.append(FollowUp(topic, m.group("marker"), mark not in (None, " "), done_on, form, n, n, 0))
    return out


def numbered(found: list[FollowUp]) -> list[FollowUp]:
    """The follow-ups with their repeat counts (`ordinal`), and decomposed (NFD) Hangul composed."""
    seen: dict[str, int] = {}
    out = []
    for fu in found:
        topic, note = nfc(fu.topic), nfc(fu.note)
        ordinal = seen.get(topic.casefold(), 0)
        seen[topic.casefold()] = ordinal + 1
        same = (topic, note, ordinal) == (fu.topic, fu.note, fu.ordinal)
        out.append(fu if same else FollowUp(topic, note, fu.done, fu.done_on, fu.form, fu.line, fu.end, ordinal))
    return out


def _split_topic(text: str) -> tuple[str, str]:
    bold = _BOLD_TOPIC.match(text)
    if bold:  # `**topic: with colon** note` keeps the bold part whole
        return bold.group(1).strip(), bold.group(2).strip()
    for sep in (": ", "：", " - ", " — "):
        if sep in text:
            a, _, b = text.partition(sep)
            if a.strip():
                return a.strip(), b.strip()
    return text.strip(), ""


def _clean_topic(text: str) -> str:
    text = text.strip()
    if text.startswith("**") and text.endswith("**") and len(text) > 4:
        text = text[2:-2].strip()
    return text


def _strip_arrow(text: str) -> str:
    return _ARROW.sub("", text).strip()


def _done_date(text: str) -> tuple[str, date | None]:
    """`text ✅ 2021-02-05` → (text, the date); the text as it is when it has no valid one."""
    m = _DONE_DATE.search(text) if "✅" in text else None
    if not m:
        return text, None
    try:
        return text[: m.start()].rstrip(), date.fromisoformat(m.group(1))
    except ValueError:
        return text, None


# --- tasks ---------------------------------------------------------------------------


def tasks(roots: list[Item]) -> tuple[list[Task], list[Diagnostic]]:
    """Checklist items of the item trees `roots`, nested ones included (with their depth)."""
    out: list[Task] = []
    problems: list[Diagnostic] = []
    for it, depth in walk(roots):
        box = _CHECKBOX.match(it.text)
        task = _box_task(it, box, depth) if box is not None else _emoji_task(it, depth)
        if task is not None:
            out.append(task)
        elif box is not None:
            problems.append(Diagnostic(it.line, Severity.WARNING, "checkbox with no text: skipped", "empty-item"))
    return out, problems


def _box_task(it: Item, box: re.Match[str], depth: int) -> Task | None:
    raw = box.group("text").strip()
    text, done_on = _done_date(raw)
    return Task(nfc(text), box.group("mark") != " ", done_on, it.line, depth, raw) if text else None


def _emoji_task(it: Item, depth: int) -> Task | None:
    """`- 취업 컨설팅 ✅`: an emoji instead of a checked box."""
    found = emoji_done(it.text) if "✅" in it.text or "☑" in it.text else None
    if found is None:
        return None
    text, tail = found
    text = text.strip().rstrip(" ✅☑\ufe0f")
    done_on = None
    if tail:
        text, done_on = _done_date(f"{text} ✅ {tail}")
    return Task(nfc(text), True, done_on, it.line, depth, it.text) if text else None


def emoji_done(text: str) -> tuple[str, str | None] | None:
    """(text, date written after it) of an item that starts or ends with ✅/☑; None for other items.

    Read by slicing, not by one regex: `(.+?)[ \\t]*✅` tries the rest of the line at every character.
    """
    body = text.rstrip(" \t")
    tail = body[-10:] if _DATE_TAIL.fullmatch(body[-10:]) else None
    tries = [(body[:-10].rstrip(" \t"), tail), (body, None)] if tail else [(body, None)]
    for mark in _MARKS:  # the mark first: `✅ 토픽`
        for head, date_text in tries if body.startswith(mark) else ():
            if head[len(mark) :].strip(" \t"):
                return head[len(mark) :].lstrip(" \t"), date_text
    for head, date_text in tries:  # then last: `토픽 ✅`, `토픽 ✅ 2021-02-05`
        for mark in _MARKS:
            if head.endswith(mark) and head[: -len(mark)]:
                return head[: -len(mark)].rstrip(" \t"), date_text
    return None
