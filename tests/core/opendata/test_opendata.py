from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from frictionless import validate

from barometre.core.errors import BarometreError
from barometre.core.opendata import enforce_disclosure, export

EDITION = {"year": 2025, "simulated": True, "computed_at": "2026-11-23"}
INDICATORS = [
    {
        "indicator": "ai_deployed",
        "theme": "ia",
        "label_fr": "IA déployée",
        "label_en": "AI deployed",
        "definition": "selected(${ai_status}, 'deploye')",
        "universe": "population >= 3500",
        "unit": "%",
    },
]


def _rows() -> list[dict]:
    return [
        {
            "indicator": "ai_deployed",
            "theme": "ia",
            "label": "IA déployée",
            "breakdown": "ensemble",
            "domain_value": "ensemble",
            "estimate": 49.2,
            "se": 2.1,
            "ci_low": 45.1,
            "ci_high": 53.3,
            "n": 290,
            "population": 5120.5,
            "suppressed": False,
            "reason": "",
        },
        {
            "indicator": "ai_deployed",
            "theme": "ia",
            "label": "IA déployée",
            "breakdown": "strate",
            "domain_value": "regions",
            "estimate": 85.0,
            "se": 9.0,
            "ci_low": 60.0,
            "ci_high": 99.0,
            "n": 7,
            "population": 18.0,
            "suppressed": False,
            "reason": "",
        },
        {
            "indicator": "ai_deployed",
            "theme": "ia",
            "label": "IA déployée",
            "breakdown": "region",
            "domain_value": "84",
            "estimate": None,
            "se": None,
            "ci_low": None,
            "ci_high": None,
            "n": 2,
            "population": 3.0,
            "suppressed": True,
            "reason": "confidentiality",
        },
    ]


def test_export_validates_with_frictionless(tmp_path: Path) -> None:
    summary = export(tmp_path, edition=EDITION, estimates=_rows(), indicators=INDICATORS, min_n=10)
    assert set(summary.resources) >= {"estimations-csv", "estimations-parquet", "estimations-json"}
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])
    package = json.loads((tmp_path / "datapackage.json").read_text())
    assert package["licenses"][0]["name"] == "etalab-2.0"
    assert package["barometre"]["simulated"] is True and "données simulées" in package["title"]


def test_no_exported_cell_is_based_on_fewer_respondents_than_the_threshold(tmp_path: Path) -> None:
    export(tmp_path, edition=EDITION, estimates=_rows(), indicators=INDICATORS, min_n=10)
    with open(tmp_path / "estimations.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    hidden_fields = ("estimate", "se", "ci_low", "ci_high", "n", "population", "respondent_share")
    assert [r["domain_value"] for r in rows if r["suppressed"] == "true"] == ["regions", "84"]
    for r in rows:
        if r["suppressed"] == "true":
            assert all(r[k] == "" for k in hidden_fields) and r["reason"] == "confidentiality"
        else:
            assert int(r["n"]) >= 10
    table = pq.read_table(tmp_path / "estimations.parquet").to_pylist()
    assert all(r[k] is None for r in table if r["suppressed"] for k in hidden_fields)
    data = json.loads((tmp_path / "estimations.json").read_text())
    assert all(r[k] is None for r in data if r["suppressed"] for k in hidden_fields)


def test_csv_uses_dot_decimals_and_utf8(tmp_path: Path) -> None:
    export(tmp_path, edition=EDITION, estimates=_rows(), indicators=INDICATORS, min_n=10)
    text = (tmp_path / "estimations.csv").read_text(encoding="utf-8")
    assert "49.2" in text and "49,2" not in text
    assert "IA déployée" in text


def test_nothing_to_export_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BarometreError, match="aucune estimation"):
        export(tmp_path, edition=EDITION, estimates=[], indicators=INDICATORS, min_n=10)


def test_enforce_disclosure_keeps_large_cells() -> None:
    rows = enforce_disclosure(_rows(), 10)
    assert rows[0]["estimate"] == 49.2 and not rows[0]["suppressed"]
    assert rows[1]["suppressed"] and rows[1]["estimate"] is None
