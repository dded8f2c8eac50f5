"""Simulated editions: plausible answers whose frame-level shares hit the published figures.

Model (documented in ``docs/methodology/simulation.md``):

* every authority of the frame gets a latent maturity ``m_i`` (size and kind effect + noise);
* each question is answered in the questionnaire's evaluation order (skip logic respected)
  by a multinomial-logit model ``u_ic = a_c + b_c m_i + shifts`` (ordered choices: the first is
  the most mature, ``b_c`` decreasing; "don't know" rare);
* shifts are **fitted** by root-finding (Brent) so that the frame-level share of every targeted
  published figure (``target: true`` in the catalogue) on its stated base equals the figure,
  targets being met in turn until stable (iterative proportional fitting over the targets);
* answers are drawn for the whole frame, balanced within strata, with **persistent draws**
  (common random numbers): each authority has its own uniform draw per question (grid item,
  choice of a multiple choice), seeded by (seed, authority code, question) and not by the year,
  and takes the first choice whose cumulative probability exceeds it (the count of each stratum
  held to its expected total); its latent maturity is its own too, the same in every edition
  (seeded by (seed, authority code)). An authority's answer
  therefore changes from one edition to the next only when its probabilities move past its own
  draw, as a real authority's answers do;
* respondents are drawn with stratum-specific response rates (small communes answer least,
  régions and départements most); with the previous edition's respondents
  (``previous_respondents``), a **panel**: a share of the stratum's previous respondents answer
  again (``panel_retention``: 51 % of small communes to 90 % of régions, 59 % overall; the most
  loyal first, a persistent draw per authority), the rest is drawn among the stratum's other
  authorities; respondents'
  answers pass ``validate_answers``.

Same seed → identical edition. Every output is flagged ``simulated=True``.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy import optimize, special

from barometre.core.errors import EditionError
from barometre.core.indicators.catalogue import ALL, Catalogue
from barometre.core.indicators.compute import attribute_mask, universe_mask
from barometre.core.indicators.expr import AUTHORITY, CachedEvaluator
from barometre.core.questionnaire import QType, Question, Questionnaire, validate_answers
from barometre.core.questionnaire import expressions as ex
from barometre.core.registry import Frame
from barometre.core.sampling import Sample
from barometre.core.weighting.units import EditionArrays, FrameArrays, build_edition_arrays, frame_arrays

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Respondents per edition (facts.md: 2022 277, 2024 289, 2025 292; 2023 unknown → 290, assumed).
DEFAULT_RESPONDENTS: dict[int, int] = {2022: 277, 2023: 290, 2024: 289, 2025: 292}
#: Relative response propensity by stratum (small communes least, régions and départements most).
RESPONSE_PROPENSITY: dict[str, float] = {
    "communes_moins_3500": 1.0,
    "communes_3500_9999": 5.0,
    "communes_10000_24999": 9.0,
    "communes_25000_99999": 14.0,
    "communes_100000_plus": 30.0,
    "epci_cc": 7.0,
    "epci_ca": 14.0,
    "epci_cu": 25.0,
    "epci_metropoles": 40.0,
    "departements": 45.0,
    "regions": 60.0,
}
#: Questions whose first choice is the *least* mature one (order reversed for the model).
REVERSED = frozenset({"cyber_budget", "culture_donnees", "maturite_donnees"})
#: Choices of a question that are "don't know"-like (rare, not ordered).
NEUTRAL_CODES = frozenset({"nsp", "non_concerne", "autre", "aucune", "personne", "pas_de_site"})
SLOPE = 1.2
FIT_ROUNDS = 12
SHIFT_BOUND = 15.0
#: An indicator without a targeted published figure for the edition stays within this many points
#: (frame level) of its latest published value, else of the previous simulated edition's value.
DRIFT_BOUND = 3.0
#: Share of a stratum's previous respondents who answer again, when the previous edition's
#: respondents are given (a panel, as in a voluntary barometer whose regular respondents come back):
#: from the first value (a stratum of no response propensity) to the second (the most responsive
#: stratum), growing with the square root of the stratum's relative propensity: the large
#: authorities, which answer most, come back most (régions 90 %, départements 84 %, small communes
#: 51 %; 59 % of the previous respondents overall at the demo's sizes, see ``panel_retention``).
PANEL_RETENTION = (0.45, 0.9)
#: Utility of a choice a plausibility rule forbids (no fitted shift can bring it back).
IMPOSSIBLE = 1e3


@dataclass(frozen=True)
class Plausibility:
    """Choices a unit cannot make when ``when`` holds (besides skip logic): e.g. a commune of
    20 inhabitants has no in-house information security officer."""

    question: str
    forbidden: tuple[str, ...]
    when: str
    reason: str


#: Plausibility rules of the simulated answers (applied when the question and every question the
#: condition reads exist in the edition's questionnaire).
PLAUSIBILITY: tuple[Plausibility, ...] = (
    Plausibility(
        "rssi",
        ("interne",),
        "${authority.kind} = 'commune' and ${authority.population} < 2000",
        "a commune of fewer than 2,000 inhabitants has no in-house information security officer",
    ),
    Plausibility(
        "dpo",
        ("interne",),
        "${authority.kind} = 'commune' and ${authority.population} < 500",
        "a commune of fewer than 500 inhabitants has no in-house data protection officer",
    ),
    Plausibility(
        "ia_charte_ethique",
        ("adopte", "en_cours"),
        "${ia_usage} = 'non'",
        "an authority that declares no use of AI has not adopted an AI charter",
    ),
)


@dataclass(frozen=True)
class SelfSelection:
    """Response not at random: within a stratum, an authority's odds of responding are
    multiplied by ``exp(strength)`` per standard deviation of its answer maturity score
    (:func:`answer_maturity`), so that the more mature authorities answer more often, as in a
    voluntary survey. ``strength = 0`` is response at random within strata."""

    name: str
    strength: float


#: Named strengths of self-selection (``SelfSelection.name``).
SELF_SELECTION: dict[str, SelfSelection] = {
    s.name: s for s in (SelfSelection("aucune", 0.0), SelfSelection("moderee", 0.5), SelfSelection("forte", 1.0))
}


@dataclass(frozen=True)
class FitTarget:
    indicator: str
    figure: str
    breakdown: str
    domain: str
    question: str
    target: float  # percent
    fitted: float  # expected frame-level share after fitting (percent)
    frame_value: float  # realised share in the simulated frame (percent)
    base_size: int  # authorities of the frame in the denominator
    reached: bool


@dataclass(frozen=True)
class SimulatedEdition:
    year: int
    seed: int
    simulated: bool
    arrays: EditionArrays
    #: authority code → cleaned answers (respondents only)
    answers: Mapping[str, Mapping[str, object]]
    invited: tuple[str, ...]
    respondents: tuple[str, ...]
    response_rates: Mapping[str, float]
    targets: tuple[FitTarget, ...]
    label: str = "données simulées"
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: answers of every unit of the frame (the simulated population the respondents come from)
    frame_answers: tuple[Mapping[str, object], ...] = field(default_factory=tuple)
    #: the response mechanism (None: at random within strata)
    self_selection: SelfSelection | None = None
    #: bands kept by the indicators without a targeted published figure (see ``drift_anchors``)
    anchors: tuple[FitTarget, ...] = ()
    #: frame-level share (percent) of every indicator of the edition over the whole frame: what the
    #: next simulated edition's bands start from
    frame_shares: Mapping[str, float] = field(default_factory=dict)


# --------------------------------------------------------------------------- persistent draws


def _mix64(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """splitmix64's finaliser: a bijective mixing of 64-bit integers (wrapping arithmetic)."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return np.asarray(x ^ (x >> np.uint64(31)), dtype=np.uint64)


