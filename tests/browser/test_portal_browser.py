"""The respondent portal in a real browser: skip logic live, resume, submission, keyboard, phone, axe."""

from __future__ import annotations

from typing import Any

import pytest

from barometre.apps.editions.models import Answer, Response, ResponseStatus
from tests.browser.helpers import autosave_ready, no_violations, tab_to, wait_saved
from tests.web.portal.conftest import _portal_settings, invite, open_edition  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

FORM = "#portal-form"


@pytest.fixture
def link(live_server: Any) -> tuple[str, Any]:
    inv = invite(open_edition(), name="Commune de Test")
    return live_server.url + inv.url(), inv


def visible(page: Any, qid: str) -> bool:
    return page.evaluate(f"() => !document.querySelector('[data-question=\"{qid}\"]').hidden")


def answers(inv: Any) -> dict[str, object]:
    return dict(Answer.objects.filter(response_id=inv.invitation.response_id).values_list("question_id", "value"))


def check(page: Any, label: str, question: str) -> None:
    autosave_ready(page)
    page.locator(f'[data-question="{question}"] label', has_text=label).first.click()
    wait_saved(page)


def test_full_questionnaire_with_skip_logic_resume_submission_and_receipt(
    browser: Any, page: Any, live_server: Any, link: tuple[str, Any]
) -> None:
    url, inv = link
    page.goto(url)
    assert page.get_by_role("heading", name="Vos données et vos droits").is_visible()
    no_violations(page)
    page.fill("#portal-name", "Camille")
    page.click("text=Enregistrer le nom")
    page.click("#portal-start")
    autosave_ready(page)
    assert "Section 1 sur 4" in page.inner_text(".fr-stepper")
    no_violations(page)

    # Section 1: type and population pre-filled from the registry; a constraint refused live, then fixed.
    assert page.is_checked("#q-type-collectivite-0") and page.input_value("#q-population") == "420"
    page.fill("#q-nb-agents", "12")
    page.press("#q-nb-agents", "Tab")
    wait_saved(page)
    page.fill("#q-agents-informatique", "40")
    page.press("#q-agents-informatique", "Tab")
    wait_saved(page)
    assert "Ne peut dépasser le nombre total d'agents." in page.inner_text("#q-agents-informatique-messages")
    page.fill("#q-agents-informatique", "1")
    page.press("#q-agents-informatique", "Tab")
    wait_saved(page)
    assert page.inner_text("#q-agents-informatique-messages") == ""
    assert answers(inv) == {"nb_agents": 12, "agents_informatique": 1}
    page.click("#portal-next")
    assert answers(inv)["population"] == 420 and answers(inv)["type_collectivite"] == "commune"

    # Section 2: skip logic shown and hidden live.
    assert "Section 2 sur 4" in page.inner_text(".fr-stepper")
    assert not visible(page, "dpo_type")
    check(page, "Oui", "dpo")
    assert visible(page, "dpo_type")
    check(page, "Mutualisé", "dpo_type")
    check(page, "Non", "dpo")
    assert not visible(page, "dpo_type")
    assert "dpo_type" not in answers(inv)
    check(page, "Oui", "dpo")
    assert visible(page, "dpo_type")
    assert page.locator("#q-dpo-type input:checked").count() == 0  # the dropped answer is not shown
    check(page, "Interne", "dpo_type")
    assert answers(inv)["dpo_type"] == "interne"

    # The browser is closed half-way; the link opened again later shows everything saved.
    page.context.close()
    context = browser.new_context(locale="fr-FR", bypass_csp=True)
    page = context.new_page()
    page.goto(url)
    assert page.inner_text("#portal-start") == "Reprendre là où vous en étiez"
    page.click("#portal-start")
    # Resume opens the first incomplete section (the data section is complete): section 3.
    assert "Section 3 sur 4" in page.inner_text(".fr-stepper")
    page.goto(url + "section/donnees/")
    assert page.is_checked("#q-dpo-0") and page.is_checked("#q-dpo-type-0")
    page.click("#portal-next")
    assert "Section 3 sur 4" in page.inner_text(".fr-stepper")

    # Section 3: a conditional long text, a grid.
    check(page, "Oui", "cyber_attaque")
    assert visible(page, "cyber_recit")
    page.fill("#q-cyber-recit", "Rançongiciel en mars.")
    page.press("#q-cyber-recit", "Tab")
    wait_saved(page)
    page.select_option("#q-mesures-mfa", "en_place")
    wait_saved(page)
    page.click("#portal-next")

    # Section 4: relevant only for communes and EPCI.
    check(page, "Déployée", "ia_usage")
    assert visible(page, "ia_budget")
    page.fill("#q-ia-budget", "12 500")
    page.press("#q-ia-budget", "Tab")
    wait_saved(page)
    page.click("#portal-next")

    # Summary, then explicit and confirmed submission.
    assert page.get_by_role("heading", name="Récapitulatif de vos réponses").is_visible()
    page.click("#recap-cyber summary")  # sections are folded: open one to read it
    assert "Rançongiciel en mars." in page.inner_text("#recap-cyber")
    no_violations(page)
    page.click("#portal-go-submit")
    no_violations(page)
    page.click("label[for=portal-confirm]")
    page.click("#portal-submit")
    assert "Merci, votre réponse a bien été envoyée." in page.inner_text("main")
    response = Response.objects.get(pk=inv.invitation.response_id)
    assert response.status == ResponseStatus.SUBMITTED
    receipt = page.request.get(live_server.url + page.get_attribute("#portal-receipt", "href"))
    assert receipt.status == 200 and receipt.body().startswith(b"%PDF")
    page.click("#portal-results")
    assert page.get_by_role("heading", name="Vos premiers résultats").is_visible()
    no_violations(page)
    context.close()


