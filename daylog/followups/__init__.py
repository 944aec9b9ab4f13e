"""Follow-ups ("더 정리할 것") and assignment tasks across days: open since when, resolved when.

`lifecycle` is pure: entries in, ids, ages, carry-over and the `done` edit out.
`service` reads a workspace through the parse cache and is what the CLI, `new` and
the site call. It may import `calendar`, `errors`, `entries` and `workspace`.
"""
