"""GitHub issues the entries link: references in text, the index, `link`, the API client and its cache.

`refs` (finding `#53`, `owner/repo#53` and URLs), `link` (the line `daylog link` adds)
and `urls` (`safe_url`, the one check a URL passes before it is stored, written or
published; the site may import it) are pure; `index` merges the references of every
entry with the issue cache; `github` is the REST client and the cache file, `transport`
its HTTP GET bounded in time and size; `service` glues them for the CLI and the site.
It may import `calendar`, `errors`, `entries` and `workspace`.
"""
