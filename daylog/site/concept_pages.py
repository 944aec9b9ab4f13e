"""The concepts on the site: a page per concept, the concepts index, and on each entry page its concepts.

Pure, like `pages`: a `Catalog` (`daylog.search.concepts`) and the site model in, Markdown out, so the
MkDocs plugin and `daylog site export` publish the same pages.

- `concepts/<id>.md`: the note's Markdown (the team's text, as written, its wikilinks made links),
  then every mention: the line in context (inert, `escape.text`), by course week, linking to
  its entry;
- `concepts/index.md`: every concept with its aliases, mentions and who wrote them;
- on each entry page, `[[ResNet|레즈넷]]` becomes a link to the concept page (the page's Markdown
  only, never the file), and a "개념" block lists the concepts the entry mentions, each with
  the other entries that mention it (its backlinks: those that wikilink it first, then the nearest in time).

Mentions of entries that have no page (unpublished, mid-merge) are left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from markupsafe import Markup

from daylog.search.concepts.catalog import Catalog, Concept, Mention
from daylog.search.concepts.wikilinks import Wikilink, rewrite
from daylog.site.escape import link_target, text
from daylog.site.model import EntryView, SiteModel
from daylog.site.pages import environment, relative

TEMPLATES = ("concept.md.j2", "concepts.md.j2", "entry_concepts.md.j2")
INDEX = "concepts/index.md"
BACKLINKS = 5
"""Other entries listed per concept on an entry page; the concept's page lists them all."""
MAX_CONTEXT = 300
"""Characters of a mention's line shown on a concept page."""
_MARKER = re.compile(r"^(?:[-*+]|\d{1,9}[.)]|>)[ \t]++(?:\[[ xX]\][ \t]++)?")


def page_of(concept: Concept) -> str:
    return f"concepts/{concept.id}.md"


def is_concept_page(path: str) -> bool:
    """A concept's page (not the index): kept out of the navigation, like entry pages."""
    return path.startswith("concepts/") and path != INDEX


def _linker(catalog: Catalog, here: str) -> object:
    def link(w: Wikilink) -> str | None:
        c = catalog.resolve(w.name)
        if c is None:
            return None
        return f"[{text(w.shown)}]({link_target(relative(here, page_of(c)))})"

    return link


def link_wikilinks(markdown: str, catalog: Catalog, here: str) -> str:
    """`markdown` (shown on page `here`) with each wikilink a link to its concept's page."""
    return rewrite(markdown, _linker(catalog, here))  # type: ignore[arg-type]


def with_links(model: SiteModel, catalog: Catalog) -> SiteModel:
    """The model with every entry's body and TIL wikilinks turned into links (files untouched)."""
    swapped: dict[int, EntryView] = {}
    for e in model.entries:
        if "[[" in e.body or "[[" in e.til:
            swapped[id(e)] = replace(
                e, body=link_wikilinks(e.body, catalog, e.page), til=link_wikilinks(e.til, catalog, e.page)
            )
    if not swapped:
        return model

    def swap(entries: Sequence[EntryView]) -> tuple[EntryView, ...]:
        return tuple(swapped.get(id(e), e) for e in entries)

    members = tuple(replace(m, entries=swap(m.entries)) for m in model.members)
    weeks = tuple(replace(w, entries=swap(w.entries)) for w in model.weeks)
    return replace(model, entries=swap(model.entries), members=members, weeks=weeks)


@dataclass(frozen=True, slots=True)
class MentionView:
    """A mention as a concept page shows it."""

    entry: EntryView
    line: int
    text: str
    """The line in context: its list marker dropped, wikilinks as their labels, cut to `MAX_CONTEXT`."""
    wikilink: bool


@dataclass(frozen=True, slots=True)
class WeekMentions:
    number: int
    monday: date | None
    sunday: date | None
    page: str | None
    """The week's page, when the site has one."""
    mentions: tuple[MentionView, ...]


@dataclass(frozen=True, slots=True)
class ConceptView:
    """A concept, ready for its page and the index."""

    id: str
    name: str
    page: str
    aliases: tuple[str, ...]
    note: str | None
    """The note's file (`concepts/resnet.md`), None when there is none yet."""
    body: Markup
    """The note's Markdown, wikilinks as links; empty without a note."""
    mentions: tuple[MentionView, ...]
    weeks: tuple[WeekMentions, ...]
    members: tuple[str, ...]

    @property
    def wikilinks(self) -> int:
        return sum(m.wikilink for m in self.mentions)

    @property
    def entries(self) -> tuple[EntryView, ...]:
        """The entries that mention it, newest first, each once."""
        seen: dict[str, EntryView] = {}
        for m in reversed(self.mentions):
            seen.setdefault(m.entry.page, m.entry)
        return tuple(seen.values())


