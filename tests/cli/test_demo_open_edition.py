"""The demo opens edition 2026 with an organiser and a help contact (what respondents are shown)."""

from __future__ import annotations

from typing import Any

import pytest

from barometre.apps.editions.models import Edition, EditionState
from barometre.apps.portal.services import DEMO_SETTINGS
from barometre.cli.demo import OPEN_EDITION, _steps

pytestmark = pytest.mark.django_db


def _open_step() -> Any:
    (step,) = [fn for label, fn in _steps() if label.startswith(f"Édition {OPEN_EDITION} ouverte")]
    return step


def test_the_demo_opens_edition_2026_with_its_help_contact_and_keeps_settings_already_set() -> None:
    _open_step()()
    edition = Edition.objects.get(year=OPEN_EDITION)
    assert edition.state == EditionState.OPEN
    assert (edition.organiser, edition.help_email, edition.help_phone) == (
        DEMO_SETTINGS["organiser"],
        DEMO_SETTINGS["help_email"],
        DEMO_SETTINGS["help_phone"],
    )
    Edition.objects.filter(pk=edition.pk).update(help_email="collecte@example.org")
    _open_step()()
    assert Edition.objects.get(pk=edition.pk).help_email == "collecte@example.org"