def _key64(*parts: object) -> int:
    digest = hashlib.blake2b("\x1f".join(str(p) for p in parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


@dataclass(frozen=True)
class _Draws:
    """Common random numbers of a simulation: one uniform per (seed, authority code, key), the same
    in every edition, so that an authority's answer to a question changes only when its
    probabilities move past its own draw (answers persist from one edition to the next)."""

    seed: int
    units: npt.NDArray[np.uint64]  # one 64-bit key per unit of the frame, from its code

    @classmethod
    def of(cls, seed: int, codes: Sequence[str] | npt.NDArray[np.str_]) -> _Draws:
        return cls(seed, np.array([_key64(c) for c in codes], dtype=np.uint64))

    def uniform(self, *key: object) -> FloatArray:
        """One uniform in (0, 1) per unit for ``key`` (a question, a grid item, a choice…)."""
        with np.errstate(over="ignore"):
            h = _mix64(self.units ^ np.uint64(_key64(self.seed, *key)))
        return np.asarray(((h >> np.uint64(11)).astype(np.float64) + 0.5) / 2.0**53, dtype=np.float64)

    def normal(self, *key: object) -> FloatArray:
        return np.asarray(special.ndtri(self.uniform(*key)), dtype=np.float64)

    def scalar(self, *key: object) -> float:
        """One uniform in [0, 1) shared by every unit (rounding of a group's count)."""
        return (_key64(self.seed, *key) >> 11) / 2.0**53


# --------------------------------------------------------------------------- helpers


def _balanced(p: FloatArray, u: FloatArray, v: float) -> BoolArray:
    """Balanced draw with common random numbers: unit i selected with probability about p_i,
    ``floor(sum p + v)`` units in all (``v`` uniform): those whose own draw ``u_i`` falls furthest
    below ``p_i`` on the logit scale (``u_i < p_i`` alone would be an independent draw)."""
    out = np.zeros(p.shape[0], dtype=bool)
    p = np.clip(p, 0.0, 1.0)
    eligible = np.flatnonzero(p > 1e-12)
    count = min(math.floor(float(p.sum()) + v), eligible.shape[0])
    if count <= 0:
        return out
    score = special.logit(p[eligible]) - special.logit(u[eligible])
    out[eligible[np.argsort(-score, kind="stable")[:count]]] = True
    return out


def _draw_categorical(
    prob: FloatArray, groups: npt.NDArray[np.int64], draws: _Draws, *key: object
) -> npt.NDArray[np.int64]:
    """One category per row, balanced within groups, with the unit's own draw for ``key``: inverse
    CDF of the choices in order (the unit takes the first choice whose cumulative probability
    exceeds its draw), the cumulative count of each group held to its expected total (one
    systematic rounding per group)."""
    n, k = prob.shape
    u = draws.uniform(*key)
    choice = np.full(n, -1, dtype=np.int64)
    for g in np.unique(groups):
        idx = np.flatnonzero(groups == g)
        v = draws.scalar(*key, "group", int(g))
        cum = np.zeros(idx.shape[0])
        free = np.ones(idx.shape[0], dtype=bool)
        taken = 0
        for c in range(k - 1):
            pc = prob[idx, c]
            cum = cum + pc
            want = math.floor(float(cum.sum()) + v) - taken
            if want <= 0:
                continue
            cand = np.flatnonzero(free & (pc > 1e-12))
            if cand.shape[0] == 0:
                continue
            cp = np.clip(cum[cand], 0.0, 1.0)
            score = special.logit(cp) - special.logit(u[idx[cand]])
            sel = cand[np.argsort(-score, kind="stable")[:want]]
            choice[idx[sel]] = c
            free[sel] = False
            taken += sel.shape[0]
        rest = np.flatnonzero(free)
        last = prob[idx[rest], k - 1] > 1e-12
        choice[idx[rest[last]]] = k - 1
        # a unit left without a possible last choice takes its most likely one
        choice[idx[rest[~last]]] = np.argmax(prob[idx[rest[~last]]], axis=1)
    return choice


def _softmax(u: FloatArray) -> FloatArray:
    z = u - u.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True), dtype=np.float64)


