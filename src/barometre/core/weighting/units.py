"""Plain arrays of the frame and of one edition — the adapter between storage and statistics.

The lead's Django code builds an :class:`EditionArrays` with :func:`build_edition_arrays`
(codes and inclusion probabilities of the sample units, cleaned answers of the respondents);
everything downstream (weighting, indicators) works on these arrays only.
"""

from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

from barometre.core.errors import EditionError
from barometre.core.registry import SNAPSHOT_DIR, Frame, load_snapshot
from barometre.core.registry.snapshot import verified_checksum

StrArray = npt.NDArray[np.str_]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Collection = Literal["sample", "voluntary"]

#: Attributes of an authority visible to catalogue expressions as ``${authority.<name>}``.
AUTHORITY_ATTRIBUTES: tuple[str, ...] = ("population", "kind", "type", "stratum", "region", "departement")


@dataclass(frozen=True)
class FrameArrays:
    """The whole frame as parallel arrays (one row per authority, frame order)."""

    codes: StrArray
    kind: StrArray
    type: StrArray
    stratum: StrArray
    region: StrArray
    departement: StrArray
    population: FloatArray

    @property
    def n(self) -> int:
        return int(self.codes.shape[0])

    def index_of(self, codes: Iterable[str]) -> npt.NDArray[np.int64]:
        """Row numbers of ``codes`` (EditionError naming the first unknown code)."""
        lookup = _lookup(self)
        rows = []
        for c in codes:
            r = lookup.get(c)
            if r is None:
                raise EditionError(f"code d'autorité inconnu dans la base de sondage : {c!r}")
            rows.append(r)
        return np.asarray(rows, dtype=np.int64)

    def take(self, rows: npt.NDArray[np.int64]) -> FrameArrays:
        return FrameArrays(
            self.codes[rows],
            self.kind[rows],
            self.type[rows],
            self.stratum[rows],
            self.region[rows],
            self.departement[rows],
            self.population[rows],
        )

    def attributes(self, row: int) -> dict[str, object]:
        """The ``${authority.*}`` values of one row."""
        return {
            "population": float(self.population[row]),
            "kind": str(self.kind[row]),
            "type": str(self.type[row]),
            "stratum": str(self.stratum[row]),
            "region": str(self.region[row]),
            "departement": str(self.departement[row]),
        }


_LOOKUPS: dict[int, dict[str, int]] = {}


def _lookup(fa: FrameArrays) -> dict[str, int]:
    key = id(fa)
    found = _LOOKUPS.get(key)
    if found is None:
        found = {str(c): i for i, c in enumerate(fa.codes)}
        _LOOKUPS[key] = found
    return found


@functools.lru_cache(maxsize=4)
def _frame_arrays_cached(frame_id: int, frame: Frame) -> FrameArrays:
    items = frame.authorities
    return FrameArrays(
        codes=np.array([a.code for a in items], dtype=str),
        kind=np.array([a.kind.value for a in items], dtype=str),
        type=np.array([a.type for a in items], dtype=str),
        stratum=np.array([a.stratum.value for a in items], dtype=str),
        region=np.array([a.region for a in items], dtype=str),
        departement=np.array([a.departement or "" for a in items], dtype=str),
        population=np.array([float(a.population_municipale) for a in items], dtype=np.float64),
    )


def frame_arrays(frame: Frame) -> FrameArrays:
    """Arrays of ``frame`` (cached per frame object)."""
    return _frame_arrays_cached(id(frame), frame)


#: Version of the cached arrays' layout (part of the cache file's name).
FRAME_CACHE_FORMAT = 1


def frame_units(cache_dir: Path | None = None, directory: Path | None = None) -> FrameArrays:
    """The arrays of the snapshot in ``directory`` (the committed one by default).

    With ``cache_dir``, they are kept there in a file named by the snapshot's verified checksum,
    so that a new process reads a few arrays instead of decoding every authority of the frame
    (the frame's decoding dominates a short command such as ``indicators compute``); a new or
    modified snapshot has another checksum, hence another file. Cached per process too."""
    snap = (directory or SNAPSHOT_DIR).resolve()
    return _frame_units(str(snap), str(cache_dir.resolve()) if cache_dir is not None else "", verified_checksum(snap))


@functools.lru_cache(maxsize=4)
def _frame_units(snapshot: str, cache_dir: str, checksum: str) -> FrameArrays:
    if not cache_dir:
        return frame_arrays(load_snapshot(Path(snapshot)))
    path = Path(cache_dir) / f"frame-units-v{FRAME_CACHE_FORMAT}-{checksum}.npz"
    names = [f.name for f in fields(FrameArrays)]
    try:
        with np.load(path, allow_pickle=False) as data:
            return FrameArrays(**{n: data[n] for n in names})
    except (OSError, KeyError, ValueError):
        pass  # absent or unreadable: rebuilt below
    fa = frame_arrays(load_snapshot(Path(snapshot)))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz.tmp")
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **{n: getattr(fa, n) for n in names})
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only place: the arrays are simply not kept
    return fa


@dataclass(frozen=True)
class EditionArrays:
    """One edition as arrays over its units (the sample, or the whole frame when voluntary).

    ``answers[i]`` is the cleaned answers dict (``validate_answers(...).cleaned``) of unit ``i``
    when it responded, else None. ``simulated`` flags simulated data ("données simulées").
    """

    year: int
    collection: Collection
    units: FrameArrays
    inclusion_probability: FloatArray
    responded: BoolArray
    answers: tuple[Mapping[str, object] | None, ...]
    simulated: bool = False

    @property
    def n_units(self) -> int:
        return self.units.n

    @property
    def n_respondents(self) -> int:
        return int(self.responded.sum())

    def respondent_rows(self) -> npt.NDArray[np.int64]:
        return np.flatnonzero(self.responded).astype(np.int64)


def build_edition_arrays(
    *,
    year: int,
    frame: Frame | FrameArrays,
    answers: Mapping[str, Mapping[str, object]],
    units: Sequence[tuple[str, float]] | None = None,
    collection: Collection | None = None,
    simulated: bool = False,
) -> EditionArrays:
    """Arrays of one edition.

    ``units``: (authority code, inclusion probability) of every sampled unit; None means
    the voluntary survey (the whole frame invited, every probability 1). ``answers``:
    authority code → cleaned answers, for the responding units only (submitted/validated).
    """
    fa = frame if isinstance(frame, FrameArrays) else frame_arrays(frame)
    if units is None:
        rows = np.arange(fa.n, dtype=np.int64)
        pi = np.ones(fa.n)
        kind: Collection = collection or "voluntary"
    else:
        rows = fa.index_of(c for c, _ in units)
        pi = np.asarray([p for _, p in units], dtype=np.float64)
        if np.any(~(pi > 0) | (pi > 1)):
            raise EditionError("probabilité d'inclusion hors de ]0, 1] dans l'échantillon")
        kind = collection or "sample"
    sub = fa.take(rows)
    codes = [str(c) for c in sub.codes]
    in_units = set(codes)
    unknown = [c for c in answers if c not in in_units]
    if unknown:
        raise EditionError(
            f"{len(unknown)} réponse(s) d'autorités hors de l'échantillon (ex. {unknown[0]}) : "
            "ajoutez-les à l'échantillon ou retirez ces réponses"
        )
    ans = tuple(answers.get(c) for c in codes)
    responded = np.array([a is not None for a in ans], dtype=bool)
    return EditionArrays(year, kind, sub, pi, responded, ans, simulated)
