"""A site kept built for `daylog site serve`: one full MkDocs build, then only the pages an edit changed.

Why: a full build of 3,000 entries takes about a minute, and MkDocs' `serve --dirty` skips
only pages read from files older than their output: daylog's pages are generated in memory,
so it renders them all again, and it never cleans the site, so a deleted entry stays served.
Here the daylog plugin makes all of its pages' Markdown again (unchanged entries' parts kept
in a `daylog.site.memo.Memo`) and MkDocs renders only the pages whose Markdown changed, were
added, or link to a page that came or went; the search index is put together again from each
page's kept part. Whatever this cannot attribute to pages
(mkdocs.yml, templates, the issue cache, docs_dir, the theme, images, a plugin it does not
know, a change of the navigation) gets a full build. Nothing is kept on disk, so no stale
cache outlives the process. The steps mirror `mkdocs.commands.build.build` (MkDocs 1.6).
"""

from __future__ import annotations

import gc
import logging
import os
import posixpath
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.commands.build import _build_extra_template, _build_page, _build_theme_template, _populate_page
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import clean_directory

from daylog.site.memo import Memo
from daylog.site.source import MEDIA_SUFFIXES

log = logging.getLogger("mkdocs.plugins.daylog.live")

KNOWN_PLUGINS = frozenset({"search", "material/search", "tags", "material/tags", "daylog"})
"""Plugins whose state an update keeps right; with any other, every change is a full build."""
INCLUDED = InclusionLevel.is_included


class NeedsFullBuild(Exception):
    """An update found a change it cannot render page by page."""


@dataclass
class _Build:
    """What one build leaves for the next update."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: Any
    base: list[File]
    """docs_dir's and the theme's files, before the plugins added theirs."""
    search: dict[str, list[Any]] = field(default_factory=dict)
    """Each page's entries of the search index (by src_uri)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an update did."""

    full: bool
    rendered: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.full:
            return "full build"
        return f"{len(self.rendered)} page(s) rendered again, {len(self.removed)} removed"


