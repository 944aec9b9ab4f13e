"""The Typer app: global options, error handling, and every command group registered in order.

Start-up matters (`daylog new` runs every evening), so the command modules import only
Typer and the standard library at load time; everything else loads inside the command
that needs it. The clock is read in the commands (`cli.options`) and nowhere in the core.
"""

# No `from __future__ import annotations`: Typer would eval every annotation string at
# start-up (get_type_hints), about 9 ms; plain annotations cost nothing.

import io
import os
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from daylog.cli import commit, concepts, entries, followups, init, issues, porting, questions, search, site, streaks
from daylog.cli.options import state
from daylog.errors import DaylogError, report_failure


class _Group(TyperGroup):
    """Maps DaylogError to one line on stderr and exit status 1 (2 for usage)."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort):
            raise
        except (DaylogError, KeyboardInterrupt) as exc:
            ctx.exit(report_failure(exc))
        except Exception as exc:  # a bug: one line, not a traceback (DAYLOG_DEBUG=1 shows it)
            if os.environ.get("DAYLOG_DEBUG") or type(exc).__module__.startswith(("typer", "click")):
                raise
            ctx.exit(report_failure(exc))

    def list_commands(self, ctx: Any) -> list[str]:
        """The daily loop first, then the rest: a fixed order whatever imported what first."""
        rank = {name: i for i, name in enumerate(COMMAND_ORDER)}
        return sorted(self.commands, key=lambda name: (rank.get(name, len(rank)), name))


COMMAND_ORDER = (
    "init", "new", "edit", "open", "check", "commit", "status", "followups", "tasks", "streak",
    "issues", "link", "questions", "search", "concepts", "concept", "import", "export", "site",
)  # fmt: skip


app = typer.Typer(
    cls=_Group,
    name="daylog",
    help="Daily study logs for a team: scaffold, number, lint, follow up, count streaks, publish.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from daylog._version import __version__

        typer.echo(f"daylog {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            envvar="DAYLOG_WORKSPACE",
            help="The team workspace (its folder or its mkdocs.yml). Default: found from the current folder upward.",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Daily study logs for a team."""
    state.workspace = workspace


for _group in (init, entries, commit, followups, streaks, issues, questions, search, concepts, porting, site):
    _group.register(app)


def main() -> NoReturn:
    """Console-script entry point: exit only once the output got out (a full disk is an error)."""
    if sys.stdout is None:  # started with stdout closed (`>&-`)
        sys.stderr.write("daylog: error: standard output is closed\n")
        sys.exit(1)
    _buffer_stdout()
    try:
        app(prog_name="daylog")
    except SystemExit as stop:
        _exit(stop.code if isinstance(stop.code, int) else 0 if stop.code is None else 1)
    except OSError as exc:  # e.g. `--help > /dev/full`: Click writes before any command runs
        _exit(report_failure(exc))
    _exit(0)


def _buffer_stdout() -> None:
    """Give stdout a buffer when it has none (`PYTHONUNBUFFERED=1`, `python -u`, common in CI).

    An unbuffered text stream drops the rest of a short write without a word, so under
    `ulimit -f` a listing would exit 0 with half its JSON; a buffered writer retries the
    rest and raises, which `_exit` reports.
    """
    stream = sys.stdout
    if isinstance(stream, io.TextIOWrapper) and isinstance(stream.buffer, io.RawIOBase):
        tty = stream.isatty()
        encoding, errors = stream.encoding, stream.errors
        sys.stdout = io.TextIOWrapper(
            io.BufferedWriter(stream.detach()), encoding=encoding, errors=errors, line_buffering=tty
        )


def _exit(code: int) -> NoReturn:
    """Exit, making sure the output got out: a full disk is an error, a closed pipe is not."""
    try:
        sys.stdout.flush()
    except OSError as exc:
        code = code or report_failure(exc)
        # The interpreter flushes once more at exit; give it nowhere to fail.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(code)
