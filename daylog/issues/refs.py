"""GitHub issue, pull request and discussion references in an entry's Markdown.

The rules mirror what the team site renders with Python-Markdown + `pymdownx.magiclink`
(`repo_url_shorthand`) + `pymdownx.saneheaders`, checked against pymdown-extensions 13.1, so
that what daylog indexes is what readers see as a link. The deliberate differences are listed
in `find_refs`. Pure: standard library only.
"""

from __future__ import annotations

import bisect
import enum
import re
import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple

from daylog.entries.markdown import LineIndex, mask_code
from daylog.errors import DaylogError

__all__ = ["IssueRef", "Kind", "RefProblem", "RefScan", "find_refs", "parse_repo"]


class Kind(enum.Enum):
    """What a reference points at, as far as the text tells."""

    ISSUE = "issue"
    PULL = "pull"
    DISCUSSION = "discussion"


_URL_PATH = {Kind.ISSUE: "issues", Kind.PULL: "pull", Kind.DISCUSSION: "discussions"}


@dataclass(frozen=True, slots=True)
class IssueRef:
    """One occurrence of a reference in a text."""

    owner: str
    """Repository owner, as written (GitHub treats it case-insensitively)."""
    repo: str
    """Repository name, as written."""
    number: int
    """Issue, pull request or discussion number (they share one sequence per repository)."""
    kind: Kind | None
    """Known from a URL; None for the `#N` shorthands, which GitHub resolves for any kind."""
    line: int
    """1-based line of the first character of the reference."""
    written: str
    """The reference as written: `#53`, `o/r#53`, or the URL up to its recognised suffix."""

    @property
    def key(self) -> str:
        """`owner/repo#N`: the issue cache key."""
        return f"{self.owner}/{self.repo}#{self.number}"

    @property
    def url(self) -> str:
        """The github.com page; an unknown kind uses `/issues/N`, which GitHub redirects."""
        path = _URL_PATH[self.kind or Kind.ISSUE]
        return f"https://github.com/{self.owner}/{self.repo}/{path}/{self.number}"


class RefProblem(NamedTuple):
    """A reference that could not be resolved or will render badly."""

    line: int
    """1-based line."""
    message: str


@dataclass(frozen=True, slots=True)
class RefScan:
    """What `find_refs` found: references in text order, and problems worth telling the author."""

    refs: tuple[IssueRef, ...]
    """One per occurrence, duplicates kept, ordered by position."""
    problems: tuple[RefProblem, ...]
    """By line."""


_OWNER = r"[A-Za-z0-9][A-Za-z0-9-]{0,38}"
_REPO = r"[A-Za-z0-9._-]{0,99}[A-Za-z0-9]"
_REPO_NAME = re.compile(rf"(?P<owner>{_OWNER})/(?P<repo>[A-Za-z0-9._-]{{1,100}})")

# A github.com issue/PR/discussion page. The number must end the path segment; the suffixes GitHub
# puts on links to comments, reviews and a PR's tabs are part of the same reference.
_URL = re.compile(
    rf"""(?<![\w/.-])https?://(?:www\.)?github\.com/
    (?P<owner>{_OWNER})/(?P<repo>[A-Za-z0-9._-]{{1,100}})/
    (?P<kind>issues|pull|discussions)/(?P<num>[1-9][0-9]*)(?![0-9A-Za-z_])
    (?:/(?:files|commits(?:/[0-9a-fA-F]{{7,40}})?|checks))?
    (?:\#(?:issuecomment-\d+|discussion_r\d+|pullrequestreview-\d+|discussioncomment-\d+))?
    /?""",
    re.X | re.I,
)
_KINDS = {"issues": Kind.ISSUE, "pull": Kind.PULL, "discussions": Kind.DISCUSSION}
# Site paths that look like owner/repo but are not repositories.
_NOT_OWNERS = frozenset({"orgs", "users", "enterprises"})

# Shorthands. magiclink's micro reference `#N` may not follow an ASCII letter; `&` (an HTML
# entity such as `&#39;`) and `\` (an escaped `#`) keep it from linking too. `repo#N` and
# `owner/repo#N` must start a token. What may follow the number is checked in `_ends_ok`.
_SHORT = re.compile(
    rf"""(?:
        (?<![\w@/.-])(?:(?P<owner>{_OWNER})/)?(?P<repo>{_REPO})
      | (?<![A-Za-z&\\])
    )\#(?P<num>[1-9][0-9]*)(?![0-9])""",
    re.X,
)

