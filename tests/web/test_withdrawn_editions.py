"""An edition withdrawn for a correction (published → closed) disappears from every surface
that shows results, through one query helper (``editions.queries.published_editions``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from barometre.apps.editions.lifecycle import move
from barometre.apps.editions.models import Edition, EditionState
from tests.factories import make_authority, make_edition, make_estimate
from tests.web.portal.conftest import COMPLETE, QUESTIONNAIRES, invite, open_edition

pytestmark = pytest.mark.django_db

STRATUM = "communes_moins_3500"


@pytest.fixture
def published() -> Edition:
    edition = make_edition(2025, indicators_computed_at=timezone.now())
    make_estimate(edition, "rssi", estimate=61.0, ci_low=55.0, ci_high=67.0)
    make_estimate(edition, "rssi", breakdown="strate", domain_value=STRATUM, estimate=37.0, ci_low=30.0, ci_high=44.0)
    return edition


def _withdraw(edition: Edition) -> None:
    move(edition.year, EditionState.CLOSED, actor="test", reason="correction")


#: Each surface and a marker of the edition's figures on it, as printed there: a bare "61" also occurs
#: in the pages' colours and integrity hashes and, by chance, in their random nonces.
SURFACES: list[tuple[str, str]] = [
    ("/resultats/", "2025"),
    ("/resultats/rssi/?edition=2025", "61\u00a0%"),
    ("/resultats/rssi/donnees.csv?edition=2025", "2025,rssi,ensemble,ensemble,"),
    ("/resultats/rssi/graphique.svg?edition=2025", "61\u00a0%"),
    ("/api/v1/editions", '"year":2025'),
    ("/api/v1/editions/2025", '"year":2025'),
    ("/api/v1/estimates?indicator=rssi", '"estimate":61.0'),
    ("/api/v1/estimates?edition=2025", '"estimate":61.0'),
    ("/donnees-ouvertes/", "2025"),
    ("/notes/", "2025"),
]


@pytest.mark.parametrize(("url", "marker"), SURFACES)
def test_a_withdrawn_edition_disappears_from_each_public_surface(
    client: Client, published: Edition, url: str, marker: str
) -> None:
    before = client.get(url)
    assert before.status_code == 200 and marker in before.content.decode(), url
    _withdraw(published)
    after = client.get(url)
    assert after.status_code in (200, 404), url
    assert marker not in after.content.decode(), url


def test_a_withdrawn_edition_chart_image_is_gone(client: Client, published: Edition) -> None:
    assert client.get("/resultats/rssi/graphique.png?edition=2025").status_code == 200
    _withdraw(published)
    assert client.get("/resultats/rssi/graphique.png?edition=2025").status_code == 404


def test_a_withdrawn_edition_disappears_from_the_respondents_first_results(
    client: Client, published: Edition, settings: Any
) -> None:
    settings.BAROMETRE_QUESTIONNAIRES_DIR = str(QUESTIONNAIRES)
    link = invite(open_edition(), name="Commune A", stratum=STRATUM)
    for section, data in COMPLETE.items():
        client.post(link.url(f"section/{section}/"), {**data, "action": "next"})
    assert client.post(link.url("envoyer/"), {"confirm": "yes"}).status_code == 302
    page = client.get(link.url("resultats/")).content.decode()
    assert "37" in page and "2025" in page
    _withdraw(published)
    page = client.get(link.url("resultats/")).content.decode()
    assert "37\u00a0%" not in page and "37 %" not in page
    assert "édition 2025" not in page


def test_the_diagnostic_peers_come_from_a_published_edition_only(published: Edition) -> None:
    from barometre.apps.diagnostic.respondent import peer_edition

    assert peer_edition() == published
    _withdraw(published)
    assert peer_edition() is None


def test_an_unpublished_edition_never_shows_even_with_computed_estimates(client: Client) -> None:
    draft = make_edition(2024, state=EditionState.CLOSED, indicators_computed_at=timezone.now())
    make_estimate(draft, "rssi", estimate=83.0)
    make_authority()
    assert "83" not in client.get("/api/v1/estimates?indicator=rssi").content.decode()
    assert client.get("/resultats/rssi/?edition=2024").status_code == 404
