"""The entry parser.

`parse` turns the text of one daily entry into plain data: front matter, sections
found by heading alias, and the items inside them (peer-session questions with their
answers, follow-ups, assignment tasks, links), each with its line numbers and
character offsets so that an edit can touch one item and nothing else.

It never raises: whatever is wrong becomes a `Diagnostic` with a line number.
Pure: standard library and yaml only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

from daylog.entries.markdown import RESIDUE as _RESIDUE
from daylog.entries.markdown import LineIndex, mask_code
from daylog.entries.model import (
    Answer,
    Diagnostic,
    Entry,
    FollowUp,
    FollowUpForm,
    Link,
    Question,
    Section,
    Severity,
    Task,
)
from daylog.entries.sections import MARKUP as _MARKUP
from daylog.entries.sections import MARKUP_CHARS as _MARKUP_CHARS
from daylog.entries.sections import SectionMatcher

# --- front matter ------------------------------------------------------------------

_FM_CLOSE = re.compile(r"\n(?:---|\.\.\.)[ \t]*\r?$", re.M)
"""The closing line, after its newline: a literal first character lets `re` skip ahead."""
_DATE_RE = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{1,2})?\s*$"
)
_TITLE_DAY = re.compile(r"(?i)\bday\s*0*(\d{1,3})\b|(\d{1,3})\s*일차")


_INT = re.compile(r"[-+]?\d+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLS = {"true": True, "True": True, "false": False, "False": False}


def _scalar(raw: str) -> Any:
    """A plain YAML scalar as the fast path reads it; ValueError when it needs real YAML."""
    if raw in _NULLS:
        return None
    if raw[0] in "\"'":
        q = raw[0]
        if len(raw) >= 2 and raw.endswith(q) and q not in raw[1:-1] and "\\" not in raw:
            return raw[1:-1]
        raise ValueError
    if raw[0] in "[{>|&*!%@`" or " #" in raw or ": " in raw or raw.endswith(":"):
        raise ValueError
    if raw[0].isdigit() or raw[0] in "+-":
        if _INT.fullmatch(raw):
            return int(raw)
    elif raw in _BOOLS:
        return _BOOLS[raw]
    if len(raw) == 10 and _ISO_DATE.fullmatch(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            return raw
    return raw


_FLOW_ITEM = re.compile(r'\s*("[^"\\]*"|\'[^\']*\'|[^,"\']+?)\s*(?:,|$)')


def _flow_list(raw: str) -> list[Any]:
    inner = raw[1:-1].strip()
    if not inner:
        return []
    out: list[Any] = []
    pos = 0
    while pos < len(inner):
        m = _FLOW_ITEM.match(inner, pos)
        if m is None or m.end() == pos:
            raise ValueError
        out.append(_scalar(m.group(1)))
        pos = m.end()
    return out


_FM_PAIRS = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(.*?))?[ \t]*\r?$", re.M)


def _fast_front_matter(lines: list[str]) -> dict[str, Any] | None:
    """Parse the common `key: value` front matter without yaml; None if it is not that simple."""
    out: dict[str, Any] = {}
    block = "\n".join(lines)
    pairs = _FM_PAIRS.findall(block)
    if len(pairs) != sum(1 for line in lines if line.strip()):
        return None  # a line that is not `key: value` (nesting, lists, comments): real YAML
    try:
        for key, raw in pairs:
            if key in out:
                return None
            if raw.startswith("[") and raw.endswith("]") and "[" not in raw[1:] and "]" not in raw[:-1]:
                if "#" in raw:
                    return None
                out[key] = _flow_list(raw)
            else:
                out[key] = _scalar(raw)
    except ValueError:
        return None
    return out


def _yaml_front_matter(text: str, first_line: int) -> tuple[dict[str, Any] | None, Diagnostic | None]:
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(text, Loader=loader_cls)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        last = first_line + text.count("\n")
        line = min(first_line + (mark.line if mark is not None else 0), last)
        problem = getattr(exc, "problem", None) or "cannot be read"
        return None, Diagnostic(line, Severity.ERROR, f"invalid front matter: {problem}", "front-matter")
    except Exception as exc:  # yaml can raise other errors on odd input (e.g. bad timestamps)
        return None, Diagnostic(first_line, Severity.ERROR, f"invalid front matter: {exc}", "front-matter")
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        return None, Diagnostic(first_line, Severity.ERROR, "front matter is not a mapping of keys", "front-matter")
    return {str(k): v for k, v in data.items()}, None


def parse_date_value(value: Any) -> tuple[date | None, str | None]:
    """A front-matter date (date, datetime or text) → (date, time-and-offset text)."""
    if isinstance(value, datetime):  # YAML read it (no `+0900`-style offset); keep any offset it had
        return value.date(), value.strftime("%H:%M:%S %z").strip()
    if isinstance(value, date):
        return value, None
    if isinstance(value, str):
        m = _DATE_RE.match(value)
        if m:
            try:
                d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None, None
            if m.group(4) is None:
                return d, None
            clock = f"{int(m.group(4)):02d}:{m.group(5)}:{m.group(6) or '00'}"
            zone = m.group(7)
            if zone:  # one spelling whatever was written: +0900
                zone = "+0000" if zone == "Z" else zone.replace(":", "")
                zone = zone if len(zone) == 5 else f"{zone[0]}{int(zone[1:]):02d}00"
                return d, f"{clock} {zone}"
            return d, clock
    return None, None


def _as_strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(p.strip() for p in value.split(",") if p.strip())
    if isinstance(value, list | tuple):
        return tuple(str(v).strip() for v in value if v is not None and str(v).strip() and v != [])
    return (str(value),)


# --- list items ----------------------------------------------------------------------

_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d{1,3}[.)])(?:[ \t]+(?P<text>.*)|[ \t]*\r?)$")
"""A list item line; `text` keeps a final `\r` (a lazy `.*?` before `\r?$` costs ~1 us an item)."""
_CHECKBOX = re.compile(r"^\[(?P<mark>[ xX])\][ \t]*(?P<text>.*)$")  # `[ ]topic` (no space) is meant as a box too
_DONE_DATE = re.compile(r"\s*✅\s*(\d{4}-\d{2}-\d{2})\s*$")
_ARROW = re.compile(r"^(?:➡️?|→|->|=>|⇒)\s*")
_QUOTE_ITEM = re.compile(r"^[ \t]*>[ \t]*(?:▪️?|■|•|◾|◼️?)[ \t]*(?P<text>.*?)[ \t]*\r?$")
_QUOTE_LINE = re.compile(r"^[ \t]*>[ \t]?(?P<text>.*?)[ \t]*\r?$")

_NAME_CHARS = r"[^`\n()\[\]{}=./\\<>;,:#$|*]"
_NAME_LIST = re.compile(
    rf"^(?P<names>`{_NAME_CHARS}{{1,30}}`(?:\s*(?:&|,|/|와|과|및|and|\+)\s*`{_NAME_CHARS}{{1,30}}`)*)"
    r"\s*(?:[:：]\s*|\s+|$)(?P<rest>.*)$"
)
_BACKTICK_NAME = re.compile(r"`([^`\n]{1,30})`")
_BRACKET_NAME = re.compile(r"^\[(?P<name>[^\]\[\n\s()]{1,20})\](?!\()(?:\s*[:：]\s*|\s+|$)(?P<rest>.*)$")
_LINKED_NAME = re.compile(
    r"^\[\[(?P<name>[^\]\[\n\s()]{1,20})\]\s*(?P<title>[^\[\]\n]*)\]\((?P<url>[^()\s]+)\)(?P<rest>.*)$"
)
_QUOTED_NAME = re.compile(r"^['‘](?P<name>[^'’\n\s]{1,15})['’](?:\s*[:：]\s*|\s+|$)(?P<rest>.*)$")
_PLAIN_NAME = re.compile(r"^(?P<name>[^\s:：`\[\]]{1,12}?)(?P<nim>님)?\s*[:：]\s*(?P<rest>.+)$")
_ONLY_NAME = re.compile(r"^(?P<name>[^\s:：`\[\]'‘’*]{1,12}?)(?P<nim>님)?\s*[:：]?$")
_NOT_NAMES = frozenset(
    {
        "질문",
        "답변",
        "답",
        "링크",
        "참고",
        "공지",
        "정리",
        "요약",
        "팁",
        "꿀팁",
        "과제",
        "q",
        "a",
        "todo",
        "tip",
        "link",
        "x",
    }
)
"""Bracketed or quoted words that label an item rather than name a person (`[링크]`, `[Q]`)."""
_QA_QUESTION = re.compile(r"^(?:Q|질문)\s*[.:：)]\s*(?P<rest>.+)$", re.I)
_QA_ANSWER = re.compile(r"^(?:A|답변?)\s*[.:：)]\s*(?P<rest>.*)$", re.I)
_QA_FIRST = frozenset("QqAa질답")
_INLINE_ANSWER = re.compile(r"[?？]\s*(?:->|→|➡️?|=>)\s*")
_URLISH = re.compile(r"\]\([^)\s]*\)|https?://\S+")


def _indent_width(s: str) -> int:
    return len(s.expandtabs(4))


class _Item:
    """A list item while reading a section (a plain slotted class: no `dataclasses` import)."""

    __slots__ = ("children", "end", "extra", "indent", "line", "text")

    def __init__(self, line: int, end: int, indent: int, text: str) -> None:
        self.line = line
        self.end = end
        self.indent = indent
        self.text = text
        self.children: list[_Item] = []
        self.extra: list[tuple[int, str]] = []  # continuation lines (line, text without indentation)


MAX_DEPTH = 24
"""List nesting deeper than this is kept as text (the tree walkers recurse)."""


def _items(lines: list[str], first: int) -> list[_Item]:
    """The list-item tree of a block of lines (`first` is the 1-based number of lines[0])."""
    roots: list[_Item] = []
    stack: list[_Item] = []
    blank_run = 0
    last_top: _Item | None = None
    for i, raw in enumerate(lines):
        n = first + i
        if not raw.strip():
            blank_run += 1
            continue
        m = _ITEM.match(raw)
        if m and len(stack) < MAX_DEPTH:  # deeper lists are read as text of the deepest item
            spaces, marker, item_text = m.group("indent", "marker", "text")
            if not (
                item_text and item_text[0] in "-*" and marker in "-*" and _looks_like_rule(item_text.removesuffix("\r"))
            ):
                indent = len(spaces) if "\t" not in spaces else _indent_width(spaces)
                item = _Item(n, n, indent, item_text.strip() if item_text else "")
                while stack and stack[-1].indent >= indent:
                    stack.pop()
                if stack and indent > stack[-1].indent:
                    stack[-1].children.append(item)
                    _extend(stack, n)
                else:
                    stack.clear()
                    roots.append(item)
                    last_top = item
                stack.append(item)
                blank_run = 0
                continue
        indent = _indent_width(raw[: len(raw) - len(raw.lstrip())])
        text = raw.strip()
        if stack and (indent > 0 or blank_run == 0 or text.startswith(">")):
            stack[-1].extra.append((n, text))
            _extend(stack, n)
        elif last_top is not None and text.startswith(">"):
            last_top.extra.append((n, text))
            last_top.end = n
        else:
            stack.clear()
            last_top = None
        blank_run = 0
    return roots


def _looks_like_rule(item_text: str | None) -> bool:
    """`- - -` / `* * *`: the list-item regex matched a thematic break (its text is only marks)."""
    if not item_text or item_text[0] not in "-*":
        return False
    rest = item_text.replace(" ", "")
    return len(rest) >= 2 and len(set(rest)) == 1


def _extend(stack: list[_Item], line: int) -> None:
    for it in stack:
        it.end = max(it.end, line)


def _flatten(item: _Item) -> list[tuple[int, str]]:
    out = [(item.line, item.text)]
    out.extend(item.extra)
    for c in item.children:
        out.extend(_flatten(c))
    return out


def _nfc(s: str) -> str:
    return s if s.isascii() or unicodedata.is_normalized("NFC", s) else unicodedata.normalize("NFC", s)


def _is_known(name: str, known: frozenset[str]) -> bool:
    if name in known:
        return True
    if name.isascii():
        folded = name.casefold()
        return any(k.casefold() == folded for k in known if k.isascii())
    return False


_BARE_NAME = re.compile(r"^(?:[가-힣]{1,8}|[A-Z]{1,3})$")


def _bare_name(name: str, known: frozenset[str]) -> bool:
    """Whether a backticked word with no colon after it names a person (`` `샐리` 질문 ``, not `` `torch` 버전 ``)."""
    return _BARE_NAME.match(name) is not None or _is_known(name, known)


def _person(name: str) -> bool:
    """A bracketed/quoted word that can be a person's name (not `[링크]`, not `[0.5]`)."""
    return name.casefold() not in _NOT_NAMES and any(c.isalpha() for c in name)


