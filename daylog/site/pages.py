"""The site's pages as Markdown: `render(model, templates)` → `{virtual path: markdown}`.

Pure (Jinja2 with its markupsafe, and the standard library): the same function feeds the
MkDocs plugin and `daylog site export`, so any static-site generator that reads Markdown can
publish the pages. Links between pages are relative `.md` paths (MkDocs checks them in strict mode).

Escaping (#12): an entry's own page shows its Markdown as written. Every other string reaches a
page made inert by `daylog.site.escape`: the environment escapes whatever a template prints
(`finalize`: Jinja's HTML autoescape would break Markdown code and math), so only values marked
`Markup` pass as they are: the filters' own Markdown, an entry's body on its page and the TIL
excerpts, which are made inert once (`escape.block`). Issue titles are stricter still (`esc`).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import jinja2
from markupsafe import Markup

from daylog.site.escape import block, esc, http_url, link_target, text, yaml_str
from daylog.site.model import WEEKDAYS_KO, EntryView, IssueView, SiteModel
from daylog.streaks import heatmap

TEMPLATE_NAMES = (
    "entry.md.j2",
    "home.md.j2",
    "followups.md.j2",
    "tasks.md.j2",
    "questions.md.j2",
    "issues.md.j2",
    "people.md.j2",
    "person.md.j2",
    "weeks.md.j2",
    "week.md.j2",
    "tags.md.j2",
    "concept.md.j2", "concepts.md.j2", "entry_concepts.md.j2",  # concept_pages.TEMPLATES
)

RESERVED = frozenset({"index.md", "followups.md", "tasks.md", "questions.md", "issues.md", "tags.md"})
RESERVED_DIRS = frozenset({"people", "weeks", "assets", "search", "javascripts", "stylesheets", "concepts"})
"""Top-level names the generated pages (and the theme) use: no member id may take them."""

STATE_LABELS = {
    "open": "열림",
    "closed": "닫힘",
    "merged": "병합됨",
    "missing": "없음",
    "unknown": "미확인",
}


@dataclass(frozen=True, slots=True)
class Options:
    """What the pages depend on besides the data."""

    tags_page: bool = False
    """Write `tags.md` with Material's tags listing marker (the tags plugin is enabled)."""


def ymd(d: date) -> str:
    return f"{d.isoformat()} ({WEEKDAYS_KO[d.weekday()]})"


def md(d: date) -> str:
    return f"{d.month}/{d.day:02d} ({WEEKDAYS_KO[d.weekday()]})"


def dayn(day: int | None) -> str:
    return f"Day{day}" if day is not None else "쉬는 날"


def relative(here: str, target: str) -> str:
    """Link from page `here` to page `target` (both virtual paths), as a relative path."""
    target, _, anchor = target.partition("#")
    rel = posixpath.relpath(target, posixpath.dirname(here) or ".")
    return rel + ("#" + anchor if anchor else "")


_LINK_TARGET = re.compile(r"(\]\(\s*<?)([^()\s<>]+)|^([ \t]{0,3}\[[^\]]+\]:[ \t]*<?)(\S+?)(?=>|\s|$)", re.M)
_ABSOLUTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/)")


def rebase_links(markdown: str, source: str, here: str) -> str:
    """Relative link and image targets written on page `source`, rewritten for page `here`.

    For text moved between pages (a TIL embedded in a weekly digest); code is left alone.
    """
    if source == here or ("](" not in markdown and "]:" not in markdown):
        return markdown
    from daylog.entries.markdown import mask_code

    masked = mask_code(markdown)
    base = posixpath.dirname(source)

    def fix(m: re.Match[str]) -> str:
        if masked[m.start() : m.end()] != m.group(0):
            return m.group(0)  # inside code
        prefix = m.group(1) if m.group(1) is not None else m.group(3)
        target = m.group(2) if m.group(2) is not None else m.group(4)
        if _ABSOLUTE.match(target):
            return m.group(0)
        if target.startswith("#"):
            return prefix + relative(here, source + target)
        resolved = posixpath.normpath(posixpath.join(base, target))
        return prefix + relative(here, resolved)

    return _LINK_TARGET.sub(fix, markdown)


