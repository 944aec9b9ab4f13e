"""The team workspace on disk: finding its root, its settings, its entry files, safe writes, caches.

`files` finds `mkdocs.yml` and lists `logs/<member>/<date>.md`; `settings` is the
validated settings value, `settings_reader` reads it from the mkdocs.yml block and
`config_file` keeps it between runs; `writes` makes every write atomic and checked;
`cache` keeps the stat-keyed parse cache, `code_version` the digest every cache key
carries, `change` one digest of every entry's stamp; `init` creates a new workspace.
It may import `calendar`, `errors` and the pure modules of `entries` (the parser, the
section aliases, the scaffold); never a feature wing, the CLI or the site.
"""
