"""Portal pages: the real questionnaire renders, English, first results against the stratum."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from barometre.apps.editions.models import Edition, EditionState
from barometre.apps.portal import services
from tests.factories import make_authority, make_edition, make_estimate
from tests.web.portal.conftest import COMPLETE, Link, invite

pytestmark = pytest.mark.django_db


def test_every_section_of_the_real_questionnaire_renders(client: Client, settings: Any) -> None:
    settings.BAROMETRE_QUESTIONNAIRES_DIR = None
    edition, _ = services.ensure_open_edition(2026, defaults={"help_email": "aide@example.org"})
    link = invite(edition)
    qn = services.questionnaire_for(edition)
    for section in qn.sections:
        r = client.get(link.url(f"section/{section.id}/"))
        assert r.status_code in (200, 302), section.id
    r = client.get(link.url("section/collectivite/"))
    html = r.content.decode()
    assert "Section 1 sur" in html and 'name="population"' in html
    assert client.get(link.url("recapitulatif/")).status_code == 200


def test_pages_are_in_english_when_chosen(client: Client, link_a: Link) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": link_a.url()})
    html = client.get(link_a.url("section/donnees/")).content.decode()
    assert '<html lang="en"' in html
    assert "Have you appointed a DPO?" in html
    r = client.post(link_a.url("enregistrer/"), {"section": "profil", "changed": "nb_agents", "nb_agents": "x"})
    assert r.json()["errors"]["nb_agents"] == ["A number is expected."]


def test_first_results_compare_with_the_stratum_estimate(client: Client, link_a: Link) -> None:
    computed = make_edition(2025, state=EditionState.PUBLISHED, indicators_computed_at=timezone.now())
    make_estimate(computed, "ai_done_or_tested", breakdown="strate", domain_value="communes_moins_3500", estimate=36.4)
    make_estimate(computed, "ai_done_or_tested", breakdown="strate", domain_value="regions", estimate=75.0)
    make_estimate(
        computed,
        "rssi",
        breakdown="strate",
        domain_value="communes_moins_3500",
        estimate=None,
        se=None,
        ci_low=None,
        ci_high=None,
        n=None,
        population=None,
        suppressed=True,
        reason="confidentiality",
    )
    for section, data in COMPLETE.items():
        client.post(link_a.url(f"section/{section}/"), {**data, "action": "next"})
    client.post(link_a.url("envoyer/"), {"confirm": "yes"})
    html = client.get(link_a.url("resultats/")).content.decode()
    assert "Estimations de l’édition 2025" in html
    row = html[html.index('data-indicator="ai_done_or_tested"') :]
    row = row[: row.index("</tr>")]
    assert "36\u00a0%" in row and "75" not in row
    assert "[44\u00a0%\u00a0; 54\u00a0%]" in row  # with its 95 % interval
    assert 'id="portal-simulated"' in html and "Données simulées" in html  # the 2025 edition is simulated
    assert ">oui<" in row  # ia_usage = deploye
    rssi = html[html.index('data-indicator="rssi"') :]
    assert "non diffusé" in rssi[: rssi.index("</tr>")]


def test_results_say_plainly_when_nothing_is_computed(client: Client, link_a: Link) -> None:
    for section, data in COMPLETE.items():
        client.post(link_a.url(f"section/{section}/"), {**data, "action": "next"})
    client.post(link_a.url("envoyer/"), {"confirm": "yes"})
    html = client.get(link_a.url("resultats/")).content.decode()
    assert "Aucune édition n’a encore d’estimations calculées" in html


def test_results_wait_for_submission(client: Client, link_a: Link) -> None:
    r = client.get(link_a.url("resultats/"))
    assert r.status_code == 302 and r["Location"].endswith("/recapitulatif/")


def test_closed_edition_shows_answers_read_only(client: Client, edition: Edition) -> None:
    link = invite(edition, name="Commune fermée")
    client.post(link.url("section/profil/"), COMPLETE["profil"])
    Edition.objects.filter(pk=edition.pk).update(state=EditionState.CLOSED)
    html = client.get(link.url()).content.decode()
    assert "La collecte de cette édition n’est pas ouverte" in html
    r = client.get(link.url("section/profil/"))
    assert r.status_code == 302 and r["Location"].endswith("/recapitulatif/")
    html = client.get(link.url("recapitulatif/")).content.decode()
    assert "Commune" in html and "Modifier" not in html


def test_authority_factory_is_usable_for_several_links(edition: Edition) -> None:
    a = make_authority(name="Commune C")
    assert services.invite(edition, a).token
    assert services.invite(edition, a).skipped
