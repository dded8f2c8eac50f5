"""Built notes de conjoncture, kept in the data directory and served by the site.

``ensure_note`` builds the note of a published edition in one language into
``DATA_DIR/notes/<year>/<lang>/`` unless it is already built from the same
indicators (a marker file holds the computation date), so it is idempotent.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from barometre.apps.editions.models import Edition, EditionState
from barometre.apps.editions.reporting import report_input

MARKER = ".built_from"


def note_dir(year: int, lang: str) -> Path:
    return Path(settings.DATA_DIR) / "notes" / str(year) / lang


def _stamp(edition: Edition) -> str:
    return (edition.indicators_computed_at or edition.created_at).isoformat()


def is_built(edition: Edition, lang: str) -> bool:
    marker = note_dir(edition.year, lang) / MARKER
    return marker.exists() and marker.read_text() == _stamp(edition)


def ensure_note(year: int, lang: str) -> str:
    from barometre.core.report import build_report

    edition = Edition.objects.get(year=year, state=EditionState.PUBLISHED)
    if is_built(edition, lang):
        return f"note {year} ({lang}) déjà à jour"
    directory = note_dir(year, lang)
    result = build_report(report_input(year, lang), directory)
    (directory / MARKER).write_text(_stamp(edition))
    return f"note {year} ({lang}) construite en {result.timings.get('total', 0):.0f} s, {len(result.figures)} figures"
