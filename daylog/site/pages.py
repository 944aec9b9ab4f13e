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

import functools
import posixpath
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import Any, NamedTuple, TypeVar

import jinja2
from markupsafe import Markup

from daylog.followups.lifecycle import FollowUpRecord, TaskRecord
from daylog.site import paging, visual
from daylog.site.escape import block, esc, http_url, link_target, text, yaml_str
from daylog.site.memo import Memo, memoized
from daylog.site.model import WEEKDAYS_KO, EntryView, IssueView, MemberView, QuestionView, SiteModel, WeekView
from daylog.site.tidy import tidy

TEMPLATE_NAMES = (
    "entry.md.j2",
    "home.md.j2",
    "followups.md.j2",
    "tasks.md.j2",
    "questions.md.j2",
    "issues.md.j2",
    "people.md.j2",
    "person.md.j2",
    "archive.md.j2",
    "weeks.md.j2",
    "week.md.j2",
    "tags.md.j2",
    "concept.md.j2", "concepts.md.j2", "entry_concepts.md.j2",  # concept_pages.TEMPLATES
)

T = TypeVar("T")

LANDING_COPY = "daylog/"
"""The built-in listing templates are also loaded under this prefix: a split listing's landing
page is rendered from it when the team's own listing template does not read `landing` (written
before there were landing pages, it would print every item there, and again on their pages)."""

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


@functools.lru_cache(maxsize=1 << 16)
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
        avatar=lambda m, size=24: visual.avatar(m.name, m.github, size=size),
    )
    return env


