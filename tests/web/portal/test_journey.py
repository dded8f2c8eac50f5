"""The respondent's journey without JavaScript: link → form → save → summary → submit."""

from __future__ import annotations

import pytest
from django.test import Client

from barometre.apps.editions.models import Answer, AuditEntry, ResponseStatus
from tests.web.portal.conftest import COMPLETE, Link

pytestmark = pytest.mark.django_db


def test_link_opens_the_authority_response_with_privacy_notice(client: Client, link_a: Link) -> None:
    r = client.get(link_a.url())
    assert r.status_code == 200
    html = r.content.decode()
    assert "Commune A" in html and "à l’édition 2026" in html
    assert "Vos données et vos droits" in html
    assert "délégué à la protection des données" in html
    assert "Commencer le questionnaire" in html


def test_section_page_shows_progress_and_saves_without_javascript(client: Client, link_a: Link) -> None:
    r = client.get(link_a.url("section/profil/"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Section 1 sur 4" in html
    r = client.post(link_a.url("section/profil/"), {**COMPLETE["profil"], "action": "next"})
    assert r.status_code == 302 and r["Location"].endswith("/section/donnees/")
    answers = dict(Answer.objects.filter(response=link_a.response).values_list("question_id", "value"))
    assert answers == {"type_collectivite": "commune", "nb_agents": 12, "agents_informatique": 1}
    assert link_a.response.status == ResponseStatus.STARTED


def test_full_journey_to_submission_and_receipt(client: Client, link_a: Link) -> None:
    for section, data in COMPLETE.items():
        r = client.post(link_a.url(f"section/{section}/"), {**data, "action": "next"})
        assert r.status_code == 302, r.content.decode()
    r = client.get(link_a.url("recapitulatif/"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Mutualisé" in html and "12\u202f500,50\u00a0€" in html
    r = client.get(link_a.url("envoyer/"))
    assert r.status_code == 200
    r = client.post(link_a.url("envoyer/"), {})
    assert r.status_code == 422  # not confirmed
    r = client.post(link_a.url("envoyer/"), {"confirm": "yes"})
    assert r.status_code == 302
    response = link_a.response
    assert response.status == ResponseStatus.SUBMITTED and response.submitted_at is not None
    assert AuditEntry.objects.filter(response=response, action="response_submitted").exists()
    r = client.get(link_a.url("accuse-de-reception.pdf"))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    r = client.get(link_a.url("resultats/"))
    assert r.status_code == 200
    assert "portal-no-estimates" in r.content.decode()