def test_same_journey_with_the_keyboard_only(page: Any, link: tuple[str, Any]) -> None:
    url, inv = link
    page.goto(url)
    tab_to(page, "#portal-start")
    page.keyboard.press("Enter")
    page.wait_for_selector(FORM)
    autosave_ready(page)
    tab_to(page, "#q-type-collectivite-0")
    assert page.is_checked("#q-type-collectivite-0")  # pre-filled from the registry
    tab_to(page, "#q-nb-agents")
    page.keyboard.type("8")
    tab_to(page, "#q-agents-informatique")
    wait_saved(page)
    tab_to(page, "#portal-next")
    page.keyboard.press("Enter")
    page.wait_for_url("**/section/donnees/")
    tab_to(page, "#q-dpo-0")
    page.keyboard.press("Space")
    wait_saved(page)
    assert visible(page, "dpo_type")
    tab_to(page, "#q-dpo-type-0")
    page.keyboard.press("Space")
    wait_saved(page)
    tab_to(page, "#portal-next")
    page.keyboard.press("Enter")
    page.wait_for_url("**/section/cyber/")
    tab_to(page, "#q-cyber-attaque-0")
    page.keyboard.press("ArrowRight")  # "Non"
    wait_saved(page)
    assert not visible(page, "cyber_recit")
    tab_to(page, "#portal-next")
    page.keyboard.press("Enter")
    page.wait_for_url("**/section/ia/")
    tab_to(page, "#q-ia-usage-0")
    page.keyboard.press("ArrowDown")  # "Non"
    wait_saved(page)
    assert not visible(page, "ia_budget")
    tab_to(page, "#portal-next")
    page.keyboard.press("Enter")
    page.wait_for_url("**/recapitulatif/")
    tab_to(page, "#portal-go-submit")
    page.keyboard.press("Enter")
    page.wait_for_url("**/envoyer/")
    tab_to(page, "#portal-confirm")
    page.keyboard.press("Space")
    tab_to(page, "#portal-submit")
    page.keyboard.press("Enter")
    page.wait_for_url("**/recapitulatif/?envoye=1")
    assert Response.objects.get(pk=inv.invitation.response_id).status == ResponseStatus.SUBMITTED
    assert answers(inv) == {
        "type_collectivite": "commune",
        "population": 420,
        "nb_agents": 8,
        "dpo": "oui",
        "dpo_type": "interne",
        "cyber_attaque": "non",
        "ia_usage": "non",
    }


def test_phone_viewport_and_other_page_types_pass_axe(browser: Any, live_server: Any, link: tuple[str, Any]) -> None:
    url, _inv = link
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True, bypass_csp=True
    )
    page = context.new_page()
    page.goto(url + "section/profil/")
    autosave_ready(page)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.locator('[data-question="type_collectivite"] label', has_text="Autre organisme").tap()
    wait_saved(page)
    page.click("#portal-next")  # nb_agents is required but the section can be left: saved as it is
    no_violations(page)
    page.goto(url + "delegations/")
    page.select_option("#delegation-section", "cyber")
    page.fill("#delegation-label", "prestataire informatique")
    page.click("text=Créer le lien")
    sub_link = page.input_value("#portal-new-link")
    no_violations(page)
    page.goto(sub_link)
    no_violations(page)
    page.goto(sub_link + "section/cyber/")
    assert "Section 1 sur 1" in page.inner_text(".fr-stepper")
    no_violations(page)
    page.goto(url + "recapitulatif/")
    assert page.locator("#portal-missing").is_visible()
    page.goto(live_server.url + "/repondre/" + "x" * 40 + "/")
    assert page.get_by_role("heading", name="Lien introuvable ou expiré").is_visible()
    no_violations(page)
    context.close()
