"""Packaging: a normal (not editable) ``pip install .`` serves the demo, and every install is pinned.

For the first, the package is built from a copy of the source and installed with ``--target`` into a
temporary folder; the app then runs from there, outside the checkout, on a fresh SQLite database.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from markupsafe import escape

ROOT = Path(__file__).resolve().parents[1]
SOURCES = (
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "directory",
    "matcher",
    "templates",
    "seeds",
)
# pip's words when it cannot fetch the build backend (setuptools): only then is the test skipped.
OFFLINE = ("No matching distribution found for setuptools", "Could not find a version that satisfies")

# Runs in the installed copy: where the package came from, then the home page and a service page.
VISIT = """
import json, sys
from pathlib import Path
from sqlalchemy import create_engine, text
import directory
from directory.shipped import shipped_folder
engine = create_engine(sys.argv[1])
with engine.connect() as connection:
    service_id, name = connection.execute(text("SELECT id, name FROM service ORDER BY name LIMIT 1")).one()
engine.dispose()
client = directory.create_app().test_client()
home, page = client.get("/"), client.get(f"/services/{service_id}")
print(json.dumps({
    "package": directory.__file__,
    "templates": str(shipped_folder("templates")),
    "seeds": str(shipped_folder("seeds")),
    "home": [home.status_code, home.get_data(as_text=True)],
    "page": [page.status_code, page.get_data(as_text=True)],
    "name": name,
}))
"""


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.packaging
def test_a_normal_install_runs_setup_and_serves_pages(tmp_path: Path) -> None:
    source, site = tmp_path / "source", tmp_path / "site"
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(path, source / name)
    env = {key: value for key, value in os.environ.items() if key not in {"DIRECTORY_ENV", "PYTHONPATH"}}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"

    pip = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-compile", "--target", str(site)]
    built = run([*pip, str(source)], tmp_path, env)
    if built.returncode and any(words in built.stdout + built.stderr for words in OFFLINE):
        pytest.skip("pip cannot fetch setuptools to build the package (offline)")
    assert built.returncode == 0, built.stderr

    database = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    env |= {"PYTHONPATH": str(site), "DATABASE_URL": database}
    setup = run([sys.executable, "-m", "flask", "--app", "directory", "setup"], tmp_path, env)
    assert setup.returncode == 0, setup.stderr
    visit = run([sys.executable, "-c", VISIT, database], tmp_path, env)
    assert visit.returncode == 0, visit.stderr
    seen = json.loads(visit.stdout.strip().splitlines()[-1])

    installed = site.resolve() / "directory"
    assert Path(seen["package"]).resolve().parent == installed  # the installed copy, not the checkout
    assert Path(seen["templates"]) == installed / "templates"
    assert Path(seen["seeds"]) == installed / "seeds"
    status, html = seen["home"]
    assert status == 200
    assert "Find local support" in html
    status, html = seen["page"]
    assert status == 200
    assert str(escape(seen["name"])) in html


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_declared_dependency_is_pinned_in_the_constraints() -> None:
    """``./dev`` installs with ``-c constraints.txt``; a dependency added without re-locking would drift."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    pins: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[normalised(name)] = version
    assert all(pins.values()), "every line pins an exact version"
    names = {normalised(re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0]) for requirement in declared}
    assert names - pins.keys() == set(), "run ./dev lock after adding a dependency"