def issue_anchor(key: str) -> str:
    """A stable element id for an issue on the issues page."""
    return "issue-" + re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")


def badge(issue: IssueView) -> Markup:
    state = issue.state if issue.state in STATE_LABELS else "unknown"
    return Markup(f'<span class="daylog-badge daylog-badge--{state}">{STATE_LABELS[state]}</span>')


def issue_label(issue: IssueView, issue_repo: str | None) -> Markup:
    """`#53` for the team's repo, `owner/repo#53` for others (escaped for Markdown)."""
    if issue_repo and issue.repo.lower() == issue_repo.lower():
        return Markup(f"\\#{issue.number}")
    return Markup(f"{esc(issue.repo)}\\#{issue.number}")


def issue_link(issue: IssueView, issue_repo: str | None) -> Markup:
    """The label linked to the issue's URL; the bare label when the URL is not http(s) (the cache
    is untrusted: a `javascript:` URL must not become a link)."""
    label = issue_label(issue, issue_repo)
    href = http_url(issue.url)
    return Markup(f"[{label}]({href})") if href else label


def grass(days: Mapping[date, int], end: date, start: date, title: str, ident: str) -> Markup:
    """The grass SVG in a block Markdown passes through, excluded from the search index."""
    first = min([start, *days]) if days else start
    first_sunday = first - _days(first.isoweekday() % 7)
    weeks = max(1, min(53, (end - first_sunday).days // 7 + 1))
    svg = heatmap.svg(heatmap.grid(days, end, weeks), title=title, ident=ident)
    return Markup(f'<div class="daylog-grass-box" data-search-exclude markdown="0">\n{svg.rstrip()}\n</div>')


def _days(n: int) -> Any:
    from datetime import timedelta

    return timedelta(days=n)


def finalize(value: object) -> object:
    """What a template prints: `Markup` as it is, anything else as inert one-line text (#12)."""
    return value if isinstance(value, Markup) else text(value)


def environment(templates: Mapping[str, str]) -> jinja2.Environment:
    """Markdown templates that escape what they print (`finalize`), not HTML autoescape: that would
    put `&lt;` into code spans and math, which Markdown shows as written.

    `trim_blocks` eats the line break after a block tag, so a line that ends in one
    (`…{% endif +%}`) keeps its break with `+` (#13).
    """
    env = jinja2.Environment(
        loader=jinja2.DictLoader(dict(templates)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )

    @jinja2.pass_context
    def url(ctx: Any, target: str) -> Markup:
        return link_target(relative(ctx["here"], target))

    @jinja2.pass_context
    def rebase(ctx: Any, markdown: str, source: str) -> Markup:
        """Embedded Markdown with its links rebased; made inert first unless it already is."""
        safe = markdown if isinstance(markdown, Markup) else block(markdown)
        return Markup(rebase_links(safe, source, ctx["here"]))

    env.filters.update(
        url=url,
        rebase=rebase,
        esc=esc,
        inline=text,  # member-written text on one line (a list item, a table cell)
        http_url=http_url,
        yaml_str=yaml_str,
        ymd=ymd,
        md=md,
        dayn=dayn,
        badge=badge,
        anchor=issue_anchor,
    )
    return env


def render(
    model: SiteModel,
    templates: Mapping[str, str],
    *,
    issue_repo: str | None = None,
    options: Options = Options(),
) -> dict[str, str]:
    """Every generated page, `{path: markdown}`, in a stable order."""
    pages = _Pages.of(model, templates, issue_repo)
    out = pages.team(options)
    out.update(pages.people())
    out.update(pages.weeks())
    out.update(pages.entries())
    return out


@dataclass(frozen=True, slots=True)
class _Pages:
    """The templates with what every page sees: the model, its issues by key, the team's repository."""

    env: jinja2.Environment
    model: SiteModel
    issue_repo: str | None
    issues: Mapping[str, IssueView]

    @classmethod
    def of(cls, model: SiteModel, templates: Mapping[str, str], issue_repo: str | None) -> _Pages:
        model = publishable(model)
        env = environment(templates)
        env.filters["names"] = lambda ids: ", ".join(model.name(i) for i in ids)
        page_of = {e.source: e.page for e in model.entries}
        env.filters["page"] = lambda rel: page_of[rel]
        return cls(env, model, issue_repo, {i.key: i for i in model.issues})

    def page(self, name: str, here: str, **context: Any) -> str:
        """Template `name` rendered as page `here`; a template error names the template and line."""
        try:
            return self.env.get_template(name).render(
                here=here,
                model=self.model,
                issues=self.issues,
                issue_repo=self.issue_repo,
                label=_labeler(self.issue_repo),
                link=_linker(self.issue_repo),
                **context,
            )
        except jinja2.TemplateError as exc:
            from daylog.errors import DaylogError

            line = getattr(exc, "lineno", None)
            raise DaylogError(f"site template {name}: {exc}", line=line) from None

    def team(self, options: Options) -> dict[str, str]:
        """The home page and the team-wide listings."""
        model = self.model
        team_grass = grass(model.team_days, model.today, model.start, f"{model.course}: 팀 잔디", "daylog-grass-team")
        out = {"index.md": self.page("home.md.j2", "index.md", grass=team_grass, latest=model.latest_day)}
        for name in ("followups", "tasks", "questions", "issues"):
            out[f"{name}.md"] = self.page(f"{name}.md.j2", f"{name}.md")
        if options.tags_page:
            out["tags.md"] = self.page("tags.md.j2", "tags.md")
        return out

    def people(self) -> dict[str, str]:
        """The member list and each member's page."""
        model = self.model
        out = {"people/index.md": self.page("people.md.j2", "people/index.md")}
        for m in model.members:
            here = f"{m.id}/index.md"
            mine = grass(m.days, model.today, model.start, f"{m.name}: 잔디", f"daylog-grass-{_ident(m.id)}")
            asked = [q for q in model.questions if m.id in q.askers]
            answered = [q for q in model.questions if any(a.answerer == m.id for a in q.answers)]
            opened = [f for f in model.open_followups if f.author == m.id]
            out[here] = self.page(
                "person.md.j2", here, member=m, grass=mine, asked=asked, answered=answered, open_followups=opened
            )
        return out

    def weeks(self) -> dict[str, str]:
        """The week list and each week's digest."""
        out = {"weeks/index.md": self.page("weeks.md.j2", "weeks/index.md")}
        for w in self.model.weeks:
            here = f"weeks/{w.number}.md"
            out[here] = self.page("week.md.j2", here, week=w)
        return out

    def entries(self) -> dict[str, str]:
        """Every entry's page, linked to the same member's previous and next entry."""
        names = {m.id: m.name for m in self.model.members}
        out: dict[str, str] = {}
        for m in self.model.members:
            mine = m.entries
            for i, ev in enumerate(mine):
                prev = mine[i - 1] if i > 0 else None
                nxt = mine[i + 1] if i + 1 < len(mine) else None
                author = names.get(ev.member, ev.member)
                out[ev.page] = self.page("entry.md.j2", ev.page, entry=ev, author=author, prev=prev, next=nxt)
        return out


def _labeler(issue_repo: str | None) -> Callable[[IssueView], Markup]:
    return lambda issue: issue_label(issue, issue_repo)


def _linker(issue_repo: str | None) -> Callable[[IssueView], Markup]:
    return lambda issue: issue_link(issue, issue_repo)


def publishable(model: SiteModel) -> SiteModel:
    """The model as the templates see it: each entry's own Markdown marked safe for its page, its
    TIL made inert for the week pages (`escape.block`); every other string is escaped on printing."""
    marked = {id(e): _marked(e) for e in model.entries}

    def swap(entries: Sequence[EntryView]) -> tuple[EntryView, ...]:
        return tuple(marked.get(id(e)) or _marked(e) for e in entries)

    members = tuple(replace(m, entries=swap(m.entries)) for m in model.members)
    weeks = tuple(replace(w, entries=swap(w.entries)) for w in model.weeks)
    return replace(model, entries=swap(model.entries), members=members, weeks=weeks)


def _marked(e: EntryView) -> EntryView:
    return replace(e, heading=Markup(e.heading), body=Markup(e.body), til=block(e.til))


def _ident(member_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", member_id)
