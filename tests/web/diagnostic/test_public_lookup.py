"""Public lookup: anyone finds an authority and sees its obligations and CSIRT."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import make_rennes

pytestmark = pytest.mark.django_db


@pytest.fixture
def rennes() -> None:
    make_rennes()


def test_search_finds_an_authority_ignoring_accents_and_case(client: Client, rennes: None) -> None:
    html = client.get("/collectivites/", {"q": "RENNÉS"}).content.decode()
    assert 'href="/collectivites/35238/"' in html


def test_authority_page_shows_obligations_and_csirt_first(client: Client, rennes: None) -> None:
    html = client.get("/collectivites/35238/").content.decode()
    assert html.index('id="sous-attaque"') < html.index("<h1>Rennes</h1>")
    assert "Breizh Cyber" in html
    assert 'data-obligation="reen" data-status="applies"' in html
    assert 'data-obligation="dpo" data-status="applies"' in html
    assert "population municipale INSEE" in html


def test_open_data_depends_on_agents_until_they_are_given(client: Client, rennes: None) -> None:
    html = client.get("/collectivites/35238/").content.decode()
    assert 'data-obligation="open_data" data-status="depends"' in html
    html = client.get("/collectivites/35238/", {"agents": "4000"}).content.decode()
    assert 'data-obligation="open_data" data-status="applies"' in html
    html = client.get("/collectivites/35238/", {"agents": "12"}).content.decode()
    assert 'data-obligation="open_data" data-status="does_not_apply"' in html


@pytest.mark.parametrize("bad", ["-3", "beaucoup", "99999999999"])
def test_absurd_agent_numbers_get_a_clear_message(client: Client, rennes: None, bad: str) -> None:
    response = client.get("/collectivites/35238/", {"agents": bad})
    assert response.status_code == 200
    assert "fr-error-text" in response.content.decode()


def test_unknown_authority_is_a_404(client: Client) -> None:
    assert client.get("/collectivites/00000/").status_code == 404


def test_search_escapes_the_query(client: Client) -> None:
    html = client.get("/collectivites/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
