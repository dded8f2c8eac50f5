"""Where the project's data files live (shipped with the source tree)."""

from __future__ import annotations

import os
from pathlib import Path

#: Root of the source checkout (``src/barometre/core/paths.py`` → 3 levels up).
PROJECT_ROOT = Path(__file__).resolve().parents[3]
#: Data shipped with the project: registry snapshot, catalogues, rule tables.
DATA_DIR = PROJECT_ROOT / "data"
#: One YAML per edition.
QUESTIONNAIRES_DIR = PROJECT_ROOT / "questionnaires"


def shared_dir() -> Path:
    """The ``shared/`` folder beside the checkout (domain facts, R cases)."""
    env = os.environ.get("BAROMETRE_SHARED_DIR")
    if env:
        return Path(env)
    return PROJECT_ROOT.parent / "shared"