def split_names(text: str, known_names: frozenset[str] = frozenset()) -> tuple[tuple[str, ...], str]:
    """Leading person names of an item (`` `민지` & `도겸`: … ``) → (names, rest); NFC names."""
    m = _NAME_LIST.match(text)
    if m:
        names = tuple(_nfc(n.strip()) for n in _BACKTICK_NAME.findall(m.group("names")))
        colon = text[m.end("names") : m.start("rest")].strip()
        if colon or not m.group("rest") or all(_bare_name(n, known_names) for n in names):
            return names, m.group("rest").strip()
    if text.startswith("[["):
        m = _LINKED_NAME.match(text)  # `[[히스] CNN 과 GNN](…/issues/90)`: the issue title names the asker
        if m and _person(m.group("name")):
            return (_nfc(m.group("name")),), f"[{m.group('title').strip()}]({m.group('url')}){m.group('rest')}".strip()
    m = _BRACKET_NAME.match(text)
    if m and m.group("rest") and _person(m.group("name")):
        return (_nfc(m.group("name").strip()),), m.group("rest").strip()
    m = _QUOTED_NAME.match(text)
    if m and m.group("rest") and _person(m.group("name")):
        return (_nfc(m.group("name").strip()),), m.group("rest").strip()
    m = _PLAIN_NAME.match(text)
    if m:
        name = _nfc(m.group("name"))
        if m.group("nim") or _is_known(name, known_names):
            return (name,), m.group("rest").strip()
    return (), text


