"""`daylog site export DIR`: the site's generated pages as plain files, for any site generator.

The same `{path: markdown}` the MkDocs plugin serves from memory, plus daylog's CSS/JS and
the images stored under `logs/`. A manifest (`.daylog-export`) lists what was written, so a
later export replaces exactly those files, removes pages that no longer exist, and never
touches a file daylog did not write.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from daylog.errors import DaylogError
from daylog.site.pages import Options
from daylog.site.source import SitePages, site_pages
from daylog.workspace.files import Workspace

MANIFEST = ".daylog-export"
_HEADER = "# written by `daylog site export`; the files below are replaced by the next export\n"


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export wrote."""

    directory: str
    pages: int
    assets: int
    media: int
    removed: tuple[str, ...]
    """Files of the previous export that are no longer generated."""
    files: tuple[str, ...]
    """Every written path, relative to the directory."""
    notes: tuple[str, ...] = ()
    """What reading the activity and the issue cache said (as `daylog streak` says it on stderr)."""

    def as_json(self) -> dict[str, object]:
        return {
            "dir": self.directory,
            "pages": self.pages,
            "assets": self.assets,
            "media": self.media,
            "removed": list(self.removed),
            "files": list(self.files),
        }


def configured_plugins(config_path: Path) -> set[str]:
    """Names under `plugins:` in mkdocs.yml (read without MkDocs)."""
    import yaml

    from daylog.workspace.config_file import MAX_CONFIG_BYTES
    from daylog.workspace.reads import read_text
    from daylog.workspace.settings_reader import _Loader

    try:
        data = yaml.load(read_text(config_path, limit=MAX_CONFIG_BYTES), Loader=_Loader)
    except (DaylogError, yaml.YAMLError):
        return set()
    plugins = data.get("plugins") if isinstance(data, dict) else None
    names: set[str] = set()
    if isinstance(plugins, dict):
        names.update(str(k) for k in plugins)
    elif isinstance(plugins, list):
        for item in plugins:
            if isinstance(item, str):
                names.add(item)
            elif isinstance(item, dict):
                names.update(str(k) for k in item)
    return names


def _previous(out: Path) -> set[str] | None:
    """Files listed by an earlier export; None when `out` holds no daylog export."""
    try:
        text = (out / MANIFEST).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise DaylogError(f"cannot read the export manifest: {exc}", path=out / MANIFEST) from None
    return {ln for ln in text.splitlines() if ln and not ln.startswith("#")}


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise DaylogError(f"cannot write: {exc.strerror or exc}", path=path) from None


def export(ws: Workspace, out: Path) -> ExportResult:
    """Write every generated page into `out` (created when missing)."""
    out = out.resolve()
    _check_outside_workspace(ws, out)
    previous = _previous_export(out)
    tags = bool({"tags", "material/tags"} & configured_plugins(ws.config_path))
    site = site_pages(ws, options=Options(tags_page=tags))
    if site.errors:
        raise DaylogError(f"cannot read an entry: {site.errors[0]}")
    payload: dict[str, bytes] = {p: t.encode("utf-8") for p, t in site.pages.items()}
    payload.update(site.assets)
    feeds = _feeds(ws, site)
    payload.update(feeds)
    _check_not_foreign(out, payload, previous)
    for rel, data in payload.items():
        _write(out / rel, data)
    copied = _copy_media(out, site.media, previous)
    written = sorted([*payload, *copied])
    removed = _remove_stale(out, previous - set(written))
    notes = (
        site.notes
        if feeds
        else (*site.notes, "no Atom feeds written: feedgen is not installed (pip install 'daylog[site]')")
    )
    _write(out / MANIFEST, (_HEADER + "\n".join(written) + "\n").encode("utf-8"))
    return ExportResult(str(out), len(site.pages), len(site.assets), len(copied), tuple(removed), tuple(written), notes)


def _feeds(ws: Workspace, site: SitePages) -> dict[str, bytes]:
    """The Atom feeds, addressed from mkdocs.yml's `site_url` (directory URLs, as Zensical publishes);
    none without feedgen (the export itself needs only the core install)."""
    try:
        import feedgen  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        return {}
    from daylog.site.feeds import feeds, page_url
    from daylog.site.pages import page_title

    model, settings = site.model, ws.settings
    url = page_url(_site_url(ws.config_path))
    return feeds(model, url, lambda e: page_title(model.name(e.member), e), settings.zone)


def _site_url(config_path: Path) -> str | None:
    import yaml

    from daylog.workspace.settings_reader import _Loader

    try:
        data = yaml.load(config_path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    value = data.get("site_url") if isinstance(data, dict) else None
    return value if isinstance(value, str) and value.startswith(("http://", "https://")) else None


def _check_outside_workspace(ws: Workspace, out: Path) -> None:
    """An export never goes into the workspace root or the logs (it would remove or mix up entries)."""
    logs = ws.logs.resolve()
    if out == ws.root.resolve() or out == logs or logs in out.parents or out in logs.parents:
        raise DaylogError(
            "refusing to export into the workspace root or the logs folder",
            path=out,
            hint="pick a separate folder, e.g. `daylog site export docs/daylog` (and git-ignore it)",
        )


def _previous_export(out: Path) -> set[str]:
    """The files an earlier export wrote; `out` must hold one, or be empty or missing."""
    previous = _previous(out)
    if previous is None and out.exists():
        if not out.is_dir():
            raise DaylogError("is not a folder", path=out)
        if any(out.iterdir()):
            raise DaylogError(
                "is not empty and holds no earlier daylog export; nothing was written",
                path=out,
                hint="export into a new or empty folder",
            )
    return previous or set()


def _check_not_foreign(out: Path, payload: Mapping[str, bytes], previous: set[str]) -> None:
    """Before writing anything: no page may replace a file daylog did not write."""
    for rel in sorted(payload):
        target = out / rel
        if rel not in previous and target.exists():
            raise DaylogError(
                "exists and was not written by daylog; nothing more was written",
                path=target,
                hint="move it away or export into another folder",
            )


def _copy_media(out: Path, media: Mapping[str, str], previous: set[str]) -> list[str]:
    """Copy the images next to the entries, leaving alone any file daylog did not write; those copied."""
    copied = []
    for rel, src in media.items():
        target = out / rel
        if rel not in previous and target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
        copied.append(rel)
    return copied


def _remove_stale(out: Path, stale: set[str]) -> list[str]:
    """Remove files of the earlier export that are no longer generated; those removed."""
    removed = []
    for rel in sorted(stale):
        target = out / rel
        if target.is_file():
            target.unlink()
            removed.append(rel)
    return removed
