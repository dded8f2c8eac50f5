"""Who can do what in the console: anonymous, respondent, viewer, analyst, admin."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from barometre.apps.console import urls as console_urls
from barometre.apps.console.models import MessageKind
from barometre.apps.console.views import ACTIONS
from barometre.apps.editions.models import AuditEntry, Edition
from barometre.apps.portal import services
from tests.factories import make_authority

from .conftest import PASSWORD, current_code, make_user

KWARGS = {"year": 2026, "kind": "weight", "pk": 1, "code": "99999", "lang": "fr"}
PUBLIC = {"login"}


def console_urls_all(every_kind: bool = False) -> list[str]:
    """One URL per console route; with ``every_kind``, one per job kind of the action route and per
    message kind and language of the templates route."""
    out = []
    for p in console_urls.urlpatterns:
        assert isinstance(p, URLPattern)
        if p.name in PUBLIC:
            continue
        names = p.pattern.regex.groupindex
        kwargs = {k: KWARGS[k] for k in names}
        variants = [kwargs]
        if p.name == "templates":
            kinds = MessageKind.values if every_kind else ["invitation"]
            langs = ["fr", "en"] if every_kind else ["fr"]
            variants = [{**kwargs, "kind": k, "lang": lang} for k in kinds for lang in langs]
        elif p.name == "action" and every_kind:
            variants = [{**kwargs, "kind": k} for k, _label in ACTIONS]
        out += [reverse(f"console:{p.name}", kwargs=v) for v in variants]
    return out


def test_every_job_and_message_kind_is_among_the_viewer_checks() -> None:
    urls = console_urls_all(every_kind=True)
    assert {f"/console/editions/2026/actions/{k}/" for k, _label in ACTIONS} <= set(urls)
    assert len(ACTIONS) >= 7 and len(MessageKind.values) >= 2


def test_every_console_url_is_listed() -> None:
    assert len(console_urls_all()) == len(console_urls.urlpatterns) - len(PUBLIC)
    assert get_resolver().resolve("/console/").url_name == "home"


@pytest.mark.django_db
@pytest.mark.parametrize("url", console_urls_all())
def test_anonymous_is_sent_to_sign_in_from_every_console_url(client: Client, url: str) -> None:
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"].startswith("/console/connexion/")


@pytest.mark.parametrize("url", console_urls_all(every_kind=True))
def test_viewer_gets_403_on_every_state_changing_request(viewer: Client, edition: Edition, url: str) -> None:
    if url == reverse("console:logout"):
        return  # signing out of one's own session is the one thing a viewer may post
    before = AuditEntry.objects.exclude(action="signin").count()
    for method in (viewer.post, viewer.put, viewer.patch, viewer.delete):
        assert method(url).status_code == 403, url
    assert AuditEntry.objects.exclude(action="signin").count() == before


def test_viewer_reads_every_page(viewer: Client, edition: Edition) -> None:
    for url in ("/console/", "/console/editions/2026/", "/console/editions/2026/suivi/", "/console/journal/"):
        response = viewer.get(url)
        assert response.status_code == 200, url
        assert b"Enregistrer les param" not in response.content  # no form to change anything


def test_respondent_link_opens_nothing_in_the_console(edition: Edition) -> None:
    authority = make_authority()
    invited = services.invite(edition, authority)
    respondent = Client()
    assert respondent.get(f"/repondre/{invited.token}/").status_code in (200, 302)
    for url in console_urls_all():
        response = respondent.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/console/connexion/"), url
    # nor can the token itself be used as a console credential
    assert respondent.get(f"/console/?token={invited.token}").status_code == 302


def test_only_admins_see_accounts(analyst: Client, admin: Client) -> None:
    assert analyst.get("/console/comptes/").status_code == 403
    response = admin.get("/console/comptes/")
    assert response.status_code == 200 and b"analyst@example.fr" in response.content


@pytest.mark.django_db
def test_sign_in_needs_password_and_current_totp_code(client: Client, settings: Any) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's growing delay after a wrong code, off here
    email = make_user("analyst")
    bad = client.post("/console/connexion/", {"email": email, "password": PASSWORD, "code": "000000"})
    assert bad.status_code == 400
    assert client.get("/console/").status_code == 302
    wrong = client.post("/console/connexion/", {"email": email, "password": "nope", "code": current_code(email)})
    assert wrong.status_code == 400
    ok = client.post("/console/connexion/", {"email": email, "password": PASSWORD, "code": current_code(email)})
    assert ok.status_code == 302 and ok["Location"] == "/console/"
    assert client.get("/console/").status_code == 200
    assert AuditEntry.objects.filter(actor=email, action="signin").exists()


@pytest.mark.django_db
def test_sign_in_attempts_are_rate_limited(client: Client) -> None:
    from barometre.apps.console.accounts import MAX_FAILED_SIGNINS

    email = make_user("analyst")
    for _ in range(MAX_FAILED_SIGNINS):
        assert client.post("/console/connexion/", {"email": email, "password": "x", "code": "1"}).status_code == 400
    blocked = client.post("/console/connexion/", {"email": email, "password": PASSWORD, "code": current_code(email)})
    assert blocked.status_code == 429
    assert client.get("/console/").status_code == 302


def test_console_actions_appear_in_the_audit_log_with_their_author(analyst: Client, edition: Edition) -> None:
    r = analyst.post(
        "/console/editions/2026/",
        {"year": 2026, "questionnaire": 2026, "organiser": "Observatoire régional", "help_email": "aide@example.fr"},
    )
    assert r.status_code == 302
    analyst.post("/console/editions/2026/actions/weight/")
    analyst.post(
        "/console/modeles/invitation/fr/", {"subject": "Invitation {{ edition }}", "body": "Bonjour {{ link }}"}
    )
    actions = set(AuditEntry.objects.filter(actor="analyst@example.fr").values_list("action", flat=True))
    assert {"signin", "edition_settings", "job_weight", "email_template"} <= actions
    csv_text = analyst.get("/console/journal/?format=csv").content.decode()
    assert csv_text.splitlines()[0] == "at,actor,action,edition,authority,reason"
    assert "analyst@example.fr,job_weight,2026" in csv_text
    # the page says each action in words, with its author
    page = analyst.get("/console/journal/").content.decode()
    assert "travail lancé : pondérer" in page and "modèle d&#x27;e-mail modifié" in page
    assert "job_weight" not in page and "analyst@example.fr" in page