def name_only(text: str, known_names: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The names when `text` is nothing but names (`` `MJ` ``, `[펭귄]`, `동현님`, a member's name)."""
    text = text.strip()
    if text.startswith("**") and text.endswith("**") and len(text) > 4:
        text = text[2:-2].strip()
    if not text:
        return ()
    names, rest = split_names(text, known_names)
    if names:
        return names if not rest or rest in (":", "：") else ()
    for rx in (_BRACKET_NAME, _QUOTED_NAME):
        m = rx.match(text)
        if m and not m.group("rest") and _person(m.group("name")):
            return (_nfc(m.group("name")),)
    m = _ONLY_NAME.match(text)
    if m:
        name = _nfc(m.group("name"))
        if m.group("nim") or _is_known(name, known_names):
            return (name,)
    return ()


def _strip_arrow(text: str) -> str:
    return _ARROW.sub("", text).strip()


def _asks(text: str) -> bool:
    """Whether an item with no asker reads as a question: a `?` outside link targets and URLs."""
    if "?" not in text and "？" not in text:
        return False
    return "?" in _URLISH.sub("", text) or "？" in text


_LIST_STARTS = frozenset(" \t-*+>")
_PEER_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*\r?$")


def _peer_questions(body: list[str], first: int, known: frozenset[str]) -> list[Question]:
    """Questions of a peer-session body, which may be split by name headings and name lines.

    `#### 후미` (a name heading), a line holding only `` `MJ` ``, or `동현님:` paragraphs
    give the following items an asker; any other heading or paragraph ends that.
    """
    lines = list(body)
    seen: frozenset[str] | None = None
    segments: list[tuple[int, int, tuple[str, ...]]] = []  # (start, stop, askers from a name heading/line)
    start = 0
    ctx: tuple[str, ...] = ()
    prev_blank = True
    prev_para_name = False
    for i, raw in enumerate(lines):
        first_char = raw[:1]
        if first_char in _LIST_STARTS or first_char.isdigit():  # items, their bodies, quotes: `_items` reads them
            prev_blank = prev_para_name = not raw.strip()
            continue
        stripped = raw.strip()
        if not stripped:
            prev_blank = True
            continue
        heading = _PEER_HEADING.match(raw) if first_char == "#" else None
        if heading is not None:
            segments.append((start, i, ctx))
            if seen is None:
                seen = _names_used(body, known)
            ctx = _heading_names(heading.group("text") or "", known | seen)
            start = i + 1
            lines[i] = ""
        else:
            only = name_only(_nfc(stripped), known) if len(stripped) <= 40 else ()
            if only:
                segments.append((start, i, ctx))
                ctx, start = only, i + 1
                lines[i] = ""
            elif (prev_blank or prev_para_name) and split_names(_nfc(stripped), known)[0]:
                lines[i] = "- " + stripped  # `샐리 : …` paragraph: read it as an item
                prev_para_name = True
                prev_blank = False
                continue
        prev_blank = False
        prev_para_name = False
    segments.append((start, len(lines), ctx))
    out: list[Question] = []
    for a, b, names in segments:
        if a < b:
            out.extend(_questions(_items(lines[a:b], first + a), known, names))
    return out


def _names_used(body: list[str], known: frozenset[str]) -> frozenset[str]:
    """Names the section itself marks as people (`` `후미`: `` items), to recognise `#### 후미`."""
    names: set[str] = set()
    for raw in body:
        m = _ITEM.match(raw)
        text = (m.group("text") or "").removesuffix("\r") if m else ""
        if text:
            names.update(split_names(_nfc(text), known)[0])
    return frozenset(names)


def _heading_names(text: str, known: frozenset[str]) -> tuple[str, ...]:
    if "`" in text:  # `` #### `후미` ``: explicitly a name
        return name_only(_nfc(text.strip()), known)
    text = _nfc(_MARKUP.sub("", text).strip())
    return name_only(text, known) if len(text) <= 20 else ()


def _questions(items: list[_Item], known: frozenset[str], context: tuple[str, ...]) -> list[Question]:
    """Questions among sibling items; `context` are the askers of a name heading/line/parent above them."""
    out: list[Question] = []
    last_qa: int | None = None  # index in `out` of the last `Q.` question, for a following `A.` sibling
    for it in items:
        text = _nfc(it.text)
        askers, rest = split_names(text, known)
        qa_answer = _QA_ANSWER.match(rest) if not askers and rest[:1] in _QA_FIRST else None
        if qa_answer is not None and last_qa is not None:
            q = out[last_qa]
            body = "\n".join(p for p in [qa_answer.group("rest").strip(), *_continuation(it)] if p)
            out[last_qa] = Question(q.askers, q.text, (*q.answers, Answer(None, body, it.line)), q.line, it.end)
            continue
        last_qa = None
        qa_question = _QA_QUESTION.match(rest) if rest[:1] in _QA_FIRST else None
        if qa_question is not None:
            rest = qa_question.group("rest").strip()
        elif not askers and not rest.strip() and not it.children:
            continue
        if not askers and it.children and len(rest) <= 20 and not _asks(rest):
            askers = name_only(rest, known)
            rest = "" if askers else rest
        if askers and not rest and not it.extra:
            # `- 동현님` / `` - `후미` `` as a parent: the nested items are that person's questions
            out.extend(_questions(it.children, known, askers))
            continue
        askers = askers or context
        rest = _strip_arrow(rest)
        if not askers and qa_question is None and not _asks(rest):
            # a label (`- Questions`, `- 🎤 질답`) or a remark: its nested items may be questions
            out.extend(_questions(it.children, known, ()))
            continue
        answers: list[Answer] = []
        inline = _INLINE_ANSWER.search(rest) if "?" in rest or "？" in rest else None
        if inline is not None and inline.end() < len(rest):  # `질문? -> 답`
            answers.append(Answer(None, rest[inline.end() :].strip(), it.line))
            rest = rest[: inline.start() + 1].strip()
        more: list[str] = []
        for ln, extra in it.extra:
            nfc_extra = _nfc(extra)
            is_quote = nfc_extra.startswith(">")
            body = nfc_extra.lstrip(">").strip() if is_quote else nfc_extra
            arrow = _ARROW.match(body) is not None
            body = _strip_arrow(body)
            if not body:
                continue
            if arrow or is_quote:
                answers.append(Answer(None, body, ln))
            elif answers:
                a = answers[-1]
                answers[-1] = Answer(a.answerer, f"{a.text}\n{body}", a.line)
            else:
                more.append(body)
        if more:
            rest = " ".join([rest, *more]).strip()
        for child in it.children:
            ctext = _nfc(child.text)
            who, ctext = split_names(ctext, known)
            qa = _QA_ANSWER.match(ctext) if not who and ctext[:1] in _QA_FIRST else None
            if qa is not None:
                ctext = qa.group("rest")
            parts = [_strip_arrow(ctext)] if ctext else []
            parts.extend(_strip_arrow(_nfc(t)) for _, t in _flatten(child)[1:])
            body = "\n".join(p for p in parts if p)
            if body or who:
                answers.append(Answer(who[0] if len(who) == 1 else (" & ".join(who) or None), body, child.line))
        if not rest and not answers:
            continue
        if qa_question is not None:
            last_qa = len(out)
        out.append(Question(askers, rest, tuple(answers), it.line, it.end))
    return out


def _continuation(it: _Item) -> list[str]:
    return [_strip_arrow(_nfc(t.lstrip(">").strip())) for _, t in _flatten(it)[1:]]


_BOLD_TOPIC = re.compile(r"^\*\*(.+?)\*\*\s*(?:[:：]|\s[-—]\s)?\s*(.*)$")


def _split_topic(text: str) -> tuple[str, str]:
    bold = _BOLD_TOPIC.match(text) if text.startswith("**") else None
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


# --- the parser --------------------------------------------------------------------

_HEADING = re.compile(r"^ {0,3}(?P<hashes>#{1,6})(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*\r?$", re.M)
_HEADING_START = re.compile(r"\n {0,3}#[^\n]*")
"""A line that may be an ATX heading, with the newline before it: `re` skips from newline to newline."""
_HEADING_LINES: dict[str, tuple[int, str, str] | None] = {}
"""Heading-like lines read before → (level, text, shown title), None when not a heading."""
_HTML_HEADING = re.compile(r"^\s*<h(?P<level>[1-6])\b[^>]*>(?P<text>.*?)</h(?P=level)>\s*$", re.M | re.I)
_CONFLICT = re.compile(r"^(?:<{7}(?: |$)|={7}$|>{7}(?: |$))", re.M)
_LINK = re.compile(
    r"!?\[(?P<text>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\((?P<url>[^()\s]+(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"]*\")?\)"
)
_AUTOLINK = re.compile(r"<(?P<url>https?://[^>\s]+)>")
_BARE_URL = re.compile(r"(?<![(\[<\"'=])\bhttps?://[^\s<>\]\)]+")
_MATH = re.compile(r"\$\$|(?<![\\$\w])\$(?!\s)[^$\n]+(?<!\s)\$(?![\w$])|\\\(|\\\[")

DEFAULT_MATCHER: SectionMatcher | None = None


def default_matcher() -> SectionMatcher:
    global DEFAULT_MATCHER
    if DEFAULT_MATCHER is None:
        from daylog.entries.sections import DEFAULT_SECTIONS

        DEFAULT_MATCHER = SectionMatcher(DEFAULT_SECTIONS)
    return DEFAULT_MATCHER


ALL_PARTS = frozenset({"meta", "questions", "followups", "tasks", "links"})
"""What `parse` can read; `meta` is the front matter's values (its extent is always found)."""


def parse(
    text: str,
    *,
    matcher: SectionMatcher | None = None,
    known_names: frozenset[str] = frozenset(),
    parts: frozenset[str] = ALL_PARTS,
) -> Entry:
    """Read one entry. Never raises; problems are in `Entry.diagnostics`.

    `parts` limits what is read (a listing that needs only follow-ups skips the rest;
    without `meta` the front matter is stepped over, not read); sections are always read.
    """
    matcher = matcher or default_matcher()
    diags: list[Diagnostic] = []
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    count = len(lines)
    # Line numbers are counted where they are needed; the full offset index only for links.

    fm: dict[str, Any] = {}
    fm_end = 0
    body_start = 0
    if lines[0].rstrip() == "---":
        close = _FM_CLOSE.search(text, len(lines[0])) if count > 1 else None
        if close is None:
            diags.append(Diagnostic(1, Severity.ERROR, "front matter has no closing `---` line", "front-matter"))
        else:
            fm_end = text.count("\n", 0, close.start()) + 2  # the newline before the line counts too
            body_start = close.end() + 1 if fm_end < count else len(text)  # close.end() is the line's newline
            fm_lines = lines[1 : fm_end - 1]
            fast = _fast_front_matter(fm_lines) if "meta" in parts else {}
            if fast is not None:
                fm = fast
            else:
                parsed, diag = _yaml_front_matter("\n".join(fm_lines), 2)
                if diag is not None:
                    diags.append(diag)
                fm = parsed or {}

    title = fm.get("title")
    title = str(title) if title is not None else None
    date_key = "date" if "date" in fm else ("data" if "data" in fm else None)
    fm_date: date | None = None
    fm_time: str | None = None
    date_line: int | None = None
    if date_key is not None:
        fm_date, fm_time = parse_date_value(fm[date_key])
        date_line = front_matter_line(lines, date_key, fm_end)
        if fm_date is None and fm[date_key] is not None:
            diags.append(
                Diagnostic(
                    date_line or 1,
                    Severity.ERROR,
                    f"front matter `{date_key}` is not a date: {fm[date_key]!r}",
                    "front-matter",
                )
            )
        elif date_key == "data":
            diags.append(
                Diagnostic(
                    date_line or 1, Severity.WARNING, "front matter has `data:` where `date:` is meant", "front-matter"
                )
            )
    day_value = fm.get("day")
    day: int | None = None
    if isinstance(day_value, int) and not isinstance(day_value, bool):
        day = day_value
    elif day_value is not None:
        diags.append(
            Diagnostic(
                front_matter_line(lines, "day", fm_end) or 1,
                Severity.ERROR,
                f"front matter `day` is not a number: {day_value!r}",
                "front-matter",
            )
        )
    title_day = None
    if title:
        m = _TITLE_DAY.search(title)
        if m:
            title_day = int(m.group(1) or m.group(2))
    author = fm.get("author")

    # Substring tests ask for one character first (a fast scan): see `entries.markdown.mask_code`.
    conflict = ("<" in text and "<<<<<<<" in text) or (">" in text and ">>>>>>>" in text)
    for m in _CONFLICT.finditer(text) if conflict else ():
        ln = text.count("\n", 0, m.start()) + 1
        if ln > fm_end:
            diags.append(Diagnostic(ln, Severity.ERROR, "unresolved merge-conflict marker", "conflict"))
            break

    masked = mask_code(text, inline=False)
    masked_lines = lines if masked is text else masked.split("\n")
    # Headings (ATX and <hN>), outside code.
    heads = _atx_headings(masked, body_start, fm_end + 1)
    index: LineIndex | None = None
    if "<" in masked and ("<h" in masked or "<H" in masked):
        index = LineIndex.of(text, lines)
        for m in _HTML_HEADING.finditer(masked, body_start):
            htext = re.sub(r"<[^>]*>", "", m.group("text")).strip()
            heads.append((index.line_of(m.start()), int(m.group("level")), htext, m.start(), _shown(htext)))
        heads.sort()
    keys = [matcher.key_of(h[2]) for h in heads]
    sections: list[Section] = []
    for i, (ln, level, _, start, shown) in enumerate(heads):
        key = keys[i]
        end, stop = count, len(text)
        for j in range(i + 1, len(heads)):
            if heads[j][1] <= level or (keys[j] is not None and keys[j] != key):
                end, stop = heads[j][0] - 1, heads[j][3]  # up to the line before that heading
                break
        sections.append(Section(key, shown, level, ln, end, start, stop))

    questions: list[Question] = []
    followups: list[FollowUp] = []
    tasks: list[Task] = []
    seen_topics: dict[str, int] = {}
    wanted = {"peer": "questions", "followups": "followups", "tasks": "tasks"}
    for k, s in enumerate(sections):
        if s.key not in wanted or wanted[s.key] not in parts:
            continue
        if any(o.key == s.key and o.line < s.line <= o.end for o in sections[:k]):
            continue  # `### 피어세션 시간 고찰` inside `## 피어세션 정리`: read once, as part of the outer one
        body = masked_lines[s.line : s.end]
        if s.key == "peer":
            questions.extend(_peer_questions(body, s.line + 1, known_names))
        elif s.key == "followups":
            for fu in _followups(body, s.line + 1, diags):
                topic_key = _nfc(fu.topic).casefold()
                ordinal = seen_topics.get(topic_key, 0)
                seen_topics[topic_key] = ordinal + 1
                followups.append(_with_ordinal(fu, ordinal))
        else:
            tasks.extend(_tasks(_items(body, s.line + 1), 0, diags))
    if "tasks" in parts and not tasks and not any(s.key == "tasks" for s in sections) and _CHECKLIKE.search(masked):
        # No assignment section: checklist items anywhere else still are the day's tasks.
        tasks = _tasks(_items(_outside(masked_lines, fm_end, sections, _NOT_TASKS), 1), 0, [])
    if "followups" in parts:
        marker_lines = masked_lines if "필" in masked and "필요" in masked else None
        # decomposed Hangul (macOS): match on NFC
        if marker_lines is None and _NFD_PILYO[0] in masked and _NFD_PILYO in masked:
            marker_lines = unicodedata.normalize("NFC", masked).split("\n")
        if marker_lines is not None:
            followups.extend(_marker_followups(_outside(marker_lines, fm_end, sections, _NOT_MARKERS)))
            followups.sort(key=lambda f: f.line)
            seen_topics.clear()
            for i, fu in enumerate(followups):
                topic_key = _nfc(fu.topic).casefold()
                ordinal = seen_topics.get(topic_key, 0)
                seen_topics[topic_key] = ordinal + 1
                followups[i] = _with_ordinal(fu, ordinal)

    links: list[Link] = []
    has_math = bool(fm.get("math") or fm.get("use_math"))
    if "links" in parts:
        prose = mask_code(masked, comments=False)  # inline code blanked too
        links = _links(prose, index or LineIndex.of(text, lines), body_start, sections)
        has_math = has_math or (("$" in prose or "\\" in prose) and bool(_MATH.search(prose, body_start)))
    return Entry(
        front_matter=fm,
        front_matter_end=fm_end,
        title=title,
        date=fm_date,
        date_line=date_line,
        time=fm_time,
        day=day,
        title_day=title_day,
        author=str(author) if author is not None else None,
        categories=_as_strings(fm.get("categories")),
        tags=_as_strings(fm.get("tags")),
        sections=tuple(sections),
        questions=tuple(questions),
        followups=tuple(followups),
        tasks=tuple(tasks),
        links=tuple(links),
        has_math=has_math,
        line_count=count,
        diagnostics=tuple(sorted(diags, key=lambda d: d.line)),
    )


def _atx_headings(masked: str, start: int, line: int) -> list[tuple[int, int, str, int, str]]:
    """(line, level, text, offset, shown title) of the ATX headings from offset `start`, which begins `line`.

    What `_HEADING.finditer(masked, start)` finds, found faster: `_HEADING` is tried only on
    lines that start like a heading, and a team's template headings, which recur in every
    entry, are read once per process.
    """
    heads: list[tuple[int, int, str, int, str]] = []
    last = start
    for m in _HEADING_START.finditer("\n" + masked, start):  # offsets in it are one past the newline
        raw = m.group()
        if raw in _HEADING_LINES:
            got = _HEADING_LINES[raw]
        else:
            h = _HEADING.match(raw, 1)
            if h is not None:
                htext = (h.group("text") or "").strip()
                got = (len(h.group("hashes")), htext, _shown(htext))
            else:
                got = None
            if len(_HEADING_LINES) >= 4096:  # a long-running process reads many workspaces
                _HEADING_LINES.clear()
            _HEADING_LINES[raw] = got
        if got is not None:
            offset = m.start()
            line += masked.count("\n", last, offset)
            last = offset
            heads.append((line, got[0], got[1], offset, got[2]))
    return heads


def _shown(htext: str) -> str:
    """A heading's text as shown: without markup, NFC."""
    return _nfc(_MARKUP.sub("", htext)).strip() if _MARKUP_CHARS.intersection(htext) else _nfc(htext)


def front_matter_line(lines: list[str], key: str, fm_end: int) -> int | None:
    """1-based line of `key:` in the front matter (which ends on line `fm_end`), if present."""
    prefix = key + ":"
    for i in range(1, max(fm_end - 1, 0)):
        if lines[i].startswith(prefix):
            return i + 1
    return None


def _with_ordinal(fu: FollowUp, ordinal: int) -> FollowUp:
    """Set the repeat count, and show decomposed (NFD) Hangul composed, as every reader expects."""
    topic, note = _nfc(fu.topic), _nfc(fu.note)
    if ordinal == fu.ordinal and topic is fu.topic and note is fu.note:
        return fu
    return FollowUp(topic, note, fu.done, fu.done_on, fu.form, fu.line, fu.end, ordinal)


def _done_date(text: str) -> tuple[str, date | None]:
    m = _DONE_DATE.search(text) if "✅" in text else None
    if not m:
        return text, None
    try:
        return text[: m.start()].rstrip(), date.fromisoformat(m.group(1))
    except ValueError:
        return text, None


def _followups(body: list[str], first: int, diags: list[Diagnostic]) -> list[FollowUp]:
    out: list[FollowUp] = []
    # Blockquote form: `> ▪ **topic**` then `> note` lines until a blank line or the next ▪.
    quote: tuple[int, str, list[str]] | None = None
    last = first - 1

    def close_quote() -> None:
        nonlocal quote
        if quote is None:
            return
        ln, topic, notes = quote
        topic = _clean_topic(topic)
        if topic:
            out.append(FollowUp(topic, "\n".join(notes), False, None, FollowUpForm.QUOTE, ln, max(ln, last), 0))
        else:
            diags.append(Diagnostic(ln, Severity.WARNING, "follow-up `▪` with no topic: skipped", "empty-item"))
        quote = None

    has_quote = ">" in "".join(body)
    non_quote: list[str] = [] if has_quote else body  # without `>` there is no quote form to strip
    for i, raw in enumerate(body if has_quote else ()):
        n = first + i
        qm = _QUOTE_ITEM.match(raw)
        if qm:
            close_quote()
            quote = (n, qm.group("text"), [])
            last = n
            non_quote.append("")
            continue
        if quote is not None:
            lm = _QUOTE_LINE.match(raw)
            if lm and raw.strip():
                note = _strip_arrow(lm.group("text")) if lm.group("text").strip() else ""
                if note:
                    quote[2].append(note)
                last = n
                non_quote.append("")
                continue
            close_quote()
        non_quote.append(raw)
    close_quote()

    for it in _items(non_quote, first):
        cm = _CHECKBOX.match(it.text)
        extra_notes = [t for _, t in _flatten(it)[1:] if t] if it.extra or it.children else ()
        if cm:
            mark, text = cm.group("mark", "text")
            text = text.strip()
            text, done_on = _done_date(text) if "✅" in text else (text, None)
            if not text:
                diags.append(
                    Diagnostic(it.line, Severity.WARNING, "follow-up checkbox with no text: skipped", "empty-item")
                )
                continue
            topic, note = _split_topic(text)
            note = "\n".join([note, *extra_notes]).strip() if extra_notes else note
            out.append(
                FollowUp(
                    _clean_topic(topic),
                    note,
                    mark != " ",
                    done_on,
                    FollowUpForm.CHECKBOX,
                    it.line,
                    it.end,
                    0,
                )
            )
        elif it.text:
            topic, note = _split_topic(it.text)
            note = "\n".join([note, *extra_notes]).strip() if extra_notes else note
            out.append(FollowUp(_clean_topic(topic), note, False, None, FollowUpForm.BULLET, it.line, it.end, 0))
    out.sort(key=lambda f: f.line)
    return out


def _tasks(items: list[_Item], depth: int, diags: list[Diagnostic]) -> list[Task]:
    out: list[Task] = []
    for it in items:
        cm = _CHECKBOX.match(it.text)
        if cm:
            raw = cm.group("text").strip()
            text, done_on = _done_date(raw)
            if text:
                out.append(Task(_nfc(text), cm.group("mark") != " ", done_on, it.line, depth, raw))
            else:
                diags.append(Diagnostic(it.line, Severity.WARNING, "checkbox with no text: skipped", "empty-item"))
        elif "✅" in it.text or "☑" in it.text:
            em = _EMOJI_DONE.match(it.text)  # `- 취업 컨설팅 ✅`: an emoji instead of a checked box
            if em is not None:
                text = (em.group("text") or em.group("text2")).strip().rstrip(" ✅☑\ufe0f")
                done_on = None
                if em.group("tail"):
                    text, done_on = _done_date(f"{text} ✅ {em.group('tail').strip()}")
                if text:
                    out.append(Task(_nfc(text), True, done_on, it.line, depth, it.text))
        out.extend(_tasks(it.children, depth + 1, diags))
    return out


_EMOJI_DONE = re.compile(
    r"^(?:(?:✅|☑\ufe0f?)[ \t]*(?P<text>.+?)|(?P<text2>.+?)[ \t]*(?:✅|☑\ufe0f?))"
    r"(?P<tail>[ \t]*\d{4}-\d{2}-\d{2})?[ \t]*$"
)
_CHECKLIKE = re.compile(r"^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+(?:\[[ xX]\]|.*(?:✅|☑))", re.M)
_NFD_PILYO = unicodedata.normalize("NFD", "필요")
_NOT_TASKS = frozenset({"peer", "followups", "reminders"})
_NOT_MARKERS = frozenset({"peer", "followups", "reminders", "tasks"})
_MARKER_ITEM = re.compile(
    r"^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+(?:\[(?P<mark>[ xX])\][ \t]+)?"
    r"(?P<marker>추후[ \t]*보완[ \t]*필요|추가[ \t]*필요|보완[ \t]*필요)"
    r"(?P<rest>(?:[ \t]*[-:：—–][ \t]*|[ \t]+).*?|)[ \t]*\r?$"
)


def _outside(lines: list[str], fm_end: int, sections: Iterable[Section], skip: frozenset[str]) -> list[str]:
    """The body lines (from line 1) with front matter and the `skip` sections blanked."""
    out = ["" if i < fm_end else raw for i, raw in enumerate(lines)]
    for s in sections:
        if s.key in skip:
            for i in range(s.line - 1, min(s.end, len(out))):
                out[i] = ""
    return out


def _marker_followups(lines: list[str]) -> list[FollowUp]:
    """`- 추후 보완 필요 - topic` placeholders outside the follow-up block: open follow-ups.

    A bare marker (`- 추가필요` under `과제 결과물에 대한 정리`) names nothing to look into and
    is left alone, as is the marker in the middle of a sentence.
    """
    out: list[FollowUp] = []
    for i, raw in enumerate(lines):
        if "필요" not in raw:
            continue
        m = _MARKER_ITEM.match(raw)
        if m is None:
            continue
        rest, done_on = _done_date(m.group("rest").strip(" \t-:：—–"))
        topic = _clean_topic(rest)
        if not topic:
            continue  # a bare `- 추후 보완 필요` says nothing to look into: template residue, not a topic
        mark = m.group("mark")
        form = FollowUpForm.CHECKBOX if mark is not None else FollowUpForm.BULLET
        out.append(FollowUp(topic, m.group("marker"), mark not in (None, " "), done_on, form, i + 1, i + 1, 0))
    return out


def _links(prose: str, index: LineIndex, start: int, sections: list[Section]) -> list[Link]:
    """Links in `prose` (text with code and comments blanked)."""
    if "](" not in prose and "http" not in prose:
        return []
    found: list[tuple[int, str, str]] = []
    taken: list[tuple[int, int]] = []
    for m in _LINK.finditer(prose, start):
        found.append((m.start(), m.group("text"), m.group("url")))
        taken.append((m.start(), m.end()))
    for m in _AUTOLINK.finditer(prose, start):
        found.append((m.start(), m.group("url"), m.group("url")))
        taken.append((m.start(), m.end()))
    for m in _BARE_URL.finditer(prose, start):
        if any(a <= m.start() < b for a, b in taken):
            continue
        url = m.group(0).rstrip(".,;:!?'\"")
        found.append((m.start(), url, url))
    found.sort()
    out = []
    for off, text, url in found:
        line = index.line_of(off)
        out.append(Link(text, url, line, _section_key_at(sections, line)))
    return out


def _section_key_at(sections: Iterable[Section], line: int) -> str | None:
    key = None
    for s in sections:
        if s.line <= line <= s.end:
            key = s.key if s.key is not None else key
    return key


def section_at(entry: Entry, line: int) -> str | None:
    """The key of the innermost named section holding `line`."""
    return _section_key_at(entry.sections, line)


def has_content(entry: Entry, text: str, *, ignore: Iterable[str] = ("reminders",)) -> bool:
    """Whether any section of the entry has something written in it (not template residue)."""
    skip = set(ignore)
    lines = mask_code(text, inline=False, comments=True).split("\n")
    return any(s.key not in skip and section_is_filled(lines, s) for s in entry.sections)


def section_is_filled(masked_lines: list[str], section: Section) -> bool:
    """True when the section's own body holds more than blanks, rules, bare markers and comments."""
    return any(not _RESIDUE.match(raw) for raw in masked_lines[section.line : section.end])


def filled_lines(masked_lines: list[str], section: Section) -> Iterator[tuple[int, str]]:
    """(1-based line, text) of the section's body lines that are not residue (`markdown.is_residue`)."""
    for n in range(section.line, section.end):
        raw = masked_lines[n]
        if not _RESIDUE.match(raw):
            yield n + 1, raw