def _sigmoid(x: FloatArray) -> FloatArray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(x, -50, 50))), dtype=np.float64)


def _base_utilities(q: Question, codes: Sequence[str], m: FloatArray) -> FloatArray:
    ordered = [c for c in codes if c not in NEUTRAL_CODES]
    if q.id in REVERSED:
        ordered = ordered[::-1]
    k = len(ordered)
    u = np.zeros((m.shape[0], len(codes)))
    for j, c in enumerate(codes):
        if c in NEUTRAL_CODES:
            u[:, j] = -2.8 - 0.3 * m
        else:
            pos = ordered.index(c)
            slope = SLOPE * (1 - 2 * pos / (k - 1)) if k > 1 else 0.0
            u[:, j] = slope * m
    return u


# --------------------------------------------------------------------------- targets


@dataclass
class _Target:
    indicator: str
    figure: str
    breakdown: str
    domain: str
    value: float
    denom: BoolArray  # frame units in the denominator
    hit: FloatArray  # (n, K) 1 where choosing c counts in the numerator (relevant units)
    hit_absent: FloatArray  # (n,) numerator value when the question is not shown
    codes: list[str]
    fitted: float = float("nan")
    reached: bool = False
    #: (low, high) shares: an anchor of an indicator without a targeted published figure, kept
    #: within a band (its latest published value or the previous simulated edition ± DRIFT_BOUND)
    band: tuple[float, float] | None = None


def _targets_for(
    q: Question,
    item: str | None,
    codes: Sequence[str],
    catalogue: Catalogue,
    year: int,
    fa: FrameArrays,
    order: Sequence[str],
    unit_answers: Sequence[dict[str, object]],
    attrs: Sequence[dict[str, object]],
    anchors: Mapping[str, Sequence[_Anchor]] | None = None,
) -> list[_Target]:
    out: list[_Target] = []
    key = q.id if item is None else f"{q.id}.{item}"
    for ind in catalogue.for_edition(year):
        specs: list[_Anchor] = [
            _Anchor(p.breakdown, p.domain, p.value, None, p.figure) for p in ind.published_for(year) if p.target
        ]
        if not specs:
            specs = list((anchors or {}).get(ind.id, ()))
        if not specs:
            continue
        d = ind.definition(year)
        refs = [r for r in ex.references(d.numerator) if r.name != AUTHORITY]
        if not refs:
            continue
        last = max(refs, key=lambda r: order.index(r.name) if r.name in order else -1)
        if (last.name if last.item is None else f"{last.name}.{last.item}") != key:
            continue
        num = CachedEvaluator(d.numerator)
        among = CachedEvaluator(d.among) if d.among is not None else None
        uni = universe_mask(catalogue, ind.universe, fa, year, None, unit_answers, np.arange(fa.n))
        n = fa.n
        amask = np.ones(n, dtype=bool)
        if among is not None:
            amask = np.array([among(unit_answers[i], attrs[i]) if uni[i] else False for i in range(n)], dtype=bool)
        # the numerator depends on the answer to q and on a few other values: one row per context
        others = [(nm, it) for nm, it in num.refs if (nm if it is None else f"{nm}.{it}") != key]
        ctx_rows: dict[tuple[object, ...], tuple[list[float], float]] = {}
        hit = np.zeros((n, len(codes)))
        absent = np.zeros(n)
        for i in np.flatnonzero(uni & amask).tolist():
            a = unit_answers[i]
            ck = tuple(_ref_value(a, attrs[i], nm, it) for nm, it in others)
            row = ctx_rows.get(ck)
            if row is None:
                base = {k: v for k, v in a.items() if k != q.id}
                inner = a.get(q.id)
                if item is not None and isinstance(inner, dict):
                    base[q.id] = {k: v for k, v in inner.items() if k != item}
                trials = []
                for c in codes:
                    trial = dict(base)
                    if item is not None:
                        prior = base.get(q.id)
                        trial[q.id] = {**(prior if isinstance(prior, dict) else {}), item: c}
                    elif q.type is QType.SELECT_MULTIPLE:
                        trial[q.id] = [c]
                    else:
                        trial[q.id] = c
                    trials.append(1.0 if num(trial, attrs[i]) else 0.0)
                row = (trials, 1.0 if num(base, attrs[i]) else 0.0)
                ctx_rows[ck] = row
            hit[i] = row[0]
            absent[i] = row[1]
        for p in specs:
            b = catalogue.breakdowns[p.breakdown]
            if b.is_all:
                dom = np.ones(n, dtype=bool)
            elif b.domains:
                dom = attribute_mask(next(x for x in b.domains if x.value == p.domain).when, fa)
            else:
                dom = np.asarray(getattr(fa, b.attribute or "")) == p.domain
            denom = uni & amask & dom
            if denom.any():
                band = None if p.band is None else (p.band[0] / 100.0, p.band[1] / 100.0)
                out.append(
                    _Target(
                        ind.id,
                        p.figure,
                        p.breakdown,
                        p.domain,
                        p.value / 100.0,
                        denom,
                        hit,
                        absent,
                        list(codes),
                        band=band,
                    )
                )
    return out


