"""Text daylog lifts onto its own pages, made inert: no renderer may read markup into it (#12).

The pages are Markdown, and Python-Markdown (MkDocs, Zensical) passes raw HTML through. An
entry's own page shows its Markdown as written: it is the team's text. Whatever daylog lifts
out of an entry onto another page (follow-ups, questions, answers, tasks, TIL excerpts,
titles) or takes from settings (names, the course) goes through `text` (one line) or `block`
(a TIL excerpt), which keep inline Markdown (emphasis, links, math) but nothing that is markup:

- `<` becomes `&#60;` (`\\lt ` in math, which TeX reads the same); on one line `>` too (a quote
  mark there would start a block), while a block keeps `>` (quotes are Markdown, `>` opens no tag);
- code becomes a `<code>` or `<pre>` element daylog writes, its text all character references,
  so it is inert whether or not the renderer agrees with daylog on where the code ends;
- `{` (attr_list reads `{onclick=…}` as attributes), a stray `` ` `` and a `$` outside math become
  references, so that no mark can pair with one of a neighbouring string;
- a link, image or reference definition whose target is not http(s), mailto or a plain relative
  path loses its link (`javascript:` and entity tricks included); HTML comments are dropped.

`esc` is stricter, for text from outside the team (issue titles): no Markdown at all.
Pure: the standard library, `daylog.entries.markdown` and markupsafe (Jinja's `Markup`, which the
templates read as "already made safe").
"""

from __future__ import annotations

import functools
import html
import json
import re

from markupsafe import Markup

from daylog.entries.markdown import fenced_ranges

_NO_LINK = "\ue000"
"""Stands for the `(` of a refused link target until the end, where it becomes `&#40;`."""
_NO_REF = "\ue001"
"""Stands for the `:` of a refused reference definition (`[a]: target`) until the end (`&#58;`)."""

_SPECIAL = re.compile(r"[<>{`$|\]\\\ue000\ue001]|^(?:[#=~(]|[-+*](?= )|\d{1,9}[.)](?= |$))")
"""Whatever `text` must change; the rest passes as it is."""
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# Zero-width targets: each `](` and `[…]:` is judged, also one inside another's refused target.
_LINK = re.compile(r"\]\((?=\s*(?P<target><[^>\n]*>|[^\s)]*))")
_REF_DEF = re.compile(r"\]:(?=\s*(?P<target><[^>\n]*>|\S*))")
_WEB = re.compile(r"(?i)(?:https?://|mailto:)")
# Python-Markdown's own code span (BACKTICK_RE): even backslashes before a backtick, or a span.
_CODE = re.compile(r"(?<!\\)(?:\\{2})+(?=`+)|(?<!\\)(?P<tick>`+)(?P<code>.+?)(?<!`)(?P=tick)(?!`)")
# What arithmatex reads as math (a subset is enough: math keeps `{`, which elsewhere is escaped),
# and http(s) autolinks, which keep their `<`.
_MATH_OR_AUTOLINK = re.compile(
    r"(?P<auto><(?i:https?)://[^\s<>\"'`{}|\\$]+>)"
    r"|\$\$(?:\\.|[^\\$\n]|\n(?![ \t]*\n))+?\$\$"
    r"|(?<!\\)\$(?!\s)(?:\\.|[^\\$\n])+?(?<!\s)\$"
    r"|\\\((?:\\[^)\n]|[^\\\n])+?\\\)"
    r"|\\\[(?:\\[^\]\n]|[^\\\n]|\n(?![ \t]*\n))+?\\\]"
    r"|\\begin\{(?P<env>[a-z]+\*?)\}(?:\\.|[^\\\n]|\n(?![ \t]*\n))+?\\end\{(?P=env)\}"
)
_ATTR_WORD = re.compile(r"(?i)(?:\bon\w*+|\bhref|\bsrc\w*+|\bstyle|\baction|\bformaction)\s*+=")
"""An HTML attribute that runs code or loads something: attr_list must never read one in math."""
_BRACE_RUN = re.compile(r"[^}\n]*+")
"""What attr_list may read as one `{…}`: up to the next `}` or line break."""
_PLAIN_LINE = re.compile(r"\\?([<>{`$|])")
_PLAIN_BLOCK = re.compile(r"\\?([<{`$])")
_LEADING = re.compile(r"^(?:#|={2,}|~{3,}|-{3,}|[-+*](?= )|\d{1,9}[.)](?= |$)|\()")
"""A mark that would start a block (heading, rule, fence, list) when a string opens a line, or
a `(` that would make a link target of it after a `[…]`."""
_FENCE_LINE = re.compile(r"^(?P<prefix>[ \t]*(?:(?:[-*+]|\d+[.)])[ \t]+)?)(?P<fence>`{3,}|~{3,})")
_URL_ASCII = re.compile(r"[^A-Za-z0-9\-._~:/?#\[\]@!&*+,;=%]")
_URL_PATH = re.compile(r"[^A-Za-z0-9\-._~:/?#\[\]@!&*+,;=%\x80-\U0010ffff]")
_HTTP = re.compile(r"(?i)https?://[^\s/?#\\]")


