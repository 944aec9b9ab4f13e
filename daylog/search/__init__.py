"""The team's knowledge: full-text search over every entry (`daylog search`) and, in the
subpackage `concepts`, the concepts entries wikilink, their notes and backlinks (`daylog concepts`).

`segment` is pure (text and queries in, index tokens and FTS5 expressions out: Korean as
character bigrams, see its docstring); `index` is the SQLite FTS5 adapter that keeps
`.daylog/cache/search.sqlite` up to date from the workspace's `stat` scan; `service` runs a
query with its filters and returns plain hits. It may import `calendar`, `errors`, the pure
modules of `entries` (the parser) and `workspace`; never another feature wing, the CLI or the site.
`concepts` keeps its own rules (its docstring); the two halves do not import each other.
"""