@dataclass(frozen=True)
class _Anchor:
    """A share to reach (percent): a targeted published figure (``band`` None), or the band an
    indicator without one stays in."""

    breakdown: str
    domain: str
    value: float
    band: tuple[float, float] | None
    figure: str = ""


def drift_anchors(
    catalogue: Catalogue, year: int, previous: Mapping[str, float] | None = None
) -> dict[str, list[_Anchor]]:
    """Bands of the indicators of ``year`` that have no targeted published figure that year: each
    domain with a targeted published value in an earlier edition stays within ``DRIFT_BOUND`` of the
    latest one; the whole frame (``ensemble``), when nothing was published for it, within
    ``DRIFT_BOUND`` of its value in the previous simulated edition (``previous``: indicator → percent)."""
    out: dict[str, list[_Anchor]] = {}
    for ind in catalogue.for_edition(year):
        if any(p.target for p in ind.published_for(year)):
            continue
        latest: dict[tuple[str, str], tuple[int, float]] = {}
        for p in ind.published:
            if p.target and p.edition < year and p.edition >= latest.get((p.breakdown, p.domain), (0, 0.0))[0]:
                latest[(p.breakdown, p.domain)] = (p.edition, p.value)
        anchors = [_band(b, d, v) for (b, d), (_, v) in sorted(latest.items())]
        if not any(b == ALL for b, _ in latest) and previous is not None and ind.id in previous:
            anchors.append(_band(ALL, ALL, previous[ind.id]))
        if anchors:
            out[ind.id] = anchors
    return out


def _band(breakdown: str, domain: str, value: float) -> _Anchor:
    lo, hi = max(0.0, value - DRIFT_BOUND), min(100.0, value + DRIFT_BOUND)
    return _Anchor(breakdown, domain, value, (lo, hi))


def _ref_value(a: Mapping[str, object], attrs: Mapping[str, object], name: str, item: str | None) -> object:
    if name == AUTHORITY:
        return attrs.get(item or "")
    v = a.get(name)
    if item is not None:
        return v.get(item) if isinstance(v, dict) else None
    if isinstance(v, list):
        return tuple(v)
    if isinstance(v, dict):
        return tuple(sorted(v.items()))
    return v


def _fit(targets: list[_Target], u: FloatArray, relevant: BoolArray, multiple: bool) -> FloatArray:
    """Add fitted shifts to the utilities ``u`` (n, K) in place and return it."""
    if not targets:
        return u

    def parts(t: _Target) -> tuple[FloatArray, FloatArray, float, float]:
        rows = t.denom & relevant
        return u[rows], t.hit[rows], float(t.hit_absent[t.denom & ~relevant].sum()), float(t.denom.sum())

    def share_of(p: tuple[FloatArray, FloatArray, float, float], s: float) -> float:
        uu, hit, absent, den = p
        v = uu + s * hit
        if multiple:
            pr = _sigmoid(v)
            p_any = 1 - np.prod(np.where(hit > 0, 1 - pr, 1.0), axis=1)
        else:
            e = np.exp(v - v.max(axis=1, keepdims=True))
            p_any = (e * hit).sum(axis=1) / e.sum(axis=1)
        return float((p_any.sum() + absent) / den)

    def share(t: _Target, s: float) -> float:
        return share_of(parts(t), s)

    def settle(t: _Target) -> float:
        """The share to reach now: a band's nearest edge (its current share when inside)."""
        if t.band is not None:
            t.value = min(max(share(t, 0.0), t.band[0]), t.band[1])
        return t.value

    # bands first, published figures last; then the published figures alone again: where both bear
    # on the same answers, the figure wins
    targets = sorted(targets, key=lambda t: t.band is None)
    feasible: dict[int, bool] = {}

    def rounds(ts: Sequence[_Target], first: int) -> None:
        for round_no in range(first, FIT_ROUNDS):
            if round_no and all(abs(share(t, 0.0) - settle(t)) < 2e-4 for t in ts if feasible.get(id(t), True)):
                break
            for t in ts:
                settle(t)
                p = parts(t)
                if round_no == 0:
                    lo, hi = share_of(p, -SHIFT_BOUND), share_of(p, SHIFT_BOUND)
                    feasible[id(t)] = lo < t.value < hi
                    if not feasible[id(t)]:
                        s = -SHIFT_BOUND if t.value <= lo else SHIFT_BOUND
                        u[t.denom] += s * t.hit[t.denom]
                        continue
                elif not feasible[id(t)]:
                    continue
                a, b = -SHIFT_BOUND, SHIFT_BOUND
                if round_no:
                    a, b = -2.0, 2.0
                    if not share_of(p, a) < t.value < share_of(p, b):
                        a, b = -SHIFT_BOUND, SHIFT_BOUND
                s = float(optimize.brentq(lambda x, p=p, t=t: share_of(p, x) - t.value, a, b, xtol=1e-5))
                u[t.denom] += s * t.hit[t.denom]

    rounds(targets, 0)
    if any(t.band is not None for t in targets):
        rounds([t for t in targets if t.band is None], 1)
    for t in targets:
        t.fitted = share(t, 0.0)
        t.reached = abs(t.fitted - settle(t)) < 0.005
    return u


