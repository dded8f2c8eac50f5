"""Weighting and estimates of the poll: raking to census margins, linearised variances.

Design: every respondent is its own sampling unit, no strata, initial weight ``N / n`` (R's
``svydesign(ids = ~1, weights = ~w0)``). The weights are raked (iterative proportional fitting,
R's ``rake``) to the four census margins in the order sex × age, région, size of commune,
occupation, until the largest change of the cross-table of the margins is below
``epsilon × N``. Variances of the estimates are Taylor linearisations of the raked design (the
residuals of the final raking iteration, as R ``survey``'s ``svyrecvar``), the confidence
intervals are normal (R's ``confint``) and the design effect is R's ``deff`` (variance over
the variance of a simple random sample of the same size).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from barometre.core.errors import PollError, StatsError
from barometre.core.poll.catalogue import PollCatalogue
from barometre.core.poll.margins import OCCUPATION_GROUP_OF, CensusMargins, age_group, load_margins, sex_age
from barometre.core.stats import DisclosureRule, SurveyDesign, check_disclosure, design_from_arrays, rake, svymean
from barometre.core.stats.design import FloatArray, IntArray
from barometre.core.stats.estimators import qcrit

Respondent = Mapping[str, object]
#: Convergence of the raking (relative to the population total) and its iteration limit.
RAKE_EPSILON = 1e-10
RAKE_MAXIT = 1000
#: Who may be shown: the authorities' disclosure rule, unchanged.
POLL_DISCLOSURE = DisclosureRule()


def _age(r: Respondent, i: int) -> int:
    age = r.get("age")
    if isinstance(age, bool) or not isinstance(age, int):
        raise PollError(f"répondant {i + 1} : âge manquant")
    return age


def profile(r: Respondent, i: int = 0) -> dict[str, str]:
    """The respondent's category in each margin and breakdown."""
    try:
        sex, region, size, occupation = (str(r[k]) for k in ("sexe", "region", "taille_commune", "profession"))
    except KeyError as exc:
        raise PollError(f"répondant {i + 1} : variable de quota {exc.args[0]!r} manquante") from None
    age = _age(r, i)
    if occupation not in OCCUPATION_GROUP_OF:
        raise PollError(f"répondant {i + 1} : profession inconnue {occupation!r}")
    group = OCCUPATION_GROUP_OF[occupation]
    return {
        "sexe_age": sex_age(sex, age),
        "sexe": sex,
        "age": age_group(age),
        "region": region,
        "taille_commune": size,
        "profession": group,
    }


@dataclass(frozen=True)
class PollWeighting:
    design: SurveyDesign
    weights: FloatArray
    profiles: list[dict[str, str]]
    report: dict[str, Any]


def margin_codes(profiles: Sequence[Mapping[str, str]], margins: CensusMargins) -> list[tuple[IntArray, FloatArray]]:
    out = []
    for m in margins.margins:
        index = {c: k for k, c in enumerate(m.categories)}
        codes = np.empty(len(profiles), dtype=np.int64)
        for i, p in enumerate(profiles):
            k = index.get(p[m.id])
            if k is None:
                raise PollError(f"répondant {i + 1} : catégorie {p[m.id]!r} absente de la marge {m.id}")
            codes[i] = k
        out.append((codes, m.targets))
    return out


def weight_poll(
    respondents: Sequence[Respondent],
    margins: CensusMargins | None = None,
    *,
    epsilon: float = RAKE_EPSILON,
    maxit: int = RAKE_MAXIT,
) -> PollWeighting:
    """Rake the respondents to the census margins; raises ``PollError`` if it cannot be done."""
    margins = margins or load_margins()
    n = len(respondents)
    if n < 2:
        raise PollError("pondération impossible : moins de deux répondants")
    profiles = [profile(r, i) for i, r in enumerate(respondents)]
    pairs = margin_codes(profiles, margins)
    for (codes, _), m in zip(pairs, margins.margins, strict=True):
        empty = [m.categories[k] for k in range(len(m.categories)) if not np.any(codes == k)]
        if empty:
            raise PollError(f"marge {m.id} : aucun répondant dans {', '.join(empty)} (quotas non remplis)")
    design = design_from_arrays(weights=np.full(n, margins.total / n))
    try:
        raked = rake(design, pairs, maxit=maxit, epsilon=epsilon)
    except StatsError as exc:
        raise PollError(f"redressement : {exc}") from None
    assert isinstance(raked, SurveyDesign)
    w = raked.weights
    gaps = {
        m.id: float(np.max(np.abs(np.bincount(codes, weights=w, minlength=len(m.categories)) / w.sum() - m.shares)))
        for (codes, _), m in zip(pairs, margins.margins, strict=True)
    }
    ratio = w / w.mean()
    report = {
        "respondents": n,
        "population": margins.total,
        "weight_min": float(ratio.min()),
        "weight_max": float(ratio.max()),
        "kish_deff": float(n * (w**2).sum() / w.sum() ** 2),
        "margin_gap": gaps,
        "unweighted_gap": {
            m.id: float(np.max(np.abs(np.bincount(codes, minlength=len(m.categories)) / n - m.shares)))
            for (codes, _), m in zip(pairs, margins.margins, strict=True)
        },
    }
    return PollWeighting(raked, w, profiles, report)


