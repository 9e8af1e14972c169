"""directory/ keeps its shape: packages import only downwards, and views never run queries.

Like the matcher's purity test (tests/matcher/test_purity.py), this reads the source with ``ast``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

DIRECTORY = Path(__file__).resolve().parents[1] / "directory"
MODULES = sorted(DIRECTORY.rglob("*.py"))

# The platform: settings, the database and models, shared helpers. Knows no feature; its modules
# may use one another.
PLATFORM = frozenset(
    {
        "config",
        "db",
        "extensions",
        "models",
        "migrations",
        "geography",
        "hours",
        "json_lists",
        "json_depth",
        "csv_safety",
        "shipped",
        "control_characters",
        "templating",
        "widget_renders",
        "errors",
        "security",
        "form_fields",
        "labels",
        "wording",
        "domain_errors",
        "needs",
        "vocabulary",
        "migrate",
        "seeding",
        "quality",
        "stats",
    }
)
# The application factory and the command line: the only places that know every feature.
ENTRY_POINTS = frozenset({"app", "cli", "__init__"})
# From the bottom up. A feature package may import itself and lower layers, never a sibling in its
# own layer (siblings stay independent, so no cycle can form) nor anything above.
LAYERS: tuple[frozenset[str], ...] = (
    PLATFORM,
    # Recording and reading the audit log: every service writes to it.
    frozenset({"audit"}),
    # Accounts, sessions, permissions.
    frozenset({"auth"}),
    # Finding services; the Open Referral UK format.
    frozenset({"search", "oruk"}),
    # Feed imports; building a package of support; /healthz and the warm-up before serving.
    frozenset({"feeds", "matching", "health"}),
    # Agencies' listings (their edits are marked curated so the next feed import keeps them).
    frozenset({"listings"}),
    # Curators' work: proposals, problems, duplicates, organisations, the audit log pages.
    frozenset({"curation"}),
    # Cases (they report problems to curation) and the public API.
    frozenset({"cases", "api"}),
    ENTRY_POINTS,
)
LAYER_OF = {name: level for level, names in enumerate(LAYERS) for name in names}

# The shape of a view module's name; views are thin: they hand the session to services.
QUERY_METHODS = {"execute", "scalars", "scalar", "scalar_one", "scalar_one_or_none", "query"}
QUERY_BUILDERS = {"sqlalchemy", "sqlalchemy.orm", "sqlalchemy.sql"}


def _unit(path: Path) -> str:
    """The top-level part of ``directory`` a module belongs to (``auth``, ``app``, ``db``...)."""
    return path.relative_to(DIRECTORY).with_suffix("").parts[0]


def _may_import(unit: str, target: str) -> bool:
    if LAYER_OF[target] == LAYER_OF[unit]:
        return unit in PLATFORM or unit in ENTRY_POINTS
    return LAYER_OF[target] < LAYER_OF[unit]


def _name(path: Path) -> str:
    return str(path.relative_to(DIRECTORY.parent))


def _imported(node: ast.Import | ast.ImportFrom) -> list[str]:
    """Dotted names an import statement brings in (``from a import b`` gives ``a`` and ``a.b``)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    assert node.level == 0, "directory/ uses absolute imports"
    base = node.module or ""
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def _directory_targets(node: ast.Import | ast.ImportFrom) -> set[str]:
    """The parts of ``directory`` an import reaches (``directory.auth.views`` -> ``auth``)."""
    found = set()
    for name in _imported(node):
        parts = name.split(".")
        if parts[0] == "directory" and len(parts) > 1:
            found.add(parts[1])
    return found


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), str(path))


def _is_view_module(path: Path) -> bool:
    return path.name == "views.py" or path.name.endswith("_views.py")


VIEW_MODULES = [m for m in MODULES if _is_view_module(m)]


def test_every_part_of_directory_has_a_layer() -> None:
    units = {_unit(m) for m in MODULES}
    assert units - LAYER_OF.keys() == set(), "place the new package in LAYERS"
    assert {"auth", "audit", "search", "curation", "app"} <= units