# --------------------------------------------------------------------------- main


def _profile_value(q: Question, fa: FrameArrays, m: FloatArray, draws: _Draws) -> list[object] | None:
    if q.id == "type_collectivite":
        mapping = {
            "commune": "commune",
            "epci": "epci",
            "departement": "departement",
            "region": "region",
            "metropole_lyon": "metropole",
        }
        out: list[object] = []
        for kind, typ in zip(fa.kind, fa.type, strict=True):
            if typ == "METRO":
                out.append("metropole")
            elif kind == "collectivite_unique":
                out.append("region" if typ in ("CDC", "CTU") else "departement")
            else:
                out.append(mapping[str(kind)])
        return out
    if q.id == "population":
        hi = q.max if q.max is not None else math.inf
        return [int(min(p, hi)) for p in fa.population]
    if q.id == "nb_agents":
        per = np.where(fa.kind == "commune", 70.0, 450.0)
        agents = np.maximum(1, np.round(fa.population / per * np.exp(0.3 * draws.normal(q.id))))
        hi = q.max if q.max is not None else math.inf
        return [int(min(a, hi)) for a in agents]
    return None


def _numeric(q: Question, n: int, m: FloatArray, draws: _Draws, values: Mapping[str, list[object]]) -> list[object]:
    if q.id == "agents_informatique" and "nb_agents" in values:
        share = np.clip(0.03 + 0.01 * m, 0.0, 0.2)
        return [
            int(np.floor(float(a) * s)) if isinstance(a, int) else None
            for a, s in zip(values["nb_agents"], share, strict=True)
        ]
    lo = q.min if q.min is not None else 0.0
    hi = q.max if q.max is not None else lo + 100.0
    x = lo + (hi - lo) * _sigmoid(0.8 * m + draws.normal(q.id) * 0.5 - 1.0)
    if q.type in (QType.INTEGER, QType.SCALE):
        return [round(float(v)) for v in x]
    return [float(round(v, 2)) for v in x]


