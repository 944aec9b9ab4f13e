"""One daily entry: its model, the parser, Markdown helpers, section aliases, lint, scaffold.

Pure (text and settings in, plain data out; no clock, environment or files): `model`,
`parse`, `sections`, `markdown`, `lint`, `scaffold`, `staging` (what `commit` stages and
refuses), and `bounded_yaml`, the one YAML loader for what users write (front matter here,
mkdocs.yml in `workspace`). Adapters: `check` runs the lint over a workspace's files, `new`
scaffolds the day's entry with carried-over tasks and follow-up reminders, and `commit`
runs git (a subprocess, with timeouts) to commit and push one entry. The pure modules
import only the standard library, yaml, jinja2, `calendar`, `errors`, `issues.refs`,
`search.concepts.wikilinks` and the settings value; the adapters may also use `workspace`,
`followups` and `search.concepts.service`.
"""
