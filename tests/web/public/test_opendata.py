"""Open data: the CLI export and the site's downloads of a published edition."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.test import Client, override_settings
from frictionless import validate
from typer.testing import CliRunner

from barometre.cli.main import app
from tests.factories import make_authority, make_edition, make_estimate, make_response

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def published() -> None:
    e25 = make_edition(2025)
    make_response(e25, make_authority())
    make_estimate(e25, "ai_deployed", estimate=52.6, ci_low=43.9, ci_high=61.4, n=180)
    make_estimate(
        e25, "ai_deployed", breakdown="strate", domain_value="regions", estimate=90.0, ci_low=70.0, ci_high=99.0, n=6
    )  # below the threshold: must leave the system empty
    make_edition(2026, state="open", simulated=False)


def test_cli_export_validates_and_never_exports_a_small_cell(tmp_path: Path, published: None) -> None:
    result = CliRunner().invoke(
        app, ["opendata", "export", "--edition", "2025", "--out", str(tmp_path), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["suppressed"] == 1
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])
    rows = list(csv.DictReader(io.StringIO((tmp_path / "estimations.csv").read_text(encoding="utf-8"))))
    assert all(r["estimate"] == "" and r["n"] == "" for r in rows if r["suppressed"] == "true")
    assert all(int(r["n"]) >= 10 for r in rows if r["suppressed"] == "false")
    assert {r["simulated"] for r in rows} == {"true"}


def test_cli_export_of_an_unpublished_edition_is_refused(tmp_path: Path, published: None) -> None:
    result = CliRunner().invoke(app, ["opendata", "export", "--edition", "2026", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "publiées" in result.output


def test_site_serves_the_same_files(tmp_path: Path, published: None) -> None:
    client = Client()
    with override_settings(DATA_DIR=tmp_path):
        page = client.get("/donnees-ouvertes/").content.decode()
        assert "/donnees-ouvertes/2025/estimations.parquet" in page and "données simulées" in page
        response = client.get("/donnees-ouvertes/2025/datapackage.json")
        assert response.status_code == 200 and response["X-Barometre-Simulated"] == "true"
        body = b"".join(response.streaming_content).decode()
        assert json.loads(body)["licenses"][0]["name"] == "etalab-2.0"
        assert client.get("/donnees-ouvertes/2025/secret_key").status_code == 404
        assert client.get("/donnees-ouvertes/2025/..%2Fsecret_key").status_code == 404
        assert client.get("/donnees-ouvertes/2026/estimations.csv").status_code == 404


@pytest.mark.slow  # rounds of twelve threads downloading while the files are first generated
def test_concurrent_first_downloads_are_complete_and_identical_to_a_sequential_one(
    tmp_path: Path, published: None
) -> None:
    import random
    import shutil
    import threading

    from django.db import connections

    from barometre.apps.public.opendata_views import FILES

    def fetch(name: str) -> tuple[int, bytes]:
        r = Client().get(f"/donnees-ouvertes/2025/{name}")
        return r.status_code, b"".join(r.streaming_content) if r.status_code == 200 else r.content

    with override_settings(DATA_DIR=tmp_path):
        reference = {name: fetch(name) for name in FILES}
        assert all(status == 200 and body for status, body in reference.values())
        for round_ in range(3):
            shutil.rmtree(tmp_path / "opendata")
            results: list[tuple[str, int, bytes]] = []
            start = threading.Barrier(12)

            def worker(seed: int, start: threading.Barrier, results: list[tuple[str, int, bytes]]) -> None:
                try:
                    names = sorted(FILES)
                    random.Random(seed).shuffle(names)
                    start.wait()
                    for name in names:
                        results.append((name, *fetch(name)))
                finally:
                    connections.close_all()

            threads = [threading.Thread(target=worker, args=(round_ * 100 + i, start, results)) for i in range(12)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert len(results) == 12 * len(FILES)
            for name, status, body in results:
                assert status == 200, (round_, name, body[:200])
                assert body == reference[name][1], (round_, name, len(body), len(reference[name][1]))
        # One generation served, the one before kept for readers that resolved the link just before.
        assert (tmp_path / "opendata" / "2025").is_symlink()
        assert len(list((tmp_path / "opendata").glob(".2025.gen-*"))) <= 2


def test_csv_is_rounded_for_people_while_parquet_and_json_keep_full_precision(tmp_path: Path) -> None:
    e25 = make_edition(2025)
    make_response(e25, make_authority())
    make_estimate(e25, "ai_deployed", estimate=52.63333333, ci_low=43.91234, ci_high=61.4567, n=180)
    result = CliRunner().invoke(app, ["opendata", "export", "--edition", "2025", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO((tmp_path / "estimations.csv").read_text(encoding="utf-8"))))
    shown = [r for r in rows if r["suppressed"] == "false"]
    assert shown
    for r in shown:
        for col, decimals in (("estimate", 1), ("ci_low", 1), ("ci_high", 1), ("se", 2)):
            if r[col]:
                assert len(r[col].partition(".")[2]) <= decimals, (col, r[col])
        for col in ("n", "population"):
            if r[col]:
                assert "." not in r[col], (col, r[col])
    assert any(r["estimate"] == "52.6" for r in shown)
    full = json.loads((tmp_path / "estimations.json").read_text(encoding="utf-8"))
    assert any(abs(r["estimate"] - 52.63333333) < 1e-9 for r in full if r["estimate"] is not None)


def test_the_open_data_page_lists_each_file_with_format_size_and_date(tmp_path: Path, published: None) -> None:
    with override_settings(DATA_DIR=tmp_path):
        page = Client().get("/donnees-ouvertes/").content.decode()
    assert page.count('class="fr-download__link"') >= 7
    assert "CSV –" in page and "PARQUET –" in page
    assert "/methodologie/" in page
