"""Concepts, in the knowledge wing: `[[ResNet]]` wikilinks, notes in `concepts/<name>.md`, who mentions what.

`wikilinks` reads wikilinks out of Markdown in linear time and rewrites them as links
(pure); `names` holds the rules that make a name a file name and a key, and finds plain-text
mentions of a name or an alias (pure); `notes` reads one concept note (pure); `catalog`
joins notes and each entry's lines into concepts with their mentions (pure); `service` reads
`concepts/` and the entries (through the parse cache) from disk and scaffolds a new note.
It may import `calendar`, `errors`, the pure modules of `entries` and `workspace`; never
another feature wing, the CLI or the site. `entries.lint` imports `wikilinks` (`check` reads
wikilinks as it reads issue references).
"""
