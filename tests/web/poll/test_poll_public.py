"""The published poll where people look: API, explorer, open data — apart from the authorities'."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.test import Client
from typer.testing import CliRunner

from barometre.apps.poll import services
from barometre.apps.poll.models import PollEdition
from barometre.cli.main import app
from tests.factories import make_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_poll() -> PollEdition:
    services.simulate(2025, 1, publish=True)
    return PollEdition.objects.get(year=2025)


def test_api_lists_published_poll_estimates_with_the_simulated_flag(published_poll: PollEdition) -> None:
    body = Client().get("/api/v1/poll/estimates", {"edition": 2025, "breakdown": "ensemble"}).json()
    assert body["count"] == 3
    assert all(r["simulated"] and r["n"] >= 500 and r["deff"] > 0 for r in body["results"])
    editions = Client().get("/api/v1/poll/editions").json()["results"]
    assert [e["year"] for e in editions] == [2025] and "Ipsos" in editions[0]["source"]["fr"]


def test_api_hides_an_unpublished_poll_and_answers_404_for_it() -> None:
    services.simulate(2025, 1)  # simulated but not weighted nor published
    assert Client().get("/api/v1/poll/estimates", {"edition": 2025}).status_code == 404
    assert Client().get("/api/v1/poll/editions").json()["count"] == 0


def test_api_keeps_poll_rows_out_of_the_authorities_estimates(published_poll: PollEdition) -> None:
    body = Client().get("/api/v1/estimates", {"indicator": "citizens_ai_mistrust"}).json()
    assert body.get("count", 0) == 0


def test_api_applies_the_disclosure_rule_to_small_domains(published_poll: PollEdition) -> None:
    rows = Client().get("/api/v1/poll/estimates", {"edition": 2025, "domain_value": "94"}).json()["results"]
    assert rows and all(r["n"] < 10 and r["suppressed"] and r["estimate"] is None for r in rows)


def test_explorer_shows_the_poll_beside_the_authorities_results(published_poll: PollEdition) -> None:
    make_edition(2025, state="published", simulated=True)
    html = Client().get("/resultats/", {"edition": 2025}).content.decode()
    assert "Regard des Français" in html and 'data-poll-indicator="citizens_ai_mistrust"' in html
    assert "données simulées" in html
    page = Client().get("/resultats/sondage/2025/")
    assert page.status_code == 200 and "Île-de-France" in page.content.decode()
    assert Client().get("/resultats/sondage/2023/").status_code == 404


def test_open_data_of_the_poll_are_separate_files_with_the_disclosure_rule(
    published_poll: PollEdition, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        app, ["opendata", "export", "--edition", "2025", "--out", str(tmp_path), "--survey", "poll"]
    )
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "estimations.csv").exists()
    rows = list(csv.DictReader(io.StringIO((tmp_path / "sondage-estimations.csv").read_text(encoding="utf-8"))))
    assert rows and all(r["simulated"] == "true" for r in rows)
    hidden = [r for r in rows if r["suppressed"] == "true"]
    # a hidden cell publishes neither its estimate nor its number of respondents
    assert hidden and all(r["estimate"] == "" and r["n"] == "" for r in hidden)
    assert all(int(r["n"]) >= 10 for r in rows if r["suppressed"] == "false")
    page = Client().get("/donnees-ouvertes/")
    assert "/donnees-ouvertes/sondage/2025/sondage-estimations.csv" in page.content.decode()
    download = Client().get("/donnees-ouvertes/sondage/2025/sondage-estimations.csv")
    assert download.status_code == 200 and b"citizens_ai_mistrust" in b"".join(download.streaming_content)
