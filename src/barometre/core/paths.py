"""Where the project's data files live (shipped with the source tree)."""

from __future__ import annotations

from pathlib import Path

#: Root of the source checkout (``src/barometre/core/paths.py`` → 3 levels up).
PROJECT_ROOT = Path(__file__).resolve().parents[3]
#: Data shipped with the project: registry snapshot, catalogues, rule tables.
DATA_DIR = PROJECT_ROOT / "data"
#: One YAML per edition.
QUESTIONNAIRES_DIR = PROJECT_ROOT / "questionnaires"
#: One YAML per edition of the poll of French adults (``kind: people``).
POLL_QUESTIONNAIRES_DIR = QUESTIONNAIRES_DIR / "poll"
#: The poll's census margins and indicators.
POLL_DATA_DIR = PROJECT_ROOT / "data" / "poll"


#: The observatory's compiled domain sources (published figures, facts, census margins).
DOMAIN_DIR = DATA_DIR / "domain"
#: R reference cases the statistics must reproduce (test data, shipped in the repository).
REFERENCE_DIR = PROJECT_ROOT / "tests" / "reference"
