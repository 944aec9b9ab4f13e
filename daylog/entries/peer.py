"""The peer-session reader: who asked what, and the answers written under it.

Real posts write the same thing many ways (FORMATS.md in the shared corpus): askers in
backticks, brackets, quotes or as `동현님:`; name headings and name lines over a group of
items; `Q.`/`A.` pairs; `질문? -> 답` on one line; answers as nested items, `>` quotes or
`➡` lines. Each shape has its reader below. Pure: standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from daylog.entries.items import ITEM, Item, items, nfc
from daylog.entries.markdown import atx_heading
from daylog.entries.model import Answer, Question
from daylog.entries.sections import MARKUP

# --- names -------------------------------------------------------------------------

_NAME_CHARS = r"[^`\n()\[\]{}=./\\<>;,:#$|*]"
_NAME_LIST = re.compile(
    rf"^(?P<names>`{_NAME_CHARS}{{1,30}}`(?:\s*(?:&|,|/|와|과|및|and|\+)\s*`{_NAME_CHARS}{{1,30}}`)*)"
    r"\s*(?:[:：]\s*|\s+|$)(?P<rest>.*)$"
)
_BACKTICK_NAME = re.compile(r"`([^`\n]{1,30})`")
_BRACKET_NAME = re.compile(r"^\[(?P<name>[^\]\[\n\s()]{1,20})\](?!\()(?:\s*[:：]\s*|\s+|$)(?P<rest>.*)$")
_LINKED_NAME = re.compile(
    r"^\[\[(?P<name>[^\]\[\n\s()]{1,20})\](?P<title>[^\[\]\n]*+)\]\((?P<url>[^()\s]+)\)(?P<rest>.*)$"
)
_QUOTED_NAME = re.compile(r"^['‘](?P<name>[^'’\n\s]{1,15})['’](?:\s*[:：]\s*|\s+|$)(?P<rest>.*)$")
_BOLD_NAME = re.compile(
    r"^\*\*(?P<name>[^*\n:：]{1,20}?)[ \t]*(?P<inside>[:：])?\*\*[ \t]*(?P<after>[:：])?[ \t]*(?P<rest>.*)$"
)
_PLAIN_NAME = re.compile(r"^(?P<name>[^\s:：`\[\]]{1,12}?)(?P<nim>님)?\s*[:：]\s*(?P<rest>.+)$")
_ONLY_NAME = re.compile(r"^(?P<name>[^\s:：`\[\]'‘’*]{1,12}?)(?P<nim>님)?\s*[:：]?$")
_BARE_NAME = re.compile(r"^(?:[가-힣]{1,8}|[A-Z]{1,3})$")
_NOT_NAMES = frozenset(
    {"질문", "답변", "답", "링크", "참고", "공지", "정리", "요약", "팁", "꿀팁", "과제"}
    | {"q", "a", "todo", "tip", "link", "x"}
)
"""Bracketed or quoted words that label an item rather than name a person (`[링크]`, `[Q]`)."""

Names = tuple[tuple[str, ...], str]
"""(names, the rest of the text)."""


def split_names(text: str, known_names: frozenset[str] = frozenset()) -> Names:
    """Leading person names of an item (`` `민지` & `도겸`: … ``) → (names, rest); NFC names."""
    for read in _NAME_READERS:
        found = read(text, known_names)
        if found is not None:
            return found
    return (), text


def _backtick_names(text: str, known: frozenset[str]) -> Names | None:
    """`` `민지` & `도겸`: … ``; without a colon only if the words look like names (not `` `torch` 버전 ``)."""
    m = _NAME_LIST.match(text)
    if m is None:
        return None
    names = tuple([nfc(n.strip()) for n in _BACKTICK_NAME.findall(m.group("names"))])
    colon = text[m.end("names") : m.start("rest")].strip()
    if colon or not m.group("rest") or all(_bare_name(n, known) for n in names):
        return names, m.group("rest").strip()
    return None


def _linked_name(text: str, known: frozenset[str]) -> Names | None:
    """`[[히스] CNN 과 GNN](…/issues/90)`: the issue title names the asker."""
    m = _LINKED_NAME.match(text)
    if m is None or not _person(m.group("name")):
        return None
    return (nfc(m.group("name")),), f"[{m.group('title').strip()}]({m.group('url')}){m.group('rest')}".strip()


def _bracketed_name(text: str, known: frozenset[str]) -> Names | None:
    """`[펭귄] …` or `'엠제이' …`, followed by something."""
    for rx in (_BRACKET_NAME, _QUOTED_NAME):
        m = rx.match(text)
        if m and m.group("rest") and _person(m.group("name")):
            return (nfc(m.group("name").strip()),), m.group("rest").strip()
    return None


def _bold_name(text: str, known: frozenset[str]) -> Names | None:
    """`**지우**: 질문` or `**지우:** 질문` (common in Korean posts), for a name-like word only."""
    m = _BOLD_NAME.match(text)
    if m is None or not (m.group("inside") or m.group("after")) or not m.group("rest").strip():
        return None
    name = nfc(m.group("name").strip())
    plain = name.removesuffix("님")
    if not _person(plain) or not (name != plain or _bare_name(plain, known)):
        return None
    return (plain,), m.group("rest").strip()


def _plain_name(text: str, known: frozenset[str]) -> Names | None:
    """`동현님: …`, or `민지: …` for a known name (an unknown `ResNet:` is a topic)."""
    m = _PLAIN_NAME.match(text)
    if m is None:
        return None
    name = nfc(m.group("name"))
    return ((name,), m.group("rest").strip()) if m.group("nim") or _is_known(name, known) else None


_NAME_READERS: tuple[Callable[[str, frozenset[str]], Names | None], ...] = (
    _backtick_names,
    _linked_name,
    _bracketed_name,
    _bold_name,
    _plain_name,
)
"""In the order they are tried: the first that reads names wins."""


def name_only(text: str, known_names: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The names when `text` is nothing but names (`` `MJ` ``, `[펭귄]`, `동현님`, a member's name)."""
    text = _unbold(text.strip())
    if not text:
        return ()
    names, rest = split_names(text, known_names)
    if names:
        return names if not rest or rest in (":", "：") else ()
    return _lone_bracketed_name(text) or _lone_plain_name(text, known_names)


