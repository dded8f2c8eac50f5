"""Every indicator of the catalogue in every published breakdown, from an edition's arrays.

Conventions (see README.md):

* unit: **percent of authorities** (0–100) for ``estimate``, ``se``, ``ci_low``, ``ci_high``;
  ``population`` is the weighted number of authorities of the denominator, ``n`` the unweighted
  number of respondents in it;
* denominator: respondents in the domain and the universe (frame attributes), satisfying
  ``among`` (answers), whose answer to the indicator's questions is not missing. A question not
  shown to the respondent (skip logic) is not missing: the condition is evaluated without it
  (e.g. AI uses count as "no" for an authority that does not use AI). A question shown but left
  unanswered is missing (item nonresponse): the respondent leaves the denominator;
* intervals: Korn–Graubard 95 % intervals (Clopper–Pearson on the effective sample size, from the
  engine's linearised standard error, with each domain's design degrees of freedom), which cover
  sampling error only, under the assumption that response is at random within the weighting classes;
* disclosure (``core.stats.disclosure``, thresholds in ``data/disclosure.yaml``): a hidden row
  (``suppressed``) carries no estimate, SE, interval, ``n`` nor population, only its ``reason``
  code (``confidentiality``, ``complementary``, ``precision``); a shown row may be ``imprecise``;
  complementary suppression audits every indicator's table by linear programming
  (``core.stats.secondary``);
* ``respondent_share``: the unweighted share of the cell's respondents (the observatory's base),
  under the same disclosure as the weighted estimate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from barometre.core.errors import IndicatorError
from barometre.core.indicators.catalogue import ALL, Breakdown, Catalogue, Indicator
from barometre.core.indicators.expr import AUTHORITY, CachedEvaluator
from barometre.core.questionnaire import Questionnaire
from barometre.core.questionnaire import expressions as ex
from barometre.core.stats import DisclosureRule, SurveyDesign, check_disclosure, domain_means
from barometre.core.stats.disclosure import COMPLEMENTARY, CONFIDENTIALITY
from barometre.core.stats.korn_graubard import korn_graubard
from barometre.core.stats.secondary import PatternCache, build_table, protect
from barometre.core.weighting.pipeline import WeightingResult
from barometre.core.weighting.units import EditionArrays, FrameArrays
from barometre.core.wording.labels import reason_label

BoolArray = npt.NDArray[np.bool_]


#: Columns of a flat estimate row, in the order every output uses (CLI, API, open data).
ESTIMATE_COLUMNS: tuple[str, ...] = (
    "indicator",
    "breakdown",
    "domain_value",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "n",
    "population",
    "suppressed",
    "reason",
    "imprecise",
    "respondent_share",
)

#: Interval method of every published estimate (named by every methodology text).
INTERVAL_METHOD = "korn_graubard"


@dataclass(frozen=True)
class EstimateRow:
    """One flat output row (the fields of ``IndicatorEstimate``)."""

    indicator: str
    breakdown: str
    domain_value: str
    estimate: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    n: int | None
    population: float | None
    suppressed: bool
    #: ``confidentiality``, ``complementary``, ``precision`` (hidden) or None (shown).
    reason: str | None
    edition: int = 0
    simulated: bool = False
    #: Shown, but fails the NCHS precision standard ("imprécis — à interpréter avec prudence").
    imprecise: bool = False
    #: Unweighted share of the cell's respondents (percent), None when hidden.
    respondent_share: float | None = None
    #: ``weighted`` (frame-weighted estimate) or ``respondents`` (share of respondents).
    base: str = "weighted"

    @property
    def shown(self) -> bool:
        """True when the row may be shown as a number (not suppressed, all values present)."""
        values = (self.estimate, self.ci_low, self.ci_high)
        return not self.suppressed and all(v is not None for v in values)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    def respondents_row(self) -> EstimateRow:
        """The same cell on the respondents' base (unweighted share, ``k sur n``), same disclosure;
        its interval is Clopper–Pearson on the ``n`` respondents (no weighting, no design effect)."""
        if self.suppressed or self.respondent_share is None or not self.n:
            return replace(self, respondent_share=None, base="respondents")
        lo, hi = korn_graubard(min(1.0, max(0.0, self.respondent_share / 100)), 0.0, self.n)
        return replace(
            self,
            estimate=self.respondent_share,
            se=None,
            ci_low=100 * lo,
            ci_high=100 * hi,
            population=None,
            base="respondents",
        )


# --------------------------------------------------------------------------- attribute expressions


def attribute_mask(expr: ex.Expression, units: FrameArrays) -> BoolArray:
    """Vectorised value of an expression that reads only ``${authority.*}`` (universes, domains)."""
    value = _vec(expr.root, units)
    if isinstance(value, np.ndarray):
        return np.asarray(value, dtype=bool)
    return np.full(units.n, bool(value))


def _vec(node: ex.Node, u: FrameArrays) -> Any:
    if isinstance(node, ex.Literal):
        return node.value
    if isinstance(node, ex.Ref):
        if node.name != AUTHORITY or node.item is None:
            raise IndicatorError(f"${{{node.key}}} : seules les références ${{authority.*}} sont permises ici")
        arr: Any = getattr(u, node.item)
        return arr
    if isinstance(node, ex.Binary):
        a, b = _vec(node.left, u), _vec(node.right, u)
        op = node.op
        ops = {
            "and": np.logical_and,
            "or": np.logical_or,
            "=": np.equal,
            "!=": np.not_equal,
            "<": np.less,
            "<=": np.less_equal,
            ">": np.greater,
            ">=": np.greater_equal,
            "+": np.add,
            "-": np.subtract,
            "*": np.multiply,
            "div": np.divide,
            "mod": np.mod,
        }
        return ops[op](a, b)
    if isinstance(node, ex.Unary):
        return np.negative(_vec(node.operand, u))
    if isinstance(node, ex.Call):
        if node.name == "true":
            return True
        if node.name == "false":
            return False
        if node.name == "not":
            return np.logical_not(_vec(node.args[0], u))
        if node.name == "if":
            cond, yes, no = (np.asarray(_vec(a, u)) for a in node.args)
            return np.where(cond, yes, no)
    raise IndicatorError(f"expression non permise sur les attributs : {ex.to_source(node)}")


def universe_mask(
    catalogue: Catalogue,
    universe: str,
    units: FrameArrays,
    year: int,
    questionnaire: Questionnaire | None = None,
    answers: Sequence[Mapping[str, object] | None] | None = None,
    rows: npt.NDArray[np.int64] | None = None,
) -> BoolArray:
    """Units of ``units`` in the universe: its ``when`` expression on the frame attributes, or, for
    an obligation universe, the units for which the obligation applies on the edition's reference
    date (respondents' ``answers`` at ``rows`` complete their profile)."""
    u = catalogue.universes[universe]
    if u.obligation is None:
        return attribute_mask(u.when, units)
    from barometre.core.indicators import obligation_universe as ou

    at = ou.reference_date(year, questionnaire)
    return ou.universe_units(u.obligation, units, at, answers, rows)


# --------------------------------------------------------------------------- indicator values


@dataclass(frozen=True)
class IndicatorMatrix:
    """0/1/NaN value of every indicator (columns) for every respondent (rows)."""

    indicators: tuple[Indicator, ...]
    values: npt.NDArray[np.float64]
    #: universe membership of every unit of the edition (not only respondents), per indicator
    universe_units: npt.NDArray[np.bool_]


def indicator_matrix(
    edition: EditionArrays,
    rows: npt.NDArray[np.int64],
    catalogue: Catalogue,
    questionnaire: Questionnaire,
) -> IndicatorMatrix:
    """Values of every indicator of the edition for the respondents ``rows`` (see the module doc)."""
    inds = tuple(catalogue.for_edition(edition.year))
    if not inds:
        raise IndicatorError(f"aucun indicateur du catalogue ne couvre l'édition {edition.year}")
    units = edition.units
    answers = [edition.answers[int(r)] or {} for r in rows]
    attrs = [units.attributes(int(r)) for r in rows]
    rel_evals: dict[str, list[CachedEvaluator]] = {}

    def shown(qid: str, i: int) -> bool:
        """Whether question ``qid`` was shown to respondent ``i`` (answers hold relevant questions only)."""
        evs = rel_evals.get(qid)
        if evs is None:
            q = questionnaire.get(qid)
            exprs = [] if q is None else [e for e in (questionnaire.section_of(qid).relevant, q.relevant) if e]
            evs = [CachedEvaluator(e) for e in exprs]
            rel_evals[qid] = evs
        return all(ev(answers[i], attrs[i]) for ev in evs)

    n, k = len(rows), len(inds)
    values = np.full((n, k), np.nan)
    universes = np.zeros((units.n, k), dtype=bool)
    uni_cache: dict[str, BoolArray] = {}
    for j, ind in enumerate(inds):
        if ind.universe not in uni_cache:
            uni_cache[ind.universe] = universe_mask(
                catalogue, ind.universe, units, edition.year, questionnaire, answers, rows
            )
        universes[:, j] = uni_cache[ind.universe]
        in_uni = uni_cache[ind.universe][rows]
        d = ind.definition(edition.year)
        num = CachedEvaluator(d.numerator)
        among = CachedEvaluator(d.among) if d.among is not None else None
        qrefs = [name for name, _ in num.refs if name != AUTHORITY]
        for i in range(n):
            if not in_uni[i]:
                continue
            a = answers[i]
            if among is not None and not among(a, attrs[i]):
                continue
            if any(q not in a and shown(q, i) for q in qrefs):
                continue  # item nonresponse
            values[i, j] = 1.0 if num(a, attrs[i]) else 0.0
    return IndicatorMatrix(inds, values, universes)


# --------------------------------------------------------------------------- estimation


def _domains(b: Breakdown, units: FrameArrays) -> list[tuple[str, BoolArray]]:
    if b.is_all:
        return [(ALL, np.ones(units.n, dtype=bool))]
    if b.domains:
        return [(d.value, attribute_mask(d.when, units)) for d in b.domains]
    col = np.asarray(getattr(units, b.attribute or ""))
    return [(str(v), col == v) for v in sorted({str(x) for x in col})]


def compute_indicators(
    edition: EditionArrays,
    weighting: WeightingResult,
    catalogue: Catalogue,
    questionnaire: Questionnaire,
    *,
    rule: DisclosureRule | None = None,
    complement: bool = False,
    paths: dict[str, int] | None = None,
    patterns: PatternCache | None = None,
    matrix: IndicatorMatrix | None = None,
) -> list[EstimateRow]:
    """Every indicator × every published breakdown × every domain, one row each.

    Primary suppression (``confidentiality``, ``precision``) per cell, then complementary
    suppression over all the cells of each indicator (:mod:`barometre.core.stats.secondary`).
    ``complement``: compute every indicator as its complement ``1 − y`` (the recoding test).
    ``paths`` (when given) counts the engine calls by path taken (``vectorised`` or
    ``per-domain``), so that a fallback on the slow exact path is never silent. ``patterns``: the
    complementary suppressions already found for the same tables (``secondary.PatternCache``).
    ``matrix``: the :func:`indicator_matrix` of the same edition, weighting rows, catalogue and
    questionnaire, when the caller already has it."""
    rule = rule or DisclosureRule()
    rows = weighting.rows
    mat = matrix if matrix is not None else indicator_matrix(edition, rows, catalogue, questionnaire)
    y = 1.0 - mat.values if complement else mat.values
    w = weighting.weights
    design = weighting.design
    units = edition.units
    cells: dict[int, list[Cell]] = {j: [] for j in range(len(mat.indicators))}
    needed = {b for ind in mat.indicators for b in ind.breakdowns}
    for bid in [b for b in catalogue.breakdowns if b in needed]:
        b = catalogue.breakdowns[bid]
        cols = [j for j, ind in enumerate(mat.indicators) if bid in ind.breakdowns]
        doms = _domains(b, units)
        # domains of one attribute are disjoint: one engine call; named domains may overlap: one each
        groups: list[list[tuple[str, BoolArray]]] = [doms] if not b.domains else [[d] for d in doms]
        for group in groups:
            live = [(value, mask) for value, mask in group if mask[rows].any()]
            dead = [(value, mask) for value, mask in group if not mask[rows].any()]
            results = _estimate_group(design, y, rows, cols, live, paths)
            for j in cols:
                uni = mat.universe_units[:, j]
                for value, mask in live:
                    est, se, n_ij, df_ij = results.get((j, value), (float("nan"), float("nan"), 0, 0))
                    valid = mask[rows] & ~np.isnan(y[:, j])
                    if n_ij == 0 and not (mask & uni).any():
                        continue  # domain outside the indicator's universe
                    cells[j].append(Cell(bid, value, est, se, int(valid.sum()), float(w[valid].sum()), valid, df_ij))
                for value, mask in dead:
                    if (mask & uni).any():
                        cells[j].append(
                            Cell(bid, value, float("nan"), float("nan"), 0, 0.0, np.zeros(rows.shape[0], bool))
                        )
    out: list[EstimateRow] = []
    for j, ind in enumerate(mat.indicators):
        out.extend(disclosed_rows(ind.id, cells[j], y[:, j], w, rule, edition, patterns=patterns))
    out.sort(key=lambda r: (r.indicator, list(catalogue.breakdowns).index(r.breakdown), r.domain_value))
    return out


@dataclass(frozen=True)
class Cell:
    """One published domain of one indicator before disclosure: its estimate (0–1), standard
    error, respondents ``n``, weighted population and which respondents (rows of the weighting) it
    holds with a non-missing value. Any estimator (e.g. small-area estimates) builds these and
    calls :func:`disclosed_rows`."""

    breakdown: str
    value: str
    estimate: float
    se: float
    n: int
    population: float
    valid: BoolArray  # respondents of the cell with a non-missing value
    #: design degrees of freedom of the domain (None: n − 1, no correction)
    df: float | None = None


def disclosed_rows(
    ind: str,
    cells: Sequence[Cell],
    y: npt.NDArray[np.float64],
    w: npt.NDArray[np.float64],
    rule: DisclosureRule,
    edition: EditionArrays,
    *,
    patterns: PatternCache | None = None,
) -> list[EstimateRow]:
    """Rows of one indicator: primary verdicts, then complementary suppression over its cells.

    The one entry point of the disclosure rules for every estimate the project publishes: ``cells``
    are all the published domains of the indicator in the edition, ``y`` the respondents' 0/1
    values (NaN: outside the denominator), ``w`` their weights."""
    verdicts = [
        check_disclosure(c.n, c.estimate, c.se, rule, df=c.df) if c.n > 0 and np.isfinite(c.estimate) else None
        for c in cells
    ]
    reasons: list[str | None] = [
        CONFIDENTIALITY if v is None else (v.reason if v.suppressed else None) for v in verdicts
    ]
    primary = [i for i, r in enumerate(reasons) if r is not None]
    if primary:
        masks = np.array([c.valid for c in cells], dtype=bool)
        # the pattern is searched on the side where the overall share is at most one half, so that
        # an indicator and its complement (y → 1 − y) get the same pattern
        answered = ~np.isnan(y)
        flip = bool(answered.any() and float(np.nanmean(y)) > 0.5)
        yy = np.where(answered, 1.0 - y if flip else y, 0.0)
        table = build_table(masks, yy, w)
        keep = [i for i, c in enumerate(cells) if c.breakdown == ALL]
        confidential = [i for i in primary if reasons[i] == CONFIDENTIALITY]
        complementary = protect(
            table,
            primary,
            rule.min_feasible_width,
            keep,
            confidential=confidential,
            other_width=rule.min_feasible_width_other,
            cache=patterns,
        )
        for i in complementary:
            reasons[i] = COMPLEMENTARY
    out: list[EstimateRow] = []
    for c, v, reason in zip(cells, verdicts, reasons, strict=True):
        if reason is not None or v is None or v.precision is None:
            out.append(_hidden(ind, c.breakdown, c.value, reason or CONFIDENTIALITY, edition))
            continue
        prec = v.precision
        share = float(y[c.valid].mean())
        out.append(
            EstimateRow(
                ind,
                c.breakdown,
                c.value,
                100 * c.estimate,
                100 * c.se,
                100 * prec.low,
                100 * prec.high,
                c.n,
                c.population,
                False,
                None,
                edition.year,
                edition.simulated,
                imprecise=v.imprecise,
                respondent_share=100 * share,
            )
        )
    return out


def _hidden(ind: str, bid: str, value: str, reason: str, edition: EditionArrays) -> EstimateRow:
    """A hidden cell: no estimate, standard error, interval, count or population; only the reason."""
    return EstimateRow(
        ind, bid, value, None, None, None, None, None, None, True, reason, edition.year, edition.simulated
    )


def _estimate_group(
    design: SurveyDesign,
    y: npt.NDArray[np.float64],
    rows: npt.NDArray[np.int64],
    cols: Sequence[int],
    live: Sequence[tuple[str, BoolArray]],
    paths: dict[str, int] | None = None,
) -> dict[tuple[int, str], tuple[float, float, int, int]]:
    """Estimates (estimate, SE, respondents, degrees of freedom) of columns ``cols`` in disjoint
    domains ``live`` with the engine's ``domain_means``.

    Columns are grouped by their pattern of missing values so that each engine call has no
    missing value inside its domains (the per-column ``na.rm`` of ``svyby``)."""
    out: dict[tuple[int, str], tuple[float, float, int, int]] = {}
    if not live:
        return out
    patterns: dict[bytes, list[int]] = {}
    for j in cols:
        patterns.setdefault(np.isnan(y[:, j]).tobytes(), []).append(j)
    for group_cols in patterns.values():
        valid = ~np.isnan(y[:, group_cols[0]])
        code = np.full(rows.shape[0], -1, dtype=np.int64)
        names: list[str] = []
        for value, mask in live:
            inside = mask[rows] & valid
            if inside.any():
                code[inside] = len(names)
                names.append(value)
        if not names:
            continue
        yk = np.where(valid[:, None], y[:, group_cols], 0.0)
        res = domain_means(design, yk, code)
        if paths is not None:
            paths[res.method] = paths.get(res.method, 0) + 1
        for di, value in enumerate(names):
            for ci, j in enumerate(group_cols):
                out[(j, value)] = (
                    float(res.estimate[di, ci]),
                    float(res.se[di, ci]),
                    int(res.n[di, ci]),
                    int(res.df[di, ci]),
                )
    return out


# --------------------------------------------------------------------------- comparison and series


@dataclass(frozen=True)
class CompareRow:
    indicator: str
    breakdown: str
    domain_value: str
    published: float
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    difference: float | None
    published_inside_ci: bool
    figure: str
    #: the published figure's own wording of its base
    published_base: str
    source: str
    target: bool
    note: str
    #: the estimate compared: ``weighted`` (targets of the simulation: the frame-level reading) or
    #: ``respondents`` (the observatory's own base, when the frame reading cannot match it)
    base: str = "weighted"
    #: reason code of a hidden estimate (listed apart), None when shown
    reason: str | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def compare(rows: Sequence[EstimateRow], catalogue: Catalogue, edition: int) -> list[CompareRow]:
    """For every value published for ``edition``: the estimate beside it (same unit: percent)."""
    index: Mapping[tuple[str, str, str], EstimateRow] = {(r.indicator, r.breakdown, r.domain_value): r for r in rows}
    out: list[CompareRow] = []
    for ind in catalogue.for_edition(edition):
        for p in ind.published_for(edition):
            r = index.get((ind.id, p.breakdown, p.domain))
            base = "weighted" if p.target else "respondents"
            if r is not None and base == "respondents":
                r = r.respondents_row()
            est = r.estimate if r is not None else None
            lo = r.ci_low if r is not None else None
            hi = r.ci_high if r is not None else None
            inside = est is not None and lo is not None and hi is not None and lo <= p.value <= hi
            note = p.note
            if r is None:
                note = (note + " ; " if note else "") + "pas d'estimation pour ce domaine"
            elif r.suppressed:
                note = (note + " ; " if note else "") + f"estimation masquée : {reason_label(r.reason)}"
            out.append(
                CompareRow(
                    ind.id,
                    p.breakdown,
                    p.domain,
                    p.value,
                    est,
                    lo,
                    hi,
                    None if est is None else est - p.value,
                    inside,
                    p.figure,
                    p.base,
                    p.source,
                    p.target,
                    note,
                    base,
                    r.reason if r is not None and r.suppressed else None,
                )
            )
    return out


@dataclass(frozen=True)
class SeriesPoint:
    indicator: str
    edition: int
    breakdown: str
    domain_value: str
    value: float
    base: str
    figure: str
    source: str
    note: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def published_series(catalogue: Catalogue, indicator: str | None = None) -> dict[str, list[SeriesPoint]]:
    """Published values across editions, per indicator (for reports and dashboards)."""
    out: dict[str, list[SeriesPoint]] = {}
    for ind in catalogue.indicators:
        if indicator is not None and ind.id != indicator:
            continue
        pts = [
            SeriesPoint(ind.id, p.edition, p.breakdown, p.domain, p.value, p.base, p.figure, p.source, p.note)
            for p in ind.published
        ]
        out[ind.id] = sorted(pts, key=lambda s: (s.breakdown, s.domain_value, s.edition))
    return out
