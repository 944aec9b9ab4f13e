"""The site's inputs from a workspace on disk, and the one call that turns them into pages.

The filesystem side of the site (the model and the pages are pure): entry files under
`logs/`, the page templates (the package's, overridden by the workspace's
`templates/site/`), images next to the entries, the clock, and the very functions the
CLI's `--json` listings call — `streaks.activity.collect` (`daylog streak`), `questions.service.ledger`
(`daylog questions`, here over the rows of the entries parsed for the pages) and
`issues.service.issue_index` over the committed issue cache (`daylog issues`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from functools import partial
from importlib.resources import files
from pathlib import Path

from daylog.errors import DaylogError
from daylog.site.memo import Memo, memoized
from daylog.site.model import ParsedEntry, SiteModel, SourceEntry, build, parse_entries
from daylog.site.pages import LANDING_COPY, RESERVED, RESERVED_DIRS, TEMPLATE_NAMES, Options, render
from daylog.workspace.files import Scan, Workspace, read_text
from daylog.workspace.settings import Settings

ISSUE_CACHE = Path(".daylog") / "issues.json"
SITE_TEMPLATES = "site"
"""Folder under the workspace's `templates/` whose `*.md.j2` files replace the built-in page templates."""
ASSET_DIR = "assets/daylog"
ASSETS = ("daylog.css", "daylog.js", "mathjax.js")
MEDIA_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".pdf"})


@dataclass(frozen=True, slots=True)
class SitePages:
    """Everything a site generator needs from daylog."""

    pages: dict[str, str]
    """Virtual path → Markdown."""
    assets: dict[str, bytes]
    """Virtual path → bytes of daylog's CSS and JavaScript."""
    media: dict[str, str]
    """Virtual path → absolute path of an image (or PDF) stored next to the entries."""
    sources: dict[str, str]
    """Entry page path → its log file, relative to the workspace root."""
    model: SiteModel
    errors: tuple[DaylogError, ...]
    """Entry files that could not be read (not published)."""
    notes: tuple[str, ...] = ()
    """What `daylog streak` would say on stderr (no repository, unmapped commit authors, …)
    and a corrupt issue cache."""
    warnings: tuple[str, ...] = ()
    """The notes that mean the pages are wrong (a shallow clone, an unreadable repository,
    a corrupt issue cache): the plugin logs them as warnings, so `--strict` stops; the
    other notes are information."""


class _OneWalk(Workspace):
    """The workspace walked once for one rendering of the site: the entries, questions, issues,
    concepts and activity it reads all list `logs/` (five walks stat-ing every entry before)."""

    def __init__(self, ws: Workspace) -> None:
        super().__init__(ws.root, ws.settings)
        self._walk: Scan | None = None

    def scan(self, member: str | None = None) -> Scan:
        if member is not None:
            return super().scan(member)
        if self._walk is None:
            self._walk = super().scan()
        return self._walk


def today_for(settings: Settings) -> date:
    """Today's study day (`daylog.clock`, the same clock as the CLI's: honours DAYLOG_NOW)."""
    from daylog.clock import today

    return today(settings)


def read_sources(ws: Workspace, memo: Memo | None = None) -> tuple[list[SourceEntry], list[DaylogError]]:
    """Every dated entry under `logs/<member>/`; unreadable and refused files become errors.

    Refused files (links leading out, FIFOs, huge files) are never read: the scan names them.
    With a `memo` (`daylog site serve`) a file whose stat is what it was is not read again (3,000
    files: 60 ms of each update); the server notices saves by the same stat.
    """
    out: list[SourceEntry] = []
    scan = ws.scan()
    errors: list[DaylogError] = list(scan.refusals())
    limit = ws.settings.max_entry_bytes
    for f in scan.files:
        if f.date is None or not f.member:
            continue
        try:
            out.append(SourceEntry(f.member, f.date, f.rel, _read(f.path, f.rel, limit, memo)))
        except DaylogError as exc:
            errors.append(DaylogError(exc.message, path=f.rel, line=exc.line, hint=exc.hint))
    return out, errors


def _read(path: str, rel: str, limit: int, memo: Memo | None) -> str:
    if memo is None:
        return read_text(path, rel, limit)
    try:
        st = os.stat(path)
    except OSError:
        return read_text(path, rel, limit)  # says why
    key = (path, st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, limit)
    return memoized(memo, "source", key, partial(read_text, path, rel, limit))


def builtin_template(name: str) -> str:
    return files("daylog.site").joinpath("templates", name).read_text("utf-8")