def render(
    model: SiteModel,
    templates: Mapping[str, str],
    *,
    issue_repo: str | None = None,
    options: Options = Options(),
    memo: Memo | None = None,
    builtin: frozenset[str] = frozenset(),
) -> dict[str, str]:
    """Every generated page, `{path: markdown}`, in a stable order.

    An entry or week page whose template is daylog's own (named in `builtin`: those read
    nothing of the model but what their memo key names) is taken from `memo` while that
    key is unchanged; a team's own template is always rendered."""
    pages = _Pages.of(model, templates, issue_repo, memo)
    pages = replace(pages, memo=memo, builtin=builtin)
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
    places: Mapping[str, str]
    """Each issue's place on the issues pages (`issue_pages`)."""
    memo: Memo | None = None
    """Entry and week pages by what their templates read (see `render`)."""
    builtin: frozenset[str] = frozenset()
    """The page templates that are daylog's own."""

    @classmethod
    def of(cls, model: SiteModel, templates: Mapping[str, str], issue_repo: str | None, memo: Memo | None) -> _Pages:
        model = publishable(model, memo)
        # compiled once while the templates stay; the filters below are set again for each model
        env = memoized(memo, "environment", tuple(templates.items()), partial(environment, templates))
        env.filters["names"] = lambda ids: ", ".join(model.name(i) for i in ids)
        page_of = {e.source: e.page for e in model.entries}
        env.filters["page"] = lambda rel: page_of[rel]
        places = issue_pages(model)
        env.filters["issue_page"] = lambda key: places.get(key, "issues.md#" + issue_anchor(key))
        return cls(env, model, issue_repo, {i.key: i for i in model.issues}, places)

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
        team_grass = team_board(model)
        today = _today_board(model)
        out = {"index.md": self.page("home.md.j2", "index.md", grass=team_grass, latest=model.latest_day, today=today)}
        for name in ("followups", "tasks", "questions", "issues"):
            out.update(self.paged(name))
        if options.tags_page:
            out["tags.md"] = self.page("tags.md.j2", "tags.md")
        return out

    def paged(self, name: str) -> dict[str, str]:
        """The pages of one listing, each rendered from its template with a chunk of the items.

        A listing that fits one page is rendered once with every item (`pages` is 1). A split
        one gets its landing page (`landing`: the chunks as `Part`s, with the whole model, for
        the team-wide figures) and one page per chunk (`page_number`, `pages`), which shows
        nothing team-wide, so that it stays the same while its items do (#17)."""
        parts = _split(self.model, name)
        template = f"{name}.md.j2"
        if len(parts) == 1:
            here = paging.landing(name)
            return {here: self.page(template, here, page_number=1, pages=1, landing=None)}
        memo = self.memo if template in self.builtin else None
        names = tuple((m.id, m.name) for m in self.model.members)
        label = partial(_part_label, name, model=self.model, issue_repo=self.issue_repo)
        paths = paging.chunk_paths(name, [first for _, _, first in parts])
        index = [Part(k, path, label(m), n) for k, (path, (m, n, _)) in enumerate(zip(paths, parts, strict=True), 1)]
        here = paging.landing(name)
        totals = _totals(name, self.model)
        own = template not in self.builtin and not _reads_landing(self.env, template)
        landing = LANDING_COPY + template if own else template
        out = {here: self.page(landing, here, page_number=0, pages=len(parts), landing=index, totals=totals)}
        for k, (here, (model, _, _)) in enumerate(zip(paths, parts, strict=True), 1):
            pages = replace(self, model=model)
            reads = _listing_reads(name, model, self.env.filters["page"]) if memo else None
            key = (here, names, self.issue_repo, reads)
            render = partial(pages.page, template, here, page_number=k, pages=len(parts), landing=None)
            before, after = paths[k - 2] if k > 1 else None, paths[k] if k < len(paths) else None
            out[here] = memoized(memo, "listing", key, render) + paging.pager(name, before, after)
        return out

    def people(self) -> dict[str, str]:
        """The member list, and each member's page and archive (every entry, by week)."""
        model = self.model
        out = {"people/index.md": self.page("people.md.j2", "people/index.md")}
        asked_by: dict[str, list[QuestionView]] = {}
        answered_by: dict[str, list[QuestionView]] = {}
        for q in model.questions:
            for who in dict.fromkeys(q.askers):
                asked_by.setdefault(who, []).append(q)
            for who in dict.fromkeys(a.answerer for a in q.answers if a.answerer):
                answered_by.setdefault(who, []).append(q)
        opened_by: dict[str, list[FollowUpRecord]] = {}
        for f in model.open_followups:
            opened_by.setdefault(f.author, []).append(f)
        newest = paging.PERSON_NEWEST
        for m in model.members:
            here = f"{m.id}/index.md"
            mine = member_board(model, m)
            asked, answered = asked_by.get(m.id, []), answered_by.get(m.id, [])
            opened = opened_by.get(m.id, [])
            out[here] = self.page(
                "person.md.j2",
                here,
                member=m,
                recent=m.entries[::-1][:newest],
                grass=mine,
                calendars=member_calendars(model, m, here),
                asked=asked[::-1][:newest],
                answered=answered[::-1][:newest],
                asked_total=len(asked),
                answered_total=len(answered),
                open_followups=opened[::-1][:newest],
                open_total=len(opened),
            )
            archive = f"{m.id}/archive.md"
            out[archive] = self.page("archive.md.j2", archive, member=m)
        return out

    def weeks(self) -> dict[str, str]:
        """The week list and each week's digest, linked to the weeks before and after it."""
        out = {"weeks/index.md": self.page("weeks.md.j2", "weeks/index.md")}
        memo = self.memo if "week.md.j2" in self.builtin else None
        names = tuple((m.id, m.name) for m in self.model.members)  # all the built-in template reads besides the weeks
        weeks = self.model.weeks
        for i, w in enumerate(weeks):
            here = f"weeks/{w.number}.md"
            near = (weeks[i - 1] if i else None, weeks[i + 1] if i + 1 < len(weeks) else None)
            key = (w, tuple(x and (x.number, x.monday, x.sunday) for x in near), names)
            render = partial(self.page, "week.md.j2", here, week=w, prev_week=near[0], next_week=near[1])
            out[here] = memoized(memo, "week", key, render)
        return out

    def entries(self) -> dict[str, str]:
        """Every entry's page, linked to the same member's previous and next entry."""
        names = {m.id: m.name for m in self.model.members}
        memo = self.memo if "entry.md.j2" in self.builtin else None
        out: dict[str, str] = {}
        for m in self.model.members:
            mine = m.entries
            for i, ev in enumerate(mine):
                prev = mine[i - 1] if i > 0 else None
                nxt = mine[i + 1] if i + 1 < len(mine) else None
                author = names.get(ev.member, ev.member)
                key = self._entry_key(ev, m, prev, nxt, author) if memo is not None else None
                out[ev.page] = memoized(memo, "entry", key, partial(self._entry, ev, m, prev, nxt, author))
        return out

    def _entry(self, ev: EntryView, m: MemberView, prev: EntryView | None, nxt: EntryView | None, author: str) -> str:
        title = page_title(author, ev)
        context = {"entry": ev, "author": author, "member": m, "prev": prev, "next": nxt}
        return self.page("entry.md.j2", ev.page, page_title=title, **context)

    def _entry_key(
        self, ev: EntryView, m: MemberView, prev: EntryView | None, nxt: EntryView | None, author: str
    ) -> Any:
        """Everything the built-in entry template reads: the entry, its neighbours' dates, days and
        pages, the member's name and login, its issues and their places."""
        near = tuple((e.date, e.day, e.page) if e else None for e in (prev, nxt))
        issues = tuple((self.issues.get(k), self.places.get(k)) for k in ev.issues)
        return (ev, near, author, m.name, m.github, issues, self.issue_repo)


