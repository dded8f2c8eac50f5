"""Public lookup in English: obligations and CSIRT texts follow the visitor's language."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import make_rennes

pytestmark = pytest.mark.django_db


@pytest.fixture
def rennes() -> None:
    make_rennes()


def test_authority_page_in_english_shows_english_obligations(client: Client, rennes: None) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/collectivites/35238/").content.decode()
    assert '<html lang="en"' in html
    assert "Responsible digital strategy (REEN law)" in html
    assert "Stratégie numérique responsable" not in html
    assert "Breizh Cyber" in html


def test_authority_page_in_french_is_unchanged(client: Client, rennes: None) -> None:
    html = client.get("/collectivites/35238/").content.decode()
    assert "Stratégie numérique responsable (loi REEN)" in html
    assert "Responsible digital strategy" not in html


def test_english_page_still_offers_the_agents_field(client: Client, rennes: None) -> None:
    from django.utils import translation

    from barometre.apps.diagnostic.services import public_diagnostic
    from barometre.apps.registry.queries import get_authority

    authority = get_authority("35238")
    assert authority is not None
    with translation.override("en"):
        context = public_diagnostic(authority, agents=None)
    assert context["asks_agents"] is True
    assert context["obligations"][0]["title"] == "Responsible digital strategy (REEN law)"
    assert public_diagnostic(authority, agents=None, lang="fr")["asks_agents"] is True


def test_an_authoritys_legal_type_is_named_in_the_visitors_language(client: Client) -> None:
    from tests.factories import make_authority

    make_authority(code="200000172", name="CC du Val d'Essai", kind="epci", type="CC", stratum="epci_cc")
    french = client.get("/collectivites/", {"q": "val d'essai"}).content.decode()
    assert "Communauté de communes," in french
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/collectivites/", {"q": "val d'essai"}).content.decode()
    assert "Communauté de communes (rural grouping of communes)," in english
    page = client.get("/collectivites/200000172/").content.decode()
    assert "Communauté de communes (rural grouping of communes) —" in page


def test_every_legal_type_has_a_name_in_both_languages() -> None:
    from barometre.core.registry.model import AuthorityType
    from barometre.core.wording.labels import type_label

    for t in AuthorityType.ALL:
        assert type_label(t, "fr") != t
        assert type_label(t, "en") != t
        assert type_label(t, "en") != type_label(t, "fr") or t in {"COM", "METRO"}
