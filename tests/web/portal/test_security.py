"""Security of the portal: links, ownership, rate limit, CSRF, XSS, headers, logs."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import Client, override_settings
from django.utils import timezone

from barometre.apps.editions.models import Answer, EditionState, Response
from barometre.apps.portal import services
from barometre.apps.portal.models import Invitation
from barometre.core import tokens
from tests.web.portal.conftest import COMPLETE, Link

pytestmark = pytest.mark.django_db

PORTAL_PATHS = [
    "",
    "section/profil/",
    "recapitulatif/",
    "envoyer/",
    "accuse-de-reception.pdf",
    "resultats/",
    "delegations/",
]


def _plain(content: bytes) -> bytes:
    """The page without what changes on every request (CSRF token, the path in the language form)."""
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)
    return re.sub(rb'name="next" type="hidden" value="[^"]*"', b"", content)


def _not_found_page(client: Client) -> bytes:
    return _plain(client.get("/repondre/" + "A" * tokens.TOKEN_LENGTH + "/").content)


# ---------------------------------------------------------------- links


@pytest.mark.parametrize("path", PORTAL_PATHS)
def test_unknown_token_gives_the_plain_404_page(client: Client, link_a: Link, path: str) -> None:
    r = client.get(f"/repondre/{'x' * tokens.TOKEN_LENGTH}/{path}")
    assert r.status_code == 404
    assert "Lien introuvable ou expiré" in r.content.decode()


def test_expired_revoked_and_tampered_tokens_give_the_same_404_page(client: Client, link_a: Link) -> None:
    reference = _not_found_page(client)
    tampered = link_a.token[:-1] + ("A" if link_a.token[-1] != "A" else "B")
    r = client.get(f"/repondre/{tampered}/")
    assert r.status_code == 404 and _plain(r.content) == reference
    short = client.get(f"/repondre/{link_a.token[:20]}/")
    assert short.status_code == 404 and _plain(short.content) == reference

    Invitation.objects.filter(pk=link_a.invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    r = client.get(link_a.url())
    assert r.status_code == 404 and _plain(r.content) == reference

    Invitation.objects.filter(pk=link_a.invitation.pk).update(expires_at=None, revoked_at=timezone.now())
    r = client.get(link_a.url())
    assert r.status_code == 404 and _plain(r.content) == reference


def test_link_expires_at_the_end_of_the_edition_closing_day(link_a: Link) -> None:
    edition = link_a.response.edition
    expires = timezone.localtime(link_a.invitation.expires_at)
    assert expires.date() == edition.closes_on + timedelta(days=1)
    assert (expires.hour, expires.minute) == (0, 0)


def test_token_is_stored_only_as_a_keyed_hash(link_a: Link) -> None:
    inv = Invitation.objects.get(pk=link_a.invitation.pk)
    assert link_a.token not in {inv.prefix, inv.digest}
    assert inv.prefix == link_a.token[: tokens.PREFIX_LENGTH]
    assert len(link_a.token) - tokens.PREFIX_LENGTH >= 128 // 6  # ≥ 128 bits of base64url secret


def _guess(client: Client, i: int) -> int:
    return client.get(f"/repondre/{i:03d}{'y' * (tokens.TOKEN_LENGTH - 3)}/").status_code


def test_failed_lookups_are_rate_limited_per_client_but_a_valid_link_always_opens(client: Client, link_a: Link) -> None:
    for i in range(services.MAX_FAILED_LOOKUPS):
        assert _guess(client, i) == 404
    for i in range(services.MAX_FAILED_LOOKUPS, 100):
        assert _guess(client, i) == 429  # guesses are throttled…
    assert client.get(link_a.url()).status_code == 200  # …a valid link from that address still opens
    assert client.get(link_a.url("section/profil/")).status_code == 200
    other_ip = Client(REMOTE_ADDR="10.0.0.2")
    assert _guess(other_ip, 0) == 404  # another client is not throttled


def test_successful_lookups_are_not_counted(client: Client, link_a: Link) -> None:
    for _ in range(services.MAX_FAILED_LOOKUPS + 5):
        assert client.get(link_a.url()).status_code == 200


# ---------------------------------------------------------------- ownership (personas)


def test_it_checks_ownership_link_a_never_reads_authority_b_answers(client: Client, link_a: Link, link_b: Link) -> None:
    client_b = Client()
    client_b.post(link_b.url("section/profil/"), {**COMPLETE["profil"], "commentaire": "secret de B"})
    for path in PORTAL_PATHS:
        r = client.get(link_a.url(path))
        assert b"secret de B" not in r.content
        assert b"Commune B" not in r.content


def test_it_checks_ownership_link_a_never_changes_authority_b_answers(
    client: Client, link_a: Link, link_b: Link
) -> None:
    Client().post(link_b.url("section/profil/"), {**COMPLETE["profil"], "commentaire": "de B"})
    before = list(Answer.objects.filter(response=link_b.response).values_list("question_id", "value", "updated_at"))
    # Whatever A sends, only A's response is written: the response comes from the link, never from the request.
    client.post(
        link_a.url("enregistrer/"),
        {
            "section": "profil",
            "changed": "commentaire",
            "commentaire": "de A",
            "response": link_b.response.pk,
            "authority": link_b.response.authority.code,
        },
    )
    client.post(link_a.url("section/profil/"), {"commentaire": "de A", "response": link_b.response.pk})
    after = list(Answer.objects.filter(response=link_b.response).values_list("question_id", "value", "updated_at"))
    assert before == after
    assert Answer.objects.get(response=link_a.response, question_id="commentaire").value == "de A"


def test_it_checks_ownership_of_delegations(client: Client, link_a: Link, link_b: Link) -> None:
    delegation_b, _ = services.delegate(link_b.invitation, "cyber", "RSSI de B")
    r = client.post(link_a.url(f"delegations/{delegation_b.pk}/revoquer/"))
    assert r.status_code == 404
    assert Invitation.objects.get(pk=delegation_b.pk).revoked_at is None
    r = client.get(link_a.url("delegations/"))
    assert b"RSSI de B" not in r.content


def test_it_checks_ownership_of_responses_of_other_editions(client: Client, link_a: Link) -> None:
    from tests.factories import make_edition

    old = make_edition(2024, questionnaire_year=2026, state=EditionState.PUBLISHED)
    Response.objects.create(edition=old, authority=link_a.response.authority)
    client.post(link_a.url("section/profil/"), {"commentaire": "2026"})
    assert not Answer.objects.filter(response__edition=old).exists()


# ---------------------------------------------------------------- delegation


def test_delegated_link_reaches_only_its_section_and_cannot_submit(link_a: Link) -> None:
    main = Client()
    r = main.post(link_a.url("delegations/"), {"section": "cyber", "label": "prestataire informatique"})
    assert r.status_code == 200
    html = r.content.decode()
    start = html.index(">", html.index('id="portal-new-link"')) + 1
    url = html[start : html.index("</textarea>", start)].strip()
    sub_token = url.rstrip("/").rsplit("/", 1)[1]
    sub = Client()
    base = f"/repondre/{sub_token}/"
    assert sub.get(base).status_code == 200
    assert sub.get(base + "section/cyber/").status_code == 200
    assert "Section 1 sur 1" in sub.get(base + "section/cyber/").content.decode()
    for path in ["section/profil/", "recapitulatif/", "envoyer/", "delegations/", "resultats/"]:
        assert sub.get(base + path).status_code == 404, path
    assert sub.post(base + "envoyer/", {"confirm": "yes"}).status_code == 404
    r = sub.post(base + "enregistrer/", {"section": "profil", "changed": "nb_agents", "nb_agents": "3"})
    assert r.status_code == 404
    r = sub.post(base + "enregistrer/", {"section": "cyber", "changed": "cyber_attaque", "cyber_attaque": "non"})
    assert r.status_code == 200
    # The main holder sees the progress of the delegated section.
    html = main.get(link_a.url("delegations/")).content.decode()
    assert "prestataire informatique" in html and "1 sur 3" in html
    # Revoked: the sub-link is a 404, the answers stay.
    delegation = Invitation.objects.get(response=link_a.response, section="cyber")
    main.post(link_a.url(f"delegations/{delegation.pk}/revoquer/"))
    assert sub.get(base).status_code == 404
    assert Answer.objects.filter(response=link_a.response, question_id="cyber_attaque").exists()


def test_delegation_dies_with_its_main_link(link_a: Link) -> None:
    _d, sub_token = services.delegate(link_a.invitation, "donnees")
    assert Client().get(f"/repondre/{sub_token}/").status_code == 200
    services.revoke_links(link_a.response.authority.code)
    assert Client().get(f"/repondre/{sub_token}/").status_code == 404


# ---------------------------------------------------------------- read-only states


def _submit(client: Client, link: Link) -> None:
    for section, data in COMPLETE.items():
        client.post(link.url(f"section/{section}/"), {**data, "action": "next"})
    assert client.post(link.url("envoyer/"), {"confirm": "yes"}).status_code == 302


def test_submitted_response_is_read_only(client: Client, link_a: Link) -> None:
    _submit(client, link_a)
    r = client.post(link_a.url("enregistrer/"), {"section": "profil", "changed": "nb_agents", "nb_agents": "99"})
    assert r.status_code == 409
    r = client.post(link_a.url("section/profil/"), {"nb_agents": "99"})
    assert r.status_code == 302
    assert Answer.objects.get(response=link_a.response, question_id="nb_agents").value == 12
    html = client.get(link_a.url("recapitulatif/")).content.decode()
    assert "Modifier" not in html and "Accusé de réception (PDF)" in html
    assert client.post(link_a.url("envoyer/"), {"confirm": "yes"}).status_code == 302


def test_responses_of_a_published_edition_are_read_only(client: Client, link_a: Link) -> None:
    edition = link_a.response.edition
    edition.state = EditionState.PUBLISHED
    edition.save()
    r = client.post(link_a.url("enregistrer/"), {"section": "profil", "changed": "nb_agents", "nb_agents": "9"})
    assert r.status_code == 409
    assert not Answer.objects.filter(response=link_a.response).exists()


# ---------------------------------------------------------------- CSRF, XSS, headers, logs


def test_every_post_requires_the_csrf_token(link_a: Link) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.get(link_a.url())  # sets the CSRF cookie
    posts = [
        (link_a.url(), {"name": "X"}),
        (link_a.url("section/profil/"), {"nb_agents": "3"}),
        (link_a.url("enregistrer/"), {"section": "profil", "changed": "nb_agents", "nb_agents": "3"}),
        (link_a.url("envoyer/"), {"confirm": "yes"}),
        (link_a.url("delegations/"), {"section": "cyber"}),
    ]
    for url, data in posts:
        assert strict.post(url, data).status_code == 403, url
    assert not Answer.objects.filter(response=link_a.response).exists()
    # With the token (from the cookie), the same post goes through.
    token = strict.cookies["csrftoken"].value
    r = strict.post(
        link_a.url("enregistrer/"),
        {"section": "profil", "changed": "nb_agents", "nb_agents": "3", "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="null",
    )
    assert r.status_code == 200


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_answers_and_names_are_escaped_everywhere(client: Client, link_a: Link) -> None:
    client.post(link_a.url(), {"name": XSS})
    client.post(link_a.url("section/profil/"), {**COMPLETE["profil"], "commentaire": XSS[:200]})
    client.post(link_a.url("section/cyber/"), {**COMPLETE["cyber"], "cyber_attaque": "oui", "cyber_recit": XSS})
    services.delegate(link_a.invitation, "cyber", XSS)
    for path in ["", "section/profil/", "section/cyber/", "recapitulatif/", "delegations/"]:
        html = client.get(link_a.url(path)).content.decode()
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html, path
    assert "&lt;script&gt;" in client.get(link_a.url("recapitulatif/")).content.decode()


def test_security_headers_on_portal_pages(client: Client, link_a: Link) -> None:
    for path in ["", "section/profil/", "recapitulatif/"]:
        r = client.get(link_a.url(path))
        csp = r["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in csp
        assert r["Referrer-Policy"] == "no-referrer"
        html = r.content.decode()
        assert "<script>" not in html  # no inline script
        assert " onclick=" not in html and " onchange=" not in html


def test_tokens_never_reach_the_logs(client: Client, link_a: Link, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    tampered = link_a.token[:-2] + "zz"
    client.get(link_a.url())
    client.get(link_a.url("section/profil/"))
    client.post(link_a.url("enregistrer/"), {"section": "profil", "changed": "nb_agents", "nb_agents": "x"})
    client.get(f"/repondre/{tampered}/")
    client.get(f"/repondre/{tampered}/section/profil/")
    text = "\n".join(r.getMessage() + " " + str(r.args) + " " + str(getattr(r, "request", "")) for r in caplog.records)
    assert link_a.token not in text
    assert tampered not in text
    assert link_a.token[tokens.PREFIX_LENGTH :] not in text


# ---------------------------------------------------------------- rate limit shared by every process

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def shared_cache() -> Iterator[str]:
    """The portal's cache on the Redis server of this machine (database 15, emptied before and after)."""
    import redis

    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis unreachable at {REDIS_TEST_URL}: {exc}")
        pytest.skip(f"Redis unreachable at {REDIS_TEST_URL}")
    from barometre.web.settings import caches_for

    # the caches the server builds from CACHE_URL, as the subprocess below builds them
    with override_settings(CACHES=caches_for(REDIS_TEST_URL)):
        caches["default"].clear()
        yield REDIS_TEST_URL
        caches["default"].clear()


@pytest.mark.slow
def test_failed_lookups_are_counted_across_server_processes(
    client: Client, link_a: Link, shared_cache: str, tmp_path: Path
) -> None:
    """Two gunicorn workers see one count: failures here and in another process add up."""
    from barometre.apps.portal import access

    code = (
        "import django; django.setup(); from barometre.apps.portal.access import record_failed_lookup; "
        "print(record_failed_lookup('127.0.0.1'))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "barometre.web.settings",
        "BAROMETRE_DATA_DIR": str(tmp_path),
        "CACHE_URL": shared_cache,
    }
    for _attempt in range(2):  # once more if the 15-minute counting window turned meanwhile
        caches["default"].clear()
        window = access._counter_key("client", "127.0.0.1")
        for i in range(services.MAX_FAILED_LOOKUPS - 1):
            assert _guess(client, i) == 404
        other = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        guess = _guess(client, 999)
        valid = client.get(link_a.url()).status_code
        if access._counter_key("client", "127.0.0.1") == window:
            break
    assert int(other.stdout) == services.MAX_FAILED_LOOKUPS
    assert guess == 429
    assert valid == 200
