"""The command line: the Typer app and one module per command group.

`app` builds the Typer app and registers each group (`init`, `entries`, `followups`,
`streaks`, `issues`, `questions`, `porting`, `site`); `options` holds what they share
(the workspace, the clock, dates, members). A command parses its options, calls one
service of a feature wing and prints through `daylog.terminal`. This is the only wing
besides `site` that reads the clock or the environment. It may import every wing;
no wing imports it.
"""
