"""The team site: entries and team pages as Markdown, and the MkDocs plugin that publishes them.

`model` turns entry texts into plain data, `pages` renders that data into Markdown pages
(`{path: markdown}`), making everything it lifts out of an entry inert with `escape`, `source`
reads a workspace from disk, `plugin` hands the pages to MkDocs as in-memory files and `export`
writes them into a folder for any other site generator. `live` keeps a build in memory and
renders again only the pages an edit changed; `serve` puts it behind MkDocs' development server.
Only `plugin`, `budget` (its hostile-input guards), `search_ko`, `live` and `serve` import MkDocs
or Markdown code. It may import every feature wing, `workspace` and `clock`; only `cli.site` imports it.
"""
