"""Built notes de conjoncture, kept in the data directory and served by the site.

``ensure_note`` builds the note of a published edition in one language into
``DATA_DIR/notes/<year>/<lang>/`` unless it is already built from the same
indicators (a marker file holds the computation date), so it is idempotent.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from barometre.apps.editions.generated import MARKER, ensure_generated, is_current
from barometre.apps.editions.models import Edition, EditionState
from barometre.apps.editions.reporting import report_input

__all__ = ["MARKER", "ensure_note", "is_built", "note_dir"]


def note_dir(year: int, lang: str) -> Path:
    return Path(settings.DATA_DIR) / "notes" / str(year) / lang


def _stamp(edition: Edition) -> str:
    return (edition.indicators_computed_at or edition.created_at).isoformat()


def is_built(edition: Edition, lang: str) -> bool:
    return is_current(note_dir(edition.year, lang), _stamp(edition))


def ensure_note(year: int, lang: str) -> str:
    """Build the note into a fresh folder and swap it in atomically (one build at a time)."""
    from barometre.core.report import build_report

    edition = Edition.objects.get(year=year, state=EditionState.PUBLISHED)
    result = ensure_generated(
        note_dir(year, lang), _stamp(edition), lambda folder: build_report(report_input(year, lang), folder)
    )
    if result is None:
        return f"note {year} ({lang}) déjà à jour"
    return f"note {year} ({lang}) construite en {result.timings.get('total', 0):.0f} s, {len(result.figures)} figures"
