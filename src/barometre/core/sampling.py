"""Drawing a stratified sample from the frame (stratified simple random sampling without replacement).

Allocation of ``size`` units (Cochran 1977, sec. 5.5 and 5.9; Särndal, Swensson & Wretman 1992, sec. 3.7):

* ``census``: every unit, inclusion probability 1;
* certainty strata (default: régions, départements, métropoles, communautés urbaines, communes
  of 100,000 inhabitants or more) are taken whole (``pi = 1``); the rest ``n' = size - sum N_h``
  (certainty) is allocated over the other strata:
* ``proportional``: ``n_h = n' N_h / sum_k N_k``;
* ``neyman``: ``n_h = n' N_h S_h / sum_k N_k S_k`` with ``S_h`` the within-stratum standard
  deviation of an auxiliary variable (default: the population, or the ``variability`` given).

Allocations are rounded by largest remainders; a stratum allocated more than its size is
taken whole and the excess re-allocated (repeated until stable); every sampled stratum gets
at least ``min_per_stratum`` units (2 by default, so its variance can be estimated).
Inclusion probabilities are ``n_h / N_h``; they sum to the sample size.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from barometre.core.errors import EditionError
from barometre.core.registry import Frame, Stratum
from barometre.core.weighting.units import FrameArrays, frame_arrays

Allocation = Literal["proportional", "neyman", "census"]
ALLOCATIONS: tuple[str, ...] = ("proportional", "neyman", "census")

#: Strata taken whole by default (few, large, heterogeneous authorities).
DEFAULT_CERTAINTY: tuple[Stratum, ...] = (
    Stratum.REGIONS,
    Stratum.DEPARTEMENTS,
    Stratum.EPCI_METRO,
    Stratum.EPCI_CU,
    Stratum.COMMUNES_GE_100000,
)


@dataclass(frozen=True)
class StratumAllocation:
    stratum: str
    population: int  # N_h
    sample: int  # n_h
    certainty: bool

    @property
    def inclusion_probability(self) -> float:
        return self.sample / self.population if self.population else 0.0


@dataclass(frozen=True)
class Sample:
    """A drawn sample: the units (codes), their stratum and inclusion probability."""

    allocation_method: str
    size: int
    seed: int
    codes: tuple[str, ...]
    strata: tuple[str, ...]
    inclusion_probability: npt.NDArray[np.float64]
    certainty: npt.NDArray[np.bool_]
    allocation: tuple[StratumAllocation, ...]

    def frame_inclusion_probabilities(self, frame: Frame | FrameArrays) -> npt.NDArray[np.float64]:
        """Inclusion probability of every frame unit (frame order): ``n_h / N_h`` by stratum.

        They sum to the sample size (``sum_U pi_i = n``)."""
        fa = frame if isinstance(frame, FrameArrays) else frame_arrays(frame)
        by_stratum = {a.stratum: a.inclusion_probability for a in self.allocation}
        return np.array([by_stratum.get(str(s), 0.0) for s in fa.stratum], dtype=np.float64)

    def units(self) -> list[tuple[str, float]]:
        """(code, inclusion probability) pairs, the input of ``build_edition_arrays``."""
        return [(c, float(p)) for c, p in zip(self.codes, self.inclusion_probability, strict=True)]


def _round_largest_remainder(x: npt.NDArray[np.float64], total: int) -> npt.NDArray[np.int64]:
    base = np.floor(x).astype(np.int64)
    rest = total - int(base.sum())
    if rest > 0:
        order = np.argsort(-(x - base), kind="stable")
        base[order[:rest]] += 1
    return base


def allocate(
    sizes: Sequence[int],
    total: int,
    method: Allocation,
    *,
    variability: Sequence[float] | None = None,
    min_per_stratum: int = 2,
) -> list[int]:
    """Integer allocation of ``total`` units over strata of ``sizes`` (no certainty handling).

    ``neyman`` needs ``variability`` (S_h); ``census`` returns ``sizes``.
    """
    big_n = np.asarray(sizes, dtype=np.float64)
    if method == "census":
        return [int(s) for s in sizes]
    if method not in ALLOCATIONS:
        raise EditionError(f"allocation inconnue : {method!r} (attendu : {', '.join(ALLOCATIONS)})")
    if total > big_n.sum():
        raise EditionError(f"taille d'échantillon {total} supérieure à la population ({int(big_n.sum())})")
    if method == "neyman":
        if variability is None:
            raise EditionError("allocation de Neyman : écarts-types par strate manquants")
        s = np.asarray(variability, dtype=np.float64)
        if np.any(s < 0) or not np.all(np.isfinite(s)):
            raise EditionError("allocation de Neyman : écarts-types négatifs ou manquants")
        score = big_n * s
        if score.sum() == 0:
            score = big_n.copy()
    else:
        score = big_n.copy()
    n = np.zeros(big_n.shape[0], dtype=np.int64)
    fixed = np.zeros(big_n.shape[0], dtype=bool)
    floor_n = np.minimum(min_per_stratum, big_n).astype(np.int64)
    for _ in range(big_n.shape[0] + 1):
        free = ~fixed
        remaining = total - int(n[fixed].sum())
        if remaining < 0:
            raise EditionError("taille d'échantillon trop petite pour les minimums par strate")
        sc = np.where(free, score, 0.0)
        share = sc / sc.sum() * remaining if sc.sum() > 0 else np.zeros_like(sc)
        over = free & (share > big_n)
        under = free & (share < floor_n) & ~over
        if over.any():
            n[over] = big_n[over].astype(np.int64)
            fixed |= over
            continue
        if under.any():
            n[under] = floor_n[under]
            fixed |= under
            continue
        n[free] = _round_largest_remainder(share[free], remaining)
        break
    return [int(v) for v in n]


def neyman_variability(fa: FrameArrays, strata: Sequence[str]) -> list[float]:
    """Default S_h for Neyman: standard deviation of the population within each stratum."""
    out = []
    for s in strata:
        pop = fa.population[fa.stratum == s]
        out.append(float(pop.std(ddof=1)) if pop.shape[0] > 1 else 0.0)
    return out


def draw_sample(
    frame: Frame | FrameArrays,
    *,
    size: int,
    allocation: Allocation = "proportional",
    seed: int = 0,
    certainty: Sequence[Stratum | str] = DEFAULT_CERTAINTY,
    variability: Mapping[str, float] | None = None,
    min_per_stratum: int = 2,
) -> Sample:
    """Draw a stratified sample (see the module doc). Same seed → same sample."""
    fa = frame if isinstance(frame, FrameArrays) else frame_arrays(frame)
    strata = sorted({str(s) for s in fa.stratum})
    counts = {s: int((fa.stratum == s).sum()) for s in strata}
    cert = {s.value if isinstance(s, Stratum) else str(s) for s in certainty}
    unknown = cert - set(strata)
    if unknown:
        raise EditionError(f"strate exhaustive inconnue : {sorted(unknown)[0]}")
    if allocation == "census":
        alloc = {s: counts[s] for s in strata}
        size = fa.n
    else:
        if allocation not in ALLOCATIONS:
            raise EditionError(f"allocation inconnue : {allocation!r} (attendu : {', '.join(ALLOCATIONS)})")
        n_cert = sum(counts[s] for s in cert)
        rest = [s for s in strata if s not in cert]
        remaining = size - n_cert
        if remaining < 0 or (rest and remaining < min_per_stratum * len(rest)):
            raise EditionError(
                f"taille {size} trop petite : les strates exhaustives comptent déjà {n_cert} unités "
                f"et il faut au moins {min_per_stratum} unités dans chacune des {len(rest)} autres strates "
                f"(minimum {n_cert + min_per_stratum * len(rest)})"
            )
        if variability is not None:
            s_h = [float(variability.get(s, 0.0)) for s in rest]
        else:
            s_h = neyman_variability(fa, rest)
        n_rest = allocate(
            [counts[s] for s in rest], remaining, allocation, variability=s_h, min_per_stratum=min_per_stratum
        )
        alloc = {s: counts[s] for s in cert}
        alloc.update(dict(zip(rest, n_rest, strict=True)))
    rng = np.random.default_rng(seed)
    chosen: list[npt.NDArray[np.int64]] = []
    pis: list[npt.NDArray[np.float64]] = []
    certs: list[npt.NDArray[np.bool_]] = []
    table: list[StratumAllocation] = []
    for s in strata:
        rows = np.flatnonzero(fa.stratum == s)
        n_h = alloc[s]
        take = rows if n_h >= rows.shape[0] else np.sort(rng.choice(rows, size=n_h, replace=False))
        chosen.append(take)
        pis.append(np.full(take.shape[0], n_h / rows.shape[0]))
        is_cert = s in cert or allocation == "census" or n_h >= rows.shape[0]
        certs.append(np.full(take.shape[0], is_cert))
        table.append(StratumAllocation(s, int(rows.shape[0]), int(n_h), is_cert))
    idx = np.concatenate(chosen)
    return Sample(
        allocation_method=allocation,
        size=int(idx.shape[0]),
        seed=seed,
        codes=tuple(str(c) for c in fa.codes[idx]),
        strata=tuple(str(c) for c in fa.stratum[idx]),
        inclusion_probability=np.concatenate(pis),
        certainty=np.concatenate(certs),
        allocation=tuple(table),
    )
