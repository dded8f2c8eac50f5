"""Invitations and reminders through a real SMTP server (aiosmtpd) started by the tests."""

from __future__ import annotations

import re
from email.header import decode_header, make_header

import pytest
from django.test import Client

from barometre.apps.console import contacts, mailing
from barometre.apps.console.models import Contact, Delivery
from barometre.apps.editions.models import Edition, ResponseStatus, SampleUnit
from barometre.apps.portal.models import Invitation
from barometre.core.errors import EditionError
from tests.factories import make_authority

from .conftest import Inbox

LINK = re.compile(r"http://testserver/repondre/([A-Za-z0-9_-]+)/")


def _sample(edition: Edition) -> dict[str, list[str]]:
    """Four sampled authorities in two strata, three with contacts."""
    strata = {"small": ["communes_moins_3500"] * 2, "big": ["communes_100000_plus"] * 2}
    codes: dict[str, list[str]] = {}
    for name, values in strata.items():
        for stratum in values:
            a = make_authority(stratum=stratum)
            SampleUnit.objects.create(edition=edition, authority=a, stratum=stratum, inclusion_probability=0.5)
            codes.setdefault(name, []).append(a.code)
    rows = ["authority,email,name,role"]
    rows += [f"{codes['small'][0]},maire@small0.fr,Alice,DGS", f"{codes['small'][0]},dsi@small0.fr,Bob,DSI"]
    rows += [f"{codes['small'][1]},contact@small1.fr,,", f"{codes['big'][0]},rssi@big0.fr,Chloé,RSSI"]
    contacts.import_contacts(edition, "\n".join(rows) + "\n", source="contacts.csv")
    return codes


def _token(message: object) -> str:
    body = message.get_payload(decode=True).decode()  # type: ignore[attr-defined]
    match = LINK.search(body)
    assert match, body
    return match.group(1)


def test_invitations_reach_every_contact_with_a_link_to_their_own_authority(smtp: Inbox, edition: Edition) -> None:
    codes = _sample(edition)
    report = mailing.send_invitations(edition)
    assert (report.sent, report.failed, report.skipped_no_contact) == (4, 0, 1)  # big[1] has no contact
    assert len(smtp.messages) == 4
    for address, code in (("maire@small0.fr", codes["small"][0]), ("rssi@big0.fr", codes["big"][0])):
        (message,) = smtp.to(address)
        body = message.get_payload(decode=True).decode()
        assert "Observatoire test" in body and "aide@example.fr" in body and "minutes" in body
        invitation = Invitation.resolve(_token(message))
        assert invitation is not None and invitation.response.authority.code == code
    # both contacts of one authority got the same working link
    assert _token(smtp.to("maire@small0.fr")[0]) == _token(smtp.to("dsi@small0.fr")[0])
    # links stay stored as prefix + keyed hash only
    token = _token(smtp.to("rssi@big0.fr")[0])
    assert not Invitation.objects.filter(digest__contains=token).exists()
    assert Invitation.objects.filter(prefix=token[:8]).exists()


def test_sending_again_skips_authorities_already_invited(smtp: Inbox, edition: Edition) -> None:
    _sample(edition)
    mailing.send_invitations(edition)
    again = mailing.send_invitations(edition)
    assert again.sent == 0 and len(smtp.messages) == 4


def test_the_link_opens_the_right_authority_form(smtp: Inbox, edition: Edition, client: Client) -> None:
    codes = _sample(edition)
    mailing.send_invitations(edition)
    response = client.get(f"/repondre/{_token(smtp.to('rssi@big0.fr')[0])}/", follow=True)
    assert response.status_code == 200
    from barometre.apps.registry.models import Authority

    assert Authority.objects.get(code=codes["big"][0]).name.encode() in response.content


