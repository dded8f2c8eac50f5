"""autosave.js tells a value the server refused from a server error and from a lost connection."""

from __future__ import annotations

from typing import Any

import pytest

from barometre.apps.editions.models import Answer
from tests.web.portal.conftest import _portal_settings, invite, open_edition  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

OFFLINE = "vérifiez votre connexion"


@pytest.fixture
def section(live_server: Any, page: Any) -> Any:
    inv = invite(open_edition(), name="Commune de Test")
    page.goto(live_server.url + inv.url("section/profil/"))
    return inv


def _status_after_change(page: Any, value: str) -> str:
    before = page.evaluate("() => document.querySelector('#portal-form').dataset.autosaveCount || '0'")
    page.evaluate(
        "(v) => { const el = document.querySelector('[name=commentaire]'); el.value = v;"
        " el.dispatchEvent(new Event('change', {bubbles: true})); }",
        value,
    )
    page.wait_for_function(
        "(n) => (document.querySelector('#portal-form').dataset.autosaveCount || '0') !== n", arg=before
    )
    return str(page.locator("#autosave-status").inner_text())


def test_a_refused_value_is_shown_at_the_field_not_as_a_lost_connection(page: Any, section: Any) -> None:
    status = _status_after_change(page, "avant\u0000après")
    assert "U+0000" in status and OFFLINE not in status
    field_error = page.locator('[data-question="commentaire"] .fr-message--error').inner_text()
    assert "U+0000" in field_error
    assert not Answer.objects.filter(response_id=section.invitation.response_id).exists()


def test_a_server_error_is_not_a_lost_connection(page: Any, section: Any) -> None:
    page.route(
        "**/enregistrer/", lambda route: route.fulfill(status=500, body="<h1>Erreur</h1>", content_type="text/html")
    )
    status = _status_after_change(page, "texte")
    assert "Erreur du serveur" in status and OFFLINE not in status


def test_a_lost_connection_says_so(page: Any, section: Any) -> None:
    page.route("**/enregistrer/", lambda route: route.abort())
    status = _status_after_change(page, "texte")
    assert OFFLINE in status