def simulate_edition(
    year: int,
    seed: int,
    respondents: int | None = None,
    *,
    frame: Frame | FrameArrays,
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    sample: Sample | None = None,
    self_selection: SelfSelection | None = None,
    previous: Mapping[str, float] | None = None,
    previous_respondents: Sequence[str] | None = None,
) -> SimulatedEdition:
    """Simulate edition ``year`` (voluntary survey of the whole frame, or of ``sample``'s units);
    respondents are drawn at random within strata, or by ``self_selection``. ``previous``: the
    ``frame_shares`` of the previous simulated edition, so that indicators without a published
    figure drift by at most ``DRIFT_BOUND`` points from it. ``previous_respondents``: the codes of
    the previous edition's respondents, of whom a share (``panel_retention``) answer again (a panel); without it,
    every respondent is drawn afresh. An authority's answers persist from one edition to the next
    whatever the respondents (common random numbers, see the module's docstring)."""
    fa = frame if isinstance(frame, FrameArrays) else frame_arrays(frame)
    if questionnaire.edition != year:
        raise EditionError(f"questionnaire de l'édition {questionnaire.edition} pour simuler {year}")
    n_resp = respondents if respondents is not None else DEFAULT_RESPONDENTS.get(year, 290)
    rng = np.random.default_rng([seed, year])
    n = fa.n
    strata_names, scode = np.unique(fa.stratum, return_inverse=True)
    scode = scode.astype(np.int64)
    logpop = np.log10(np.maximum(fa.population, 1.0))
    kind_effect = np.select(
        [fa.kind == "region", fa.kind == "departement", fa.type == "METRO", fa.kind == "epci"],
        [0.8, 0.6, 0.8, 0.2],
        0.0,
    )
    draws = _Draws.of(seed, fa.codes)
    # the authority's own maturity, the same in every edition
    noise = draws.normal("maturity")
    raw = 0.9 * (logpop - logpop.mean()) / logpop.std() + kind_effect + 0.8 * noise
    m = (raw - raw.mean()) / raw.std()
    attrs = [fa.attributes(i) for i in range(n)]
    unit_answers: list[dict[str, object]] = [{} for _ in range(n)]
    order = list(questionnaire.eval_order)
    values: dict[str, list[object]] = {}
    fitted: list[_Target] = []
    qtarget_names: dict[int, str] = {}
    anchors = drift_anchors(catalogue, year, previous)
    rules = _plausibility_rules(questionnaire)
    for qid in order:
        q = questionnaire.question(qid)
        section = questionnaire.section_of(qid)
        rel_exprs = [e for e in (section.relevant, q.relevant) if e is not None]
        if rel_exprs:
            evs = [CachedEvaluator(e) for e in rel_exprs]
            relevant = np.array([all(ev(unit_answers[i], attrs[i]) for ev in evs) for i in range(n)], dtype=bool)
        else:
            relevant = np.ones(n, dtype=bool)
        vals: list[object] | None = None
        if q.type is QType.CALCULATE:
            continue
        profile = _profile_value(q, fa, m, draws)
        if profile is not None:
            vals = profile
        elif q.type.is_numeric:
            vals = _numeric(q, n, m, draws, values)
        elif q.type in (QType.SELECT_ONE, QType.YES_NO):
            codes = list(q.codes)
            u = _plausible(q.id, codes, _base_utilities(q, codes, m), rules, unit_answers, attrs)
            ts = _targets_for(q, None, codes, catalogue, year, fa, order, unit_answers, attrs, anchors)
            u = _fit(ts, u, relevant, False)
            fitted += ts
            for t in ts:
                qtarget_names[id(t)] = q.id
            pick = _draw_categorical(_softmax(u), scode, draws, q.id)
            vals = [codes[c] for c in pick]
        elif q.type is QType.GRID:
            codes = list(q.codes)
            grid: list[dict[str, str]] = [{} for _ in range(n)]
            for item in q.item_ids:
                u = _base_utilities(q, codes, m) - 0.3
                ts = _targets_for(q, item, codes, catalogue, year, fa, order, unit_answers, attrs, anchors)
                u = _fit(ts, u, relevant, False)
                fitted += ts
                for t in ts:
                    qtarget_names[id(t)] = f"{q.id}.{item}"
                pick = _draw_categorical(_softmax(u), scode, draws, q.id, item)
                for i in range(n):
                    grid[i][item] = codes[pick[i]]
            vals = list(grid)
        elif q.type is QType.SELECT_MULTIPLE:
            codes = list(q.codes)
            u = np.zeros((n, len(codes)))
            for j, c in enumerate(codes):
                u[:, j] = (-3.5 if c in NEUTRAL_CODES or c in q.exclusive_codes else -0.4) + 0.8 * m
            ts = _targets_for(q, None, codes, catalogue, year, fa, order, unit_answers, attrs, anchors)
            u = _fit(ts, u, relevant, True)
            fitted += ts
            for t in ts:
                qtarget_names[id(t)] = q.id
            pr = _sigmoid(u)
            chosen = np.zeros((n, len(codes)), dtype=bool)
            for j, c in enumerate(codes):
                u_c = draws.uniform(q.id, c)
                for g in range(len(strata_names)):
                    idx = np.flatnonzero(scode == g)
                    chosen[idx, j] = _balanced(pr[idx, j], u_c[idx], draws.scalar(q.id, c, "group", g))
            excl = [j for j, c in enumerate(codes) if c in q.exclusive_codes]
            multi: list[object] = []
            for i in range(n):
                sel = [codes[j] for j in range(len(codes)) if chosen[i, j]]
                ex_sel = [codes[j] for j in excl if chosen[i, j]]
                if ex_sel and len(sel) > 1:
                    sel = [c for c in sel if c not in q.exclusive_codes] or ex_sel[:1]
                if not sel:
                    # a respondent ticks something: the neutral choice ("don't know", "none", "other")
                    # when there is one (it counts in no numerator), else the most likely choice
                    neutral = [c for c in codes if c in q.exclusive_codes or c in NEUTRAL_CODES]
                    sel = neutral[-1:] if neutral else [codes[int(np.argmax(u[i]))]]
                multi.append(sel or None)
            vals = multi
        elif q.required:
            vals = ["simulé" if q.type in (QType.TEXT, QType.LONG_TEXT) else f"{year}-06-15"] * n
        if vals is None:
            continue
        values[qid] = vals
        for i in np.flatnonzero(relevant).tolist():
            v = vals[i]
            if v is not None:
                unit_answers[i][qid] = v
    # realised frame values of the targets (published figures) and of the drift bands
    targets = tuple(_realised(t, qtarget_names[id(t)], unit_answers) for t in fitted if t.band is None)
    bands = tuple(_realised(t, qtarget_names[id(t)], unit_answers) for t in fitted if t.band is not None)
    # respondents
    invited_rows = np.arange(n) if sample is None else fa.index_of(sample.codes)
    pi = None if sample is None else sample.inclusion_probability
    tilt = None
    if self_selection is not None and self_selection.strength != 0.0:
        tilt = selection_odds(answer_maturity(questionnaire, unit_answers), self_selection.strength)
    panel = None
    if previous_respondents is not None:
        known = {str(c): i for i, c in enumerate(fa.codes)}
        panel = np.array(sorted(known[c] for c in previous_respondents if c in known), dtype=np.int64)
    resp_rows, rates = _draw_respondents(fa, invited_rows, n_resp, rng, tilt, panel, draws.uniform("loyalty"))
    answers: dict[str, dict[str, object]] = {}
    notes: list[str] = []
    for r in resp_rows:
        code = str(fa.codes[r])
        answers[code] = _validated(questionnaire, unit_answers[r], code)
    units = None if sample is None else sample.units()
    arrays = build_edition_arrays(
        year=year,
        frame=fa,
        answers=answers,
        units=units,
        collection="voluntary" if sample is None else "sample",
        simulated=True,
    )
    if pi is not None:
        assert arrays.n_units == pi.shape[0]
    if year == 2023 and respondents is None:
        notes.append("2023 : nombre de répondants non publié ; 290 supposés")
    for ft in targets:
        if not ft.reached:
            notes.append(
                f"cible non atteinte au niveau de la base : {ft.indicator} {ft.breakdown}={ft.domain} "
                f"{ft.target:.0f} % (modèle : {ft.fitted:.1f} %)"
            )
    return SimulatedEdition(
        year,
        seed,
        True,
        arrays,
        answers,
        tuple(str(c) for c in fa.codes[invited_rows]),
        tuple(answers),
        rates,
        targets,
        notes=tuple(notes),
        frame_answers=tuple(unit_answers),
        self_selection=self_selection,
        anchors=bands,
        frame_shares=frame_shares(catalogue, questionnaire, fa, unit_answers, attrs),
    )


