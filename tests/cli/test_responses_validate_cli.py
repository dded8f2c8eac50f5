"""An analyst validates submitted responses: audited, idempotent, and the statistics still read them."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from barometre.apps.editions.answers import edition_answer_arrays
from barometre.apps.editions.models import AuditEntry, ResponseStatus
from barometre.cli.main import app
from tests.factories import make_authority, make_edition, make_response

pytestmark = pytest.mark.django_db


def test_validate_marks_submitted_responses_and_audits_each() -> None:
    edition = make_edition(2025, state="closed", simulated=False)
    a, b = make_authority(), make_authority()
    make_response(edition, a)
    make_response(edition, b)
    started = make_response(edition, make_authority(), submitted=False)
    runner = CliRunner()
    result = runner.invoke(
        app, ["responses", "validate", a.code, "--edition", "2025", "--actor", "analyste", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["validated"] == 1
    assert edition.responses.get(authority=a).status == ResponseStatus.VALIDATED
    assert AuditEntry.objects.filter(action="response_validated", response__authority=a).count() == 1
    everything = runner.invoke(app, ["responses", "validate", "--edition", "2025", "--actor", "analyste"])
    assert everything.exit_code == 0 and "1 réponse(s)" in everything.output  # only b was left
    started.refresh_from_db()
    assert started.status == ResponseStatus.STARTED  # work in progress is never validated
    assert set(edition_answer_arrays(edition)) == {a.code, b.code}  # validated responses still count


def test_validating_an_unknown_or_unsubmitted_response_is_a_clear_error() -> None:
    edition = make_edition(2025, state="closed", simulated=False)
    started = make_response(edition, make_authority(), submitted=False)
    result = CliRunner().invoke(
        app, ["responses", "validate", started.authority.code, "--edition", "2025", "--actor", "analyste"]
    )
    assert result.exit_code == 2 and started.authority.code in result.output
