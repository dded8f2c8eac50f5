"""Registry of French local authorities (the survey frame). Pure Python.

Use :func:`load_snapshot` for the committed frame (cached), :func:`read_snapshot`
for any snapshot directory, :func:`search` for names, :func:`diff_frames` for updates.
"""

from __future__ import annotations

import functools
from pathlib import Path

from barometre.core.paths import DATA_DIR
from barometre.core.registry.diff import FrameDiff, diff_frames
from barometre.core.registry.model import (
    KIND_LABELS,
    STRATUM_LABELS,
    TYPE_LABELS,
    Authority,
    AuthorityType,
    Frame,
    Kind,
    SnapshotInfo,
    Stratum,
)
from barometre.core.registry.search import normalize, search
from barometre.core.registry.snapshot import read_snapshot
from barometre.core.registry.strata import stratum_for

#: The committed snapshot.
SNAPSHOT_DIR = DATA_DIR / "registry"


@functools.lru_cache(maxsize=4)
def _cached(directory: str) -> Frame:
    return read_snapshot(Path(directory))


def load_snapshot(directory: Path | None = None) -> Frame:
    """The frame from the committed snapshot (verified, then cached per directory)."""
    return _cached(str((directory or SNAPSHOT_DIR).resolve()))


def clear_cache() -> None:
    _cached.cache_clear()


__all__ = [
    "KIND_LABELS",
    "SNAPSHOT_DIR",
    "STRATUM_LABELS",
    "TYPE_LABELS",
    "Authority",
    "AuthorityType",
    "Frame",
    "FrameDiff",
    "Kind",
    "SnapshotInfo",
    "Stratum",
    "clear_cache",
    "diff_frames",
    "load_snapshot",
    "normalize",
    "read_snapshot",
    "search",
    "stratum_for",
]
