"""Resume and continue follow the person; the summary lists what is missing as links; the receipt
carries a reference number (page, PDF, e-mail); delegation by e-mail, thank-you, who did what."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core import mail as outbox
from django.test import Client

from barometre.apps.console.models import Contact
from barometre.apps.editions.models import Edition
from barometre.apps.portal import mail, services
from barometre.apps.portal.models import Invitation
from tests.web.portal.conftest import COMPLETE, Link


@pytest.fixture(autouse=True)
def _mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _href(html: str, element_id: str) -> str:
    m = re.search(rf'href="([^"]+)" id="{element_id}"', html) or re.search(
        rf'id="{element_id}"[^>]*href="([^"]+)"', html
    )
    assert m is not None, element_id
    return m.group(1)


def _delegate(link: Link, section: str) -> tuple[Client, str]:
    _d, token = services.delegate(link.invitation, section, "prestataire informatique")
    return Client(), f"/repondre/{token}/"


def test_resume_opens_the_first_incomplete_section_of_this_link_not_the_delegate_s_last_change(
    client: Client, link_a: Link
) -> None:
    client.post(link_a.url("section/profil/"), {**COMPLETE["profil"], "action": "save"})
    sub, base = _delegate(link_a, "cyber")
    sub.post(base + "section/cyber/", {**COMPLETE["cyber"], "action": "next"})
    home = client.get(link_a.url()).content.decode()
    assert _href(home, "portal-start").endswith("/section/donnees/")
    assert "Reprendre là où vous en étiez" in home
    # The main holder sees who completed what.
    delegated = re.search(r'id="portal-delegated".*?</ul>', home, re.S)
    assert delegated is not None and "Cybersécurité — prestataire informatique" in delegated.group(0)
    assert "complète" in delegated.group(0)
    assert "complétée par prestataire informatique" in home
    # The delegate's section is complete: a thank-you, and no "Reprendre" offered.
    page = sub.get(base).content.decode()
    assert 'id="portal-delegate-thanks"' in page and 'id="portal-start"' not in page


def test_save_and_continue_goes_to_the_next_incomplete_section_wrapping_round(client: Client, link_a: Link) -> None:
    client.post(link_a.url("section/donnees/"), {**COMPLETE["donnees"], "action": "save"})
    # From the last section, with profil and cyber still incomplete: back to profil, not the summary.
    r = client.post(link_a.url("section/ia/"), {**COMPLETE["ia"], "action": "next"})
    assert r.status_code == 302 and r["Location"].endswith("/section/profil/")
    r = client.post(link_a.url("section/profil/"), {**COMPLETE["profil"], "action": "next"})
    assert r["Location"].endswith("/section/cyber/")  # données is complete: skipped
    page = client.get(link_a.url("section/cyber/")).content.decode()
    assert "Prochaine section à compléter" not in page and "Enregistrer et voir le récapitulatif" in page
    r = client.post(link_a.url("section/cyber/"), {**COMPLETE["cyber"], "action": "next"})
    assert r["Location"].endswith("/recapitulatif/")


def test_summary_lists_missing_answers_as_links_and_offers_sending_at_top_and_bottom(
    client: Client, link_a: Link
) -> None:
    client.post(link_a.url("section/profil/"), {**COMPLETE["profil"], "action": "save"})
    html = client.get(link_a.url("recapitulatif/")).content.decode()
    missing = re.search(r'id="portal-missing".*?</ul>', html, re.S)
    assert missing is not None
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', missing.group(0))
    assert any(u.endswith("/section/donnees/#q-dpo-block") for u, _ in links)
    assert any(u.endswith("/section/cyber/#q-cyber-attaque-block") for u, _ in links)
    for section, data in COMPLETE.items():
        client.post(link_a.url(f"section/{section}/"), {**data, "action": "save"})
    html = client.get(link_a.url("recapitulatif/")).content.decode()
    assert 'id="portal-go-submit-top"' in html and 'id="portal-go-submit"' in html


def test_receipt_reference_on_the_page_in_the_pdf_and_in_the_confirmation_email(
    client: Client, link_a: Link, edition: Edition, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    Contact.objects.create(edition=edition, authority=link_a.response.authority, email="mairie@example.org")
    for section, data in COMPLETE.items():
        client.post(link_a.url(f"section/{section}/"), {**data, "action": "save"})
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        r = client.post(link_a.url("envoyer/"), {"confirm": "yes"})
    assert r.status_code == 302 and len(callbacks) == 1  # the e-mail is queued, not sent in the request
    assert outbox.outbox == []
    reference = services.receipt_reference(link_a.response)
    assert re.fullmatch(r"2026-\d{6}-[0-9A-F]{4}", reference)
    page = client.get(r["Location"]).content.decode()
    assert f'<strong id="portal-reference" class="barometre-nowrap">{reference}</strong>' in page
    mail.send_receipt.call(link_a.response.pk)
    (message,) = outbox.outbox
    assert message.to == ["mairie@example.org"] and reference in message.subject and reference in message.body
    if shutil.which("pdftotext"):
        pdf = tmp_path / "r.pdf"
        pdf.write_bytes(client.get(link_a.url("accuse-de-reception.pdf")).content)
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert reference in text


def test_a_delegation_sent_by_email_creates_the_link_in_the_background_and_it_opens(
    client: Client, link_a: Link, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        r = client.post(link_a.url("delegations/"), {"section": "cyber", "label": "RSSI", "email": "rssi@example.org"})
    assert r.status_code == 200 and 'id="portal-link-sent"' in r.content.decode()
    assert len(callbacks) == 1 and not Invitation.objects.filter(section="cyber").exists()
    mail.send_delegation.call(link_a.invitation.pk, "cyber", "RSSI", "rssi@example.org", "Camille")
    (message,) = outbox.outbox
    assert message.to == ["rssi@example.org"] and "Camille" in message.body and "Cybersécurité" in message.body
    link = re.search(r"https?://\S+/repondre/\S+/", message.body)
    assert link is not None
    path = "/" + link.group(0).split("/", 3)[3]
    assert Client().get(path + "section/cyber/").status_code == 200
    bad = client.post(link_a.url("delegations/"), {"section": "cyber", "email": "pas une adresse"})
    assert bad.status_code == 422


def test_when_every_section_is_complete_the_main_link_leads_to_the_summary(client: Client, link_a: Link) -> None:
    for section, data in COMPLETE.items():
        client.post(link_a.url(f"section/{section}/"), {**data, "action": "save"})
    home = client.get(link_a.url()).content.decode()
    assert _href(home, "portal-start").endswith("/recapitulatif/")
    assert "Relire et envoyer le questionnaire" in home
