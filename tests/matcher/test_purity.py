"""matcher/ stays pure: no web or database imports, no I/O, no clock reads."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

MATCHER = Path(__file__).resolve().parents[2] / "matcher"
MODULES = sorted(MATCHER.glob("*.py"))
FORBIDDEN_ROOTS = {
    "flask",
    "sqlalchemy",
    "directory",
    "os",
    "io",
    "pathlib",
    "socket",
    "subprocess",
    "shutil",
    "tempfile",
    "urllib",
    "http",
    "requests",
    "sqlite3",
    "psycopg",
    "time",
    "random",
    "geopy",
    "yaml",
}
ALLOWED_ROOTS = {
    "__future__",
    "collections",
    "dataclasses",
    "datetime",
    "enum",
    "functools",
    "math",
    "typing",
    "zoneinfo",
    "matcher",
}
CLOCK_READS = {"now", "today", "utcnow", "time_ns", "perf_counter", "monotonic"}
IO_CALLS = {"open", "print", "input", "exec", "eval", "__import__"}


def _imports(tree: ast.AST) -> set[str]:
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_there_are_modules_to_check() -> None:
    assert {"engine.py", "rules.py", "cover.py", "model.py", "hours.py"} <= {m.name for m in MODULES}


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_imports_only_the_standard_library_and_itself(module: Path) -> None:
    roots = _imports(ast.parse(module.read_text(), str(module)))
    assert not roots & FORBIDDEN_ROOTS
    assert roots <= ALLOWED_ROOTS, roots - ALLOWED_ROOTS


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_never_reads_the_clock_or_does_io(module: Path) -> None:
    tree = ast.parse(module.read_text(), str(module))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            fn = node.func
            if isinstance(fn, ast.Attribute):
                assert fn.attr not in CLOCK_READS, f"{module.name}:{node.lineno} calls .{fn.attr}()"
            if isinstance(fn, ast.Name):
                assert fn.id not in IO_CALLS, f"{module.name}:{node.lineno} calls {fn.id}()"
