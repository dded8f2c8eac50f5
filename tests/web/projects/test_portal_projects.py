"""Respondents describe their projects in the questionnaire's repeat group, with or without script."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from barometre.apps.editions.models import Answer, EditionState
from barometre.apps.portal import services as portal
from barometre.apps.portal.models import Invitation
from barometre.apps.projects import services
from barometre.apps.projects.models import Project
from barometre.core.paths import QUESTIONNAIRES_DIR
from tests.factories import make_authority, make_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(settings: Any) -> str:
    settings.BAROMETRE_QUESTIONNAIRES_DIR = str(QUESTIONNAIRES_DIR)
    today = timezone.localdate()
    edition = make_edition(
        2026,
        questionnaire_year=2026,
        questionnaire_version="2026.1",
        state=EditionState.OPEN,
        simulated=False,
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=30),
    )
    invited = portal.invite(edition, make_authority(name="Bourg-Projets"))
    assert invited.token is not None
    return f"/repondre/{invited.token}/"


def _stored(link: str) -> Any:
    inv = Invitation.objects.get(section="")
    return Answer.objects.get(response_id=inv.response_id, question_id="projets").value


def test_the_projects_section_saves_entries_and_offers_one_more_blank_entry(client: Client, link: str) -> None:
    page = client.get(link + "section/vos_projets/").content.decode()
    assert 'name="projets.1.titre"' in page and 'name="projets.2.titre"' not in page
    form = {
        "projets_declares": "oui",
        "projets.1.titre": "Détection des fuites d'eau",
        "projets.1.domaine": "eau",
        "projets.1.publication": "oui",
        "action": "save",
    }
    response = client.post(link + "section/vos_projets/", form)
    assert response.status_code in (200, 302)
    assert _stored(link) == [{"titre": "Détection des fuites d'eau", "domaine": "eau", "publication": "oui"}]
    page = client.get(link + "section/vos_projets/").content.decode()
    assert 'value="Détection des fuites d&#x27;eau"' in page and 'name="projets.2.titre"' in page


def test_an_incomplete_entry_is_refused_with_its_number_and_field(client: Client, link: str) -> None:
    form = {"projets_declares": "oui", "projets.1.domaine": "eau", "action": "save"}
    page = client.post(link + "section/vos_projets/", form).content.decode()
    assert "Entrée 1 — Titre du projet : réponse obligatoire." in page


def test_autosave_of_a_field_of_an_entry_saves_the_group(client: Client, link: str) -> None:
    data = {
        "section": "vos_projets",
        "changed": "projets",
        "projets_declares": "oui",
        "projets.1.titre": "Jumeau numérique",
        "projets.1.domaine": "urbanisme",
        "projets.1.publication": "non",
    }
    client.post(
        link + "enregistrer/", {"section": "vos_projets", "changed": "projets_declares", "projets_declares": "oui"}
    )
    response = client.post(link + "enregistrer/", data)
    assert response.status_code == 200, response.content
    assert _stored(link)[0]["titre"] == "Jumeau numérique"


def test_declared_projects_reach_the_catalogue_only_with_consent(client: Client, link: str) -> None:
    Answer.objects.create(
        response_id=Invitation.objects.get(section="").response_id,
        question_id="projets",
        value=[
            {"titre": "Public", "domaine": "eau", "publication": "oui"},
            {"titre": "Privé", "domaine": "eau", "publication": "non"},
        ],
    )
    response = Invitation.objects.get(section="").response
    response.status = "submitted"
    response.submitted_at = timezone.now()
    response.save()
    assert services.sync_response(response) == 2
    assert list(services.public_projects().values_list("title", flat=True)) == ["Public"]
    assert Project.objects.get(title="Privé").publish is False
