"""What the benchmarks share: a regular install of this checkout, generated workspaces, timing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
sys.path.insert(0, str(HERE))

from generate import generate, members_for  # noqa: E402

# Installed packages run from compiled bytecode; this sandbox sets PYTHONDONTWRITEBYTECODE,
# which would make every run recompile daylog (and not Typer, compiled at install time).
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "NO_COLOR")}


def timed(cmd: list[str] | str, cwd: Path, env: dict[str, str] | None = None) -> float:
    """Seconds one run of `cmd` takes (output discarded; a shell line when `cmd` is a string)."""
    t0 = time.perf_counter()
    subprocess.run(
        cmd,
        cwd=cwd,
        env=env or ENV,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        shell=isinstance(cmd, str),
    )
    return time.perf_counter() - t0


def installed_daylog() -> str:
    """`daylog` from a fresh regular install of this checkout into .work/venv (dependencies borrowed).

    An editable install adds an import hook to every start-up that users never pay.
    """
    venv = WORK / "venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)

    def purelib(py: str) -> str:
        code = "import sysconfig; print(sysconfig.get_path('purelib'))"
        return subprocess.run([py, "-c", code], check=True, capture_output=True, text=True).stdout.strip()

    Path(purelib(str(python)), "_borrowed_dependencies.pth").write_text(purelib(sys.executable) + "\n", "utf-8")
    print("installing this checkout into benchmarks/.work/venv …", flush=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
         "--force-reinstall", str(HERE.parent)],
        check=True, env=ENV,
    )  # fmt: skip
    return str(venv / "bin" / "daylog")


def workspace(entries: int, commits: int = 0) -> Path:
    """The synthetic workspace of that size under .work/ (generated once): six members, more
    past 6,000 entries (`generate.members_for`: thirty at 30,000)."""
    ws = WORK / f"ws-{entries}-{commits}"
    logs = ws / "logs"
    stale = not logs.is_dir() or len(list(logs.iterdir())) != members_for(entries)
    if stale or len(list(logs.rglob("*.md"))) != entries:
        print(f"generating {entries} entries and {commits} commits in {ws} …", flush=True)
        generate(ws, entries, members_for(entries), commits)
    return ws


def last_day(ws: Path) -> str:
    """DAYLOG_NOW for the evening of the workspace's last entry."""
    last = max(p.stem for p in (ws / "logs").rglob("*.md"))
    return f"{last}T22:00:00+09:00"