def esc(value: object) -> Markup:
    """Untrusted text as inert Markdown on one line: every ASCII punctuation mark becomes a
    numeric character reference, which no Markdown rule or extension (emphasis, links, raw
    HTML, arithmatex, magiclink, emoji, tables) reads, and which browsers show as the mark."""
    return Markup(_refs(" ".join(str(value).split())))


def text(value: object) -> Markup:
    """A lifted string on one line (a list item, a table cell, a heading): its inline Markdown
    kept, anything that could be markup made text, no line break (it would leave its item)."""
    return _text(str(value))


@functools.lru_cache(maxsize=1 << 16)
def _text(value: str) -> Markup:
    """`text` of a string; kept, since the pages print the same names, topics and dates again
    and again, and `daylog site serve` makes every page after each save."""
    s = " ".join(value.split())
    if not _SPECIAL.search(s):
        return Markup(s)
    if _LEADING.match(s):
        s = f"&#{ord(s[0])};" + s[1:]
    out = _inline(s, line=True)
    return Markup(out[:-1] + "&#92;" if out.endswith("\\") else out)  # `\` would escape the next mark


def block(markdown: str) -> Markup:
    """A lifted Markdown block (a TIL excerpt on a week page): fenced code as an inert `<pre>`,
    the rest as `text` treats one line, except that `>` (quotes) and `|` (tables) are kept."""
    pieces: list[str] = []
    done = 0
    for a, b in fenced_ranges(markdown):
        pieces += [_inline(markdown[done:a], line=False), _pre(markdown[a:b])]
        done = b
    pieces.append(_inline(markdown[done:], line=False))
    return Markup("".join(pieces))


def yaml_str(value: object) -> Markup:
    """A double-quoted YAML scalar (JSON strings are valid YAML) holding HTML-escaped text:
    MkDocs and Material print a page's title and tags as HTML, unescaped."""
    return Markup(json.dumps(html.escape(" ".join(str(value).split())), ensure_ascii=False))


def http_url(url: object) -> Markup:
    """`url` for a Markdown link target when it is an http(s) URL, else empty (no link).

    Marks that could end the target or start Markdown are percent-encoded. A local check for
    issue URLs from the cache; `daylog.issues`' own `safe_url` may replace it.
    """
    s = str(url).strip()
    if not _HTTP.match(s):
        return Markup("")
    return Markup(_URL_ASCII.sub(_percent, s))


def link_target(path: str) -> Markup:
    """A relative page path as a Markdown link target (member folders may hold any mark)."""
    return Markup(_URL_PATH.sub(_percent, path))


def _percent(m: re.Match[str]) -> str:
    return "".join(f"%{b:02X}" for b in m.group(0).encode())


def _refs(s: str) -> str:
    """Every ASCII punctuation mark as a numeric character reference; letters and spaces stay."""
    return "".join(f"&#{ord(c)};" if c.isascii() and not c.isalnum() and not c.isspace() else c for c in s)