def test_reminder_to_one_stratum_reaches_only_its_non_respondents_with_a_fresh_link(
    smtp: Inbox, edition: Edition, client: Client
) -> None:
    codes = _sample(edition)
    mailing.send_invitations(edition)
    first_link = _token(smtp.to("contact@small1.fr")[0])
    # small[0] submits; small[1] has not
    done = edition.responses.get(authority__code=codes["small"][0])
    from django.utils import timezone

    done.status, done.submitted_at = ResponseStatus.SUBMITTED, timezone.now()
    done.save()
    smtp.messages.clear()
    report = mailing.send_invitations(edition, reminder=True, stratum="communes_moins_3500")
    assert report.sent == 1
    assert [m["To"] for m in smtp.messages] == ["contact@small1.fr"]
    fresh = _token(smtp.messages[0])
    assert fresh != first_link
    assert Invitation.resolve(first_link) is None  # the previous link is revoked
    resolved = Invitation.resolve(fresh)
    assert resolved is not None and resolved.response.authority.code == codes["small"][1]
    assert "Ne plus recevoir de relance" in smtp.messages[0].get_payload(decode=True).decode()


def test_opt_out_link_stops_reminders(smtp: Inbox, edition: Edition, client: Client) -> None:
    _sample(edition)
    mailing.send_invitations(edition)
    smtp.messages.clear()
    mailing.send_invitations(edition, reminder=True, stratum="communes_100000_plus")
    body = smtp.to("rssi@big0.fr")[0].get_payload(decode=True).decode()
    optout = re.search(r"http://testserver(/relances/arret/\S+/)", body)
    assert optout
    assert client.get(optout.group(1)).status_code == 200
    assert Contact.objects.get(email="rssi@big0.fr").opted_out_at is None  # GET changes nothing
    assert client.post(optout.group(1)).status_code == 200
    assert Contact.objects.get(email="rssi@big0.fr").opted_out_at is not None
    smtp.messages.clear()
    report = mailing.send_invitations(edition, reminder=True, stratum="communes_100000_plus")
    assert smtp.messages == [] and report.skipped_opted_out == 1
    assert client.get("/relances/arret/forged-token/").status_code == 404


def test_send_failures_are_recorded_per_invitation_and_visible(smtp: Inbox, edition: Edition, analyst: Client) -> None:
    _sample(edition)
    smtp.refuse.add("dsi@small0.fr")
    report = mailing.send_invitations(edition)
    assert (report.sent, report.failed) == (3, 1)
    failed = Delivery.objects.get(ok=False)
    assert failed.contact.email == "dsi@small0.fr" and "550" in failed.error
    assert failed.invitation is not None
    page = analyst.get("/console/editions/2026/contacts/").content.decode()
    assert "dsi@small0.fr" in page and "550" in page


def test_unreachable_smtp_server_is_one_expected_error(settings: object, edition: Edition) -> None:
    from .conftest import free_port

    _sample(edition)
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # type: ignore[attr-defined]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    with pytest.raises(mailing.MailServerUnreachable):
        mailing.send_invitations(edition)
    assert not Delivery.objects.exists()


def test_edited_template_is_used_and_must_keep_the_link(smtp: Inbox, edition: Edition, analyst: Client) -> None:
    _sample(edition)
    refused = analyst.post("/console/modeles/invitation/fr/", {"subject": "Hello", "body": "no link here"})
    assert refused.status_code == 200 and "{{ link }}" in refused.content.decode()
    analyst.post(
        "/console/modeles/invitation/fr/",
        {"subject": "Enquête {{ edition }} — {{ organiser }}", "body": "Répondez ici : {{ link }}"},
    )
    mailing.send_invitations(edition)
    message = smtp.to("rssi@big0.fr")[0]
    assert str(make_header(decode_header(message["Subject"]))) == "Enquête 2026 — Observatoire test"
    assert _token(message)


def test_closed_edition_sends_nothing(smtp: Inbox, edition: Edition) -> None:
    _sample(edition)
    edition.state = "closed"
    edition.save()
    with pytest.raises(EditionError):
        mailing.send_invitations(edition)