def _listing_reads(name: str, model: SiteModel, page: Callable[[str], str]) -> Hashable:
    """Everything the built-in template of listing `name` reads of a chunk page's `model` besides
    the member names, the page's path and the issue repository (which the caller's key names):
    its items and the entry pages they link."""
    if name == "followups":
        return model.followups, tuple(page(f.path) for f in model.followups)
    if name == "tasks":
        members = tuple((m.id, m.name) for m in model.members)
        return model.tasks, members, tuple(page(t.path) for t in model.tasks)
    if name == "issues":
        return model.issues
    return tuple((w.number, w.monday, w.sunday, w.questions) for w in model.weeks if w.questions)


def _reads_landing(env: jinja2.Environment, name: str) -> bool:
    """Whether template `name` knows landing pages (or there is no built-in copy to use instead)."""
    from jinja2 import meta

    assert env.loader is not None
    try:
        env.loader.get_source(env, LANDING_COPY + name)
    except jinja2.TemplateNotFound:
        return True
    source = env.loader.get_source(env, name)[0]
    return "landing" in meta.find_undeclared_variables(env.parse(source))


def _totals(name: str, model: SiteModel) -> dict[str, Any]:
    """The team-wide figures a split listing's landing page states, counted once in Python
    (through Jinja's filters the tasks per member took 60 ms of every `daylog site serve` update),
    and for follow-ups and questions the newest few, so that what was just written shows there."""
    newest = paging.LANDING_NEWEST
    if name == "followups":
        opened = model.open_followups
        return {"open": len(opened), "resolved": len(model.followups) - len(opened), "newest": opened[::-1][:newest]}
    if name == "tasks":
        per_member: dict[str, int] = {}
        for t in model.tasks:
            per_member[t.author] = per_member.get(t.author, 0) + 1
        return {"all": len(model.tasks), "per_member": per_member}
    if name == "questions":
        unanswered = sum(1 for q in model.questions if not q.answers)
        return {"all": len(model.questions), "unanswered": unanswered, "newest": model.questions[::-1][:newest]}
    return {"all": len(model.issues)}


class Part(NamedTuple):
    """One chunk of a split listing, as its landing page lists it."""

    number: int
    path: str
    label: Markup
    """Its first and last item (`열린 · 민지 2026-11-02 – 열린 · 서현 2026-11-20`, `3주차 – 5주차`,
    `#12 – #80`), or for tasks the members it holds."""
    items: int


def _part_label(name: str, part: SiteModel, *, model: SiteModel, issue_repo: str | None) -> Markup:
    """Where chunk `part` of listing `name` begins and ends, in the listing's order."""
    if name == "questions":
        ends = [part.weeks[0], part.weeks[-1]]
        names = [f"{w.number}주차" if w.number else "과정 시작 전" for w in ends]
    elif name == "issues":
        names = [str(issue_label(i, issue_repo)) for i in (part.issues[0], part.issues[-1])]
    elif name == "tasks":  # shown by member, in the team's order
        return Markup(", ".join(esc(m.name) for m in part.members))
    else:
        names = [
            f"{'열린' if f.status.value == 'open' else '해결된'} · {esc(model.name(f.author))} {ymd(f.raised_on)}"
            for f in (part.followups[0], part.followups[-1])
        ]
    return Markup(names[0] if names[0] == names[1] else f"{names[0]} – {names[1]}")