@pytest.mark.parametrize("module", MODULES, ids=_name)
def test_imports_only_its_own_package_and_lower_layers(module: Path) -> None:
    unit = _unit(module)
    climbing = set()
    for node in _imports(_tree(module)):
        for target in _directory_targets(node) - {unit}:
            if target in LAYER_OF and not _may_import(unit, target):
                climbing.add(f"line {node.lineno}: {unit} -> {target}")
    assert not climbing, sorted(climbing)


@pytest.mark.parametrize("module", MODULES, ids=_name)
def test_imports_directory_modules_at_the_top(module: Path) -> None:
    # A function-level import of directory.* is how a cycle gets hidden; the layers make it needless.
    lazy = []
    for function in ast.walk(_tree(module)):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in _imports(function):
                if any(name.split(".")[0] == "directory" for name in _imported(node)):
                    lazy.append(f"line {node.lineno}: {ast.unparse(node)}")
    assert not lazy, lazy


def test_there_are_view_modules_to_check() -> None:
    names = {_name(m) for m in VIEW_MODULES}
    assert {
        "directory/curation/views.py",
        "directory/auth/admin_views.py",
        "directory/search/home_views.py",
    } <= names


@pytest.mark.parametrize("module", VIEW_MODULES, ids=_name)
def test_views_import_no_query_builders(module: Path) -> None:
    found = [
        f"line {node.lineno}: {ast.unparse(node)}"
        for node in _imports(_tree(module))
        if any(name.split(".")[0] == "sqlalchemy" for name in _imported(node))
    ]
    assert not found, found


def _session_names(tree: ast.AST) -> set[str]:
    """Names a view binds to ``get_session()`` (``db = get_session()``)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign) and _is_get_session(node.value):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def _is_get_session(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "get_session"


def _queries_in_view(tree: ast.AST) -> list[str]:
    """What a view does with the session besides handing it on, and any query method it calls."""
    sessions = _session_names(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            receiver = node.value
            if _is_get_session(receiver) or (isinstance(receiver, ast.Name) and receiver.id in sessions):
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in QUERY_METHODS
        ):
            found.append(f"line {node.lineno}: {ast.unparse(node.func)}()")
    return sorted(set(found))


@pytest.mark.parametrize("module", VIEW_MODULES, ids=_name)
def test_views_only_hand_the_session_to_services(module: Path) -> None:
    # A view may pass the request's session to a service function; calling anything on it
    # (get, scalars, execute, rollback, commit...) is a query or a transaction decision in a view.
    found = _queries_in_view(_tree(module))
    assert not found, found


def test_the_view_check_catches_queries() -> None:
    # The check on a made-up view that runs queries, so it cannot pass vacuously.
    tree = ast.parse(
        "def page():\n"
        "    db = get_session()\n"
        "    one = db.get(Service, '1')\n"
        "    rows = get_session().scalars(statement)\n"
        "    other = object_session(one).execute(statement)\n"
        "    return render(services.listed(db), one, rows, other, get_session())\n"
    )
    assert _queries_in_view(tree) == [
        "line 3: db.get",
        "line 4: get_session().scalars",
        "line 4: get_session().scalars()",
        "line 5: object_session(one).execute()",
    ]


# Only the request (db.py) and the commands (cli.py modules) end a transaction; services never do.
TRANSACTION_OWNERS = {"db.py", "cli.py"}
# A concurrent write to a listing (StaleDataError in a flush) leaves the session unusable, and the
# views that catch it redirect (which commits), so this one service rolls back first.
ROLLS_BACK_A_STALE_WRITE = {"directory/listings/updates.py"}


@pytest.mark.parametrize("module", MODULES, ids=_name)
def test_only_the_request_and_commands_end_transactions(module: Path) -> None:
    if module.name in TRANSACTION_OWNERS:
        return
    allowed = {"rollback"} if _name(module) in ROLLS_BACK_A_STALE_WRITE else set()
    found = [
        f"line {node.lineno}: {ast.unparse(node.func)}()"
        for node in ast.walk(_tree(module))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"commit", "rollback"} - allowed
    ]
    assert not found, found
