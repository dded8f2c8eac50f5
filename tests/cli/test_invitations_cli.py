"""``barometre invitations`` and ``barometre responses``: links, reopening, export, check, names."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from typer.testing import CliRunner

from barometre.apps.editions.answers import edition_answer_arrays
from barometre.apps.editions.models import Answer, AuditEntry, Edition, EditionState, ResponseStatus
from barometre.apps.portal import services
from barometre.apps.portal.models import Invitation
from barometre.cli.main import app
from tests.factories import make_authority, make_edition
from tests.web.portal.conftest import COMPLETE, _portal_settings, open_edition  # noqa: F401

pytestmark = pytest.mark.django_db
runner = CliRunner()


def _create(*args: str) -> Any:
    result = runner.invoke(app, ["invitations", "create", *args])
    assert result.exit_code == 0, result.output
    return result


def _answer_all(url_path: str, client: Client | None = None) -> Client:
    client = client or Client()
    for section, data in COMPLETE.items():
        client.post(f"{url_path}section/{section}/", {**data, "action": "next"})
    return client


def test_create_prints_a_link_that_opens_the_questionnaire_from_a_fresh_database(settings: Any) -> None:
    settings.BAROMETRE_QUESTIONNAIRES_DIR = None  # the real questionnaires: 2026 has its own
    make_authority(code="01001", name="L'Abergement-Clémenciat")
    # no collection opens without a help contact for the respondents: nothing is created
    refused = runner.invoke(app, ["invitations", "create", "--edition", "2026", "--authority", "01001"])
    assert refused.exit_code == 2 and "contact d'aide" in refused.output
    assert not Invitation.objects.exists() and not Edition.objects.exists()
    # the analyst gives it, opens the collection, then creates the link
    for command in (
        ["edition", "create", "--edition", "2026", "--questionnaire", "2026", "--help-email", "aide@example.org"],
        ["edition", "open", "--edition", "2026"],
    ):
        assert runner.invoke(app, command).exit_code == 0
    result = _create("--edition", "2026", "--authority", "01001", "--format", "json")
    rows = json.loads(result.stdout)
    assert [r["authority"] for r in rows] == ["01001"]
    url = rows[0]["url"]
    assert url.startswith("http://127.0.0.1:8000/repondre/") and url.endswith(rows[0]["token"] + "/")
    edition = Edition.objects.get(year=2026)
    assert edition.state == EditionState.OPEN and edition.questionnaire_year == 2026
    page = Client().get(url.removeprefix("http://127.0.0.1:8000"))
    assert page.status_code == 200
    assert "L&#x27;Abergement-Clémenciat" in page.content.decode()
    assert "collectivités territoriales 2026" in page.content.decode()
    assert Client().get(url.removeprefix("http://127.0.0.1:8000") + "section/collectivite/").status_code == 200


def test_create_with_base_url_and_csv_output_and_token_shown_once() -> None:
    edition = open_edition()
    make_authority(code="01002")
    make_authority(code="01003")
    result = _create(
        "--edition",
        str(edition.year),
        "-a",
        "01002",
        "-a",
        "01003",
        "--format",
        "csv",
        "--base-url",
        "https://barometre.example.fr/",
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["authority"] for r in rows] == ["01002", "01003"]
    assert all(r["url"].startswith("https://barometre.example.fr/repondre/") for r in rows)
    for r in rows:
        inv = Invitation.objects.get(prefix=r["token"][:8])
        assert r["token"] not in (inv.digest, inv.prefix)
    # Already invited: skipped (no new token) unless --replace.
    again = _create("--edition", str(edition.year), "-a", "01002", "--format", "json")
    assert json.loads(again.stdout) == []
    assert "déjà invitée" in again.stderr
    replaced = _create("--edition", str(edition.year), "-a", "01002", "--format", "json", "--replace")
    new = json.loads(replaced.stdout)[0]
    assert Client().get(f"/repondre/{new['token']}/").status_code == 200
    assert Client().get(f"/repondre/{rows[0]['token']}/").status_code == 404  # the old link is revoked


def test_create_for_the_sample() -> None:
    from barometre.apps.editions.models import SampleUnit

    edition = open_edition()
    for code in ("02001", "02002"):
        a = make_authority(code=code)
        SampleUnit.objects.create(edition=edition, authority=a, stratum=a.stratum, inclusion_probability=0.5)
    make_authority(code="02003")  # not in the sample
    rows = json.loads(_create("--edition", str(edition.year), "--sample", "--format", "json").stdout)
    assert sorted(r["authority"] for r in rows) == ["02001", "02002"]


def test_create_refuses_unknown_authority_and_closed_edition() -> None:
    edition = open_edition()
    result = runner.invoke(app, ["invitations", "create", "--edition", str(edition.year), "-a", "99999"])
    assert result.exit_code == 2 and "inconnue" in result.stderr
    make_edition(2024, state=EditionState.PUBLISHED)
    make_authority(code="03001")
    result = runner.invoke(app, ["invitations", "create", "--edition", "2024", "-a", "03001"])
    assert result.exit_code == 2 and "non ouverte" in result.stderr


def test_revoke_makes_the_link_a_404_and_is_idempotent() -> None:
    edition = open_edition()
    make_authority(code="04001")
    token = json.loads(_create("--edition", str(edition.year), "-a", "04001").stdout)[0]["token"]
    result = runner.invoke(app, ["invitations", "revoke", "04001", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["revoked"] == 1
    assert Client().get(f"/repondre/{token}/").status_code == 404
    result = runner.invoke(app, ["invitations", "revoke", "04001", "--format", "json"])
    assert json.loads(result.stdout)["revoked"] == 0
    listing = runner.invoke(app, ["invitations", "list", "--edition", str(edition.year), "--format", "json"])
    rows = json.loads(listing.stdout)
    assert rows[0]["state"] == "révoqué" and token not in listing.stdout


def test_ensure_open_edition_is_idempotent_and_leaves_published_editions_alone(settings: Any) -> None:
    settings.BAROMETRE_QUESTIONNAIRES_DIR = None
    first, _ = services.ensure_open_edition(2026, defaults={"help_email": "aide@example.org"})
    second, summary = services.ensure_open_edition(2026, defaults={"help_email": "autre@example.org"})
    assert second.help_email == "aide@example.org"  # a setting already given is kept
    assert first.pk == second.pk and "déjà ouverte" in summary
    assert second.closes_on is not None and second.closes_on >= timezone.localdate()
    published = make_edition(2025, state=EditionState.PUBLISHED)
    again, _ = services.ensure_open_edition(2025)
    assert again.pk == published.pk and again.state == EditionState.PUBLISHED


# ---------------------------------------------------------------- responses


def _submitted(edition: Edition, code: str) -> str:
    make_authority(code=code)
    token = json.loads(_create("--edition", str(edition.year), "-a", code).stdout)[0]["token"]
    client = _answer_all(f"/repondre/{token}/")
    assert client.post(f"/repondre/{token}/envoyer/", {"confirm": "yes"}).status_code == 302
    return token


def _versions(response: Any, section: str) -> dict[str, str]:
    qn = services.questionnaire_for(response.edition)
    return services.section_versions(qn, section, services.stored_answers(response))


def test_reopen_records_who_when_and_why() -> None:
    edition = open_edition()
    token = _submitted(edition, "05001")
    result = runner.invoke(
        app,
        [
            "responses",
            "reopen",
            "05001",
            "--edition",
            str(edition.year),
            "--reason",
            "erreur sur le nombre d'agents",
            "--actor",
            "analyste A",
        ],
    )
    assert result.exit_code == 0, result.output
    response = edition.responses.get(authority__code="05001")
    assert response.status == ResponseStatus.STARTED
    entry = AuditEntry.objects.get(response=response, action="response_reopened")
    assert entry.actor == "analyste A" and entry.reason == "erreur sur le nombre d'agents" and entry.at
    # The respondent can change and submit again.
    versions = {services.version_field(q): v for q, v in _versions(response, "profil").items()}
    r = Client().post(
        f"/repondre/{token}/enregistrer/",
        {**versions, "section": "profil", "changed": "nb_agents", "nb_agents": "13"},
    )
    assert r.status_code == 200
    result = runner.invoke(
        app, ["responses", "reopen", "05001", "--edition", str(edition.year), "--reason", "x", "--actor", "y"]
    )
    assert result.exit_code == 2 and "pas envoyée" in result.stderr


def test_export_and_check_agree_with_the_saved_answers() -> None:
    edition = open_edition()
    _submitted(edition, "06001")
    _submitted(edition, "06002")
    make_authority(code="06003")
    token = json.loads(_create("--edition", str(edition.year), "-a", "06003").stdout)[0]["token"]
    Client().post(f"/repondre/{token}/section/profil/", COMPLETE["profil"])  # started, not submitted

    saved = Answer.objects.filter(response__edition=edition, response__status="submitted").count()
    assert saved > 0
    out = runner.invoke(app, ["responses", "export", "--edition", str(edition.year), "--format", "csv"])
    assert out.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert len(rows) == saved
    assert {r["authority"] for r in rows} == {"06001", "06002"}
    usages = next(r for r in rows if r["authority"] == "06001" and r["question"] == "usages")
    assert json.loads(usages["value"]) == ["pilotage", "environnement"]
    as_json = json.loads(
        runner.invoke(app, ["responses", "export", "--edition", str(edition.year), "--format", "json"]).stdout
    )
    assert len(as_json) == saved
    arrays = edition_answer_arrays(edition)
    assert sum(len(a) for a in arrays.values()) == saved

    check = runner.invoke(app, ["responses", "check", "--edition", str(edition.year), "--format", "json"])
    assert check.exit_code == 0, check.output
    report = json.loads(check.stdout)
    assert report["identical"] is True
    assert report["saved"] == report["exported"] == report["statistics"] == saved
    assert report["responses"] == 2 and report["answers_of_unsubmitted_responses"] == 3


def test_check_reports_a_difference() -> None:
    from unittest import mock

    edition = open_edition()
    _submitted(edition, "07001")
    with mock.patch("barometre.apps.portal.exports.edition_answer_arrays", return_value={"07001": {}}):
        check = runner.invoke(app, ["responses", "check", "--edition", str(edition.year), "--format", "json"])
    assert check.exit_code == 1
    assert json.loads(check.stdout)["identical"] is False


def test_purge_names_removes_old_names_only() -> None:
    edition = open_edition()
    make_authority(code="08001")
    token = json.loads(_create("--edition", str(edition.year), "-a", "08001").stdout)[0]["token"]
    client = Client()
    client.post(f"/repondre/{token}/", {"name": "Camille"})
    client.post(f"/repondre/{token}/section/profil/", COMPLETE["profil"])
    old = Answer.objects.filter(response__authority__code="08001", question_id="nb_agents")
    old.update(updated_at=timezone.now() - timedelta(days=services.NAME_RETENTION_DAYS + 1))
    result = runner.invoke(app, ["responses", "purge-names", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["names_removed"] == 1
    names = dict(Answer.objects.filter(response__authority__code="08001").values_list("question_id", "updated_by"))
    assert names["nb_agents"] == "" and names["type_collectivite"] == "Camille"
    result = runner.invoke(app, ["responses", "purge-names", "--older-than", "0", "--format", "json"])
    assert json.loads(result.stdout)["names_removed"] == 2


def test_a_reopened_response_is_marked_to_the_respondent_and_reported_by_check() -> None:
    edition = open_edition()
    token = _submitted(edition, "05101")
    _submitted(edition, "05102")
    args = ["responses", "reopen", "05101", "--edition", str(edition.year), "--reason", "budget", "--actor", "A"]
    assert runner.invoke(app, args).exit_code == 0
    for path in ("", "recapitulatif/"):
        html = Client().get(f"/repondre/{token}/{path}").content.decode()
        assert 'id="portal-reopened"' in html and "n’est plus comptée dans les résultats" in html, path
    check = runner.invoke(app, ["responses", "check", "--edition", str(edition.year), "--format", "json"])
    report = json.loads(check.stdout)
    assert report["identical"] is True and report["responses"] == 1
    assert [r["authority"] for r in report["reopened"]] == ["05101"] and report["reopened"][0]["reason"] == "budget"
    text = runner.invoke(app, ["responses", "check", "--edition", str(edition.year)]).stdout
    assert "rouverte, non renvoyée" in text and "05101" in text
    # Sent again: counted again, no longer reported.
    assert Client().post(f"/repondre/{token}/envoyer/", {"confirm": "yes"}).status_code == 302
    report = json.loads(
        runner.invoke(app, ["responses", "check", "--edition", str(edition.year), "--format", "json"]).stdout
    )
    assert report["reopened"] == [] and report["responses"] == 2
    assert 'id="portal-reopened"' not in Client().get(f"/repondre/{token}/").content.decode()