def _lone_bracketed_name(text: str) -> tuple[str, ...]:
    for rx in (_BRACKET_NAME, _QUOTED_NAME):
        m = rx.match(text)
        if m and not m.group("rest") and _person(m.group("name")):
            return (nfc(m.group("name")),)
    return ()


def _lone_plain_name(text: str, known: frozenset[str]) -> tuple[str, ...]:
    m = _ONLY_NAME.match(text)
    if m is None:
        return ()
    name = nfc(m.group("name"))
    return (name,) if m.group("nim") or _is_known(name, known) else ()


def _unbold(text: str) -> str:
    return text[2:-2].strip() if text.startswith("**") and text.endswith("**") and len(text) > 4 else text


def _is_known(name: str, known: frozenset[str]) -> bool:
    if name in known:
        return True
    if name.isascii():
        folded = name.casefold()
        return any(k.casefold() == folded for k in known if k.isascii())
    return False


def _bare_name(name: str, known: frozenset[str]) -> bool:
    """Whether a backticked word with no colon after it names a person (`` `샐리` 질문 ``, not `` `torch` 버전 ``)."""
    return _BARE_NAME.match(name) is not None or _is_known(name, known)


def _person(name: str) -> bool:
    """A bracketed/quoted word that can be a person's name (not `[링크]`, not `[0.5]`, and not
    one Latin letter: `- [y] …` is a mistyped checkbox, not a question asked by "y")."""
    if len(name) == 1 and name.isascii():
        return False
    return name.casefold() not in _NOT_NAMES and any(c.isalpha() for c in name)


# --- the section: groups of items under name headings and name lines -----------------------

_LIST_STARTS = frozenset(" \t-*+>")

Group = tuple[int, int, tuple[str, ...]]
"""(start, stop) indexes into the body lines, and the askers a name heading or line gives them."""