def snapshot(roots: list[Path]) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file under `roots` (a root may be a single file)."""
    out: dict[str, tuple[int, int]] = {}
    for root in roots:
        if root.is_file():
            st = root.stat()
            out[str(root)] = (st.st_mtime_ns, st.st_size)
            continue
        for folder, dirs, names in os.walk(root):
            dirs.sort()
            for name in names:
                path = os.path.join(folder, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                out[path] = (st.st_mtime_ns, st.st_size)
    return out


def changed(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> set[str]:
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


class LiveSite:
    """The site of `config_file` built into `site_dir`, brought up to date by `update()`."""

    def __init__(self, config_file: Path, site_dir: Path) -> None:
        self.config_file = config_file.resolve()
        self.site_dir = site_dir
        self.build: _Build | None = None
        self.state: dict[str, tuple[int, int]] = {}

    # -- what is watched -------------------------------------------------------------------

    def watched(self) -> list[Path]:
        """mkdocs.yml, docs_dir, the theme's own folder and what the daylog plugin reads."""
        assert self.build is not None
        config = self.build.config
        out = [self.config_file, Path(config.docs_dir)]
        if config.theme.custom_dir:
            out.append(Path(config.theme.custom_dir))
        out.extend(self._plugin().watched())
        return [p for p in out if p.exists()]

    def _relevant(self, paths: set[str]) -> tuple[set[str], bool]:
        """The changed paths that matter, and whether all of them can be rendered page by page.

        Markdown under the logs and concepts folders can; an editor's swap, backup or probe
        file there (`.x.md.swp`, `x.md~`, `4913`) is no input of the site; anything else is."""
        assert self.build is not None
        plugin = self._plugin()
        assert plugin.settings is not None
        roots = [plugin.root / plugin.settings.logs_dir, plugin.root / "concepts"]
        inside = {p for p in paths if any(Path(p).is_relative_to(r) for r in roots)}
        pages = {p for p in inside if p.endswith(".md") and not Path(p).name.startswith(".")}
        media = {p for p in inside - pages if Path(p).suffix.lower() in MEDIA_SUFFIXES}
        wanted = (paths - inside) | pages | media
        known = all(name in KNOWN_PLUGINS for name in self.build.config.plugins)
        return wanted, known and wanted <= pages

    def _plugin(self) -> Any:
        assert self.build is not None
        return self.build.config.plugins["daylog"]

    # -- builds ----------------------------------------------------------------------------

    def full(self) -> Outcome:
        """A clean build, as `mkdocs build` makes it."""
        if self.build is not None:
            self.build.config.plugins.on_shutdown()
            self.build = None
        gc.unfreeze()  # the previous build's objects may be collected again
        config = load_config(config_file=str(self.config_file), site_dir=str(self.site_dir))
        daylog: Any = config.plugins["daylog"]
        daylog.memo = Memo()  # kept for this build and the updates after it
        config.plugins.on_startup(command="build", dirty=False)
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        clean_directory(config.site_dir)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        base = list(files)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        for file in files.documentation_pages(inclusion=INCLUDED):
            if file.page is None and file.inclusion.is_not_in_nav():  # type: ignore[no-untyped-call]
                Page(None, file, config)
            assert file.page is not None
            _populate_page(file.page, config, files)
        env = config.plugins.on_env(env, config=config, files=files)
        build = _Build(config, files, nav, env, base)
        files.copy_static_files(inclusion=INCLUDED)
        self._templates(build)
        docs = list(files.documentation_pages(inclusion=INCLUDED))
        for file in docs:
            self._write(build, file, docs)
        self._finish(build, docs, docs)
        self.build = build
        self.state = snapshot(self.watched())
        _keep()
        return Outcome(full=True)

    def update(self) -> Outcome:
        """Bring the site up to date with the files on disk: page by page when it can."""
        if self.build is None:
            return self.full()
        now = snapshot(self.watched())
        paths, by_page = self._relevant(changed(self.state, now))
        if not paths:
            self.state = now
            return Outcome(full=False)
        if not by_page:
            return self.full()
        try:
            with _collected_after():
                outcome = self._incremental()
        except NeedsFullBuild as exc:
            log.info(f"full build: {exc}")
            return self.full()
        except BaseException:
            self.build = None  # half updated: the next update starts clean
            raise
        self.state = now
        return outcome

    def _incremental(self) -> Outcome:
        assert self.build is not None
        build = self.build
        config = build.config
        plugin = self._plugin()
        nav_before = config["nav"]
        titles = [p.title for p in build.nav.pages]
        plugin.site = plugin.read_site(config)
        fresh = plugin.publish(plugin.site, Files(list(build.base)), config)
        if config["nav"] != nav_before:
            raise NeedsFullBuild("the navigation changed")
        set_exclusions(fresh, config)
        files, edited, added, removed = _merge(build.files, fresh)
        build.files = files
        docs = list(files.documentation_pages(inclusion=INCLUDED))
        render = _to_render(docs, edited, added, removed)
        tags = _tags_plugin(config)
        if tags is not None:
            render |= _forget_tags(tags, render, removed)
        for f in docs:
            if f.src_uri in render:
                if f.page is None:
                    Page(None, f, config)
                assert f.page is not None
                _populate_page(f.page, config, files)
        if [p.title for p in build.nav.pages] != titles:
            raise NeedsFullBuild("a page title in the navigation changed")
        if tags is not None:
            _reorder_tags(tags, docs)
            tags.on_env(build.env, config=config, files=files)  # the listings, filled again
        for f in edited + added:
            if not f.is_documentation_page() and INCLUDED(f.inclusion):  # type: ignore[no-untyped-call]
                f.copy_file()
        for f in removed:
            _remove_output(f, config.site_dir)
            build.search.pop(f.src_uri, None)
        self._templates(build)
        written = [f for f in docs if f.src_uri in render]
        for f in written:
            self._write(build, f, docs)
        self._finish(build, docs, written)
        return Outcome(False, tuple(sorted(render)), tuple(sorted(f.src_uri for f in removed)))

    # -- shared steps ----------------------------------------------------------------------

    def _templates(self, build: _Build) -> None:
        """The theme's static templates (sitemap.xml, 404.html) and the extra templates: always again."""
        config = build.config
        for name in config.theme.static_templates:
            _build_theme_template(name, build.env, build.files, config, build.nav)
        for name in config.extra_templates:
            _build_extra_template(name, build.files, config, build.nav)

    def _write(self, build: _Build, file: File, docs: list[File]) -> None:
        """Write one page, keeping the entries it adds to the search index."""
        assert file.page is not None
        index = _search_entries(build.config)
        before = len(index) if index is not None else 0
        _build_page(file.page, build.config, docs, build.nav, build.env, excluded=file.inclusion.is_excluded())  # type: ignore[no-untyped-call]
        if index is not None:
            build.search[file.src_uri] = index[before:]

    def _finish(self, build: _Build, docs: list[File], written: list[File]) -> None:
        """The search index from every page's part, in page order, then the plugins' post-build steps."""
        config = build.config
        index = _search_entries(config)
        if index is not None:
            index[:] = [e for f in docs for e in build.search.get(f.src_uri, ())]
        for f in written:
            assert f.page is not None
            f.page.validate_anchor_links(files=build.files, log_level=config.validation.links.anchors)
        config.plugins.on_post_build(config=config)


def _keep() -> None:
    """Take what a full build leaves out of the cyclic garbage collector's sight.

    At 3,000 entries the kept build (pages, their Markdown and tables of contents, the memo)
    is millions of objects; every full collection during an update walked them all again,
    about a second of an edit's update. Frozen, they are still freed when nothing refers to
    them; cycles among them wait for the next full build, which unfreezes first."""
    gc.collect()
    gc.freeze()