# Korean particles (and the counter 번) that attach to a number without a space: `#53에서`,
# `#52를`, `#53번`. Anything else glued to the number (`#8강`, `#1일1커밋`, `#3주차`) is a word,
# not a reference.
_PARTICLES = (
    *("에", "의", "은", "는", "이", "가", "을", "를", "으로", "로", "와", "과"),
    *("도", "만", "까지", "부터", "처럼", "보다", "랑", "하고", "나", "께", "번"),
)

# Inline links and images, one level of nested brackets in the text (`[[히스] CNN](…)`).
_LINK = re.compile(
    r"""!?\[(?P<text>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]
    \(\s*(?P<dest><[^>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)
    (?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^()\n]*\)))?\s*\)""",
    re.X,
)
_AUTOLINK = re.compile(r"<(?:https?|ftp)://[^>\s]*>", re.I)
_BARE_URL = re.compile(r"(?:https?|ftp)://[^\s<>]*|www\.[^\s<>]+", re.I)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff]")


def parse_repo(value: str, *, what: str = "issue_repo") -> tuple[str, str]:
    """`owner/repo` → (owner, repo); a DaylogError names `what` and the bad value."""
    m = _REPO_NAME.fullmatch(value.strip())
    if m is None:
        raise DaylogError(f"{what} must look like owner/repo, not {value!r}")
    return m["owner"], m["repo"]


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each span replaced by spaces (newlines kept), offsets unchanged."""
    if not spans:
        return text
    out = list(text)
    for a, b in spans:
        for i in range(a, b):
            if out[i] != "\n":
                out[i] = " "
    return "".join(out)


def _ends_ok(text: str, end: int) -> bool:
    """True when the number ending at `end` is not glued to a word (Korean particles excepted)."""
    if end >= len(text):
        return True
    ch = text[end]
    if not (ch.isalnum() or ch == "_"):
        return True
    if not _HANGUL.match(ch):
        return False
    # NFD text (macOS file names pasted in) spells syllables as jamo: compare composed forms.
    following = unicodedata.normalize("NFC", text[end : end + 6])
    return following.startswith(_PARTICLES)


def find_refs(text: str, *, issue_repo: str | None) -> RefScan:
    """Every issue/PR/discussion reference in an entry's Markdown, with line numbers.

    Recognised: github.com `/issues/N`, `/pull/N`, `/discussions/N` URLs of any repository (bare,
    `<autolinked>` or as a link destination, with comment/review/tab suffixes), `owner/repo#N`,
    `repo#N` (owner from `issue_repo`) and `#N` (resolved against `issue_repo`).

    Not references: anything in code (fenced or inline) or HTML comments; link *text* (the
    destination counts: `[#53](…/issues/53)` is one reference, and magiclink does not link inside
    links either); fragments and other parts of URLs (`page#3`, blob/tree/attachment links, the
    `/issues` index); HTML tags and entities (`&#39;`); escaped `\\#5`; `#N` right after an ASCII
    letter (`abc#1`, `Day#1` are read as the repository shorthand `<owner>/abc#1`, as the site
    links them, never as the team's `#1`);
    `#0`/`#053`; `# 53`, which is a heading (with saneheaders `#53 …` at the start of a line is
    not); `repo#N` that does not start a token (magiclink's regex links `com/page#3` inside
    `example.com/page#3`; daylog does not).

    Boundary rule for `#N`, from magiclink 13.1 (`(?<![a-zA-Z])#[1-9][0-9]*\\b`): before `#`,
    anything but an ASCII letter, so `이슈#53` and `(#53)` count. After the number magiclink
    wants a word boundary, which rejects `#53에서`; daylog departs from it there and also accepts
    a Korean particle glued to the number (`#53에서`, `#52를`, `#53번`), because that is how
    Korean is written, while `#8강` or `#1일1커밋` stay words. The site shows such a reference
    unlinked unless the daylog plugin links it.
    """
    default = parse_repo(issue_repo) if issue_repo is not None else None
    scan = _Scan(text, LineIndex.of(text))
    masked = mask_code(text)
    # Link text is never a reference; link destinations and URLs are.
    links = list(_LINK.finditer(masked))
    no_link_text = _blank(masked, [m.span("text") for m in links])
    in_dest = [m.span("dest") for m in links]
    _anchor_links(scan, links)
    _urls(scan, no_link_text)
    _glued_urls(scan, no_link_text, in_dest)
    _shorthands(scan, _prose(no_link_text, in_dest), default)
    found = sorted(scan.found, key=lambda f: f.start)
    return RefScan(tuple(f.ref for f in found), tuple(sorted(scan.problems, key=lambda p: p.line)))


class _Found(NamedTuple):
    start: int
    """Offset in the text: references are reported in text order, whichever pass found them."""
    ref: IssueRef


@dataclass(slots=True)
class _Scan:
    """What the passes over one text have found so far."""

    text: str
    lines: LineIndex
    found: list[_Found] = field(default_factory=list)
    problems: list[RefProblem] = field(default_factory=list)

    def problem(self, start: int, message: str) -> None:
        self.problems.append(RefProblem(self.lines.line_of(start), message))


def _anchor_links(scan: _Scan, links: list[re.Match[str]]) -> None:
    """`[x](#https://github.com/…)` points into the page, not at the issue: tell the author."""
    for m in links:
        dest = m["dest"].strip("<>")
        if dest.startswith("#") and _URL.match(dest, 1):
            scan.problem(
                m.start("dest"),
                f"link target {dest!r} starts with '#', so it points into this page: remove the '#'",
            )


def _urls(scan: _Scan, no_link_text: str) -> None:
    """github.com issue, pull request and discussion URLs, bare or in links."""
    for m in _URL.finditer(no_link_text):
        if m["owner"].lower() in _NOT_OWNERS:
            continue
        ref = IssueRef(
            owner=m["owner"],
            repo=m["repo"],
            number=int(m["num"]),
            kind=_KINDS[m["kind"].lower()],
            line=scan.lines.line_of(m.start()),
            written=scan.text[m.start() : m.end()],
        )
        scan.found.append(_Found(m.start(), ref))


def _glued_urls(scan: _Scan, no_link_text: str, in_dest: list[tuple[int, int]]) -> None:
    """Bare URLs followed by Korean: the site's autolinker swallows the particle into the URL."""
    starts = [a for a, _ in in_dest]  # sorted and disjoint: they come from one finditer
    for m in _BARE_URL.finditer(no_link_text):
        i = bisect.bisect_right(starts, m.start()) - 1
        if (i >= 0 and m.start() < in_dest[i][1]) or (m.start() > 0 and no_link_text[m.start() - 1] == "<"):
            continue
        u = _URL.match(no_link_text, m.start())
        if u is not None and u.end() < m.end() and _HANGUL.match(no_link_text[u.end()]):
            scan.problem(
                m.start(),
                f"{scan.text[m.start() : m.end()]!r}: the site links the Korean text after the "
                "URL too; put a space after the URL",
            )


def _prose(no_link_text: str, in_dest: list[tuple[int, int]]) -> str:
    """The text with URLs, link destinations and HTML tags blanked: shorthands count only in prose."""
    hidden = [m.span() for m in _AUTOLINK.finditer(no_link_text)]
    hidden += [m.span() for m in _BARE_URL.finditer(no_link_text)]
    hidden += in_dest
    hidden += [m.span() for m in _HTML_TAG.finditer(no_link_text)]
    return _blank(no_link_text, hidden)


def _shorthands(scan: _Scan, prose: str, default: tuple[str, str] | None) -> None:
    """`owner/repo#N`, and `repo#N` and `#N`, which take what they leave out from `issue_repo`."""
    for m in _SHORT.finditer(prose):
        if not _ends_ok(prose, m.end()):
            continue
        written = scan.text[m.start() : m.end()]
        names = _owner_and_repo(m["owner"], m["repo"], default)
        if names is None:
            scan.problem(m.start(), _needs_issue_repo(written, m["repo"] is None))
            continue
        owner, repo = names
        ref = IssueRef(owner, repo, int(m["num"]), None, scan.lines.line_of(m.start()), written)
        scan.found.append(_Found(m.start(), ref))


def _owner_and_repo(owner: str | None, repo: str | None, default: tuple[str, str] | None) -> tuple[str, str] | None:
    """`#N` is `issue_repo`'s, `repo#N` belongs to `issue_repo`'s owner; None when they need it and it is unset."""
    if owner is not None and repo is not None:
        return owner, repo
    if default is None:
        return None
    return default[0], repo if repo is not None else default[1]


def _needs_issue_repo(written: str, bare: bool) -> str:
    if bare:
        return f"{written} needs issue_repo (owner/repo) in the daylog settings"
    return f"{written} has no owner: write owner/{written}, or set issue_repo in the daylog settings"