def frame_shares(
    catalogue: Catalogue,
    questionnaire: Questionnaire,
    fa: FrameArrays,
    unit_answers: Sequence[Mapping[str, object]],
    attrs: Sequence[Mapping[str, object]] | None = None,
) -> dict[str, float]:
    """Share (percent) of every indicator of the edition over the whole simulated frame (universe,
    ``among``, a question not shown counting as the numerator says without it)."""
    year = questionnaire.edition
    attrs = attrs if attrs is not None else [fa.attributes(i) for i in range(fa.n)]
    out: dict[str, float] = {}
    for ind in catalogue.for_edition(year):
        uni = universe_mask(catalogue, ind.universe, fa, year, questionnaire, unit_answers, np.arange(fa.n))
        d = ind.definition(year)
        num = CachedEvaluator(d.numerator)
        among = CachedEvaluator(d.among) if d.among is not None else None
        hits = total = 0
        for i in np.flatnonzero(uni).tolist():
            a = unit_answers[i]
            if among is not None and not among(a, attrs[i]):
                continue
            total += 1
            hits += bool(num(a, attrs[i]))
        if total:
            out[ind.id] = 100.0 * hits / total
    return out


def _plausibility_rules(questionnaire: Questionnaire) -> list[tuple[Plausibility, CachedEvaluator]]:
    """The rules of ``PLAUSIBILITY`` that apply to this questionnaire (every question they read exists)."""
    out = []
    for rule in PLAUSIBILITY:
        expr = ex.parse(rule.when)
        reads = [r.name for r in ex.references(expr) if r.name != AUTHORITY]
        if questionnaire.get(rule.question) is None or any(questionnaire.get(q) is None for q in reads):
            continue
        out.append((rule, CachedEvaluator(expr)))
    return out


def _plausible(
    qid: str,
    codes: Sequence[str],
    u: FloatArray,
    rules: Sequence[tuple[Plausibility, CachedEvaluator]],
    unit_answers: Sequence[Mapping[str, object]],
    attrs: Sequence[Mapping[str, object]],
) -> FloatArray:
    """Utilities ``u`` with the choices the plausibility rules forbid made impossible."""
    for rule, when in rules:
        if rule.question != qid:
            continue
        cols = [j for j, c in enumerate(codes) if c in rule.forbidden]
        rows = np.array([bool(when(unit_answers[i], attrs[i])) for i in range(len(unit_answers))], dtype=bool)
        if cols and rows.any():
            u[np.ix_(rows, np.asarray(cols, dtype=np.int64))] = -IMPOSSIBLE
    return u


def answer_maturity(questionnaire: Questionnaire, answers: Sequence[Mapping[str, object]]) -> FloatArray:
    """Mean ordinal position of each unit's answers to single-choice questions and grid items,
    from +1 (the most mature choice) to -1 (the least), "don't know"-like choices left out."""
    scales: dict[str, dict[str, float]] = {}
    for qid in questionnaire.eval_order:
        q = questionnaire.question(qid)
        if q.type not in (QType.SELECT_ONE, QType.YES_NO, QType.GRID):
            continue
        ordered = [c for c in q.codes if c not in NEUTRAL_CODES]
        if q.id in REVERSED:
            ordered = ordered[::-1]
        k = len(ordered)
        if k > 1:
            scales[qid] = {c: 1 - 2 * pos / (k - 1) for pos, c in enumerate(ordered)}
    out = np.zeros(len(answers))
    for i, a in enumerate(answers):
        total, count = 0.0, 0
        for qid, scale in scales.items():
            v = a.get(qid)
            for x in v.values() if isinstance(v, dict) else (v,):
                if isinstance(x, str) and x in scale:
                    total += scale[x]
                    count += 1
        out[i] = total / count if count else 0.0
    return out


def selection_odds(score: FloatArray, strength: float) -> FloatArray:
    """Relative odds of responding, ``exp(strength * z)`` with ``z`` the standardised score."""
    sd = float(score.std())
    z = (score - score.mean()) / sd if sd > 0 else np.zeros_like(score)
    return np.asarray(np.exp(strength * z), dtype=np.float64)


def draw_respondents(
    fa: FrameArrays, total: int, rng: np.random.Generator, odds: FloatArray | None = None
) -> npt.NDArray[np.int64]:
    """Rows of the frame that respond to a voluntary survey of ``total`` respondents: stratum
    response rates as the simulator's (``RESPONSE_PROPENSITY``), within strata at random or with
    the relative ``odds`` of :func:`selection_odds` (self-selection)."""
    return _draw_respondents(fa, np.arange(fa.n), total, rng, odds)[0]


def panel_retention(stratum: str) -> float:
    """Share of the stratum's previous respondents who answer again (``PANEL_RETENTION``)."""
    lo, hi = PANEL_RETENTION
    top = max(RESPONSE_PROPENSITY.values())
    return lo + (hi - lo) * math.sqrt(RESPONSE_PROPENSITY.get(stratum, 5.0) / top)


