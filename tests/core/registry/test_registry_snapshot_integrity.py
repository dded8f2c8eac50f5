"""The snapshot is verified before use: truncated, corrupted or malformed files are refused."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from barometre.core.errors import RegistryError
from barometre.core.registry import SNAPSHOT_DIR, read_snapshot
from barometre.core.registry.build import build_snapshot
from barometre.core.registry.sample import write_sample_package
from barometre.core.registry.snapshot import MANIFEST_NAME, PAYLOAD_NAME, sha256_bytes


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "registry"
    shutil.copytree(SNAPSHOT_DIR, target)
    return target


def _rewrite(directory: Path, payload: bytes) -> None:
    """Write a payload and a manifest that vouches for it (checksum and size match)."""
    (directory / PAYLOAD_NAME).write_bytes(payload)
    manifest = json.loads((directory / MANIFEST_NAME).read_text(encoding="utf-8"))
    manifest["payload"]["sha256"] = sha256_bytes(payload)
    manifest["payload"]["bytes"] = len(payload)
    (directory / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")


def test_committed_snapshot_matches_its_manifest_checksum() -> None:
    manifest = json.loads((SNAPSHOT_DIR / MANIFEST_NAME).read_text(encoding="utf-8"))
    payload = (SNAPSHOT_DIR / PAYLOAD_NAME).read_bytes()
    assert sha256_bytes(payload) == manifest["payload"]["sha256"]
    assert len(payload) < 3_000_000  # compact: a few MB at most
    assert manifest["source"]["package"] == "@etalab/decoupage-administratif"
    assert manifest["source"]["version"] == "6.0.0"
    assert manifest["population"]["communes"]["millesime"] == 2023


def test_truncated_snapshot_is_refused(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    data = (d / PAYLOAD_NAME).read_bytes()
    (d / PAYLOAD_NAME).write_bytes(data[: len(data) // 2])
    with pytest.raises(RegistryError, match="tronqué"):
        read_snapshot(d)


def test_corrupted_snapshot_of_same_size_is_refused(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    data = bytearray((d / PAYLOAD_NAME).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (d / PAYLOAD_NAME).write_bytes(bytes(data))
    with pytest.raises(RegistryError, match="somme de contrôle"):
        read_snapshot(d)


def test_missing_manifest_is_refused(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    (d / MANIFEST_NAME).unlink()
    with pytest.raises(RegistryError, match="manifeste"):
        read_snapshot(d)


def test_payload_that_is_not_gzip_is_refused_even_with_matching_checksum(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    _rewrite(d, b"not a gzip stream")
    with pytest.raises(RegistryError, match="illisible"):
        read_snapshot(d)


def test_negative_population_is_refused_with_its_row(sample_dir: Path) -> None:
    body = json.loads(gzip.decompress((sample_dir / PAYLOAD_NAME).read_bytes()))
    body["rows"][3][5] = -1
    _rewrite(sample_dir, gzip.compress(json.dumps(body).encode()))
    with pytest.raises(RegistryError, match="row 4") as info:
        read_snapshot(sample_dir)
    assert PAYLOAD_NAME in str(info.value)


def test_unknown_kind_is_refused(sample_dir: Path) -> None:
    body = json.loads(gzip.decompress((sample_dir / PAYLOAD_NAME).read_bytes()))
    body["rows"][0][3] = "canton"
    _rewrite(sample_dir, gzip.compress(json.dumps(body).encode()))
    with pytest.raises(RegistryError, match="valeur invalide"):
        read_snapshot(sample_dir)


def test_commune_pointing_to_unknown_epci_is_refused(sample_dir: Path) -> None:
    body = json.loads(gzip.decompress((sample_dir / PAYLOAD_NAME).read_bytes()))
    row = next(r for r in body["rows"] if r[3] == "commune" and r[8])
    row[8] = "999999999"
    _rewrite(sample_dir, gzip.compress(json.dumps(body).encode()))
    with pytest.raises(RegistryError, match="EPCI inconnu"):
        read_snapshot(sample_dir)


def test_building_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    package = write_sample_package(tmp_path / "package")
    a = build_snapshot(tmp_path / "a", "6.0.0", package_dir=package)
    b = build_snapshot(tmp_path / "b", "6.0.0", package_dir=package)
    assert (a / PAYLOAD_NAME).read_bytes() == (b / PAYLOAD_NAME).read_bytes()
