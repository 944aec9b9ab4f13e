"""Command groups of the CLI, one module per domain; each registers on `daylog.cli.app`."""
