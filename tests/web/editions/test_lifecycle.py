"""The life cycle of an edition: draft → open → closed → published, each step checked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from barometre.apps.editions.lifecycle import move
from barometre.apps.editions.models import AuditEntry, Edition
from barometre.cli.main import app
from barometre.core.errors import EditionError, NotFound
from tests.factories import make_authority, make_edition, make_response

pytestmark = pytest.mark.django_db


def test_an_edition_moves_step_by_step_and_each_move_is_audited() -> None:
    make_edition(2027, state="draft", simulated=False, help_phone="02 99 00 00 00")
    assert move(2027, "open").state == "open"
    assert move(2027, "open").state == "open"  # idempotent
    assert move(2027, "closed").state == "closed"
    assert AuditEntry.objects.filter(edition__year=2027).count() == 2


def test_a_draft_cannot_be_published_directly() -> None:
    make_edition(2027, state="draft", simulated=False)
    with pytest.raises(EditionError, match="impossible"):
        move(2027, "published")


def test_no_publication_without_responses() -> None:
    make_edition(2027, state="closed", simulated=False)
    with pytest.raises(EditionError, match="aucune réponse"):
        move(2027, "published")


def test_no_publication_without_weights() -> None:
    edition = make_edition(2027, state="closed", simulated=False)
    make_response(edition, make_authority())
    with pytest.raises(EditionError, match="pondération"):
        move(2027, "published")


def test_no_publication_with_indicators_older_than_the_weights() -> None:
    edition = make_edition(2027, state="closed", simulated=False)
    make_response(edition, make_authority())
    edition.indicators_computed_at = timezone.now()
    # weighted again after the indicators were computed (explicitly later: two now() calls may be equal)
    edition.weights_computed_at = edition.indicators_computed_at + timedelta(seconds=1)
    edition.save()
    with pytest.raises(EditionError, match="indicateurs"):
        move(2027, "published")


def test_no_path_opens_a_collection_without_a_help_contact() -> None:
    """The console's background job and the demo open through ``move``, as the CLI does."""
    make_edition(2027, state="draft", simulated=False)
    with pytest.raises(EditionError, match="contact d'aide"):
        move(2027, "open", actor="console")
    assert Edition.objects.get(year=2027).state == "draft"
    assert not AuditEntry.objects.filter(edition__year=2027).exists()
    Edition.objects.filter(year=2027).update(help_email="aide@example.org")
    assert move(2027, "open", actor="console").state == "open"


def test_unknown_edition() -> None:
    with pytest.raises(NotFound):
        move(1999, "open")


def test_cli_moves_and_reports_errors_in_one_line() -> None:
    edition = make_edition(2027, state="draft", simulated=False)
    runner = CliRunner()
    no_contact = runner.invoke(app, ["edition", "open", "--edition", "2027"])
    assert no_contact.exit_code != 0 and "contact d'aide" in no_contact.output
    assert Edition.objects.get(pk=edition.pk).state == "draft"
    Edition.objects.filter(pk=edition.pk).update(help_email="aide@example.org")
    ok = runner.invoke(app, ["edition", "open", "--edition", "2027", "--format", "json"])
    assert ok.exit_code == 0 and '"state": "open"' in ok.output
    refused = runner.invoke(app, ["edition", "publish", "--edition", "2027"])
    assert refused.exit_code == 2 and "impossible" in refused.output
    listed = runner.invoke(app, ["edition", "list", "--format", "json"])
    assert '"edition": 2027' in listed.output


def test_no_publication_from_weights_whose_calibration_did_not_converge_unless_told_to() -> None:
    edition = make_edition(2027, state="closed", simulated=False)
    make_response(edition, make_authority())
    edition.weights_computed_at = timezone.now()
    edition.indicators_computed_at = edition.weights_computed_at + timedelta(seconds=1)
    edition.weighting_report = {"converged": False, "events": [{"code": "calibration_not_converged", "achieved": 0.01}]}
    edition.save()
    runner = CliRunner()
    refused = runner.invoke(app, ["edition", "publish", "--edition", "2027"])
    assert refused.exit_code == 2 and "--allow-non-converged" in refused.output
    assert move(2027, "closed").state == "closed"
    ok = runner.invoke(app, ["edition", "publish", "--edition", "2027", "--allow-non-converged", "--format", "json"])
    assert ok.exit_code == 0, ok.output
    audit = AuditEntry.objects.get(edition__year=2027, action="edition_published")
    assert "non convergé" in audit.reason
