"""Fixtures of the portal tests: an open edition using the small test questionnaire."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from barometre.apps.editions.models import Edition, EditionState, Response
from barometre.apps.portal import services
from barometre.apps.portal.models import Invitation
from tests.factories import make_authority, make_edition

QUESTIONNAIRES = Path(__file__).parent / "questionnaires"
TEST_YEAR = 2026


@pytest.fixture(autouse=True)
def _portal_settings(settings: Any) -> Iterator[None]:
    settings.BAROMETRE_QUESTIONNAIRES_DIR = str(QUESTIONNAIRES)
    cache.clear()
    yield
    cache.clear()


@dataclass
class Link:
    invitation: Invitation
    token: str

    @property
    def response(self) -> Response:
        return Response.objects.get(pk=self.invitation.response_id)

    def url(self, path: str = "") -> str:
        return f"/repondre/{self.token}/{path}"


def open_edition(year: int = TEST_YEAR) -> Edition:
    today = timezone.localdate()
    return make_edition(
        year,
        questionnaire_year=year,
        questionnaire_version=f"{year}.test",
        state=EditionState.OPEN,
        simulated=False,
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=30),
    )


def invite(edition: Edition, **authority: Any) -> Link:
    a = make_authority(**authority)
    invited = services.invite(edition, a)
    assert invited.token is not None
    inv = Invitation.objects.get(response__authority=a, section="")
    return Link(inv, invited.token)


@pytest.fixture
def edition(db: None) -> Edition:
    return open_edition()


@pytest.fixture
def link_a(edition: Edition) -> Link:
    return invite(edition, name="Commune A")


@pytest.fixture
def link_b(edition: Edition) -> Link:
    return invite(edition, name="Commune B")


#: Valid answers to every required question of the test questionnaire, by section.
COMPLETE = {
    "profil": {"type_collectivite": "commune", "nb_agents": "12", "agents_informatique": "1"},
    "donnees": {"dpo": "oui", "dpo_type": "mutualise", "usages": ["pilotage", "environnement"]},
    "cyber": {"cyber_attaque": "non", "mesures.mfa": "en_place", "mesures.sauvegardes": "non"},
    "ia": {"ia_usage": "deploye", "ia_budget": "12 500,50", "ia_date": "2024-03-01"},
}


def form_versions(link: Link, section: str) -> dict[str, str]:
    """The hidden version fields the section's form carries when rendered now (as a browser sends them)."""
    from barometre.apps.portal.services import questionnaire_for, section_versions, stored_answers, version_field

    response = link.response
    versions = section_versions(questionnaire_for(response.edition), section, stored_answers(response))
    return {version_field(qid): v for qid, v in versions.items()}