def _realised(t: _Target, key: str, unit_answers: Sequence[Mapping[str, object]]) -> FitTarget:
    """Share of the numerator among the target's denominator in the simulated frame."""
    qid, _, item = key.partition(".")
    rows = np.flatnonzero(t.denom)
    total = 0.0
    for i in rows.tolist():
        v = unit_answers[i].get(qid)
        if item and isinstance(v, dict):
            v = v.get(item)
        if v is None:
            total += float(t.hit_absent[i])
        elif isinstance(v, list):
            total += float(any(t.hit[i, t.codes.index(c)] > 0 for c in v if c in t.codes))
        else:
            total += float(t.hit[i, t.codes.index(str(v))]) if str(v) in t.codes else float(t.hit_absent[i])
    return FitTarget(
        t.indicator,
        t.figure,
        t.breakdown,
        t.domain,
        key,
        100 * t.value,
        100 * t.fitted,
        100 * total / rows.shape[0],
        int(rows.shape[0]),
        t.reached,
    )


def _draw_respondents(
    fa: FrameArrays,
    invited: npt.NDArray[np.int64],
    total: int,
    rng: np.random.Generator,
    odds: FloatArray | None = None,
    panel: npt.NDArray[np.int64] | None = None,
    loyalty: FloatArray | None = None,
) -> tuple[npt.NDArray[np.int64], dict[str, float]]:
    """Respondents among the ``invited`` rows: ``total`` split over the strata by their response
    propensity; within a stratum at random, or with the relative ``odds`` (self-selection). With a
    ``panel`` (the previous edition's respondents), ``panel_retention`` of the stratum's previous
    respondents answer again (those of most ``loyalty``, a uniform draw per unit of the frame, the
    same every edition: the highest answer again first), the rest of the stratum's count being
    drawn among the authorities that did not respond the previous time (among the non-returning ones
    too when those run out)."""
    strata = fa.stratum[invited]
    names = sorted({str(s) for s in strata})
    sizes = np.array([(strata == s).sum() for s in names], dtype=np.float64)
    rel = np.array([RESPONSE_PROPENSITY.get(s, 5.0) for s in names])
    if total > sizes.sum():
        raise EditionError(f"{total} répondants demandés pour {int(sizes.sum())} unités invitées")

    def expected(c: float) -> float:
        return float((sizes * np.minimum(0.95, c * rel)).sum())

    hi = 1.0 / rel.min()
    c = float(optimize.brentq(lambda x: expected(x) - total, 0.0, hi)) if expected(hi) > total else hi
    rate = np.minimum(0.95, c * rel)
    raw = sizes * rate
    k = np.floor(raw).astype(np.int64)
    rest = total - int(k.sum())
    if rest > 0:
        order = np.argsort(-(raw - k), kind="stable")
        k[order[:rest]] += 1
    k = np.maximum(k, 1)

    def pick(rows: npt.NDArray[np.int64], size: int) -> npt.NDArray[np.int64]:
        if size <= 0:
            return np.zeros(0, dtype=np.int64)
        if odds is None:
            return np.sort(rng.choice(rows, size=size, replace=False))
        # self-selection: successive draws with probability proportional to the odds
        return np.sort(rng.choice(rows, size=size, replace=False, p=odds[rows] / odds[rows].sum()))

    chosen: list[npt.NDArray[np.int64]] = []
    for s, kk in zip(names, k, strict=True):
        rows = invited[strata == s]
        size = min(int(kk), rows.shape[0])
        if panel is None or loyalty is None:
            chosen.append(pick(rows, size))
            continue
        before = np.intersect1d(rows, panel)
        # who comes back: the authorities of most loyalty (their own persistent draw, weighted by
        # the self-selection odds: Efraimidis-Spirakis keys), so that a loyal respondent stays
        keep = min(round(panel_retention(s) * before.shape[0]), size)
        loyal = np.log(loyalty[before]) / (1.0 if odds is None else odds[before])
        stay = np.sort(before[np.argsort(-loyal, kind="stable")[:keep]])
        fresh = np.setdiff1d(rows, before)
        if fresh.shape[0] < size - stay.shape[0]:
            fresh = np.setdiff1d(rows, stay)
        chosen.append(np.sort(np.concatenate([stay, pick(fresh, size - stay.shape[0])])))
    out = np.sort(np.concatenate(chosen)).astype(np.int64)
    rates = {s: float(min(int(kk), sz) / sz) for s, kk, sz in zip(names, k, sizes, strict=True)}
    return out, rates


def _validated(qn: Questionnaire, answers: Mapping[str, object], code: str) -> dict[str, object]:
    result = validate_answers(qn, answers)
    if not result.ok:
        fixed = dict(answers)
        for qid in result.errors:
            fixed.pop(qid, None)
        result = validate_answers(qn, fixed)
        if not result.ok:
            first = next(iter(result.messages().items()))
            raise EditionError(f"simulation : réponses invalides pour {code} : {first[0]} : {first[1][0]}")
    return dict(result.cleaned)


__all__ = [
    "DEFAULT_RESPONDENTS",
    "DRIFT_BOUND",
    "PANEL_RETENTION",
    "PLAUSIBILITY",
    "RESPONSE_PROPENSITY",
    "SELF_SELECTION",
    "FitTarget",
    "Plausibility",
    "SelfSelection",
    "SimulatedEdition",
    "answer_maturity",
    "draw_respondents",
    "drift_anchors",
    "frame_shares",
    "panel_retention",
    "selection_odds",
    "simulate_edition",
]