@contextmanager
def _collected_after() -> Iterator[None]:
    """No cyclic garbage collection during an update: one pass over what it made at the end.

    An update at 3,000 entries makes a few hundred thousand objects (the model, the pages'
    Markdown parsers); with the collector on, its automatic passes over them took 0.3–0.4 s of
    each update (four full collections, measured with `gc.callbacks`). At the end the young
    generations are collected once (the parsers' cycles go) and what survives is frozen
    with the rest of the build, as `_keep` does after a full build."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
            gc.collect(1)
            gc.freeze()


def _merge(old: Files, fresh: Files) -> tuple[Files, list[File], list[File], list[File]]:
    """The fresh file list, keeping the old File (and its Page) wherever the path stays.

    Returns the files, those whose content changed, those added and those removed.
    """
    kept: list[File] = []
    edited: list[File] = []
    added: list[File] = []
    for f in fresh:
        o = old.get_file_from_path(f.src_uri)
        if o is None:
            added.append(f)
            kept.append(f)
            continue
        if f.abs_src_path != o.abs_src_path or f.inclusion != o.inclusion or f.edit_uri != o.edit_uri:
            raise NeedsFullBuild(f"{f.src_uri} changed kind")
        if f.abs_src_path is None and _content_changed(o, f):
            edited.append(o)
        kept.append(o)
    paths = {f.src_uri for f in fresh}
    removed = [o for o in old if o.src_uri not in paths]
    return Files(kept), edited, added, removed


def _content_changed(old: File, new: File) -> bool:
    """Whether a generated file's content differs; the old File takes the new content."""
    if old.is_documentation_page():
        if old.content_string == new.content_string:
            return False
        old.content_string = new.content_string
        return True
    if old.content_bytes == new.content_bytes:
        return False
    old.content_bytes = new.content_bytes
    return True


def _to_render(docs: list[File], edited: list[File], added: list[File], removed: list[File]) -> set[str]:
    """Pages whose Markdown changed or is new, and pages whose text names a page that came or went
    (a written link `[어제](2026-11-04.md)` resolves only while its target exists)."""
    render = {f.src_uri for f in edited + added if f.is_documentation_page()}
    targets = [f.src_uri for f in added + removed if f.is_documentation_page()]
    seen: dict[str, list[str]] = {}  # the targets as written from each folder (a few folders, 3,000 pages)
    for f in docs if targets else ():
        text = f.page.markdown or "" if f.page is not None else ""
        here = posixpath.dirname(f.src_uri) or "."
        rels = seen.get(here) or seen.setdefault(here, [posixpath.relpath(t, here) for t in targets])
        if f.src_uri not in render and any(rel in text for rel in rels):
            render.add(f.src_uri)
    return render


def _remove_output(f: File, site_dir: str) -> None:
    """Delete a page's or file's output, and the folders it leaves empty."""
    path = Path(f.abs_dest_path)
    path.unlink(missing_ok=True)
    folder = path.parent
    top = Path(site_dir)
    while folder != top and folder.is_relative_to(top) and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _search_entries(config: MkDocsConfig) -> list[Any] | None:
    """Material's search index entries (a list the search plugin fills as pages are written)."""
    for name in ("material/search", "search"):
        plugin = config.plugins.get(name)
        index = getattr(plugin, "search_index", None)
        if index is not None and isinstance(getattr(index, "entries", None), list):
            return index.entries  # type: ignore[no-any-return]
    return None


def _tags_plugin(config: MkDocsConfig) -> Any:
    for name in ("material/tags", "tags"):
        plugin = config.plugins.get(name)
        if plugin is not None and getattr(plugin, "config", None) is not None and plugin.config.enabled:
            return plugin
    return None


def _forget_tags(tags: Any, render: set[str], removed: list[File]) -> set[str]:
    """Drop what the tags plugin read from pages rendered again or removed; returns the listing
    pages, which are rendered again too (their listings are filled from every page's tags)."""
    listing_pages = {listing.page.file.src_uri for listing in tags.listings.data}
    gone = {f.src_uri for f in removed}
    redo = render | listing_pages
    tags.listings.data = {x for x in tags.listings.data if x.page.file.src_uri not in redo | gone}
    data = tags.mappings.data
    tags.mappings.data = {u: m for u, m in data.items() if m.item.file.src_uri not in redo | gone}
    return listing_pages - gone


def _reorder_tags(tags: Any, docs: list[File]) -> None:
    """The tags plugin's pages in build order, as a full build would have read them."""
    data = tags.mappings.data
    tags.mappings.data = {f.url: data[f.url] for f in docs if f.url in data}