def _inline(s: str, *, line: bool) -> str:
    """Prose with its comments dropped, refused links unlinked, code inert and the rest escaped."""
    if not s:
        return s
    s = _LINK.sub(_link, _REF_DEF.sub(_ref_def, _COMMENT.sub("", s)))
    out: list[str] = []
    last = 0
    for m in _CODE.finditer(s):
        if m.group("tick") is None:
            continue  # escaped backslashes: prose
        out += [_prose(s[last : m.start()], line), "<code>", _refs(m.group("code").strip()), "</code>"]
        last = m.end()
    out.append(_prose(s[last:], line))
    return "".join(out).replace(_NO_LINK, "&#40;").replace(_NO_REF, "&#58;")


def _ok_target(target: str) -> bool:
    """http(s), mailto, or a relative path in which no entity or escape can spell a scheme."""
    t = target.strip("<>").strip()
    if _WEB.match(t):
        return True
    return not any(c in t for c in ":&\\") and all(c.isprintable() for c in t)


def _judged(m: re.Match[str]) -> bool:
    """The target is a safe one, and it ends in this string: one that runs to the end could be
    completed by whatever the page puts after it (the next line, another string)."""
    return _ok_target(m.group("target")) and bool(m.string[m.end("target") :].strip())


def _link(m: re.Match[str]) -> str:
    return m.group(0) if _judged(m) else "]" + _NO_LINK


def _ref_def(m: re.Match[str]) -> str:
    return m.group(0) if _judged(m) else "]" + _NO_REF


def _prose(s: str, line: bool) -> str:
    """Text outside code: math and autolinks kept (math with TeX's `\\lt`), the rest escaped."""
    out: list[str] = []
    last = 0
    for m in _MATH_OR_AUTOLINK.finditer(s):
        out.append(_plain(s[last : m.start()], line))
        out.append(m.group(0) if m.group("auto") else _math(m.group(0), line))
        last = m.end()
    out.append(_plain(s[last:], line))
    return "".join(out)


def _plain(s: str, line: bool) -> str:
    """Marks that could open markup (or pair with a neighbour's) as references; a `\\` before one goes."""
    return (_PLAIN_LINE if line else _PLAIN_BLOCK).sub(lambda m: f"&#{ord(m.group(1))};", s)


def _math(s: str, line: bool) -> str:
    """Math as TeX reads it, with no `<`, `>`, backtick or attribute-like `{…=` left."""
    s = s.replace("<", "\\lt ").replace(">", "\\gt ").replace("`", "&#96;")
    if line:
        s = s.replace("|", "\\vert ")
    return _BRACE_RUN.sub(_no_attrs, s)


def _no_attrs(m: re.Match[str]) -> str:
    """Every `{` of a run that holds a dangerous attribute as a reference: `{{: onclick=… }` and
    `{ {: onclick=… }` too, where attr_list reads from the first brace (the #14 helper found it)."""
    run = m.group(0)
    return run.replace("{", "&#123;") if "{" in run and _ATTR_WORD.search(run) else run


def _pre(fenced: str) -> str:
    """A fenced code block as a one-line `<pre><code>` of character references (`&#10;` for its line
    breaks), in place of the fence: inert in any renderer, inside a list item or not."""
    lines = fenced.split("\n")
    m = _FENCE_LINE.match(lines[0])
    if m is None:  # not a fence line after all: keep it as prose
        return _inline(fenced, line=False)
    prefix, fence = m.group("prefix"), m.group("fence")
    body = lines[1:]
    if body and body[-1].strip().startswith(fence[0] * len(fence)) and not body[-1].strip(fence[0] + " \t"):
        body = body[:-1]
    width = len(prefix)
    code = [ln[min(width, len(ln) - len(ln.lstrip(" "))) :] for ln in body]
    return prefix + "<pre><code>" + "&#10;".join(_refs(ln) for ln in code) + "</code></pre>"