def _context(line: str) -> str:
    shown = rewrite(_MARKER.sub("", line), lambda w: w.shown)
    return shown if len(shown) <= MAX_CONTEXT else shown[: MAX_CONTEXT - 1] + "…"


def _note_body(concept: Concept, catalog: Catalog) -> Markup:
    if concept.note is None:
        return Markup("")
    body = concept.note.body.strip("\n")
    first, _, rest = body.partition("\n")
    if re.match(r"^# [^#]", first):  # the page prints the name as its title
        body = rest.strip("\n")
    return Markup(link_wikilinks(body, catalog, page_of(concept)) + "\n") if body else Markup("")


def views(model: SiteModel, catalog: Catalog) -> tuple[ConceptView, ...]:
    """Every concept with its published mentions."""
    by_source = {e.source: e for e in model.entries}
    weeks = {w.number: w for w in model.weeks}
    out = []
    for c in catalog.concepts:
        shown = tuple(
            MentionView(by_source[m.path], m.line, _context(m.text), m.wikilink)
            for m in c.mentions
            if m.path in by_source
        )
        grouped: dict[int, list[MentionView]] = {}
        for m in shown:
            grouped.setdefault(m.entry.week, []).append(m)
        week_views = tuple(
            WeekMentions(
                n,
                weeks[n].monday if n in weeks else None,
                weeks[n].sunday if n in weeks else None,
                f"weeks/{n}.md" if n in weeks else None,
                tuple(ms),
            )
            for n, ms in sorted(grouped.items())
        )
        members = tuple(sorted({m.entry.member for m in shown}))
        note = c.note.path if c.note else None
        body = _note_body(c, catalog)
        out.append(ConceptView(c.id, c.name, page_of(c), c.aliases, note, body, shown, week_views, members))
    return tuple(out)


def _mentions_by_entry(concepts: Sequence[ConceptView]) -> dict[str, list[tuple[ConceptView, bool]]]:
    """Entry page → (concept, wikilinked there) for each concept it mentions."""
    out: dict[str, dict[str, tuple[ConceptView, bool]]] = {}
    for c in concepts:
        for m in c.mentions:
            mine = out.setdefault(m.entry.page, {})
            linked = mine.get(c.id, (c, False))[1] or m.wikilink
            mine[c.id] = (c, linked)
    return {page: sorted(v.values(), key=lambda x: (not x[1], x[0].name.casefold())) for page, v in out.items()}


def _backlinks(concept: ConceptView, entry: EntryView) -> list[EntryView]:
    """The other entries mentioning `concept`: those that wikilink it first, then the nearest in time."""
    linking = {m.entry.page for m in concept.mentions if m.wikilink}
    others = [e for e in concept.entries if e.page != entry.page]
    return sorted(others, key=lambda e: (e.page not in linking, abs((e.date - entry.date).days), e.date, e.member))


def render_concepts(
    model: SiteModel, catalog: Catalog, templates: Mapping[str, str], pages: dict[str, str]
) -> dict[str, str]:
    """`pages` with the concept pages and index added, and each entry page's "개념" block appended."""
    concepts = views(model, catalog)
    env = environment(templates)
    env.filters["names"] = lambda ids: ", ".join(model.name(i) for i in ids)
    out = dict(pages)

    def page(name: str, here: str, **context: object) -> str:
        import jinja2

        try:
            return env.get_template(name).render(here=here, model=model, **context)
        except jinja2.TemplateError as exc:
            from daylog.errors import DaylogError

            raise DaylogError(f"site template {name}: {exc}", line=getattr(exc, "lineno", None)) from None

    out[INDEX] = page("concepts.md.j2", INDEX, concepts=concepts)
    for c in concepts:
        out[c.page] = page("concept.md.j2", c.page, concept=c)
    by_page = {e.page: e for e in model.entries}
    for here, mentioned in _mentions_by_entry(concepts).items():
        if here not in out:
            continue
        items = [(c, linked, _backlinks(c, by_page[here])) for c, linked in mentioned]
        block = page("entry_concepts.md.j2", here, items=items, most=BACKLINKS)
        out[here] = out[here].rstrip("\n") + "\n\n" + block
    return out


__all__ = ["INDEX", "TEMPLATES", "Mention", "is_concept_page", "render_concepts", "views", "with_links"]
