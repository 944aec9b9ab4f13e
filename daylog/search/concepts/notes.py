"""One concept note, `concepts/<name>.md`: its name, aliases and Markdown.

```
---
title: ResNet
aliases: [레즈넷, residual network]
---

## 정의
…
```

The front matter is read by the entries' reader (the bounded YAML loader, #12). `title` names
the concept (else the file's stem does); `aliases` is a list of other names (or one name).
Front matter that cannot be read, a title or alias that is no name (`../x`, a list, 300
characters) is a problem `check` reports; the note still counts under its file's name, with
the aliases that could be read. Pure: the standard library and the pure modules of
`entries` and `concepts`.
"""

from __future__ import annotations

from dataclasses import dataclass

from daylog.entries.frontmatter import front_matter_line, read_front_matter
from daylog.search.concepts.names import key, slug
from daylog.search.concepts.wikilinks import clean, name_problem

NOTE_TEMPLATE = """\
---
title: {title}
aliases: [{aliases}]
---

## 정의

<!-- 한두 문장으로: 무엇이고 왜 쓰는가 -->

## 링크

"""
"""What `daylog concept new` writes (the heading and the comment are for the team to replace)."""


@dataclass(frozen=True, slots=True)
class Note:
    """A concept note as read from its file."""

    id: str
    """The concept's slug: its file's stem made safe (`ResNet.md` → `resnet`); its page's path."""
    path: str
    """The file, relative to the workspace (`concepts/resnet.md`)."""
    title: str
    """The concept's name: `title`, else the file's stem."""
    aliases: tuple[str, ...]
    body: str
    """The Markdown after the front matter."""
    body_line: int
    """1-based line of the body's first line in the file."""
    problems: tuple[tuple[int, str], ...] = ()
    """(line, message) of what is wrong in the file."""

    @property
    def names(self) -> tuple[str, ...]:
        """The title, then the aliases."""
        return (self.title, *self.aliases)


def _strings(value: object) -> tuple[list[str], bool]:
    """The strings of a YAML value (one string or a list of them), and whether it was such a value."""
    if value is None:
        return [], True
    if isinstance(value, str | int | float):
        return [str(value)], True
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return [str(v) for v in value], True
    return [], False


def read_note(path: str, stem: str, text: str) -> Note:
    """The note in `text` (the file `path`, whose name without `.md` is `stem`)."""
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    front = read_front_matter(text, lines)
    problems = [(d.line, d.message) for d in front.diagnostics]
    where = {k: front_matter_line(lines, k, front.end) or 1 for k in ("title", "aliases")}
    title = clean(stem)
    raw_title = front.values.get("title")
    if raw_title is not None:
        written = clean(str(raw_title)) if isinstance(raw_title, str | int | float) else ""
        problem = name_problem(written) if written else "is not a name (write `title: ResNet`)"
        if problem:
            problems.append((where["title"], f"title {problem}"))
        else:
            title = written
    names, ok = _strings(front.values.get("aliases"))
    if not ok:
        problems.append(
            (where["aliases"], "aliases must be a list of names, e.g. `aliases: [레즈넷, residual network]`")
        )
    aliases: list[str] = []
    seen = {key(title)}
    for raw in names:
        alias = clean(raw)
        problem = name_problem(alias)
        if problem:
            problems.append((where["aliases"], f"alias {alias[:40]!r} {problem}"))
        elif key(alias) not in seen:
            seen.add(key(alias))
            aliases.append(alias)
    body = text[front.body_start :] if front.end else text
    return Note(slug(stem), path, title, tuple(aliases), body, front.end + 1, tuple(problems))


def scaffold(title: str, aliases: tuple[str, ...] = ()) -> str:
    """The text of a new note (`daylog concept new`), its names quoted for YAML."""
    import json

    return NOTE_TEMPLATE.format(title=json.dumps(title, ensure_ascii=False),
                                aliases=", ".join(json.dumps(a, ensure_ascii=False) for a in aliases))  # fmt: skip
