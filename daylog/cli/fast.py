"""The `daylog` executable: scripted listings without Typer, everything else through the CLI.

`daylog followups --json` and `daylog tasks --json` are what scripts, editor plugins and
prompts call over and over. Loading Typer (and Click) alone takes about five times as
long as `grep` over a 3,000-entry workspace (benchmarks/followups.py), so these exact
forms are answered here by a strict little parser and the same service functions the
Typer commands call. Anything else (help, a typo, an option value that needs checking,
any other command) goes to the Typer app untouched, which therefore produces every usage
error: the fast path only ever accepts a command line the app would accept the same way.
tests/cli/test_fast.py runs both paths on the same arguments and compares the output.
"""

# Typer-free by design: importing this module must not import typer or click.

import os
import sys
from collections.abc import Sequence
from typing import Any, NamedTuple, NoReturn

__all__ = ["FastCall", "main", "parse_fast", "run_fast"]

_FLAGS = {
    "followups": frozenset({"--json", "--mine", "--all", "--resolved"}),
    "tasks": frozenset({"--json", "--mine", "--all"}),
}
_VALUED = {
    "followups": {"--author": "author", "-a": "author", "--older-than": "older_than"},
    "tasks": {"--author": "author", "-a": "author"},
}


class FastCall(NamedTuple):
    """A listing command line the fast path answers."""

    command: str
    workspace: str | None
    flags: frozenset[str]
    author: str | None
    older_than: int | None


def parse_fast(argv: Sequence[str], environ: dict[str, str] | None = None) -> FastCall | None:
    """The listing this command line asks for, or None when the Typer app must handle it."""
    env = os.environ if environ is None else environ
    workspace = env.get("DAYLOG_WORKSPACE") or None  # Click ignores an empty variable too
    args = list(argv)
    i = 0
    while i < len(args) and args[i].startswith("-"):  # global options come first
        value, i = _value(args, i, ("-w", "--workspace"))
        if value is None:
            return None
        workspace = value
    if i >= len(args) or args[i] not in _FLAGS:
        return None
    command = args[i]
    flags: set[str] = set()
    values: dict[str, str] = {}
    i += 1
    while i < len(args):
        token = args[i]
        if token in _FLAGS[command]:
            flags.add(token)
            i += 1
            continue
        name = _VALUED[command].get(token.split("=", 1)[0] if token.startswith("--") else token)
        if name is None:
            return None
        value, i = _value(args, i, (token.split("=", 1)[0],))
        if value is None:
            return None
        values[name] = value  # Click keeps the last of a repeated option
    if "--json" not in flags:
        return None  # tables depend on the terminal: the app draws them
    older = values.get("older_than")
    if older is not None and not (older.isascii() and older.isdigit()):
        return None  # let Click say what is wrong with it
    return FastCall(
        command, workspace, frozenset(flags), values.get("author"), int(older) if older is not None else None
    )


def _value(args: list[str], i: int, names: tuple[str, ...]) -> tuple[str | None, int]:
    """The value of the option at args[i] (`--opt value` or `--opt=value`) and the next index."""
    token = args[i]
    for name in names:
        if token == name:
            if i + 1 < len(args) and args[i + 1] and not args[i + 1].startswith("-"):
                return args[i + 1], i + 2
            return None, i
        if name.startswith("--") and token.startswith(name + "=") and len(token) > len(name) + 1:
            return token[len(name) + 1 :], i + 1
    return None, i


def run_fast(call: FastCall) -> int:
    """Answer the listing exactly as the Typer command would; the exit status.

    Piped output (a script) is replayed from `cache.answer` while no entry has changed.
    """
    from pathlib import Path

    from daylog import clock
    from daylog.workspace.files import Workspace

    ws = Workspace.find(Path.cwd(), Path(call.workspace) if call.workspace else None)
    today = clock.today(ws.settings)
    pretty = sys.stdout.isatty()
    if call.command == "followups":
        from daylog.followups.service import FOLLOWUPS_VIEW as view
        from daylog.followups.service import followups_options

        who, status = followups_options(
            ws,
            author=call.author,
            mine="--mine" in call.flags,
            all_="--all" in call.flags,
            resolved="--resolved" in call.flags,
        )
        query: tuple[object, ...] = (who, status and status.value, call.older_than)
    else:
        from daylog.followups.service import TASKS_VIEW as view
        from daylog.followups.service import author_filter

        who = author_filter(ws, call.author, "--mine" in call.flags)
        query = (who, "--all" in call.flags)

    def make() -> tuple[bytes, str]:
        from daylog.followups.service import list_followups, list_tasks
        from daylog.terminal import json_text, note_text

        if call.command == "followups":
            records: Sequence[Any]
            records, errors = list_followups(ws, today, author=who, status=status, older_than=call.older_than)
        else:
            records, errors = list_tasks(ws, today, author=who, include_done="--all" in call.flags)
        notes = "".join(note_text(f"skipped {err}") for err in errors)
        return json_text([r.as_json() for r in records], pretty=pretty).encode("utf-8"), notes

    if pretty:
        out, err = make()
    else:
        from daylog.workspace.cache import answer
        from daylog.workspace.settings import identity

        key = repr((call.command, query, today.isoformat(), identity(ws.settings)))
        out, err = answer(ws, view, key, make)
    sys.stderr.write(err)
    raw = getattr(sys.stdout, "buffer", None)  # bytes as kept: a 5 MB answer is not decoded and encoded again
    if raw is None:
        sys.stdout.write(out.decode("utf-8"))
    else:
        sys.stdout.flush()
        raw.write(out)
    return 0


def main() -> None:
    """Console-script entry point."""
    if sys.stdout is None:  # started with stdout closed (`>&-`)
        sys.stderr.write("daylog: error: standard output is closed\n")
        sys.exit(1)
    call = parse_fast(sys.argv[1:])
    if call is None:
        from daylog.cli.app import main as cli_main

        try:
            cli_main()
        except SystemExit as stop:
            _exit(stop.code if isinstance(stop.code, int) else 0 if stop.code is None else 1)
        except OSError as exc:  # e.g. `--help > /dev/full`: Click writes before any command runs
            from daylog.errors import report_failure

            _exit(report_failure(exc))
        _exit(0)
    try:
        code = run_fast(call)
    except (KeyboardInterrupt, Exception) as exc:
        from daylog.errors import DaylogError, report_failure

        if os.environ.get("DAYLOG_DEBUG") and not isinstance(exc, (DaylogError, KeyboardInterrupt)):
            raise
        code = report_failure(exc)
    _exit(code)


def _exit(code: int) -> NoReturn:
    """Exit, making sure the output got out: a full disk is an error, a closed pipe is not."""
    try:
        sys.stdout.flush()
    except OSError as exc:
        from daylog.errors import report_failure

        code = code or report_failure(exc)
        # The interpreter flushes once more at exit; give it nowhere to fail.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(code)
