"""The respondent's journey of issue 17 in a real browser, for a commune of fewer than 500 inhabitants:
on a phone (390 × 844), then by keyboard only on a desktop; axe: no serious or critical violation.

Screenshots go to ``var/screens/`` (looked at by a person; not asserted)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from barometre.apps.editions.models import Edition, Response, ResponseStatus
from barometre.apps.portal import services
from barometre.apps.portal.models import Invitation
from tests.browser.conftest import ROOT
from tests.browser.helpers import autosave_ready, no_violations, tab_to, wait_saved
from tests.factories import make_authority
from tests.web.portal.conftest import _portal_settings, open_edition  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = ROOT / "var" / "screens"
PHONE = {"width": 390, "height": 844}
#: A real commune of the registry (the diagnostic reads its profile there): Boissey (Ain), 396 inhabitants.
COMMUNE = {"code": "01050", "name": "Boissey", "population_municipale": 396, "region": "84", "departement": "01"}


def shot(page: Any, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(SCREENS) / f"{name}.png"), full_page=True)


def no_horizontal_scroll(page: Any) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1"))


def pick(page: Any, question: str, label: str) -> None:
    autosave_ready(page)
    page.locator(f'[data-question="{question}"] label', has_text=label).first.click()
    wait_saved(page)


@pytest.fixture
def journey(live_server: Any) -> tuple[str, Any]:
    edition = open_edition()
    Edition.objects.filter(pk=edition.pk).update(
        organiser="Agence régionale du numérique", help_email="aide@example.org", help_phone="01 23 45 67 89"
    )
    authority = make_authority(**COMMUNE)
    invited = services.invite(Edition.objects.get(pk=edition.pk), authority)
    assert invited.token is not None
    return f"{live_server.url}/repondre/{invited.token}/", authority


def test_phone_journey_of_a_small_commune(browser: Any, journey: tuple[str, Any]) -> None:
    url, authority = journey
    context = browser.new_context(locale="fr-FR", viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    page = context.new_page()

    # Landing: organiser, estimated minutes, closing date, help contact.
    page.goto(url)
    main = page.inner_text("main")
    assert "Agence régionale du numérique" in page.inner_text("#portal-organiser")
    assert re.search(r"environ \d+ minutes", page.inner_text("#portal-minutes"))
    assert page.locator("#portal-closes").is_visible() and page.locator("#portal-expires").is_visible()
    assert "aide@example.org" in page.inner_text("#portal-help") and "01 23 45 67 89" in page.inner_text("#portal-help")
    assert ".invalid" not in main
    assert no_horizontal_scroll(page)
    no_violations(page)
    shot(page, "01-landing-phone")

    # Profile: population pre-filled from the registry; ten times smaller warns without blocking.
    page.click("#portal-start")
    autosave_ready(page)
    assert page.input_value("#q-population") == "396"
    assert "référentiel" in page.inner_text("#q-population-warnings")
    page.fill("#q-population", "39")
    page.press("#q-population", "Tab")
    wait_saved(page)
    warning = page.inner_text("#q-population-warnings")
    assert "le référentiel indique 396 habitants" in warning
    page.fill("#q-nb-agents", "3")
    page.press("#q-nb-agents", "Tab")
    wait_saved(page)
    assert no_horizontal_scroll(page)
    no_violations(page)
    shot(page, "02-profile-warning-phone")
    page.click("#portal-next")
    page.wait_for_url("**/section/donnees/")

    # Delegation of the cyber section, completed by the delegate on their phone.
    page.goto(url + "delegations/")
    page.select_option("#delegation-section", "cyber")
    page.fill("#delegation-label", "prestataire informatique")
    page.click("text=Créer le lien")
    sub_link = page.input_value("#portal-new-link")
    assert page.locator("#portal-copy-link").is_visible()
    assert no_horizontal_scroll(page)
    no_violations(page)
    shot(page, "03-delegation-phone")
    delegate = context.browser.new_context(
        locale="fr-FR", viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True
    )
    dpage = delegate.new_page()
    dpage.goto(sub_link)
    dpage.click("#portal-start")
    pick(dpage, "cyber_attaque", "Non")
    dpage.select_option("#q-mesures-mfa", "en_place")
    wait_saved(dpage)
    dpage.select_option("#q-mesures-sauvegardes", "non")
    wait_saved(dpage)
    dpage.click("#portal-next")
    assert dpage.locator("#portal-delegate-thanks").is_visible()
    assert dpage.locator("#portal-start").count() == 0
    no_violations(dpage)
    shot(dpage, "04-delegate-thanks-phone")
    delegate.close()

    # Resume after the delegate's work: the first incomplete section of this link, not cyber.
    page.goto(url)
    assert "complétée par prestataire informatique" in page.inner_text("#portal-progress")
    page.click("#portal-start")
    page.wait_for_url("**/section/donnees/")

    # Summary: missing answers are links to their question.
    page.goto(url + "recapitulatif/")
    links = page.locator("#portal-missing a")
    assert links.count() >= 2
    first = links.first.get_attribute("href") or ""
    assert "/section/" in first and "#q-" in first
    assert no_horizontal_scroll(page)
    no_violations(page)
    shot(page, "05-summary-missing-phone")
    links.first.click()
    page.wait_for_url("**/section/donnees/**")

    # Finish, send, receipt with a reference number.
    pick(page, "dpo", "Oui")
    pick(page, "dpo_type", "Mutualisé")
    page.click("#portal-next")
    page.wait_for_url("**/section/ia/")
    pick(page, "ia_usage", "Non")
    page.click("#portal-next")
    page.wait_for_url("**/recapitulatif/")
    page.click("#portal-go-submit-top")
    page.click("label[for=portal-confirm]")
    page.click("#portal-submit")
    reference = page.inner_text("#portal-reference")
    assert re.fullmatch(r"2026-\d{6}-[0-9A-F]{4}", reference)
    response = Response.objects.get(authority=authority)
    assert response.status == ResponseStatus.SUBMITTED and services.receipt_reference(response) == reference
    no_violations(page)
    shot(page, "06-receipt-phone")

    # Diagnostic: the CSIRT block above the scores, no horizontal scroll.
    page.goto(url + "diagnostic/")
    csirt = page.locator('[data-block="csirt"]').bounding_box()
    scores = page.locator('[data-block="scores"]').bounding_box()
    assert csirt is not None and scores is not None and csirt["y"] < scores["y"]
    assert page.locator("#incident-button").bounding_box()["y"] < scores["y"]  # type: ignore[index]
    assert no_horizontal_scroll(page)
    assert "numérotation incertaine" not in page.inner_text("main")
    height = page.evaluate("() => document.documentElement.scrollHeight")
    print(f"diagnostic height at 390 px: {height} px")
    no_violations(page)
    shot(page, "07-diagnostic-phone")
    context.close()


def test_same_journey_by_keyboard_on_a_desktop(page: Any, journey: tuple[str, Any]) -> None:
    url, authority = journey
    page.goto(url)
    assert re.search(r"\d+ minutes", page.inner_text("#portal-minutes"))
    tab_to(page, "#portal-start")
    page.keyboard.press("Enter")
    page.wait_for_url("**/section/profil/")
    assert page.input_value("#q-population") == "396"
    tab_to(page, "#q-population")
    page.keyboard.press("Control+A")
    page.keyboard.type("39")
    tab_to(page, "#q-nb-agents")
    wait_saved(page)
    assert "le référentiel indique 396 habitants" in page.inner_text("#q-population-warnings")
    page.keyboard.type("3")
    tab_to(page, "#portal-next")
    page.keyboard.press("Enter")
    page.wait_for_url("**/section/donnees/")

    # A delegate completes cyber (their own link), then the main holder resumes by keyboard.
    main = Invitation.objects.get(response__authority=authority, section="")
    _d, sub = services.delegate(main, "cyber", "RSSI")
    from django.test import Client

    delegate = Client()
    base = f"/repondre/{sub}/"
    delegate.post(
        base + "section/cyber/",
        {"cyber_attaque": "non", "mesures.mfa": "en_place", "mesures.sauvegardes": "non", "action": "next"},
    )
    page.goto(url)
    tab_to(page, "#portal-start")
    page.keyboard.press("Enter")
    page.wait_for_url("**/section/donnees/")

    # The summary's missing answers are links reachable by keyboard.
    page.goto(url + "recapitulatif/")
    tab_to(page, "#portal-missing a")
    page.keyboard.press("Enter")
    page.wait_for_url("**/section/**")
    page.goto(url + "section/donnees/")
    tab_to(page, "#q-dpo-0")
    page.keyboard.press("Space")
    wait_saved(page)
    tab_to(page, "#q-dpo-type-0")
    page.keyboard.press("Space")
    wait_saved(page)
    tab_to(page, "#portal-next")
    page.keyboard.press("Enter")
    page.wait_for_url("**/section/ia/")
    tab_to(page, "#q-ia-usage-0")
    page.keyboard.press("ArrowDown")  # "Non"
    wait_saved(page)
    tab_to(page, "#portal-next")
    page.keyboard.press("Enter")
    page.wait_for_url("**/recapitulatif/")
    tab_to(page, "#portal-go-submit-top")
    page.keyboard.press("Enter")
    page.wait_for_url("**/envoyer/")
    tab_to(page, "#portal-confirm")
    page.keyboard.press("Space")
    tab_to(page, "#portal-submit")
    page.keyboard.press("Enter")
    page.wait_for_url("**/recapitulatif/?envoye=1")
    assert re.fullmatch(r"2026-\d{6}-[0-9A-F]{4}", page.inner_text("#portal-reference"))
    no_violations(page)

    # Diagnostic by keyboard: the incident button is the first control of the page's content.
    page.goto(url + "diagnostic/")
    tab_to(page, "#incident-button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/diagnostic/?attaque=1")
    assert (
        page.locator('[data-block="csirt"]').bounding_box()["y"]
        < page.locator('[data-block="scores"]').bounding_box()["y"]
    )  # type: ignore[index]
    no_violations(page)
    shot(page, "08-diagnostic-under-attack-desktop")
    assert timezone.now()
