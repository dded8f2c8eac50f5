"""Field-work commands: edition create and monitor, users, contacts import, invitations send,
responses import (all or nothing, file:line:column)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from barometre.apps.console.models import Contact, StaffProfile
from barometre.apps.editions.models import Answer, AuditEntry, Edition, Response, ResponseStatus, SampleUnit
from barometre.cli.main import app
from tests.factories import make_authority
from tests.web.console.conftest import _console_settings, free_port, open_edition, smtp  # noqa: F401

pytestmark = pytest.mark.django_db
runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def test_edition_create_is_idempotent_and_stores_the_settings() -> None:
    args = ["edition", "create", "--edition", "2027", "--questionnaire", "2026", "--opens", "2027-03-01"]
    args += ["--closes", "2027-05-31", "--organiser", "Observatoire des territoires", "--help-email", "aide@obs.fr"]
    args += ["--help-phone", "01 23 45 67 89", "--format", "json"]
    first = run(*args)
    assert first.exit_code == 0, first.output
    data = json.loads(first.stdout)
    assert data["outcome"] == "created" and data["organiser"] == "Observatoire des territoires"
    again = run(*args)
    assert again.exit_code == 0 and json.loads(again.stdout)["outcome"] == "unchanged"
    assert AuditEntry.objects.filter(action__startswith="edition_").count() == 1
    edition = Edition.objects.get(year=2027)
    assert (edition.help_email, edition.help_phone, str(edition.closes_on)) == (
        "aide@obs.fr",
        "01 23 45 67 89",
        "2027-05-31",
    )
    changed = run("edition", "create", "--edition", "2027", "--questionnaire", "2026", "--organiser", "Autre")
    assert changed.exit_code == 0 and "modifiée" in changed.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--questionnaire", "2031"], "pas de questionnaire pour l'édition 2031"),
        (["--questionnaire", "2026", "--opens", "2027-06-01", "--closes", "2027-05-01"], "après la clôture"),
        (["--questionnaire", "2026", "--opens", "demain"], "--opens : date invalide"),
    ],
)
def test_edition_create_errors_are_one_line_exit_2(args: list[str], message: str) -> None:
    result = run("edition", "create", "--edition", "2027", *args)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_users_create_and_list() -> None:
    created = run("users", "create", "ana@example.fr", "--role", "analyst", "--format", "json")
    assert created.exit_code == 0, created.output
    data = json.loads(created.stdout)
    assert data["totp_uri"].startswith("otpauth://totp/") and data["password"]
    assert StaffProfile.objects.get(user__username="ana@example.fr").role == "analyst"
    again = run("users", "create", "ana@example.fr", "--role", "viewer")
    assert again.exit_code == 2 and "existe déjà" in again.stderr
    listed = json.loads(run("users", "list", "--format", "json").stdout)
    assert [(u["email"], u["role"]) for u in listed] == [("ana@example.fr", "analyst")]


def test_contacts_import_is_all_or_nothing_with_file_line_column(tmp_path: Path) -> None:
    open_edition()
    a = make_authority()
    bad = tmp_path / "contacts.csv"
    bad.write_text(f"authority,email,name,role\n{a.code},ok@example.fr,A,DGS\n{a.code},not-an-email,B,DSI\n")
    result = run("contacts", "import", str(bad), "--edition", "2026")
    assert result.exit_code == 2
    assert f"{bad}:3:2: adresse e-mail invalide" in result.stderr
    assert not Contact.objects.exists()
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("authority,email\n00000,x@example.fr\n")
    assert (
        f"{unknown}:2:1: collectivité inconnue" in run("contacts", "import", str(unknown), "--edition", "2026").stderr
    )
    bad.write_text(f"authority,email,name,role\n{a.code},ok@example.fr,A,DGS\n{a.code},dsi@example.fr,B,DSI\n")
    good = run("contacts", "import", str(bad), "--edition", "2026", "--format", "json")
    assert good.exit_code == 0, good.output
    assert json.loads(good.stdout)["created"] == 2 and Contact.objects.count() == 2


def test_invitations_send_prints_sent_failed_and_skipped(smtp: Any, tmp_path: Path) -> None:  # noqa: F811
    edition = open_edition()
    with_contact, without = make_authority(), make_authority()
    for a in (with_contact, without):
        SampleUnit.objects.create(edition=edition, authority=a, stratum=a.stratum, inclusion_probability=1.0)
    f = tmp_path / "c.csv"
    f.write_text(f"authority,email,name,role\n{with_contact.code},a@example.fr,,\n")
    assert run("contacts", "import", str(f), "--edition", "2026").exit_code == 0
    result = run("invitations", "send", "--edition", "2026", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["sent"], data["failed"], data["skipped_no_contact"]) == (1, 0, 1)
    assert len(smtp.messages) == 1


def test_invitations_send_exits_2_when_the_smtp_server_cannot_be_reached(settings: Any, tmp_path: Path) -> None:
    edition = open_edition()
    a = make_authority()
    SampleUnit.objects.create(edition=edition, authority=a, stratum=a.stratum, inclusion_probability=1.0)
    f = tmp_path / "c.csv"
    f.write_text(f"authority,email\n{a.code},a@example.fr\n")
    run("contacts", "import", str(f), "--edition", "2026")
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    result = run("invitations", "send", "--edition", "2026")
    assert result.exit_code == 2 and "serveur SMTP injoignable" in result.stderr


def test_edition_monitor_json_has_one_row_per_stratum_with_the_fields() -> None:
    edition = open_edition()
    small, mid = "communes_moins_3500", "communes_3500_9999"
    authorities = [make_authority(stratum=s, region=r) for s in (small, mid) for r in ("84", "53")]
    authorities += [make_authority(stratum=mid, region="53")]
    for i, a in enumerate(authorities):
        status = ResponseStatus.SUBMITTED if i in (0, 1, 3) else ResponseStatus.STARTED if i == 2 else "invited"
        from django.utils import timezone

        Response.objects.create(
            edition=edition, authority=a, status=status, submitted_at=timezone.now() if status == "submitted" else None
        )
    result = run("edition", "monitor", "--edition", "2026", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["edition"] == 2026 and isinstance(data["r_indicator"], float)
    by = {r["stratum"]: r for r in data["strata"]}
    assert set(by) == {"communes_moins_3500", "communes_3500_9999"}
    fields = {"stratum", "frame", "invited", "started", "submitted", "response_rate", "partial_r"}
    assert all(fields <= set(r) for r in data["strata"])
    assert (
        by["communes_3500_9999"]["frame"],
        by["communes_3500_9999"]["invited"],
        by["communes_3500_9999"]["started"],
        by["communes_3500_9999"]["submitted"],
    ) == (3, 3, 1, 1)
    assert by["communes_moins_3500"]["response_rate"] == 1.0
    assert by["communes_3500_9999"]["partial_r"] < 0 < by["communes_moins_3500"]["partial_r"]
    assert {r["region"] for r in data["regions"]} == {"84", "53"}


def test_edition_monitor_r_indicator_is_null_under_two_responses() -> None:
    edition = open_edition()
    for i in range(3):
        from django.utils import timezone

        Response.objects.create(
            edition=edition,
            authority=make_authority(),
            status="submitted" if i == 0 else "invited",
            submitted_at=timezone.now() if i == 0 else None,
        )
    data = json.loads(run("edition", "monitor", "--edition", "2026", "--format", "json").stdout)
    assert data["r_indicator"] is None and all(r["partial_r"] is None for r in data["strata"])


MAPPING = """\
authority: Code
columns:
  Type: type_collectivite
  Agents: nb_agents
  DPO: dpo
  TypeDPO: dpo_type
  Attaque: cyber_attaque
  MFA: mesures/mfa
  IA: ia_usage
