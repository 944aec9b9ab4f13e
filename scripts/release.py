"""Build daylog's release: an sdist and a wheel from a clean, complete checkout, then `twine check`.

    python scripts/release.py [--out dist] [--tag v0.1.0] [--no-isolation]

Refuses a checkout with uncommitted changes (the release would not match any commit) or a
shallow one (its history, and so what was released, cannot be told). Checks that the wheel
carries every template, site asset and `py.typed`, and the `daylog` script and MkDocs plugin
entry points. The release workflow (.github/workflows/release.yml) runs exactly this.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEEDED = (
    "daylog/py.typed",
    "daylog/workspace/templates/entry.md.j2",
    "daylog/workspace/templates/mkdocs.yml.j2",
    "daylog/workspace/templates/daylog-workflow.yml",
)
ENTRY_POINTS = ("daylog = daylog.cli.app:main", "daylog = daylog.site.plugin:DaylogPlugin")


class Refused(Exception):
    """Why no release was built: one line for the user."""


def git(*args: str) -> str:
    done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise Refused(f"git {' '.join(args)} failed: {done.stderr.strip() or done.returncode}")
    return done.stdout


def check_checkout() -> None:
    if git("rev-parse", "--is-shallow-repository").strip() == "true":
        raise Refused("this checkout is shallow; release from a full clone (`git fetch --unshallow`)")
    dirty = git("status", "--porcelain", "--untracked-files=normal").splitlines()
    if dirty:
        raise Refused(f"the checkout has uncommitted changes ({dirty[0].strip()} …); commit or stash them first")


def check_tag(tag: str) -> None:
    """The tag being released names the version the package carries."""
    text = (ROOT / "daylog" / "_version.py").read_text(encoding="utf-8")
    version = text.split('__version__ = "', 1)[-1].split('"', 1)[0]
    if tag.removeprefix("v") != version:
        raise Refused(f"tag {tag} does not match daylog/_version.py ({version}); tag v{version} or bump the version")


def build(out: Path, isolation: bool) -> list[Path]:
    """Build from `git archive HEAD`, not the work tree: no stale `build/` or ignored file gets in."""
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    before = set(out.iterdir())
    with tempfile.TemporaryDirectory(prefix="daylog-release-") as tmp:
        archive = Path(tmp) / "head.tar"
        git("archive", "--format=tar", "-o", str(archive), "HEAD")
        with tarfile.open(archive) as tf:
            tf.extractall(Path(tmp) / "src", filter="data")
        cmd = [sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(out), str(Path(tmp) / "src")]
        if not isolation:
            cmd.insert(3, "--no-isolation")
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            tail = (done.stderr.strip() or done.stdout.strip()).splitlines()[-1:] or ["no output"]
            raise Refused(f"python -m build failed: {tail[0]}")
    return sorted(set(out.iterdir()) - before)


def check_wheel(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        missing = [n for n in NEEDED if n not in names]
        if not any(n.startswith("daylog/site/assets/") for n in names):
            missing.append("daylog/site/assets/*")
        if not any(n.startswith("daylog/site/templates/") for n in names):
            missing.append("daylog/site/templates/*")
        points = next((zf.read(n).decode() for n in names if n.endswith(".dist-info/entry_points.txt")), "")
    missing += [p for p in ENTRY_POINTS if p not in points]
    if missing:
        raise Refused(f"{wheel.name} lacks {', '.join(missing)}; check [tool.setuptools.package-data]")


def twine_check(files: list[Path]) -> None:
    cmd = [sys.executable, "-m", "twine", "check", "--strict", *map(str, files)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        problem = [line for line in done.stdout.splitlines() if "ERROR" in line or "WARNING" in line]
        raise Refused(f"twine check failed: {(problem or [done.stdout.strip()])[0].strip()}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "dist")
    ap.add_argument("--tag", help="the git tag being released (vX.Y.Z): must match the package version")
    ap.add_argument("--no-isolation", action="store_true", help="build with the installed setuptools (offline)")
    args = ap.parse_args(argv)
    try:
        check_checkout()
        if args.tag:
            check_tag(args.tag)
        made = build(args.out, isolation=not args.no_isolation)
        wheels = [p for p in made if p.suffix == ".whl"]
        if len(wheels) != 1 or not any(p.name.endswith(".tar.gz") for p in made):
            raise Refused(f"expected one wheel and one sdist in {args.out}, got {[p.name for p in made]}")
        check_wheel(wheels[0])
        twine_check(made)
    except Refused as exc:
        print(f"release: error: {exc}", file=sys.stderr)
        return 1
    for p in made:
        print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