def peer_questions(body: list[str], first: int, known: frozenset[str]) -> list[Question]:
    """Questions of a peer-session body (`first` is the 1-based number of body[0]).

    `#### 후미` (a name heading), a line holding only `` `MJ` ``, or `동현님:` paragraphs
    give the following items an asker; any other heading or paragraph ends that.
    """
    lines, groups = _groups(body, known)
    out: list[Question] = []
    for start, stop, askers in groups:
        if start < stop:
            out.extend(_questions(items(lines[start:stop], first + start), known, askers))
    return out


def _groups(body: list[str], known: frozenset[str]) -> tuple[list[str], list[Group]]:
    """The body split at name headings and name lines (blanked), `name: …` paragraphs made items."""
    lines = list(body)
    groups: list[Group] = []
    start: int = 0
    askers: tuple[str, ...] = ()
    names: tuple[str, ...] | None
    names_used: frozenset[str] | None = None
    may_name = True  # after a blank line or a `name: …` paragraph line, a paragraph may name its asker
    for i, raw in enumerate(lines):
        stripped = raw.strip()
        if not stripped or raw[0] in _LIST_STARTS or raw[0].isdigit():  # blanks, items, quotes: the items read them
            may_name = not stripped
            continue
        heading = atx_heading(raw)
        if heading is not None:
            if names_used is None:
                names_used = _names_used(body, known)
            names = _heading_names(heading[1], known | names_used)
        else:
            names = name_only(nfc(stripped), known) if len(stripped) <= 40 else ()
            if not names and may_name and split_names(nfc(stripped), known)[0]:
                lines[i] = "- " + stripped  # `샐리 : …` paragraph: read it as an item
                continue
            names = names or None
        may_name = False
        if names is not None:  # a heading (named or not) or a name line starts a new group
            groups.append((start, i, askers))
            start, askers = i + 1, names
            lines[i] = ""
    groups.append((start, len(lines), askers))
    return lines, groups


def _names_used(body: list[str], known: frozenset[str]) -> frozenset[str]:
    """Names the section itself marks as people (`` `후미`: `` items), to recognise `#### 후미`."""
    names: set[str] = set()
    for raw in body:
        m = ITEM.match(raw)
        text = (m.group("text") or "").removesuffix("\r") if m else ""
        if text:
            names.update(split_names(nfc(text), known)[0])
    return frozenset(names)


def _heading_names(text: str, known: frozenset[str]) -> tuple[str, ...]:
    if "`" in text:  # `` #### `후미` ``: explicitly a name
        return name_only(nfc(text.strip()), known)
    text = nfc(MARKUP.sub("", text).strip())
    return name_only(text, known) if len(text) <= 20 else ()


# --- the items: one reader per shape -------------------------------------------------------

_QA_QUESTION = re.compile(r"^(?:Q|질문)\s*[.:：)]\s*(?P<rest>.+)$", re.I)
_QA_ANSWER = re.compile(r"^(?:A|답변?)\s*[.:：)]\s*(?P<rest>.*)$", re.I)
_INLINE_ANSWER = re.compile(r"[?？]\s*(?:->|→|➡️?|=>)\s*")
_ARROW = re.compile(r"^(?:➡️?|→|->|=>|⇒)\s*")
_URLISH = re.compile(r"\]\([^()\[\]\s]*+\)|https?://\S+")
"""A link target or a URL; a target stops at the next bracket, so that `](](](…` costs its length."""


def _questions(siblings: list[Item], known: frozenset[str], context: tuple[str, ...]) -> list[Question]:
    """Questions among sibling items; `context` are the askers of a name heading/line/parent above them."""
    out: list[Question] = []
    qa_open = False  # out[-1] is a `Q.` question, which an `A.` sibling answers
    for it in siblings:
        askers, rest = split_names(nfc(it.text), known)
        answer = None if askers else _QA_ANSWER.match(rest)
        if qa_open and answer is not None:
            out[-1] = _qa_answered(out[-1], answer, it)
            continue
        found, qa_open = _item_questions(it, askers, rest, known, context)
        out.extend(found)
    return out


