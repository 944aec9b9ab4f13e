"""GitHub issues the entries link: references in text, the index, `link`, the API client and its cache.

`refs` (finding `#53`, `owner/repo#53` and URLs) and `link` (the line `daylog link`
adds) are pure; `index` merges the references of every entry with the issue cache;
`github` is the REST client and the cache file; `service` glues them for the CLI and
the site. It may import `calendar`, `errors`, `entries` and `workspace`.
"""