def _split(model: SiteModel, name: str) -> list[tuple[SiteModel, int, str]]:
    """The model once per page of listing `name`, holding that page's items; their number; the
    key of the first (`paging.chunk_paths`)."""
    size = paging.PER_PAGE[name]
    if name == "followups":
        ordered = [*model.open_followups, *(f for f in model.followups if f.status.value != "open")]
        followups = paging.chunks(ordered, size, _followup_key)
        return [(replace(model, followups=tuple(c)), len(c), _first(c, _followup_key)) for c in followups]
    if name == "tasks":
        task_runs = paging.chunks(model.tasks, size, _task_key)
        out = []
        for tasks in task_runs:  # one page names every member (those with none too); a split one, its own
            authors = {t.author for t in tasks}
            members = model.members if len(task_runs) == 1 else tuple(m for m in model.members if m.id in authors)
            out.append((replace(model, tasks=tuple(tasks), members=members), len(tasks), _first(tasks, _task_key)))
        return out
    if name == "issues":
        return _issue_ranges(model, size)
    flat = [(w, q) for w in model.weeks for q in w.questions]
    pages = []
    for run in paging.chunks(flat, size, _question_key):
        weeks: dict[int, list[QuestionView]] = {}
        for w, q in run:
            weeks.setdefault(w.number, []).append(q)
        kept = tuple(replace(w, questions=tuple(weeks[w.number])) for w in model.weeks if w.number in weeks)
        pages.append((replace(model, weeks=kept), len(run), _first(run, _question_key)))
    return pages


