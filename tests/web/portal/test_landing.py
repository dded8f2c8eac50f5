"""The respondent's first page says who asks, why, how long, until when and whom to ask; a link that
does not open says how to get a new one, the same whatever the link."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.utils import timezone

from barometre.apps.editions.models import Edition
from barometre.apps.portal import services
from barometre.apps.portal.models import Invitation
from barometre.core.questionnaire.effort import estimated_minutes
from tests.web.portal.conftest import Link


def _settings(edition: Edition) -> None:
    Edition.objects.filter(pk=edition.pk).update(
        organiser="Agence régionale du numérique", help_email="aide@example.org", help_phone="01 23 45 67 89"
    )


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_landing_names_the_organiser_the_minutes_the_closing_date_and_the_help_contact(
    client: Client, link_a: Link, edition: Edition
) -> None:
    _settings(edition)
    html = client.get(link_a.url()).content.decode()
    text = _text(html)
    assert "Agence régionale du numérique" in text
    minutes = estimated_minutes(services.questionnaire_for(edition))
    assert f"environ {minutes} minutes" in text
    assert 'id="portal-closes"' in html and "aide@example.org" in text and "01 23 45 67 89" in text
    assert 'id="portal-expires"' in html
    assert 'class="barometre-organiser__logo"' in html
    assert "Pourquoi cette enquête" in text and "Ce que votre collectivité reçoit en retour" in text
    assert ".invalid" not in html  # the privacy notice's contact is the edition's help e-mail


def test_no_placeholder_contact_on_any_page_once_the_help_contact_is_set(
    client: Client, link_a: Link, edition: Edition
) -> None:
    _settings(edition)
    for path in ("", "section/profil/", "recapitulatif/", "delegations/"):
        assert ".invalid" not in client.get(link_a.url(path)).content.decode(), path
    assert ".invalid" not in client.get("/repondre/" + "x" * 40 + "/").content.decode()


def test_a_link_that_does_not_open_says_how_to_get_a_new_one_and_whom_to_ask(
    client: Client, link_a: Link, edition: Edition
) -> None:
    _settings(edition)
    unknown = client.get("/repondre/" + "x" * 40 + "/")
    assert unknown.status_code == 404
    text = _text(unknown.content.decode())
    assert "Obtenir un nouveau lien" in text and "aide@example.org" in text and "01 23 45 67 89" in text
    Invitation.objects.filter(pk=link_a.invitation.pk).update(expires_at=timezone.now())
    expired = client.get(link_a.url())
    assert expired.status_code == 404
    strip = re.compile(r'name="(?:csrfmiddlewaretoken|next)"[^>]*value="[^"]*"')
    assert strip.sub("", expired.content.decode()) == strip.sub("", unknown.content.decode())


def test_the_organiser_logo_is_a_setting_else_an_emblem(client: Client, link_a: Link, settings: Any) -> None:
    assert "/static/portal/emblem.svg" in client.get(link_a.url()).content.decode()
    settings.BAROMETRE_ORGANISER_LOGO = "https://example.org/logo.png"
    assert 'src="https://example.org/logo.png"' in client.get(link_a.url()).content.decode()
