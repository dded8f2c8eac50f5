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
(HiGHS through ``highspy``, one warm-started model per table; ``scipy.optimize.linprog`` as the
reference). The hidden share is protected when this interval, divided by
``h``'s size, is at least ``min_feasible_width`` wide.

Pattern search (greedy, as sdcTable's ``GAUSS``/``SIMPLEHEURISTIC`` family): cells identical to a
hidden cell on the respondents are hidden first; then, while a hidden cell is not protected, a
published cell is hidden too (reason ``complementary``): among the cells whose constraints bind the
audit LP (non-zero dual value), the first that widens the interval, preferring disjoint cells
(siblings) over overlapping ones and then the fewest respondents. Hiding a cell only
removes constraints, so a protected cell stays protected; the loop ends with every hidden cell
protected in every system (weighted totals and respondent counts).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import highspy
import numpy as np
import numpy.typing as npt

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


_BANNER_SHOWN = False


def _highs() -> Any:
    """A silent HiGHS instance (the library prints its banner on stdout once per process: the first
    construction runs with file descriptor 1 pointed at /dev/null, so ``--format json`` stays clean)."""
    global _BANNER_SHOWN
    if _BANNER_SHOWN:
        h = highspy.Highs()  # type: ignore[no-untyped-call]
    else:
        sys.stdout.flush()
        try:
            fd = sys.stdout.fileno()
        except (AttributeError, OSError, ValueError):
            fd = 1
        saved = os.dup(fd)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, fd)
            h = highspy.Highs()  # type: ignore[no-untyped-call]
        finally:
            os.dup2(saved, fd)
            os.close(saved)
            os.close(devnull)
        _BANNER_SHOWN = True
    h.setOptionValue("output_flag", False)
    return h


class Auditor:
    """The audit LPs of one table, one HiGHS model per system, kept between solves (warm start):
    hiding a cell frees its row, an audit only changes the objective."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.hidden: set[int] = set()
        m = table.membership.astype(np.float64)
        self.models = []
        for system in table.systems:
            h = _highs()
            lp = highspy.HighsLp()
            k = m.shape[1]
            lp.num_col_ = k
            lp.num_row_ = m.shape[0]
            lp.col_cost_ = np.zeros(k)
            lp.col_lower_ = np.zeros(k)
            lp.col_upper_ = np.asarray(system.sizes, dtype=np.float64)
            totals = m @ system.totals
            lp.row_lower_ = totals.copy()
            lp.row_upper_ = totals.copy()
            rows, cols = np.nonzero(m)
            lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
            lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum(m.astype(bool).sum(axis=1))]).astype(np.int32)
            lp.a_matrix_.index_ = cols.astype(np.int32)
            lp.a_matrix_.value_ = np.ones(cols.size)
            del rows
            h.passModel(lp)
            self.models.append((h, totals))
        self.cost = np.zeros(m.shape[1])
        #: published cells whose constraint bound the last interval (non-zero dual value)
        self.binding: set[int] = set()

    def hide(self, hidden: set[int]) -> None:
        """Make exactly ``hidden`` the hidden cells (their rows unconstrained)."""
        for c in hidden - self.hidden:
            for h, _ in self.models:
                h.changeRowBounds(c, -highspy.kHighsInf, highspy.kHighsInf)
        for c in self.hidden - hidden:
            for h, totals in self.models:
                h.changeRowBounds(c, float(totals[c]), float(totals[c]))
        self.hidden = set(hidden)

    def interval(self, system: int, cell: int) -> tuple[float, float]:
        """Feasible (low, high) share of ``cell`` in ``system`` under the current hidden cells."""
        table = self.table
        inside = table.membership[cell]
        sizes = table.systems[system].sizes
        size = float(sizes[inside].sum())
        if size <= 0:
            return (0.0, 1.0)
        h, _ = self.models[system]
        k = inside.size
        h.changeColsCost(k, np.arange(k, dtype=np.int32), inside.astype(np.float64))
        out: list[float] = []
        self.binding = set()
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            h.changeObjectiveSense(sense)
            h.run()
            if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                true = float(table.systems[system].totals[inside].sum()) / size
                return (true, true)  # infeasible only through rounding: treat as known
            out.append(float(h.getInfo().objective_function_value) / size)
            duals = np.asarray(h.getSolution().row_dual, dtype=np.float64)
            self.binding |= {int(c) for c in np.flatnonzero(np.abs(duals) > 1e-9) if int(c) not in self.hidden}
        return (max(0.0, out[0]), min(1.0, out[1]))


def feasible_interval(table: Table, system: System, hidden: set[int], cell: int) -> tuple[float, float]:
    """Feasible (low, high) share of ``cell`` given every cell outside ``hidden`` (see module doc),
    by ``scipy.optimize.linprog`` (the reference the faster :class:`Auditor` is tested against)."""
    from scipy.optimize import linprog

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


def required_width(table: Table, hidden: set[int], cell: int, min_width: float) -> float:
    """Protection width of a confidential cell: ``min_width``, capped at ``2 min(p̄, 1 − p̄)`` where
    ``p̄`` is the share (respondents) of the smallest published cell containing it — what that
    published figure already tells about every part of it: when 97 % of a domain say yes, no
    pattern can leave a part of it anywhere in [0, 1], and hiding ever larger cells would not
    change what the published figure says."""
    m = table.membership
    counts = table.systems[-1]
    best: tuple[float, float] | None = None
    for c in range(table.n_cells):
        if c in hidden or not m[c].any() or (m[cell] & ~m[c]).any():
            continue
        size = float(counts.sizes[m[c]].sum())
        if best is None or size < best[0]:
            best = (size, float(counts.totals[m[c]].sum()) / size)
    if best is None:
        return min_width
    p = best[1]
    return min(min_width, 2 * min(p, 1 - p))


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


def _widths(audit: Auditor, hidden: set[int], cell: int, systems: Sequence[int] | None = None) -> dict[int, float]:
    """Width of ``cell``'s feasible interval in each system (``systems``: only those)."""
    table = audit.table
    audit.hide(hidden)
    out: dict[int, float] = {}
    binding: set[int] = set()
    for i, s in enumerate(table.systems):
        if systems is not None and i not in systems:
            continue
        if float(s.sizes[table.membership[cell]].sum()) <= 0:
            continue
        lo, hi = audit.interval(i, cell)
        out[i] = hi - lo
        if hi - lo < 1.0:
            binding |= audit.binding
    audit.binding = binding
    return out