@dataclass(frozen=True)
class PollEstimateRow:
    """One row of the poll's estimates (percentages)."""

    indicator: str
    breakdown: str
    domain_value: str
    estimate: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    deff: float | None
    suppressed: bool
    reason: str
    edition: int = 0
    simulated: bool = False

    @property
    def shown(self) -> bool:
        return not self.suppressed and self.estimate is not None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def indicator_values(respondents: Sequence[Respondent], question: str, codes: Sequence[str]) -> FloatArray:
    """1 when the answer is one of ``codes``, 0 for another answer, NaN when unanswered."""
    wanted = set(codes)
    return np.array(
        [np.nan if r.get(question) is None else float(str(r.get(question)) in wanted) for r in respondents],
        dtype=np.float64,
    )


def poll_estimates(
    weighting: PollWeighting,
    respondents: Sequence[Respondent],
    catalogue: PollCatalogue,
    edition: int,
    *,
    simulated: bool = False,
    rule: DisclosureRule = POLL_DISCLOSURE,
    level: float = 0.95,
) -> list[PollEstimateRow]:
    """Every indicator of the edition for the whole population and each breakdown value."""
    design = weighting.design
    q = qcrit(level, None)
    indicators = catalogue.for_edition(edition)
    y = np.column_stack([indicator_values(respondents, i.question, i.codes) for i in indicators])
    complete = bool(np.isfinite(y).all())
    cells: dict[tuple[str, str, str], PollEstimateRow] = {}
    for b in catalogue.breakdowns:
        for code, _label in b.domains:
            if b.id == "ensemble":
                mask = np.ones(len(respondents), dtype=bool)
            else:
                mask = np.array([p[b.id] == code for p in weighting.profiles], dtype=bool)
            sub = design if b.id == "ensemble" else design.subset(mask)
            counts = (mask[:, None] & ~np.isnan(y)).sum(axis=0)
            shared = None
            if complete and counts[0] > 0:
                # one linearisation for every indicator of the domain (no missing answers)
                with np.errstate(invalid="ignore", divide="ignore"):  # deff 0/0 when everyone agrees
                    shared = svymean(sub, y, na_rm=True, deff=True)
            for j, ind in enumerate(indicators):
                n = int(counts[j])
                if n == 0:
                    cells[(ind.id, b.id, code)] = PollEstimateRow(
                        ind.id, b.id, code, None, None, None, None, 0, None, True, "aucun répondant", edition, simulated
                    )
                    continue
                if shared is not None:
                    p, se = float(shared.coef[j]), float(shared.se[j])
                    d = None if shared.deff is None else float(shared.deff[j])
                else:
                    with np.errstate(invalid="ignore", divide="ignore"):
                        est = svymean(sub, y[:, j : j + 1], na_rm=True, deff=True)
                    p, se = float(est.coef[0]), float(est.se[0])
                    d = None if est.deff is None else float(est.deff[0])
                deff = d if d is not None and np.isfinite(d) else None
                disc = check_disclosure(n, p, se, rule)
                if disc.suppressed:
                    cells[(ind.id, b.id, code)] = PollEstimateRow(
                        ind.id, b.id, code, None, None, None, None, n, None, True, disc.reason or "", edition, simulated
                    )
                    continue
                cells[(ind.id, b.id, code)] = PollEstimateRow(
                    ind.id,
                    b.id,
                    code,
                    100 * p,
                    100 * se,
                    100 * (p - q * se),
                    100 * (p + q * se),
                    n,
                    deff,
                    False,
                    "",
                    edition,
                    simulated,
                )
    rows = [cells[(i.id, b.id, c)] for i in indicators for b in catalogue.breakdowns for c, _ in b.domains]
    return rows
