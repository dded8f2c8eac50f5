"""Complementary (secondary) suppression of a table of shares, audited by linear programming.

A table is a set of **cells** (published domains of one indicator in one edition: ``ensemble``,
strata, kinds, régions, named groupings…) over the **atoms** of the respondents: the groups of
respondents that belong to exactly the same cells. Any set of cells that add up (strata → kind →
groupe → ensemble, a breakdown partitioning another one, a grouping plus the rest of the
population…) is a linear relation between the cells' totals, and every such relation is implied
by the atoms, so the audit needs no list of relations.

Audit of a suppression pattern (Hundepool et al. 2012, *Statistical Disclosure Control*, §4.3;
the "protection interval" of τ-ARGUS and sdcTable): an attacker knows every atom's size (the
weighted population or the number of respondents: a conservative assumption, they are often
derivable from the frame) and the total ``share × size`` of every published cell. For a hidden
cell ``h`` the feasible values of its total are the minimum and maximum of ``Σ_{a∈h} x_a`` over
``0 ≤ x_a ≤ size_a`` subject to ``Σ_{a∈c} x_a = total_c`` for every published cell ``c``
(``scipy.optimize.linprog``, HiGHS). The hidden share is protected when this interval, divided by
``h``'s size, is at least ``min_feasible_width`` wide.

Pattern search (greedy, as sdcTable's ``GAUSS``/``SIMPLEHEURISTIC`` family): cells identical to a
hidden cell on the respondents are hidden first; then, while a hidden cell is not protected, the
published cell that widens its interval, preferring disjoint cells (siblings) over overlapping
ones and then the fewest respondents, is hidden too (reason ``complementary``). Hiding a cell only
removes constraints, so a protected cell stays protected; the loop ends with every hidden cell
protected in every system (weighted totals and respondent counts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import linprog

BoolMatrix = npt.NDArray[np.bool_]
#: Candidates tried (one LP audit each) before hiding the best-ranked one blindly.
MAX_TRIALS = 6
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class System:
    """One additive system of the table: atom sizes and atom totals (``share × size``)."""

    sizes: FloatArray
    totals: FloatArray


@dataclass(frozen=True)
class Table:
    """Cells × atoms membership and the systems an attacker may read (weighted, counts)."""

    membership: BoolMatrix  # (cells, atoms)
    systems: tuple[System, ...]
    #: Respondents per cell (the cost of hiding it).
    respondents: npt.NDArray[np.int64]

    @property
    def n_cells(self) -> int:
        return int(self.membership.shape[0])


def atoms_of(masks: BoolMatrix) -> tuple[BoolMatrix, npt.NDArray[np.int64]]:
    """Cells × respondents membership → (cells × atoms membership, atom index of each respondent)."""
    if masks.shape[1] == 0:
        return np.zeros((masks.shape[0], 0), dtype=bool), np.zeros(0, dtype=np.int64)
    signatures, index = np.unique(masks.T, axis=0, return_inverse=True)
    return np.ascontiguousarray(signatures.T), np.asarray(index, dtype=np.int64).reshape(-1)


def build_table(masks: BoolMatrix, values: FloatArray, weights: FloatArray) -> Table:
    """Table of shares from respondent-level cell masks, 0/1 values and weights."""
    membership, atom = atoms_of(masks)
    k = membership.shape[1]
    w_size = np.asarray(np.bincount(atom, weights=weights, minlength=k), dtype=np.float64)
    w_total = np.asarray(np.bincount(atom, weights=weights * values, minlength=k), dtype=np.float64)
    c_size = np.asarray(np.bincount(atom, minlength=k), dtype=np.float64)
    c_total = np.asarray(np.bincount(atom, weights=values, minlength=k), dtype=np.float64)
    return Table(
        membership,
        (System(w_size, w_total), System(c_size, c_total)),
        masks.sum(axis=1).astype(np.int64),
    )


def feasible_interval(table: Table, system: System, hidden: set[int], cell: int) -> tuple[float, float]:
    """Feasible (low, high) share of ``cell`` given every cell outside ``hidden`` (see module doc)."""
    m = table.membership
    size = float(system.sizes[m[cell]].sum())
    if size <= 0:
        return (0.0, 1.0)
    published = [c for c in range(table.n_cells) if c not in hidden]
    a_eq = m[published].astype(np.float64) if published else None
    b_eq = a_eq @ system.totals if a_eq is not None else None
    bounds = list(zip(np.zeros_like(system.sizes), system.sizes, strict=True))
    obj = m[cell].astype(np.float64)
    out: list[float] = []
    for sign in (1.0, -1.0):
        res = linprog(sign * obj, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        if res.status != 0:  # infeasible can only come from rounding: treat as fully known
            true = float(obj @ system.totals)
            return (true / size, true / size)
        out.append(sign * float(res.fun) / size)
    return (max(0.0, out[0]), min(1.0, out[1]))


def protected(table: Table, hidden: set[int], cell: int, min_width: float) -> bool:
    """Whether ``cell`` keeps a feasible interval at least ``min_width`` wide in every system,
    or is only known through a published cell containing it whose share is 0 % or 100 % (every
    unit of that published cell has the same value: the published figure discloses it, whatever
    is hidden, so no suppression pattern can protect it — the precision rule decides whether such
    a figure is shown)."""
    if implied_by_published(table, hidden, cell):
        return True
    for system in table.systems:
        if float(system.sizes[table.membership[cell]].sum()) <= 0:
            continue
        lo, hi = feasible_interval(table, system, hidden, cell)
        if hi - lo < min_width - 1e-9:
            return False
    return True


def implied_by_published(table: Table, hidden: set[int], cell: int) -> bool:
    """A published cell contains ``cell`` and has a share of exactly 0 or 1 (module doc)."""
    m = table.membership
    counts = table.systems[-1]
    for c in range(table.n_cells):
        if c in hidden or not m[c].any() or (m[cell] & ~m[c]).any():
            continue
        size, total = counts.sizes[m[c]].sum(), counts.totals[m[c]].sum()
        if total == 0 or total == size:
            return True
    return False


def _width(table: Table, hidden: set[int], cell: int) -> float:
    widths = [
        (lambda lh: lh[1] - lh[0])(feasible_interval(table, s, hidden, cell))
        for s in table.systems
        if float(s.sizes[table.membership[cell]].sum()) > 0
    ]
    return min(widths) if widths else 1.0


def protect(
    table: Table,
    primary: Sequence[int],
    min_width: float,
    keep: Sequence[int] = (),
    *,
    confidential: Sequence[int] | None = None,
    other_width: float = 0.0,
) -> set[int]:
    """Complementary cells to hide so that every hidden cell is protected (module doc).

    ``confidential``: the primary cells that need ``min_width`` (default: all of them); every
    other hidden cell (hidden for precision, or complementary) needs ``other_width`` — at least
    not exactly derivable. ``keep``: cells to hide only as a last resort (e.g. ``ensemble``).
    Returns the complementary cells (not the primary ones)."""
    strict = set(primary if confidential is None else confidential)
    m = table.membership
    nonempty: npt.NDArray[np.bool_] = np.asarray(m.any(axis=1), dtype=bool)
    groups = _duplicates(m)
    hidden: set[int] = set()
    for h in primary:
        hidden |= groups[h] if nonempty[h] else {h}
    queue = sorted(hidden)
    last_resort = set(keep)
    while queue:
        h = queue.pop(0)
        if not nonempty[h]:
            continue
        need = min_width if h in strict else max(other_width, 1e-6)
        while not protected(table, hidden, h, need):
            choice = _complement(table, hidden, h, last_resort, groups)
            if not choice:
                break
            hidden |= choice
            queue.extend(sorted(choice))
    return hidden - set(primary)


def _duplicates(m: BoolMatrix) -> list[set[int]]:
    """For each cell, the cells with exactly the same respondents (itself included)."""
    _, inverse = np.unique(m, axis=0, return_inverse=True)
    inverse = np.asarray(inverse).reshape(-1)
    return [set(np.flatnonzero(inverse == inverse[c]).tolist()) for c in range(m.shape[0])]


def _complement(table: Table, hidden: set[int], h: int, last_resort: set[int], groups: list[set[int]]) -> set[int]:
    """The published cells to hide next for ``h`` (a cell and its duplicates): the first group
    (siblings, then overlapping cells, fewest respondents first, ``last_resort`` cells last) that
    widens ``h``'s interval; the first group at all when none does alone."""
    m = table.membership
    inside = m[h]
    containers = [d for d in range(table.n_cells) if (m[d] & inside).any()]
    ranked: list[tuple[int, int, int, int]] = []
    seen: set[int] = set()
    for c in range(table.n_cells):
        if c in hidden or c in seen or not m[c].any():
            continue
        seen |= groups[c]
        overlaps = bool((m[c] & inside).any())
        if not overlaps and not any((m[d] & m[c]).any() for d in containers):
            continue  # a sibling only matters if some cell contains both
        ranked.append((int(bool(groups[c] & last_resort)), int(overlaps), int(table.respondents[c]), c))
    ranked.sort()
    if not ranked:
        return set()
    before = _width(table, hidden, h)
    for *_, c in ranked[:MAX_TRIALS]:
        group = groups[c] - hidden
        if _width(table, hidden | group, h) > before + 1e-9:
            return group
    return groups[ranked[0][3]] - hidden


def recoverable(table: Table, hidden: set[int], cell: int, tol: float = 1e-9) -> bool:
    """Whether ``cell``'s atoms are a linear combination of published cells' (exact differencing)."""
    published = [c for c in range(table.n_cells) if c not in hidden]
    target = table.membership[cell].astype(np.float64)
    if not published:
        return False
    a = table.membership[published].astype(np.float64).T
    coef, *_ = np.linalg.lstsq(a, target, rcond=None)
    return bool(np.abs(a @ coef - target).max() < tol)
