"""``barometre backup`` then ``barometre restore`` into an empty database and data directory.

After the restore (and a restart, which reads the restored key): the respondent links open,
``responses check`` and the estimates are identical, and the generated files are served.
Runs on SQLite and again on PostgreSQL (``scripts/test.sh``).
"""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from typer.testing import CliRunner

from barometre.apps.editions.models import Answer, IndicatorEstimate
from barometre.cli.main import app
from tests.factories import make_authority, make_edition, make_estimate, make_response
from tests.web.portal.conftest import COMPLETE, _portal_settings, invite, open_edition  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)
runner = CliRunner()


def _check(year: int) -> dict[str, Any]:
    result = runner.invoke(app, ["responses", "check", "--edition", str(year), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _estimates() -> list[tuple[Any, ...]]:
    return list(
        IndicatorEstimate.objects.order_by("edition__year", "indicator", "breakdown", "domain_value").values_list(
            "edition__year", "indicator", "breakdown", "domain_value", "estimate", "se", "ci_low", "ci_high", "n"
        )
    )


def _instance(data_dir: Path) -> dict[str, Any]:
    published = make_edition(2025)
    make_response(published, make_authority())
    make_estimate(published, "ai_deployed", estimate=52.612345678, ci_low=43.9, ci_high=61.4, n=180)
    edition = open_edition()
    submitted, started = invite(edition, name="Commune envoyée"), invite(edition, name="Commune en cours")
    client = Client()
    for section, data in COMPLETE.items():
        client.post(submitted.url(f"section/{section}/"), {**data, "action": "next"})
    assert client.post(submitted.url("envoyer/"), {"confirm": "yes"}).status_code == 302
    Client().post(started.url("section/profil/"), COMPLETE["profil"])
    opendata = Client().get("/donnees-ouvertes/2025/indicateurs.csv")
    assert opendata.status_code == 200
    return {
        "tokens": [submitted.token, started.token],
        "check": _check(edition.year),
        "estimates": _estimates(),
        "updated_at": sorted(Answer.objects.values_list("question_id", "updated_at")),
        "opendata": b"".join(opendata.streaming_content),
    }


@pytest.mark.slow  # a whole backup and restore
def test_backup_then_restore_into_an_empty_instance_keeps_links_checks_and_estimates(tmp_path: Path) -> None:
    old_dir, new_dir = tmp_path / "old", tmp_path / "new"
    old_dir.mkdir()
    new_dir.mkdir()
    archive = tmp_path / "sauvegarde.tar.gz"
    with override_settings(DATA_DIR=old_dir, SECRET_KEY="clé-de-l-ancienne-instance-" + "x" * 40):
        before = _instance(old_dir)
        result = runner.invoke(app, ["backup", "--out", str(archive), "--format", "json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["files"] >= 7
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert manifest["schema"]["editions"] and manifest["files"]["database.jsonl"]

    call_command("flush", interactive=False, verbosity=0)  # an empty database
    fresh_key = "clé-générée-par-la-nouvelle-instance-" + "y" * 40
    with override_settings(DATA_DIR=new_dir, SECRET_KEY=fresh_key, SECRET_KEY_IS_LOCAL=True):
        result = runner.invoke(app, ["restore", str(archive), "--format", "json"])
        assert result.exit_code == 0, result.output
        summary = json.loads(result.stdout)
        assert summary["objects"] == sum(manifest["objects"].values())
    restored_key = (new_dir / "secret_key").read_text()
    assert restored_key != fresh_key and (new_dir / "secret_key").stat().st_mode & 0o777 == 0o600
    # A restart reads the restored key from the data directory.
    with override_settings(DATA_DIR=new_dir, SECRET_KEY=restored_key, SECRET_KEY_IS_LOCAL=True):
        for token in before["tokens"]:
            assert Client().get(f"/repondre/{token}/").status_code == 200
        assert _check(2026) == before["check"]
        assert _estimates() == before["estimates"]
        assert sorted(Answer.objects.values_list("question_id", "updated_at")) == before["updated_at"]
        served = Client().get("/donnees-ouvertes/2025/indicateurs.csv")
        assert b"".join(served.streaming_content) == before["opendata"]


def _rewrite(archive: Path, out: Path, change: Any) -> None:
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz") as dst:
        for info in src:
            data = src.extractfile(info).read()  # type: ignore[union-attr]
            data = change(info.name, data)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))


def test_restore_refuses_another_schema_a_tampered_archive_and_a_database_with_data(tmp_path: Path) -> None:
    archive = tmp_path / "b.tar.gz"
    with override_settings(DATA_DIR=tmp_path / "old"):
        (tmp_path / "old").mkdir()
        make_edition(2025)
        assert runner.invoke(app, ["backup", "--out", str(archive)]).exit_code == 0

    def older_schema(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["schema"]["editions"] = "0001_initial"
        return json.dumps(manifest).encode()

    def tampered(name: str, data: bytes) -> bytes:
        return data.replace(b"2025", b"2024") if name == "database.jsonl" else data

    (tmp_path / "new").mkdir()
    with override_settings(DATA_DIR=tmp_path / "new"):
        # The database still holds the edition: refused.
        result = runner.invoke(app, ["restore", str(archive)])
        assert result.exit_code == 2 and "base vide" in result.stderr
        call_command("flush", interactive=False, verbosity=0)
        for name, change, message in (("old.tar.gz", older_schema, "schéma"), ("bad.tar.gz", tampered, "altéré")):
            _rewrite(archive, tmp_path / name, change)
            result = runner.invoke(app, ["restore", str(tmp_path / name)])
            assert result.exit_code == 2, result.output
            assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
        (tmp_path / "junk.tar.gz").write_bytes(b"pas une archive")
        result = runner.invoke(app, ["restore", str(tmp_path / "junk.tar.gz")])
        assert result.exit_code == 2 and "illisible" in result.stderr
    assert not (tmp_path / "new" / "secret_key").exists()
    from barometre.apps.editions.models import Edition

    assert not Edition.objects.exists()  # nothing written by the refusals
