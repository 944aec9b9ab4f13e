"""The MkDocs plugin `daylog`: publishes `logs/` and the team pages as in-memory files.

Thin glue: settings come from the same `daylog` block the CLI reads (validated by
`daylog.workspace.settings`), pages from `daylog.site.source.site_pages`. Nothing is written into
`docs_dir`; entries are kept out of the navigation (`not_in_nav`) so that Material does
not write thousands of links into every page; the navigation lists the team pages.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from daylog.errors import DaylogError
from daylog.site import budget
from daylog.workspace.settings import KEYS, Settings

log = get_plugin_logger(__name__)

MATHJAX_URL = "https://unpkg.com/mathjax@3/es5/tex-mml-chtml.js"


def _config_class() -> type[base.Config]:
    """One optional, typed option per key of the settings schema (`daylog.workspace.settings.KEYS`).

    The types only let MkDocs accept the block; `settings_for` validates it with the CLI's rules.
    """
    options: dict[str, Any] = {k.name: c.Optional(c.Type(k.kind.types)) for k in KEYS}
    doc = 'The keys of the CLI\'s settings block (README "Settings"), made from `daylog.workspace.settings.KEYS`.'
    return type("DaylogConfig", (base.Config,), {"__doc__": doc, "__module__": __name__, **options})


if TYPE_CHECKING:
    from daylog.site.memo import Memo
    from daylog.site.source import SitePages

    class DaylogConfig(base.Config):  # type: ignore[no-untyped-call]
        """The plugin's config: made from the settings schema by `_config_class`."""

else:
    DaylogConfig = _config_class()


def settings_for(options: dict[str, Any], config_file_path: str | None) -> Settings:
    """Validate the plugin block with the CLI's validator; any problem is a PluginError.

    The file is read again so that messages carry its line numbers; a block that is not in
    that file (`INHERIT`, or options passed in code) is validated from the options.
    """
    from daylog.workspace.config_file import has_daylog_block, load_settings
    from daylog.workspace.settings_reader import parse_settings

    try:
        if config_file_path and has_daylog_block(Path(config_file_path)):
            return load_settings(Path(config_file_path))
        import yaml

        text = yaml.safe_dump({"plugins": [{"daylog": options}]}, allow_unicode=True, sort_keys=False)
        return parse_settings(text, source=config_file_path or "mkdocs.yml")
    except DaylogError as exc:
        raise PluginError(f"daylog: {exc}") from None


