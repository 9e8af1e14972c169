"""Where the templates and seeds are: inside the package once installed, beside it in a checkout.

``templates/`` and ``seeds/`` live at the top of the repository. A wheel (``pip install .``) ships
them as package data under ``directory/`` (``setup.py`` copies them in); a source checkout or an
editable install (``pip install -e .``) reads them where they are. Every reader asks here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

PACKAGE = Path(__file__).resolve().parent


def shipped_folder(name: Literal["templates", "seeds"]) -> Path:
    """The folder ``name``: ``directory/<name>`` in an installed wheel, else ``<checkout>/<name>``."""
    installed = PACKAGE / name
    return installed if installed.is_dir() else PACKAGE.parent / name
