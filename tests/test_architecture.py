"""The layout stays what the README's architecture section says: wings, no cycles, a pure core."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "daylog"

PURE = (
    "daylog.calendar",
    "daylog.date_words",
    "daylog.entries.model",
    "daylog.entries.parse",
    "daylog.entries.frontmatter",
    "daylog.entries.bounded_yaml",
    "daylog.entries.items",
    "daylog.entries.peer",
    "daylog.entries.checklists",
    "daylog.entries.sections",
    "daylog.entries.markdown",
    "daylog.entries.lint",
    "daylog.entries.scaffold",
    "daylog.entries.staging",
    "daylog.followups.lifecycle",
    "daylog.questions.ledger",
    "daylog.streaks.rules",
    "daylog.streaks.heatmap",
    "daylog.issues.refs",
    "daylog.issues.link",
    "daylog.issues.urls",
    "daylog.site.escape",
    "daylog.porting.dates",
    "daylog.search.segment",
    "daylog.search.concepts.wikilinks",
    "daylog.search.concepts.names",
    "daylog.search.concepts.notes",
    "daylog.search.concepts.catalog",
    "daylog.site.concept_pages",
    "daylog.site.model",
    "daylog.site.pages",
    "daylog.site.tidy",
    "daylog.site.visual",
    "daylog.site.feeds",
    "daylog.site.paging",
    "daylog.site.memo",
    "daylog.workspace.settings",
)
"""Modules that take text, dates and settings and return plain data (DESIGN.md's dependency rule)."""


def module_files() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def imported_modules(name: str, path: Path, known: set[str]) -> set[str]:
    """Every daylog module `name` imports, at the top or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            for alias in node.names:  # `from daylog.cli import fast` imports the module daylog.cli.fast
                sub = f"{module}.{alias.name}"
                found.add(sub if sub in known else module)
    return {m for m in found if m in known and m != name}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                return [*stack[stack.index(dep) :], dep]
            if dep not in state and (cycle := visit(dep)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycle_between_daylog_modules() -> None:
    """No module imports itself back through others, not even from inside a function."""
    files = module_files()
    known = set(files)
    graph = {name: imported_modules(name, path, known) for name, path in files.items()}
    assert find_cycle(graph) is None


def test_the_cycle_finder_sees_a_cycle() -> None:
    """The check above can fail: loops of two and three modules are found, a chain is not a loop."""
    assert find_cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_function_level_imports_count(tmp_path: Path) -> None:
    """An import inside a function is an edge of the graph like any other."""
    path = tmp_path / "x.py"
    path.write_text("def f():\n    from daylog.y import g\n    return g\n", encoding="utf-8")
    assert imported_modules("daylog.x", path, {"daylog.x", "daylog.y"}) == {"daylog.y"}


def test_pure_modules_read_no_clock_environment_files_or_processes() -> None:
    """The pure core gets `today`, settings and text as parameters; it never reaches outside."""
    files = module_files()
    offenders = []
    for name in PURE:
        tree = ast.parse(files[name].read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            bad = None
            if isinstance(node, ast.Attribute):
                if node.attr == "environ" or (node.attr in ("now", "today", "utcnow") and _is_clock(node.value)):
                    bad = ast.unparse(node)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
                bad = "open("
            elif isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                if any(n.split(".")[0] in ("subprocess", "socket", "urllib", "http") for n in names):
                    bad = ast.unparse(node)
            if bad:
                offenders.append(f"{name}:{node.lineno}: {bad}")
    assert offenders == []


def _is_clock(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id in ("datetime", "date", "time")


def test_top_level_reads_like_the_feature_list() -> None:
    """At most 15 entries at the top of daylog/ (the wings and the modules every wing shares)."""
    ignored = {"__init__.py", "__main__.py", "_version.py", "py.typed", "__pycache__"}
    entries = sorted(p.name for p in PACKAGE.iterdir() if p.name not in ignored)
    assert len(entries) <= 15, entries


def test_every_wing_says_what_it_does_and_may_import() -> None:
    """Each package's `__init__.py` has a docstring naming what it may import."""
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc, f"{init.parent.name}/ has no docstring"
        assert "import" in doc, f"{init.parent.name}/__init__.py does not say what the wing may import"