def _issue_ranges(model: SiteModel, size: int) -> list[tuple[SiteModel, int, str]]:
    """Issues by number, `size` numbers of a repository a page (#1–#60, #61–#120, …), not cut
    by content: an issue's place is linked from every entry that mentions it, so it must never
    move (a page named after its first issue would, when that issue's last mention goes)."""
    if len(model.issues) <= size:
        return [(model, len(model.issues), "")]
    ranges: dict[tuple[str, int], list[IssueView]] = {}
    for issue in model.issues:  # sorted by repository and number (`issues.index`)
        ranges.setdefault((issue.repo.lower(), (issue.number - 1) // size), []).append(issue)
    return [(replace(model, issues=tuple(c)), len(c), f"{repo}#{k * size + 1}") for (repo, k), c in ranges.items()]


def _first(run: Sequence[T], key: Callable[[T], str]) -> str:
    return key(run[0]) if run else ""


def _followup_key(f: FollowUpRecord) -> str:
    return f.id


def _task_key(t: TaskRecord) -> str:
    return f"{t.author}\n{t.text}"


def _question_key(item: tuple[WeekView, QuestionView]) -> str:
    return f"{item[1].page}\n{item[1].text}"


def is_week_page(path: str) -> bool:
    """A week's digest (`weeks/<N>.md`): listed on `weeks/index.md`, not in the navigation, so
    that a new week does not change every page of the site (its navigation)."""
    return path.startswith("weeks/") and path[6:-3].isdigit() and path.endswith(".md")


def is_archive_page(path: str) -> bool:
    """A member's archive (`<member>/archive.md`): linked from the member's page, not in the navigation."""
    return path.count("/") == 1 and path.endswith("/archive.md")


def issue_pages(model: SiteModel) -> dict[str, str]:
    """Each issue's place on the issues pages: `issues/3f9a1c.md#issue-…` (`issues.md#…` on one page)."""
    parts = _split(model, "issues")
    paths = paging.chunk_paths("issues", [first for _, _, first in parts])
    out = {}
    for (part, _, _), path in zip(parts, paths, strict=True):
        page = path if len(parts) > 1 else paging.landing("issues")
        for issue in part.issues:
            out[issue.key] = f"{page}#{issue_anchor(issue.key)}"
    return out


def _labeler(issue_repo: str | None) -> Callable[[IssueView], Markup]:
    return lambda issue: issue_label(issue, issue_repo)


def _linker(issue_repo: str | None) -> Callable[[IssueView], Markup]:
    return lambda issue: issue_link(issue, issue_repo)


def publishable(model: SiteModel, memo: Memo | None = None) -> SiteModel:
    """The model as the templates see it: each entry's own Markdown marked safe for its page, its
    TIL made inert for the week pages (`escape.block`); every other string is escaped on printing."""
    marked = {id(e): _marked(e, memo) for e in model.entries}

    def swap(entries: Sequence[EntryView]) -> tuple[EntryView, ...]:
        return tuple(marked.get(id(e)) or _marked(e, memo) for e in entries)

    members = tuple(replace(m, entries=swap(m.entries)) for m in model.members)
    weeks = tuple(replace(w, entries=swap(w.entries)) for w in model.weeks)
    return replace(model, entries=swap(model.entries), members=members, weeks=weeks)


def _marked(e: EntryView, memo: Memo | None = None) -> EntryView:
    """Empty sections left out and done dates as badges (`tidy`), on the entry page and in digests."""
    body, til = memoized(memo, "tidied", (e.body, e.til), lambda: (Markup(tidy(e.body)), block(tidy(e.til))))
    return replace(e, heading=Markup(e.heading), body=body, til=til)


def page_title(author: str, e: EntryView) -> str:
    """What the browser tab and a search result call an entry: `엠제이 · Day13 · 2021-02-03`."""
    return f"{author} · {dayn(e.day)} · {e.date.isoformat()}"


def _entry_counts(m: MemberView) -> dict[date, int]:
    counts: dict[date, int] = {}
    for e in m.entries:
        counts[e.date] = counts.get(e.date, 0) + 1
    return counts


def _is_off(model: SiteModel) -> Callable[[date], bool]:
    cal = model.calendar
    if cal is None:
        return lambda d: d.weekday() >= 5
    return lambda d: not cal.is_course_day(d)


def team_board(model: SiteModel) -> Markup:
    """The home page's grass: the team's row, then one row per member."""
    per_member = [_entry_counts(m) for m in model.members]
    team_entries: dict[date, int] = {}
    active: dict[date, int] = {}
    for m, counts in zip(model.members, per_member, strict=True):
        for d, n in counts.items():
            team_entries[d] = team_entries.get(d, 0) + n
        for d, n in m.days.items():
            if n > 0:
                active[d] = active.get(d, 0) + 1
    rows = [visual.Row("팀", model.team_days, team_entries, active, len(model.members))]
    rows += [visual.Row(m.name, m.days, c) for m, c in zip(model.members, per_member, strict=True)]
    title = f"{model.course}: 팀 잔디"
    ident = "daylog-grass-team"
    return visual.board(rows, today=model.today, is_off=_is_off(model), title=title, ident=ident, since=model.start)


def member_board(model: SiteModel, m: MemberView) -> Markup:
    row = visual.Row(m.name, m.days, _entry_counts(m))
    ident = f"daylog-grass-{_ident(m.id)}"
    title = f"{m.name}: 잔디"
    return visual.board([row], today=model.today, is_off=_is_off(model), title=title, ident=ident, since=model.start)


def _months_before(d: date, n: int) -> date:
    """The first day of the month `n` months before `d`'s."""
    months = d.year * 12 + d.month - 1 - n
    return date(months // 12, months % 12 + 1, 1)


def member_calendars(model: SiteModel, m: MemberView, here: str) -> Markup:
    """A month calendar per month of the member's last `paging.CALENDAR_MONTHS` (older entries are in the archive)."""
    days = {e.date: visual.CalendarDay(str(link_target(relative(here, e.page))), dayn(e.day)) for e in m.entries}
    holidays = model.calendar.holidays if model.calendar else frozenset()
    last = max([model.today, *days])
    first = min([*days, model.start]) if days else model.start
    first = max(first, _months_before(last, paging.CALENDAR_MONTHS - 1))
    return visual.month_calendars(days, today=last, first=first, is_holiday=holidays.__contains__)


class TodayRow(NamedTuple):
    """The streak board's line for a member: done today, still to write, or a day off."""

    member: MemberView
    written: bool


def _today_board(model: SiteModel) -> tuple[TodayRow, ...]:
    written = {e.member for e in model.entries if e.date == model.today}
    return tuple(TodayRow(m, m.id in written) for m in model.members)


def _ident(member_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", member_id)
