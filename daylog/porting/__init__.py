"""Moving posts in and out: `daylog import` of existing posts, `daylog export jekyll`.

`dates` is pure (a post's date from its clues); `importer` writes entries and never
overwrites; `jekyll` writes Chirpy posts without the private sections. It may import
`calendar`, `errors`, `entries`, `issues` and `workspace`.
"""