values:
  dpo: {"Y": oui, "N": non}
"""


def _responses_file(tmp_path: Path, codes: list[str], bad_agents: str = "12") -> Path:
    f = tmp_path / "limesurvey.csv"
    lines = ["Code,Type,Agents,DPO,TypeDPO,Attaque,MFA,IA"]
    lines.append(f"{codes[0]},commune,25,Y,interne,non,en_place,non")
    lines.append(f"{codes[1]},commune,{bad_agents},N,,oui,non,deploye")
    f.write_text("\n".join(lines) + "\n")
    return f


def test_responses_import_bad_row_changes_nothing_then_corrected_file_imports_and_reconciles(tmp_path: Path) -> None:
    open_edition()
    codes = [make_authority().code, make_authority().code]
    mapping = tmp_path / "map.yaml"
    mapping.write_text(MAPPING)
    bad = _responses_file(tmp_path, codes, bad_agents="-4")
    result = run("responses", "import", str(bad), "--edition", "2026", "--mapping", str(mapping))
    assert result.exit_code == 2
    assert f"{bad}:3:3: nb_agents" in result.stderr
    assert not Response.objects.exists() and not Answer.objects.exists()
    good = _responses_file(tmp_path, codes)
    dry = run(
        "responses",
        "import",
        str(good),
        "--edition",
        "2026",
        "--mapping",
        str(mapping),
        "--dry-run",
        "--format",
        "json",
    )
    assert dry.exit_code == 0 and json.loads(dry.stdout)["rows"] == 2
    assert not Response.objects.exists()
    done = run("responses", "import", str(good), "--edition", "2026", "--mapping", str(mapping), "--format", "json")
    assert done.exit_code == 0, done.output
    assert Response.objects.filter(status=ResponseStatus.SUBMITTED).count() == 2
    assert Answer.objects.get(response__authority__code=codes[0], question_id="dpo").value == "oui"
    assert Answer.objects.get(response__authority__code=codes[0], question_id="mesures").value == {"mfa": "en_place"}
    check = run("responses", "check", "--edition", "2026", "--format", "json")
    assert check.exit_code == 0 and json.loads(check.stdout)["identical"] is True
    again = run("responses", "import", str(good), "--edition", "2026", "--mapping", str(mapping))
    assert again.exit_code == 2 and "déjà envoyé sa réponse" in again.stderr


def test_responses_import_reads_xlsx(tmp_path: Path) -> None:
    from openpyxl import Workbook

    open_edition()
    codes = [make_authority().code, make_authority().code]
    wb = Workbook()
    ws = wb.active
    for line in _responses_file(tmp_path, codes).read_text().splitlines():
        ws.append(line.split(","))
    path = tmp_path / "kobo.xlsx"
    wb.save(path)
    mapping = tmp_path / "map.yaml"
    mapping.write_text(MAPPING)
    result = run("responses", "import", str(path), "--edition", "2026", "--mapping", str(mapping), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rows"] == 2


def test_simulating_an_edition_without_questionnaire_is_one_line_exit_2() -> None:
    result = run("edition", "simulate", "--edition", "2028")
    assert result.exit_code == 2
    assert "pas de questionnaire pour l'édition 2028" in result.stderr and "Traceback" not in result.output


def test_edition_monitor_r_indicator_matches_a_computation_by_hand() -> None:
    # Ten invited authorities of one région: six small communes (three submitted), four larger
    # communes (one submitted). With the région constant, the propensity model reduces to the
    # stratum: each authority's propensity is its stratum's response rate.
    from django.utils import timezone

    edition = open_edition()
    small, mid = "communes_moins_3500", "communes_3500_9999"
    plan = [(small, True)] * 3 + [(small, False)] * 3 + [(mid, True)] + [(mid, False)] * 3
    for stratum, submitted in plan:
        Response.objects.create(
            edition=edition,
            authority=make_authority(stratum=stratum, region="84"),
            status=ResponseStatus.SUBMITTED if submitted else ResponseStatus.INVITED,
            submitted_at=timezone.now() if submitted else None,
        )
    data = json.loads(run("edition", "monitor", "--edition", "2026", "--format", "json").stdout)
    # by hand: propensities 3/6 = 0.5 (six units) and 1/4 = 0.25 (four units)
    mean = (6 * 0.5 + 4 * 0.25) / 10  # 0.4
    variance = (6 * (0.5 - mean) ** 2 + 4 * (0.25 - mean) ** 2) / (10 - 1)  # (0.06 + 0.09) / 9
    r_by_hand = 1 - 2 * variance**0.5  # 1 − 2 × 0.129099 = 0.741801
    assert data["r_indicator"] == pytest.approx(r_by_hand, abs=1e-5)
    assert data["r_indicator"] == pytest.approx(0.741801, abs=1e-5)
    partial = {r["stratum"]: r["partial_r"] for r in data["strata"]}
    assert partial[small] == pytest.approx((6 / 10) ** 0.5 * (0.5 - mean), abs=1e-5)  # +0.077460
    assert partial[mid] == pytest.approx((4 / 10) ** 0.5 * (0.25 - mean), abs=1e-5)  # −0.094868
    rows = {r["stratum"]: r for r in data["strata"]}
    assert (rows[mid]["invited"], rows[mid]["submitted"], rows[mid]["response_rate"]) == (4, 1, 0.25)