class DaylogPlugin(BasePlugin[DaylogConfig]):  # type: ignore[no-untyped-call]
    """Entries at `/<member>/<YYYY-MM-DD>/`, plus home, follow-ups, tasks, questions, issues,
    people and weekly pages, generated from `logs/` on every build."""

    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.root = Path(".")
        self.serving = False
        self.user_nav = False
        self.budget = budget.BudgetExtension()
        self.sources: dict[str, str] = {}
        """Each entry page's source file, relative to the workspace (for warnings)."""
        self.site: SitePages | None = None
        """The pages of the latest build (`daylog site serve` compares the next ones with them)."""
        self.memo: Memo | None = None
        """Set by `daylog site serve`: what unchanged entries gave is kept between its builds."""

    def load_config(self, options: dict[str, Any], config_file_path: str | None = None) -> Any:
        # Validate with daylog's rules first: unknown keys and bad values stop the build with
        # the key, its line and a hint (MkDocs alone would only warn about unknown keys).
        self.settings = settings_for(dict(options), config_file_path)
        return super().load_config(options, config_file_path)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.settings is None:  # load_config always runs first; be safe anyway
            self.settings = settings_for(dict(self.config), config.config_file_path)
        self.root = Path(config.config_file_path or ".").resolve().parent
        self.user_nav = config.nav is not None
        _ensure_markdown(config, self.settings)
        config.markdown_extensions.append(self.budget)  # hostile input (#12)
        from mkdocs.config.config_options import ExtraScriptValue

        from daylog.site.source import ASSET_DIR

        css = f"{ASSET_DIR}/daylog.css"
        if css not in config.extra_css:
            config.extra_css.append(css)
        scripts = [str(getattr(s, "path", s)) for s in config.extra_javascript]
        if f"{ASSET_DIR}/daylog.js" not in scripts:
            config.extra_javascript.append(ExtraScriptValue(f"{ASSET_DIR}/daylog.js"))
        if not any("mathjax" in s.lower() or "katex" in s.lower() for s in scripts):
            config.extra_javascript.append(ExtraScriptValue(f"{ASSET_DIR}/mathjax.js"))
            lib = ExtraScriptValue(MATHJAX_URL)
            lib.async_ = True
            config.extra_javascript.append(lib)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        self.site = self.read_site(config)
        return self.publish(self.site, files, config)

    def read_site(self, config: MkDocsConfig) -> SitePages:
        """The workspace's pages as of now; a DaylogError becomes a PluginError."""
        from daylog.site.pages import Options
        from daylog.site.source import site_pages
        from daylog.workspace.files import Workspace

        assert self.settings is not None
        ws = Workspace(self.root, self.settings)
        tags = any(name in config.plugins for name in ("tags", "material/tags"))
        try:
            return site_pages(ws, options=Options(tags_page=tags), memo=self.memo)
        except DaylogError as exc:
            raise PluginError(f"daylog: {exc}") from None

    def publish(self, site: SitePages, files: Files, config: MkDocsConfig) -> Files:
        """Add the pages, assets, feeds and images of `site` to `files`, and the navigation to `config`.

        `daylog site serve` calls it again with the pages of an edited workspace (`daylog.site.live`).
        """
        assert self.settings is not None
        _log_notes(site)
        self.sources = {path: str(source) for path, source in site.sources.items()}
        self._add_pages(site, files, config)
        for path, data in site.assets.items():
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=data))
        for path, data in _feeds(site, config, self.settings).items():
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=data))
        for path, abs_path in site.media.items():
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, abs_src_path=abs_path))
        if not self.user_nav:
            config["nav"] = _navigation(site, files, set(site.pages))
        return files

    def _add_pages(self, site: SitePages, files: Files, config: MkDocsConfig) -> None:
        """The generated pages as in-memory files; a page in docs_dir may replace only the home page."""
        from daylog.site.concept_pages import is_concept_page
        from daylog.site.pages import is_archive_page, is_week_page

        docs_dir = Path(config.docs_dir)
        entry_pages = set(site.sources)
        for path, text in site.pages.items():
            existing = files.get_file_from_path(path)
            if existing is not None:
                if path == "index.md":
                    log.info(f"{existing.src_uri} in docs_dir replaces the generated home page")
                    continue
                raise PluginError(f"daylog: {docs_dir.name}/{path} has the path of a generated page; move or rename it")
            hidden = path in entry_pages or is_concept_page(path) or is_archive_page(path) or is_week_page(path)
            inclusion = InclusionLevel.NOT_IN_NAV if hidden else InclusionLevel.UNDEFINED
            f = File.generated(config, path, content=text, inclusion=inclusion)
            source = site.sources.get(path)
            if source is not None:
                f.edit_uri = Path(os.path.relpath(self.root / source, docs_dir)).as_posix()
            files.append(f)

    def on_post_page(self, output: str, /, *, page: Any, config: MkDocsConfig) -> str:
        """Every page links the team's Atom feed in its `<head>`; a member's pages link theirs too."""
        from html import escape

        from mkdocs.utils import get_relative_url

        from daylog.site.feeds import TEAM_FEED, member_feed

        assert self.settings is not None
        links = [(TEAM_FEED, "팀 기록")]
        member = self.settings.member(page.file.src_uri.split("/", 1)[0]) if "/" in page.file.src_uri else None
        if member is not None:
            links.append((member_feed(member.id), f"{member.name}의 기록"))
        tags = "".join(
            f'<link rel="alternate" type="application/atom+xml" title="{escape(title)} (Atom)" '
            f'href="{get_relative_url(path, page.url or ".")}">'
            for path, title in links
        )
        return output.replace("</head>", tags + "</head>", 1)

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        for path in self.watched():
            server.watch(str(path))
        return server

    def watched(self) -> list[Path]:
        """What `mkdocs serve` must rebuild on: the logs, the templates and the issue cache."""
        from daylog.site.source import ISSUE_CACHE

        assert self.settings is not None
        out = [self.root / self.settings.logs_dir, self.root / self.settings.templates_dir, self.root / ISSUE_CACHE]
        out.append(self.root / "concepts")  # the concept notes (`daylog.search.concepts.service.CONCEPTS_DIR`)
        return [p for p in out if p.exists()]

    def on_page_content(self, html: str, /, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        """A warning naming the entry and line when its page had text over `daylog.site.budget`'s link budget."""
        shown = self.budget.take_shown()  # hostile input (#12)
        if shown:
            source = self.sources.get(page.file.src_uri)
            path = self.root / source if source else None
            text = path.read_text(encoding="utf-8", errors="replace") if path and path.is_file() else page.markdown
            line = budget.first_line(text or "", shown[0])
            where = (source or page.file.src_uri) + (f":{line}" if line else "")
            log.warning(
                f"{where}: {len(shown)} paragraph(s) with over {budget.BRACKETS_PER_BLOCK} '[' or unclosed link "
                "parentheses are shown as text, without their links (split them with blank lines, or put them in code)"
            )
        return html

    @event_priority(10)  # before Material's search indexes the page (0): see daylog.site.budget
    def _hide_toc(self, context: Any, /, *, page: Any, config: MkDocsConfig, nav: Any) -> Any:
        budget.hide_toc(page)
        return context

    @event_priority(-10)
    def _restore_toc(self, context: Any, /, *, page: Any, config: MkDocsConfig, nav: Any) -> Any:
        budget.restore_toc(page)
        return context

    on_page_context = CombinedEvent(_hide_toc, _restore_toc)

    @event_priority(-50)  # after Material's search plugin writes the index (0), before offline's (-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        from daylog.site import search_ko

        index = Path(config.site_dir) / "search" / "search_index.json"
        if not index.is_file() or not search_ko.enabled():
            return
        try:
            analyze = search_ko.kiwi_analyzer()
            material = _material_search_index(config)
            if material is None:
                added = search_ko.augment_file(index, analyze)
            else:
                added = search_ko.write_index(index, *material, analyze, cache=search_ko.FIELDS)
        except search_ko.Unavailable as exc:
            log.info(f"Korean search augmentation skipped: {exc}")
            return
        log.debug(f"added Korean morphemes to {added} search documents")


def _material_search_index(config: MkDocsConfig) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """The config and documents Material's search plugin has just written to `search_index.json`
    (its `SearchIndex.generate_search_index`), or None when that is not sure: another search
    plugin, or `mkdocs serve --dirty`, whose index Material merges with the previous one."""
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    if plugin is None or not type(plugin).__module__.startswith("material.plugins.search"):
        return None
    index = getattr(plugin, "search_index", None)
    settings = getattr(index, "config", None)
    entries = getattr(index, "entries", None)
    if getattr(plugin, "search_index_prev", None) is not None or not isinstance(settings, dict):
        return None
    if not isinstance(entries, list) or not all(k in settings for k in ("lang", "separator", "pipeline", "fields")):
        return None
    return {k: settings[k] for k in ("lang", "separator", "pipeline", "fields")}, entries


def _feeds(site: SitePages, config: MkDocsConfig, settings: Settings) -> dict[str, bytes]:
    """The Atom feeds at the addresses this build gives the pages."""
    from daylog.site.feeds import feeds, page_url
    from daylog.site.pages import page_title

    model = site.model
    url = page_url(config.site_url, config.use_directory_urls)
    return feeds(model, url, lambda e: page_title(model.name(e.member), e), settings.zone)


def _log_notes(site: SitePages) -> None:
    """The CLI's notes as MkDocs log lines.

    Notes (no repository: entries only; commit authors who are no member) are information;
    a shallow clone or an unreadable repository makes the streaks wrong, so it is a warning
    and `mkdocs build --strict` stops on it.
    """
    for err in site.errors:
        log.warning(f"skipped an entry that cannot be read: {err}")
    for message in site.notes:
        if message in site.warnings:
            log.warning(message.removeprefix("warning: "))
        else:
            log.info(message)


def _ensure_markdown(config: MkDocsConfig, settings: Settings) -> None:
    """Add the Markdown extensions the generated pages need, keeping whatever the team set."""
    from pymdownx.slugs import slugify  # type: ignore[import-untyped]

    exts = config.markdown_extensions
    mdx = config.mdx_configs

    def need(name: str, **defaults: Any) -> None:
        if name not in exts:
            exts.append(name)
        conf = mdx.setdefault(name, {})
        for key, value in defaults.items():
            conf.setdefault(key, value)

    need("toc", slugify=slugify(case="lower"))
    need("tables")
    need("attr_list")
    need("md_in_html")
    need("pymdownx.tasklist", custom_checkbox=True)
    need("pymdownx.arithmatex", generic=True)
    need("pymdownx.saneheaders")
    if settings.issue_repo:
        user, _, repo = settings.issue_repo.partition("/")
        need("pymdownx.magiclink", repo_url_shorthand=True, provider="github", user=user, repo=repo)
    else:
        need("pymdownx.magiclink")


def _navigation(site: Any, files: Files, generated: set[str]) -> list[Any]:
    """Home, people, weeks and the ledgers; then any hand-written pages in docs_dir.

    Material prints nav titles as HTML, unescaped: member names (settings) are escaped (#12).
    """
    from html import escape

    model = site.model
    nav: list[Any] = [{"홈": "index.md"}]
    nav.append({"팀원": ["people/index.md", *({escape(m.name): f"{m.id}/index.md"} for m in model.members)]})
    nav.append({"주차별": "weeks/index.md"})  # the weeks themselves are listed there (`pages.is_week_page`)
    nav.append({"질문 모음": "questions.md"})
    nav.append({"Follow-ups": "followups.md"})
    nav.append({"과제": "tasks.md"})
    nav.append({"이슈": "issues.md"})
    nav.append({"개념": "concepts/index.md"})
    if "tags.md" in generated:
        nav.append({"태그": "tags.md"})
    own = [
        f.src_uri
        for f in files.documentation_pages()
        if f.src_uri not in generated and f.generated_by is None and f.inclusion.is_in_nav()  # type: ignore[no-untyped-call]
    ]
    nav.extend(sorted(own))
    return nav
