"""Hardening of the portal: no token in the logs, text input cleaned at the boundary,
personal pages never cached, the rate limit that never locks out a valid link."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from django.test import Client

from barometre.apps.editions.models import Answer
from barometre.apps.portal import services
from barometre.apps.portal.models import Invitation
from barometre.core import tokens
from tests.web.portal.conftest import Link

pytestmark = pytest.mark.django_db


@pytest.fixture
def server_log() -> Iterator[io.StringIO]:
    """What the configured handlers write (Django's console handler, shared by every logger)."""
    stream = io.StringIO()
    handlers = {h for name in ("", "django.request", "django.security") for h in logging.getLogger(name).handlers}
    handlers = {h for h in handlers if type(h) is logging.StreamHandler}
    assert handlers, "no configured handler to capture"
    # Swapped without setStream(), which flushes the old stream: an earlier test of the command line
    # may have left a handler on a stream it has since closed.
    previous = {h: h.stream for h in handlers}
    for h in handlers:
        h.stream = stream
    yield stream
    for h, old in previous.items():
        h.stream = old


def test_a_500_on_a_portal_url_logs_neither_the_token_nor_its_prefix(
    link_a: Link, server_log: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"database exploded while reading /repondre/{link_a.token}/enregistrer/")

    monkeypatch.setattr(services, "stored_answers", broken)
    client = Client(raise_request_exception=False)
    r = client.get(link_a.url())
    assert r.status_code == 500
    logging.getLogger("barometre.test").error("seen at %s", f"/repondre/{link_a.token}/recapitulatif/")
    text = server_log.getvalue()
    assert "Internal Server Error: /repondre/" in text  # the 500 was logged…
    assert "RuntimeError" in text and "seen at /repondre/" in text
    assert link_a.token not in text  # …without the token…
    assert link_a.token[: tokens.PREFIX_LENGTH] not in text  # …nor its public prefix
    assert link_a.token[tokens.PREFIX_LENGTH :] not in text


def test_a_nul_byte_in_an_autosaved_answer_is_refused_with_a_clear_400(client: Client, link_a: Link) -> None:
    r = client.post(
        link_a.url("enregistrer/"),
        {"section": "profil", "changed": "commentaire", "commentaire": "avant\x00après"},
        HTTP_ACCEPT="application/json",
    )
    assert r.status_code == 400
    body = r.json()
    assert body["ok"] is False and body["field"] == "commentaire"
    assert "U+0000" in body["error"] and "commentaire" in body["error"]
    assert body["errors"] == {"commentaire": [body["error"]]}
    assert not Answer.objects.filter(response=link_a.response).exists()
    # the session still works: the next autosave is saved
    r = client.post(
        link_a.url("enregistrer/"),
        {"section": "profil", "changed": "commentaire", "commentaire": "sans octet nul"},
        HTTP_ACCEPT="application/json",
    )
    assert r.status_code == 200


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", "\x85"])
def test_control_characters_are_refused_in_the_respondent_name(client: Client, link_a: Link, char: str) -> None:
    r = client.post(link_a.url(), {"name": f"Jeanne{char}Martin"})
    assert r.status_code == 400
    assert "name" in r.content.decode() and "U+00" in r.content.decode()
    assert services.SESSION_NAME_KEY not in client.session
    # every later autosave of that session still works
    r = client.post(link_a.url("enregistrer/"), {"section": "profil", "changed": "nb_agents", "nb_agents": "3"})
    assert r.status_code == 200


def test_a_nul_byte_in_a_delegation_label_is_refused(client: Client, link_a: Link) -> None:
    r = client.post(link_a.url("delegations/"), {"section": "cyber", "label": "RSSI\x00"})
    assert r.status_code == 400
    assert not Invitation.objects.filter(parent=link_a.invitation).exists()


def test_line_breaks_are_allowed_in_text_answers(client: Client, link_a: Link) -> None:
    r = client.post(
        link_a.url("enregistrer/"),
        {"section": "profil", "changed": "commentaire", "commentaire": "ligne 1\r\nligne 2\tfin"},
    )
    assert r.status_code == 200
    assert Answer.objects.get(response=link_a.response, question_id="commentaire").value == "ligne 1\r\nligne 2\tfin"


def test_overlong_name_and_label_are_refused_not_truncated(client: Client, link_a: Link) -> None:
    r = client.post(link_a.url(), {"name": "x" * (services.NAME_MAX_LENGTH + 1)})
    assert r.status_code == 400 and str(services.NAME_MAX_LENGTH) in r.content.decode()
    assert client.post(link_a.url(), {"name": "x" * services.NAME_MAX_LENGTH}).status_code == 302
    r = client.post(link_a.url("delegations/"), {"section": "cyber", "label": "y" * 121})
    assert r.status_code == 400
    assert not Invitation.objects.filter(parent=link_a.invitation).exists()


def test_a_control_character_in_the_path_or_a_query_parameter_is_a_400(client: Client, link_a: Link) -> None:
    assert client.get(f"/repondre/{link_a.token}%00/").status_code == 400
    assert client.get(link_a.url("recapitulatif/"), {"envoye": "1\x00"}).status_code == 400


def test_a_forged_session_cookie_with_a_nul_byte_is_ignored(client: Client, link_a: Link) -> None:
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert client.get(link_a.url()).status_code == 200


# ---------------------------------------------------------------- rate limit


def _guess(client: Client, i: int, prefix: str = "") -> int:
    """A wrong token: on ``prefix`` when given, else with a prefix of its own."""
    token = (prefix or f"{i:03d}") + "y" * tokens.TOKEN_LENGTH
    token = token[: tokens.TOKEN_LENGTH - 3] + f"{i:03d}"
    return client.get(f"/repondre/{token}/").status_code


def test_after_100_failed_guesses_a_valid_link_from_that_address_still_opens(client: Client, link_a: Link) -> None:
    statuses = [_guess(client, i) for i in range(100)]
    assert statuses.count(404) == services.MAX_FAILED_LOOKUPS and statuses[-1] == 429
    assert client.get(link_a.url()).status_code == 200
    assert (
        client.post(
            link_a.url("enregistrer/"), {"section": "profil", "changed": "nb_agents", "nb_agents": "3"}
        ).status_code
        == 200
    )


@pytest.mark.slow  # hundreds of guesses from many addresses
def test_guesses_at_one_link_from_many_addresses_are_throttled_per_prefix(link_a: Link) -> None:
    from barometre.apps.portal.access import MAX_FAILED_LOOKUPS_PER_PREFIX

    prefix = link_a.token[: tokens.PREFIX_LENGTH]
    statuses = [_guess(Client(REMOTE_ADDR=f"10.1.0.{i}"), i, prefix) for i in range(MAX_FAILED_LOOKUPS_PER_PREFIX + 2)]
    assert statuses[:MAX_FAILED_LOOKUPS_PER_PREFIX] == [404] * MAX_FAILED_LOOKUPS_PER_PREFIX
    assert statuses[-1] == 429
    assert Client(REMOTE_ADDR="10.1.0.200").get(link_a.url()).status_code == 200  # the real link opens


def test_forwarded_addresses_are_believed_only_from_trusted_proxies(
    client: Client, link_a: Link, settings: object
) -> None:
    spoofing = Client(REMOTE_ADDR="203.0.113.9")
    for i in range(services.MAX_FAILED_LOOKUPS):
        assert spoofing.get(f"/repondre/{i:03d}{'z' * 37}/", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code == 404
    # an untrusted peer cannot get around the limit by forging X-Forwarded-For
    assert spoofing.get(f"/repondre/{'z' * 40}/", HTTP_X_FORWARDED_FOR="198.51.100.250").status_code == 429

    settings.TRUSTED_PROXIES = ["192.0.2.0/24"]  # type: ignore[attr-defined]
    proxy = Client(REMOTE_ADDR="192.0.2.10")
    for i in range(services.MAX_FAILED_LOOKUPS):
        assert (
            proxy.get(f"/repondre/{i:03d}{'w' * 37}/", HTTP_X_FORWARDED_FOR="203.0.113.50, 192.0.2.11").status_code
            == 404
        )
    assert proxy.get(f"/repondre/{'w' * 40}/", HTTP_X_FORWARDED_FOR="203.0.113.50").status_code == 429
    # behind the proxy, another client is counted on its own
    assert proxy.get(f"/repondre/{'v' * 40}/", HTTP_X_FORWARDED_FOR="203.0.113.51").status_code == 404


def test_client_address_from_forwarded_for() -> None:
    from django.test import RequestFactory, override_settings

    from barometre.apps.portal.access import client_ip, client_key

    rf = RequestFactory()
    forged = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(forged) == "203.0.113.9"
    with override_settings(TRUSTED_PROXIES=["10.0.0.0/8"]):
        chain = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7, 10.2.3.4")
        assert client_ip(chain) == "198.51.100.7"  # the left-most entries are the client's own claims
        assert client_ip(forged) == "203.0.113.9"
    assert client_key("2001:db8:1:2:3:4:5:6") == client_key("2001:db8:1:2:ffff::1") == "2001:db8:1:2::/64"


# ---------------------------------------------------------------- caching of personal pages


def test_personal_pages_are_never_cached(client: Client, link_a: Link) -> None:
    from tests.web.portal.conftest import COMPLETE

    pages = ["", "section/profil/", "recapitulatif/", "envoyer/", "delegations/"]
    for path in pages:
        r = client.get(link_a.url(path))
        assert r.status_code in (200, 302, 422), path
        directives = {d.strip() for d in r["Cache-Control"].split(",")}
        assert {"no-store", "private"} <= directives, path
    for section, data in COMPLETE.items():
        client.post(link_a.url(f"section/{section}/"), {**data, "action": "next"})
    assert client.post(link_a.url("envoyer/"), {"confirm": "yes"}).status_code == 302
    for path in ["resultats/", "recapitulatif/", "accuse-de-reception.pdf"]:
        r = client.get(link_a.url(path))
        assert "no-store" in r["Cache-Control"] and "private" in r["Cache-Control"], path
    r = client.post(link_a.url("enregistrer/"), {"section": "profil", "changed": "nb_agents", "nb_agents": "3"})
    assert "no-store" in r["Cache-Control"]


def test_gunicorn_error_and_access_logs_mask_the_token(tmp_path: object) -> None:
    from pathlib import Path

    from gunicorn.config import Config

    from barometre.web.gunicorn_logging import MaskingLogger

    log_file = Path(str(tmp_path)) / "gunicorn.log"
    cfg = Config()
    cfg.set("errorlog", str(log_file))
    cfg.set("accesslog", str(log_file))
    cfg.set("access_log_format", '"%(r)s" %(s)s')
    logger = MaskingLogger(cfg)
    token = "AbCdEfGh" + "s" * 32
    logger.error("Error handling request %s", f"/repondre/{token}/enregistrer/")
    try:
        raise ValueError(f"bad /repondre/{token}/")
    except ValueError:
        logger.exception("Exception in worker")
    for handler in logger.error_log.handlers + logger.access_log.handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "Error handling request /repondre/[jeton]/enregistrer/" in text and "ValueError" in text
    assert token not in text and token[: tokens.PREFIX_LENGTH] not in text
