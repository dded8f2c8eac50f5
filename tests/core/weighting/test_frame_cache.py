"""The frame's arrays kept between runs (``frame_units``): equal to the decoded snapshot, named by
its verified checksum, never read for a snapshot that changed."""

from __future__ import annotations

import json
import shutil
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from barometre.core.errors import RegistryError
from barometre.core.registry import SNAPSHOT_DIR, load_snapshot
from barometre.core.weighting import FrameArrays, frame_arrays, frame_units
from barometre.core.weighting.units import _frame_units


def _same(a: FrameArrays, b: FrameArrays) -> None:
    for f in fields(FrameArrays):
        x, y = getattr(a, f.name), getattr(b, f.name)
        assert x.dtype.kind == y.dtype.kind and np.array_equal(x, y), f.name


def test_cached_arrays_equal_the_decoded_snapshot(tmp_path: Path) -> None:
    _frame_units.cache_clear()
    expected = frame_arrays(load_snapshot())
    first = frame_units(tmp_path)
    (kept,) = tmp_path.glob("frame-units-*.npz")
    sha = json.loads((SNAPSHOT_DIR / "manifest.json").read_text())["payload"]["sha256"]
    assert sha in kept.name
    _frame_units.cache_clear()
    second = frame_units(tmp_path)  # read back from the file
    _same(first, expected)
    _same(second, expected)


def test_a_modified_snapshot_is_refused_not_served_from_the_cache(tmp_path: Path) -> None:
    snap = tmp_path / "registry"
    shutil.copytree(SNAPSHOT_DIR, snap)
    frame_units(tmp_path / "cache", snap)
    payload = snap / "authorities.json.gz"
    raw = payload.read_bytes()
    payload.write_bytes(raw[:-1] + bytes([raw[-1] ^ 0xFF]))
    with pytest.raises(RegistryError, match="somme de contrôle"):
        frame_units(tmp_path / "cache", snap)