class PatternCache:
    """Complementary cells found by :func:`protect`, kept in ``directory`` between runs.

    The search is a deterministic function of its inputs (the table, the primary cells, the widths)
    and of this module's code, but its answer depends on the order of the warm-started LP solves:
    the same question cannot be answered faster in the same run without changing the pattern. An
    unchanged table (the same edition computed again) gets back the pattern found the first time,
    named by a hash of every input, of this module's source and of the HiGHS version.

    At most about ``keep`` patterns stay: past that, the first pattern a run writes removes the least
    recently used (a pattern read is touched)."""

    #: Patterns kept by default (each a small JSON list; an edition has a few hundred tables).
    KEEP = 20_000

    def __init__(self, directory: Path, keep: int = KEEP) -> None:
        self.directory = directory
        self.keep = keep
        self._pruned = False
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(table: Table, parts: Sequence[object]) -> str:
        h = hashlib.sha256(_algorithm_version().encode())
        h.update(json.dumps([table.membership.shape, *parts], default=str).encode())
        for a in (table.membership, table.respondents, *(x for s in table.systems for x in (s.sizes, s.totals))):
            arr = np.ascontiguousarray(a)
            h.update(f"{arr.dtype.str}{arr.shape}".encode())
            h.update(arr.tobytes())
        return h.hexdigest()

    def get(self, key: str) -> set[int] | None:
        path = self.directory / f"protect-{key}.json"
        try:
            found = json.loads(path.read_text())
            os.utime(path)  # recently used: kept by the pruning
        except (OSError, ValueError):
            self.misses += 1
            return None
        if not isinstance(found, list) or not all(isinstance(c, int) for c in found):
            self.misses += 1
            return None
        self.hits += 1
        return set(found)

    def put(self, key: str, cells: set[int]) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(fd, "w") as fh:
                json.dump(sorted(cells), fh)
            os.replace(tmp, self.directory / f"protect-{key}.json")
            if not self._pruned:  # once per run: a run writes a few hundred patterns at most
                self._pruned = True
                self.prune()
        except OSError:
            pass  # a read-only place: the pattern is simply searched again next time

    def prune(self) -> int:
        """Remove the least recently used patterns beyond ``keep``; return how many went."""
        files = sorted(self.directory.glob("protect-*.json"), key=lambda f: f.stat().st_mtime_ns)
        extra = files[: max(0, len(files) - self.keep)]
        for f in extra:
            f.unlink(missing_ok=True)
        return len(extra)


_VERSION: list[str] = []


def _algorithm_version() -> str:
    if not _VERSION:
        source = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
        _VERSION.append(f"{source}:highspy {importlib.metadata.version('highspy')}")
    return _VERSION[0]


def protect(
    table: Table,
    primary: Sequence[int],
    min_width: float,
    keep: Sequence[int] = (),
    *,
    confidential: Sequence[int] | None = None,
    other_width: float = 0.0,
    cache: PatternCache | None = None,
) -> set[int]:
    """Complementary cells to hide so that every hidden cell is protected (module doc).

    ``confidential``: the primary cells that need ``min_width`` (default: all of them); every
    other hidden cell (hidden for precision, or complementary) needs ``other_width`` — at least
    not exactly derivable. ``keep``: cells to hide only as a last resort (e.g. ``ensemble``).
    ``cache``: patterns already found for the same inputs (:class:`PatternCache`).
    Returns the complementary cells (not the primary ones)."""
    if cache is None:
        return _protect(table, primary, min_width, keep, confidential, other_width)
    parts = [
        sorted(primary),
        repr(min_width),
        sorted(keep),
        None if confidential is None else sorted(confidential),
        repr(other_width),
    ]
    key = cache.key(table, parts)
    found = cache.get(key)
    if found is not None and not all(0 <= c < table.n_cells for c in found):
        found = None  # not a pattern of this table: searched again
    if found is None:
        found = _protect(table, primary, min_width, keep, confidential, other_width)
        cache.put(key, found)
    return found