def page_templates(ws: Workspace) -> tuple[dict[str, str], list[Path]]:
    """The page templates (built-in unless the workspace overrides one) and the overriding files."""
    folder = ws.root / ws.settings.templates_dir / SITE_TEMPLATES
    out = {}
    used = []
    for name in TEMPLATE_NAMES:
        path = folder / name
        if path.is_file():
            out[name] = read_text(path)
            used.append(path)
        else:
            out[name] = builtin_template(name)
    for name in ("followups.md.j2", "tasks.md.j2", "questions.md.j2", "issues.md.j2"):
        out[LANDING_COPY + name] = builtin_template(name)  # see `pages.LANDING_COPY`
    return out, used


def assets() -> dict[str, bytes]:
    return {f"{ASSET_DIR}/{n}": files("daylog.site").joinpath("assets", n).read_bytes() for n in ASSETS}


def media(ws: Workspace) -> dict[str, str]:
    """Images stored under `logs/` (e.g. `logs/minji/img/x.png`) at the same place on the site."""
    out: dict[str, str] = {}
    logs = ws.logs
    if not logs.is_dir():
        return out
    for folder, dirs, names in os.walk(logs):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith(".") or os.path.splitext(name)[1].lower() not in MEDIA_SUFFIXES:
                continue
            path = os.path.join(folder, name)
            out[Path(os.path.relpath(path, logs)).as_posix()] = path
    return out


def check_member_ids(ws: Workspace, members: set[str]) -> None:
    """Member folders must not take the names the generated pages use."""
    for mid in sorted(members):
        if mid in RESERVED_DIRS or f"{mid}.md" in RESERVED:
            raise DaylogError(
                f"member folder `{mid}` has the name of a generated page",
                path=f"{ws.settings.logs_dir}/{mid}",
                hint=f"rename the member id (reserved: {', '.join(sorted(RESERVED_DIRS))})",
            )


def _without_conflicts(parsed: list[ParsedEntry]) -> tuple[list[ParsedEntry], list[DaylogError]]:
    """Entries mid-merge are not published (both sides would show): the rule of every listing."""
    from daylog.workspace.cache import refuse_conflicts

    kept: list[ParsedEntry] = []
    errors: list[DaylogError] = []
    for p in parsed:
        try:
            refuse_conflicts(p.entry)
        except DaylogError as exc:
            errors.append(DaylogError(exc.message, path=p.source.rel, line=exc.line, hint=exc.hint))
            continue
        kept.append(p)
    return kept, errors


def site_pages(
    ws: Workspace, *, today: date | None = None, options: Options = Options(), memo: Memo | None = None
) -> SitePages:
    """Read the workspace and render every page (what the plugin and `site export` publish).

    A `memo` (`daylog site serve`) keeps what unchanged entries gave from one call to the next."""
    from daylog.issues.service import issue_index, load_cache
    from daylog.questions.ledger import EntryQuestions, question_rows
    from daylog.questions.service import ledger
    from daylog.streaks.activity import DEFAULT_MODE, DEFAULT_SOURCE, Collector

    ws = _OneWalk(ws)
    settings = ws.settings
    today = today or today_for(settings)
    sources, errors = read_sources(ws, memo)
    check_member_ids(ws, {s.member for s in sources} | set(settings.member_ids()))
    collector = Collector(ws, DEFAULT_SOURCE)  # `git log` runs while the entries are parsed
    parsed, conflicted = _without_conflicts(parse_entries(settings, sources, memo))
    rows = [(p.source, memoized(memo, "questions", p.source, partial(question_rows, p.entry))) for p in parsed]
    questions = ledger(settings, [EntryQuestions(s.rel, s.member, s.date, r) for s, r in rows if r])
    cache, cache_problem = load_cache(ws)
    index, i_errors = issue_index(ws, cache)
    activity = collector.finish()
    model = build(
        settings,
        parsed,
        today=today,
        activity=activity,
        questions=questions,
        index=index,
        source=DEFAULT_SOURCE,
        mode=DEFAULT_MODE,
        memo=memo,
    )
    templates, overrides = page_templates(ws)
    from daylog.search.concepts.service import listing
    from daylog.site.concept_pages import render_concepts, with_links

    concepts = listing(ws)
    model = with_links(model, concepts.catalog)
    builtin = frozenset(templates) - {p.name for p in overrides}
    pages = render(
        model, templates, issue_repo=settings.issue_repo, options=options, memo=memo, builtin=builtin
    )
    if memo is not None:
        memo.sweep()
    pages = render_concepts(model, concepts.catalog, templates, pages)
    sources_by_page = {e.page: e.source for e in model.entries}
    problems = [*errors, *conflicted, *i_errors, *activity.errors, *concepts.errors]
    unique = tuple({str(e): e for e in problems}.values())
    notes, warnings = list(activity.notes), list(activity.warnings)
    if cache_problem is not None:
        problem = f"{cache_problem}; issue titles and states are not shown (`daylog issues fetch` rebuilds it)"
        notes.append(problem)
        warnings.append(problem)
    return SitePages(pages, assets(), media(ws), sources_by_page, model, unique, tuple(notes), tuple(warnings))
