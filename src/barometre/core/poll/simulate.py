"""Simulated polls: about 1,000 quota-sampled adults whose weighted answers meet the published figures.

Model (``docs/methodology/poll.md``):

* quotas: the sex × age, région and commune-size counts of the sample follow the census shares
  (largest remainders), each assigned independently in random order; the occupation is drawn
  given the age group from the census occupation table, tilted as an online panel is
  (executives over-represented, manual workers under-represented), so the raking has work to do;
* answers: for each indicator, a logistic propensity of the indicator's answers with an age and
  an executive effect, its intercept fitted (Brent) so that the *weighted* expected share equals the
  published figure; answers are drawn, then the fewest answers nearest the margin are switched so
  that the weighted share lies within ``FIT_TOLERANCE`` points of the figure;
* the answer among the indicator's codes (or among the others) is drawn with fixed shares, "don't
  know" kept rare. Every respondent passes ``validate_answers``.

Same seed → same poll. The results are simulated data ("données simulées").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import optimize

from barometre.core.errors import PollError
from barometre.core.poll.catalogue import PollCatalogue
from barometre.core.poll.margins import AGE_GROUPS, CensusMargins, occupation_table
from barometre.core.poll.weighting import indicator_values, weight_poll
from barometre.core.questionnaire import Questionnaire, validate_answers
from barometre.core.stats.design import FloatArray

DEFAULT_SIZE = 1000
#: Largest distance (percentage points) left between the weighted share and the published figure.
FIT_TOLERANCE = 0.25
#: Over- and under-representation of occupations in an online panel (relative odds).
PANEL_TILT = {"cadres": 1.35, "prof_intermediaires": 1.1, "ouvriers": 0.75, "autres_inactifs": 0.85}
#: Age bounds of each group (inclusive) for drawing an age in years.
AGE_RANGE = {"18_24": (18, 24), "25_34": (25, 34), "35_49": (35, 49), "50_64": (50, 64), "65_plus": (65, 92)}
#: Rows of the census occupation table that describe each age group (weights).
_OCC_ROWS: dict[str, tuple[tuple[str, float], ...]] = {
    "18_24": (("15_19", 0.4), ("20_24", 1.0)),
    "25_34": (("25_39", 1.0),),
    "35_49": (("25_39", 0.3), ("40_54", 0.7)),
    "50_64": (("40_54", 0.3), ("55_64", 0.7)),
    "65_plus": (("65_plus", 1.0),),
}
#: Propensity effects per question: (per decade of age above 45, executive).
EFFECTS: dict[str, tuple[float, float]] = {
    "regard_donnees": (0.15, -0.3),
    "regard_ia": (0.2, -0.4),
    "confiance_donnees_commune": (0.1, 0.1),
    "diffusion_ia": (0.2, -0.4),
    "exposition_cyberattaque": (-0.15, 0.3),
}
#: Share of "don't know" among the answers outside the indicator's codes.
DONT_KNOW_SHARE = 0.08


@dataclass(frozen=True)
class SimulatedPoll:
    edition: int
    seed: int
    respondents: list[tuple[str, dict[str, object]]]
    fit: list[dict[str, float | str]] = field(default_factory=list)


def _quota(shares: FloatArray, n: int, rng: np.random.Generator) -> np.ndarray:
    exact = shares * n
    counts = np.floor(exact).astype(np.int64)
    rest = n - int(counts.sum())
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[:rest]] += 1
    cells = np.repeat(np.arange(shares.shape[0]), counts)
    return rng.permutation(cells)


def _sigmoid(x: FloatArray) -> FloatArray:
    return np.asarray(1.0 / (1.0 + np.exp(-x)), dtype=np.float64)


def simulate_poll(
    qn: Questionnaire,
    catalogue: PollCatalogue,
    margins: CensusMargins,
    *,
    seed: int,
    size: int = DEFAULT_SIZE,
) -> SimulatedPoll:
    if qn.kind != "people":
        raise PollError(f"le questionnaire {qn.edition} n'est pas celui d'un sondage")
    indicators = catalogue.for_edition(qn.edition)
    targets = [(ind, ind.published_value(qn.edition)) for ind in indicators]
    missing = [ind.id for ind, pub in targets if pub is None]
    if not indicators or missing:
        raise PollError(
            f"sondage {qn.edition} : pas de chiffre publié à viser ({', '.join(missing) or 'aucun indicateur'})"
        )
    if size < 100:
        raise PollError("un sondage simulé compte au moins 100 répondants")
    rng = np.random.default_rng(seed)
    sa = margins.margin("sexe_age")
    sex_age = [sa.categories[k] for k in _quota(sa.shares, size, rng)]
    reg = margins.margin("region")
    regions = [reg.categories[k] for k in _quota(reg.shares, size, rng)]
    siz = margins.margin("taille_commune")
    sizes = [siz.categories[k] for k in _quota(siz.shares, size, rng)]
    columns, table = occupation_table()
    tilt = np.array([PANEL_TILT.get(c, 1.0) for c in columns])
    occ_p = {}
    for group in AGE_GROUPS:
        row = sum(w * table[r] for r, w in _OCC_ROWS[group])
        p = np.asarray(row, dtype=np.float64) * tilt
        occ_p[group] = p / p.sum()
    answers: list[dict[str, object]] = []
    for i in range(size):
        sex, group = sex_age[i].split("_", 1)
        lo, hi = AGE_RANGE[group]
        answers.append(
            {
                "sexe": sex,
                "age": int(rng.integers(lo, hi + 1)),
                "region": regions[i],
                "taille_commune": sizes[i],
                "profession": columns[int(rng.choice(len(columns), p=occ_p[group]))],
            }
        )
    weighting = weight_poll(answers, margins)
    w = weighting.weights / weighting.weights.sum()
    age = np.array([float(str(a["age"])) for a in answers])
    executive = np.array([a["profession"] == "cadres" for a in answers], dtype=np.float64)
    fit: list[dict[str, float | str]] = []
    for ind, pub in targets:
        assert pub is not None
        target = pub.value / 100.0
        slope_age, slope_exec = EFFECTS.get(ind.question, (0.0, 0.0))
        x = slope_age * (age - 45.0) / 10.0 + slope_exec * executive

        def gap(a: float, x: FloatArray = x, target: float = target) -> float:
            return float((w * _sigmoid(a + x)).sum()) - target

        alpha = float(optimize.brentq(gap, -15.0, 15.0, xtol=1e-12))
        p = _sigmoid(alpha + x)
        yes = rng.random(size) < p
        share = float((w * yes).sum())
        while abs(share - target) * 100 > FIT_TOLERANCE:
            # switch the answer nearest the margin: the likeliest "no" or the least likely "yes"
            cand = np.flatnonzero(~yes) if share < target else np.flatnonzero(yes)
            k = cand[np.argmax(p[cand])] if share < target else cand[np.argmin(p[cand])]
            yes[k] = not yes[k]
            share = float((w * yes).sum())
        q = qn.question(ind.question)
        codes_yes = list(ind.codes)
        codes_no = [c.code for c in q.choices if c.code not in ind.codes]
        p_yes = np.array(
            [0.4, 0.6][: len(codes_yes)] if len(codes_yes) == 2 else [1.0 / len(codes_yes)] * len(codes_yes)
        )
        p_yes = p_yes / p_yes.sum()
        others = [c for c in codes_no if c != "nsp"]
        p_no = np.array(
            [(1 - DONT_KNOW_SHARE) / len(others)] * len(others) + ([DONT_KNOW_SHARE] if "nsp" in codes_no else [])
        )
        codes_no = others + (["nsp"] if "nsp" in codes_no else [])
        p_no = p_no / p_no.sum()
        for i in range(size):
            if yes[i]:
                answers[i][ind.question] = codes_yes[int(rng.choice(len(codes_yes), p=p_yes))]
            else:
                answers[i][ind.question] = codes_no[int(rng.choice(len(codes_no), p=p_no))]
        realised = indicator_values(answers, ind.question, ind.codes)
        fit.append(
            {
                "indicator": ind.id,
                "target": pub.value,
                "weighted": 100 * float((w * realised).sum()),
                "unweighted": 100 * float(realised.mean()),
            }
        )
    respondents = []
    for i, a in enumerate(answers):
        result = validate_answers(qn, a)
        if not result.ok:
            raise PollError(f"répondant simulé {i + 1} invalide : {result.messages()}")
        respondents.append((f"S{i + 1:04d}", dict(result.cleaned)))
    return SimulatedPoll(qn.edition, seed, respondents, fit)
