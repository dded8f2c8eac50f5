"""What an edition is computed from: its questionnaire and the survey frame (one answer for every app)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from barometre.apps.editions.models import Edition
from barometre.core.questionnaire import Questionnaire, load_edition


def questionnaires_dir() -> Path | None:
    """Directory of the questionnaire files (``BAROMETRE_QUESTIONNAIRES_DIR`` in tests), else the project's."""
    value = getattr(settings, "BAROMETRE_QUESTIONNAIRES_DIR", None)
    return Path(value) if value else None


def questionnaire_for(edition: Edition) -> Questionnaire:
    """The questionnaire an edition collects with (its ``questionnaire_year``)."""
    return load_edition(edition.questionnaire_year, questionnaires_dir())


def frame_version() -> str:
    """The survey frame in the database: the last registry load (package, version, COG, population year)."""
    from barometre.apps.registry.models import RegistryLoad

    last = RegistryLoad.objects.order_by("-loaded_at").first()
    if last is None:
        return "registre non chargé"
    return f"{last.package} {last.version} (COG {last.cog}, population municipale {last.population_millesime})"
