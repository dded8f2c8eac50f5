"""Universes taken from the obligation tables (``data/obligations.yaml``).

A compliance indicator (``reen_strategy_subject``, ``open_data_subject``) counts only the
authorities *subject* to an obligation: those for which the obligations engine
(:mod:`barometre.core.diagnostic.obligations`, the diagnostic's own engine) gives the verdict
``applies`` on the edition's reference date (:func:`reference_date`). A verdict ``depends``
(population too close to a threshold, unknown number of agents) or ``does_not_apply`` leaves the
authority out.

The profile of each unit comes from the frame (kind, type, population municipale); a respondent's
declared number of agents (question ``nb_agents``) completes it, since the frame has none (open
data by default applies from 50 agents).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np
import numpy.typing as npt

from barometre.core.diagnostic.from_registry import DEPARTEMENT_POWERS, REGION_POWERS
from barometre.core.diagnostic.obligations import POPULATION_TOTALE_MARGIN, Rule, evaluate_rule, load_obligations
from barometre.core.diagnostic.profile import AuthorityKind, AuthorityProfile
from barometre.core.errors import IndicatorError
from barometre.core.questionnaire import Questionnaire
from barometre.core.weighting.units import FrameArrays

#: Question of the survey that completes a profile (profile field → question id).
PROFILE_QUESTIONS: Mapping[str, str] = {"agents": "nb_agents"}
#: Reference date of an edition whose questionnaire gives no closing date: mid-year.
DEFAULT_REFERENCE = (7, 1)


def reference_date(year: int, questionnaire: Questionnaire | None = None) -> date:
    """The date at which an edition's obligations are evaluated: the end of its fieldwork
    (the questionnaire's ``closes``), else 1 July of the edition's year."""
    closes = questionnaire.closes if questionnaire is not None else None
    if closes is not None and closes.year == year:
        return closes
    return date(year, *DEFAULT_REFERENCE)


def profile_from_frame(units: FrameArrays, row: int, agents: float | None = None) -> AuthorityProfile:
    """The diagnostic profile of one unit of the frame (as ``diagnostic.from_registry.profile_of``,
    without the member communes, which neither compliance universe needs)."""
    typ = str(units.type[row])
    kind_value = str(units.kind[row])
    kind: AuthorityKind = "departement" if typ == "CEA" else kind_value  # type: ignore[assignment]
    return AuthorityProfile(
        code=str(units.codes[row]),
        name=str(units.codes[row]),
        kind=kind,
        population_municipale=int(units.population[row]),
        agents=agents,
        epci_type=typ if kind == "epci" else None,  # type: ignore[arg-type]
        has_departement_powers=typ in DEPARTEMENT_POWERS,
        has_region_powers=typ in REGION_POWERS,
    )


def _rule(obligation: str) -> Rule:
    for r in load_obligations():
        if r.id == obligation:
            return r
    raise IndicatorError(f"obligation inconnue : {obligation!r}")


def population_signatures(rule: Rule, population: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """For each population municipale, where it and its upper bound for the population totale
    (× (1 + ``POPULATION_TOTALE_MARGIN``)) stand against each population threshold of ``rule``
    (below, at or above each), as one integer: all that the rule's population conditions can read
    of a frame unit, which gives neither the population totale nor member communes. Two units with
    the same kind, type, declared agents and signature get the same verdict."""
    thresholds = sorted({float(t) for row in rule.rows for t in dict(row.when.get("population") or {}).values()})
    municipale = np.floor(population)  # the profile's integer population municipale
    if not thresholds:
        return np.zeros(population.shape[0], dtype=np.int64)
    t = np.asarray(thresholds)
    low = np.sign(municipale[:, None] - t[None, :])
    high = np.sign((municipale * (1 + POPULATION_TOTALE_MARGIN))[:, None] - t[None, :])
    digits = (np.hstack([low, high]) + 1).astype(np.int64)  # 0, 1, 2: below, at, above
    return np.asarray(digits @ (3 ** np.arange(digits.shape[1], dtype=np.int64)), dtype=np.int64)


def _codes(values: npt.NDArray[np.str_]) -> npt.NDArray[np.int64]:
    """An integer per distinct value, in order of first appearance (cheaper than sorting strings)."""
    index: dict[str, int] = {}
    return np.fromiter((index.setdefault(v, len(index)) for v in values.tolist()), dtype=np.int64, count=len(values))


#: Declared number of agents standing for "not declared" in a profile's grouping key (never a count).
_NO_AGENTS = -1.0


def obligation_status(
    obligation: str,
    units: FrameArrays,
    at: date,
    agents: Mapping[int, float | None] | None = None,
) -> list[str]:
    """Verdict (``applies``, ``does_not_apply``, ``depends``) of ``obligation`` for every unit at
    date ``at``; ``agents``: declared number of agents by row (respondents). The engine is asked
    once per distinct profile (kind, type, population signature, declared agents), not once per unit."""
    rule = _rule(obligation)
    declared = np.full(units.n, _NO_AGENTS)
    for row, a in (agents or {}).items():
        if a is not None:
            declared[row] = a
    key = np.column_stack(
        [
            _codes(units.kind),
            _codes(units.type),
            population_signatures(rule, units.population),
            np.unique(declared, return_inverse=True)[1].reshape(-1),
        ]
    )
    _, first, group = np.unique(key, axis=0, return_index=True, return_inverse=True)
    verdicts = [
        evaluate_rule(
            rule, profile_from_frame(units, int(r), None if declared[r] == _NO_AGENTS else float(declared[r])), at
        ).status
        for r in first.tolist()
    ]
    return [verdicts[g] for g in group.reshape(-1).tolist()]


def universe_units(
    obligation: str,
    units: FrameArrays,
    at: date,
    answers: Sequence[Mapping[str, object] | None] | None = None,
    rows: npt.NDArray[np.int64] | None = None,
) -> npt.NDArray[np.bool_]:
    """Units of the frame (or of the edition) for which ``obligation`` applies at ``at``.

    ``answers`` (aligned with ``rows``, the respondents' unit rows) complete the profile with the
    respondents' declared number of agents."""
    declared: dict[int, float | None] = {}
    if answers is not None and rows is not None:
        q = PROFILE_QUESTIONS["agents"]
        for r, a in zip(rows.tolist(), answers, strict=True):
            v = (a or {}).get(q)
            declared[int(r)] = float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None
    status = obligation_status(obligation, units, at, declared)
    return np.array([s == "applies" for s in status], dtype=bool)


__all__ = [
    "PROFILE_QUESTIONS",
    "obligation_status",
    "population_signatures",
    "profile_from_frame",
    "reference_date",
    "universe_units",
]
