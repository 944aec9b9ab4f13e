"""Activity and streaks ("1일 1커밋"): days with an entry or a commit, streak rules, the grass.

`rules` (streaks from activity days) and `heatmap` (the grass as a grid, SVG or text)
are pure; `gitlog` reads `git log` and `kept_log` keeps its answer by HEAD; `activity`
merges entries and commits per member; `status` is the evening screen. It may import
`calendar`, `errors`, `entries`, `followups` and `workspace`.
"""
