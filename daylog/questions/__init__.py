"""The peer-session Q&A ledger: who asked what and who answered, across every entry.

`ledger` is pure (parsed entries and members in, records and groups out); `service`
reads a workspace through the parse cache for `daylog questions` and the site. It may
import `calendar`, `errors`, `entries` and `workspace`, and `search` (its index finds the
questions like a text for `--like`).
"""
