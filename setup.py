"""Build hook: ship ``templates/`` and ``seeds/`` (kept at the top of the repository) in the package.

Everything else about the package is in ``pyproject.toml``. In a wheel they land in
``directory/templates`` and ``directory/seeds``, where ``directory.shipped`` finds them; an editable
install reads them from the checkout, so nothing is copied then.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = ("templates", "seeds")


class BuildWithData(build_py):
    """``build_py`` that also copies the top-level data folders into the built ``directory`` package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for name in SHIPPED:
            self.copy_tree(name, str(Path(self.build_lib) / "directory" / name))


setup(cmdclass={"build_py": BuildWithData})
