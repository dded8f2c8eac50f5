"""Console pages: edition set-up, sample preview, monitoring (and CSV), one response and reopening."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from django.test import Client
from django.utils import timezone

from barometre.apps.editions.models import Answer, AuditEntry, Edition, Response, ResponseStatus
from tests.factories import make_authority


def test_analyst_creates_an_edition_with_its_settings(analyst: Client) -> None:
    response = analyst.post(
        "/console/editions/nouvelle/",
        {
            "year": 2027,
            "questionnaire": 2026,
            "opens_on": "2027-03-01",
            "closes_on": "2027-05-31",
            "organiser": "Observatoire",
            "help_email": "aide@obs.fr",
            "help_phone": "0102030405",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/console/editions/2027/"
    edition = Edition.objects.get(year=2027)
    assert (edition.organiser, edition.help_phone) == ("Observatoire", "0102030405")
    assert AuditEntry.objects.filter(action="edition_create", edition=edition).exists()
    bad = analyst.post("/console/editions/nouvelle/", {"year": 2028, "questionnaire": 2031})
    assert bad.status_code == 200 and "pas de questionnaire" in bad.content.decode()


def test_sample_preview_shows_allocation_and_margin_of_error_without_storing(analyst: Client, edition: Edition) -> None:
    page = analyst.get("/console/editions/2026/echantillon/?design=proportional&size=3000&seed=0&expected_rate=40")
    text = page.content.decode()
    assert page.status_code == 200 and "Communes de moins de 3 500 habitants" in text and "±" in text
    assert not edition.sample.exists()


def test_monitoring_page_and_csv_export(analyst: Client, edition: Edition) -> None:
    for i, stratum in enumerate(["communes_moins_3500"] * 3 + ["communes_3500_9999"] * 3):
        Response.objects.create(
            edition=edition,
            authority=make_authority(stratum=stratum),
            status=ResponseStatus.SUBMITTED if i in (0, 1, 3) else ResponseStatus.INVITED,
            submitted_at=timezone.now() if i in (0, 1, 3) else None,
        )
    page = analyst.get("/console/editions/2026/suivi/").content.decode()
    assert "R-indicateur" in page and "Relancer la strate Communes de 3 500 à 9 999 habitants" in page
    rows = list(csv.DictReader(io.StringIO(analyst.get("/console/editions/2026/suivi/?format=csv").content.decode())))
    strata = {r["key"]: r for r in rows if r["level"] == "stratum"}
    assert strata["communes_moins_3500"]["submitted"] == "2" and strata["communes_3500_9999"]["invited"] == "3"


def test_read_one_response_and_reopen_it_with_a_reason(analyst: Client, edition: Edition) -> None:
    a = make_authority(name="Commune Lisible")
    r = Response.objects.create(edition=edition, authority=a, status="submitted", submitted_at=timezone.now())
    Answer.objects.create(response=r, question_id="nb_agents", value=12)
    page = analyst.get(f"/console/editions/2026/reponses/{a.code}/").content.decode()
    assert "Commune Lisible" in page and "nb_agents" in page
    assert analyst.post(f"/console/editions/2026/reponses/{a.code}/", {"reason": ""}).status_code == 302
    assert Response.objects.get(pk=r.pk).status == "submitted"  # no reason, no reopening
    analyst.post(f"/console/editions/2026/reponses/{a.code}/", {"reason": "erreur de saisie signalée"})
    assert Response.objects.get(pk=r.pk).status == "started"
    entry = AuditEntry.objects.get(action="response_reopened")
    assert (entry.actor, entry.reason, entry.response_id) == ("analyst@example.fr", "erreur de saisie signalée", r.pk)
    assert "erreur de saisie signalée" in analyst.get(f"/console/editions/2026/reponses/{a.code}/").content.decode()


def test_contacts_upload_refuses_a_bad_file_whole(analyst: Client, edition: Edition) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    a = make_authority()
    bad = SimpleUploadedFile("c.csv", f"authority,email\n{a.code},ok@x.fr\n{a.code},nope\n".encode())
    page = analyst.post("/console/editions/2026/contacts/", {"file": bad}).content.decode()
    assert "c.csv:3:2: adresse e-mail invalide" in page
    good = SimpleUploadedFile("c.csv", f"authority,email\n{a.code},ok@x.fr\n".encode())
    assert analyst.post("/console/editions/2026/contacts/", {"file": good}).status_code == 302
    assert "ok@x.fr" in analyst.get("/console/editions/2026/contacts/").content.decode()


def test_the_analysts_guide_is_linked_from_the_console_in_french_and_english(analyst: Client, settings: Any) -> None:
    home = analyst.get("/console/").content.decode()
    assert 'href="/console/guide/"' in home
    fr = analyst.get("/console/guide/").content.decode()
    # set-up to publication, in the order of the console's steps
    steps = ["Créer l'édition", "Échantillon", "Contacts", "Invitations et relances", "Suivi de la collecte"]
    steps += ["Clore, pondérer, calculer, publier", "Après la publication"]
    positions = [fr.find(s) for s in steps]
    assert -1 not in positions and positions == sorted(positions), positions
    assert "Ouvrir la collecte" in fr and "worker" in fr
    analyst.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = analyst.get("/console/guide/").content.decode()
    assert "Create the edition" in en and "Open the collection" in en and "Créer l'édition" not in en


def test_console_forms_speak_the_page_language_and_draw_their_fields(
    analyst: Client, edition: Edition, settings: Any
) -> None:
    # labels are looked up when the page is drawn, not once when the module is imported
    signin_fr = Client().get("/console/connexion/").content.decode()
    assert "Mot de passe" in signin_fr
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    signin_en = english.get("/console/connexion/").content.decode()
    assert "Password" in signin_en and "Mot de passe" not in signin_en
    analyst.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = analyst.get("/console/editions/2026/").content.decode()
    assert "Organiser" in page and "Organisateur" not in page
    # every text field is a design-system input (without the class it is drawn with no box)
    for html in (signin_fr, page, analyst.get("/console/editions/2026/echantillon/").content.decode()):
        fields = re.findall(r"<input(?![^>]*type=\"(?:hidden|submit|checkbox|radio)\")[^>]*>", html)
        assert fields and all('class="fr-input"' in f or "fr-upload" in f for f in fields), fields