def _protect(
    table: Table,
    primary: Sequence[int],
    min_width: float,
    keep: Sequence[int],
    confidential: Sequence[int] | None,
    other_width: float,
) -> set[int]:
    strict = set(primary if confidential is None else confidential)
    m = table.membership
    nonempty: npt.NDArray[np.bool_] = np.asarray(m.any(axis=1), dtype=bool)
    groups = _duplicates(m)
    hidden: set[int] = set()
    for h in primary:
        hidden |= groups[h] if nonempty[h] else {h}
    queue = sorted(hidden)
    last_resort = set(keep)
    audit = Auditor(table)

    def need_of(h: int) -> float:
        return required_width(table, hidden, h, min_width) if h in strict else max(other_width, 1e-6)

    unprotectable: set[int] = set()
    for _round in range(table.n_cells + 1):
        while queue:
            h = queue.pop(0)
            if not nonempty[h] or implied_by_published(table, hidden, h):
                continue
            widths = _widths(audit, hidden, h)
            while any(w < need_of(h) - 1e-9 for w in widths.values()):
                choice, widths = _complement(audit, hidden, h, last_resort, groups, widths, need_of(h))
                if not choice:
                    unprotectable.add(h)
                    break
                hidden |= choice
                queue.extend(sorted(choice))
                if implied_by_published(table, hidden, h):
                    break
        # hiding a cell may have raised another cell's requirement (its smallest published container
        # is gone): check every hidden cell again with the final pattern
        queue = [
            h
            for h in sorted(hidden - unprotectable)
            if nonempty[h]
            and not implied_by_published(table, hidden, h)
            and any(w < need_of(h) - 1e-9 for w in _widths(audit, hidden, h).values())
        ]
        if not queue:
            break
    return hidden - set(primary)


def _duplicates(m: BoolMatrix) -> list[set[int]]:
    """For each cell, the cells with exactly the same respondents (itself included)."""
    _, inverse = np.unique(m, axis=0, return_inverse=True)
    inverse = np.asarray(inverse).reshape(-1)
    return [set(np.flatnonzero(inverse == inverse[c]).tolist()) for c in range(m.shape[0])]


def _complement(
    audit: Auditor,
    hidden: set[int],
    h: int,
    last_resort: set[int],
    groups: list[set[int]],
    widths: dict[int, float],
    need: float,
) -> tuple[set[int], dict[int, float]]:
    """The published cells to hide next for ``h`` (a cell and its duplicates), with ``h``'s widths
    after hiding them: the first group (siblings, then overlapping cells, fewest respondents first,
    never a ``last_resort`` cell) that widens ``h``'s narrowest interval; the first group at all when
    none of the first ``MAX_TRIALS`` does."""
    table = audit.table
    m = table.membership
    inside = m[h]
    containers = [d for d in range(table.n_cells) if (m[d] & inside).any()]
    ranked: list[tuple[int, int, int, int]] = []
    seen: set[int] = set()
    for c in range(table.n_cells):
        if c in hidden or c in seen or not m[c].any() or groups[c] & last_resort:
            continue
        seen |= groups[c]
        overlaps = bool((m[c] & inside).any())
        if not overlaps and not any((m[d] & m[c]).any() for d in containers):
            continue  # a sibling only matters if some cell contains both
        ranked.append((int(bool(groups[c] & last_resort)), int(overlaps), int(table.respondents[c]), c))
    ranked.sort()
    if not ranked:
        return set(), widths
    # the published cells whose constraints pin h (non-zero dual values) come first: hiding one of
    # them is what can widen h's interval
    _widths(audit, hidden, h)
    binding = audit.binding
    ranked.sort(key=lambda r: (not (groups[r[3]] & binding), *r))
    failing = [i for i, w in widths.items() if w < need - 1e-9]
    for *_, c in ranked[:MAX_TRIALS]:
        group = groups[c] - hidden
        after = _widths(audit, hidden | group, h, failing)
        if any(after[i] > widths[i] + 1e-9 for i in failing):
            return group, {**widths, **after}
    group = groups[ranked[0][3]] - hidden
    return group, _widths(audit, hidden | group, h)


def recoverable(table: Table, hidden: set[int], cell: int, tol: float = 1e-9) -> bool:
    """Whether ``cell``'s atoms are a linear combination of published cells' (exact differencing)."""
    published = [c for c in range(table.n_cells) if c not in hidden]
    target = table.membership[cell].astype(np.float64)
    if not published:
        return False
    a = table.membership[published].astype(np.float64).T
    coef, *_ = np.linalg.lstsq(a, target, rcond=None)
    return bool(np.abs(a @ coef - target).max() < tol)