def _item_questions(
    it: Item, askers: tuple[str, ...], rest: str, known: frozenset[str], context: tuple[str, ...]
) -> tuple[list[Question], bool]:
    """The questions one item holds, and whether it is a `Q.` question an `A.` sibling may answer."""
    qa = _QA_QUESTION.match(rest)
    if qa is not None:
        rest = qa.group("rest").strip()
    elif not askers and not rest.strip() and not it.children:
        return [], False
    if not askers and it.children:
        askers, rest = _parent_names(rest, known)
    if askers and not rest and not it.extra:
        return _questions(it.children, known, askers), False  # `- 동현님` over that person's questions
    askers = askers or context
    rest = _strip_arrow(rest)
    if not askers and qa is None and not _asks(rest):
        return _questions(it.children, known, ()), False  # a label (`- Questions`) or a remark over questions
    question = _question(it, askers, rest, known)
    return ([question], qa is not None) if question is not None else ([], False)


def _parent_names(rest: str, known: frozenset[str]) -> Names:
    """A short item over nested ones that is only a name (`- 동현님`) names their asker."""
    names = name_only(rest, known) if len(rest) <= 20 and not _asks(rest) else ()
    return (names, "") if names else ((), rest)


def _question(it: Item, askers: tuple[str, ...], text: str, known: frozenset[str]) -> Question | None:
    """The item as a question with its answers: inline, on continuation lines, nested below."""
    text, answers = _inline_answer(text, it.line)
    text, answers = _continuation_answers(it.extra, text, answers)
    answers += [a for a in (_nested_answer(child, known) for child in it.children) if a is not None]
    if not text and not answers:
        return None
    return Question(askers, text, tuple(answers), it.line, it.end)


def _inline_answer(text: str, line: int) -> tuple[str, list[Answer]]:
    """`질문? -> 답` on one line."""
    m = _INLINE_ANSWER.search(text)
    if m is None or m.end() == len(text):
        return text, []
    return text[: m.start() + 1].strip(), [Answer(None, text[m.end() :].strip(), line)]


def _continuation_answers(
    extra: list[tuple[int, str]], text: str, answers: list[Answer]
) -> tuple[str, list[Answer]]:
    """`>` and arrow lines answer; other lines continue the last answer, or else the question."""
    answers = list(answers)
    more: list[str] = []
    for line, written in extra:
        raw = nfc(written)
        quoted = raw.startswith(">")
        body = raw.lstrip(">").strip() if quoted else raw
        arrow = _ARROW.match(body) is not None
        body = _strip_arrow(body)
        if not body:
            continue
        if arrow or quoted:
            answers.append(Answer(None, body, line))
        elif answers:
            last = answers[-1]
            answers[-1] = Answer(last.answerer, f"{last.text}\n{body}", last.line)
        else:
            more.append(body)
    return (" ".join([text, *more]).strip() if more else text), answers


def _nested_answer(child: Item, known: frozenset[str]) -> Answer | None:
    """A nested item answers: `` `샐리`: … ``, `A. …`, `➡ …`, with whatever is nested in it."""
    who, text = split_names(nfc(child.text), known)
    qa = None if who else _QA_ANSWER.match(text)
    if qa is not None:
        text = qa.group("rest")
    parts = [_strip_arrow(text)] if text else []
    parts += [_strip_arrow(nfc(t)) for _, t in child.flatten()[1:]]
    body = "\n".join(p for p in parts if p)
    if not body and not who:
        return None
    return Answer(" & ".join(who) or None, body, child.line)


def _qa_answered(question: Question, answer: re.Match[str], it: Item) -> Question:
    """The `Q.` question with the `A.` item below it as one more answer."""
    lines = [answer.group("rest").strip()]
    lines += [_strip_arrow(nfc(t.lstrip(">").strip())) for _, t in it.flatten()[1:]]
    body = "\n".join(p for p in lines if p)
    answers = (*question.answers, Answer(None, body, it.line))
    return Question(question.askers, question.text, answers, question.line, it.end)


def _strip_arrow(text: str) -> str:
    return _ARROW.sub("", text).strip()


def _asks(text: str) -> bool:
    """Whether an item with no asker reads as a question: a `?` outside link targets and URLs."""
    if "?" not in text and "？" not in text:
        return False
    return "？" in text or "?" in _URLISH.sub("", text)
