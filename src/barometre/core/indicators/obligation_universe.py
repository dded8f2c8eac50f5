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


def population_signatures(rule: Rule, population: npt.NDArray[np.float64]) -> list[tuple[int, ...]]:
    """For each population municipale, where it and its upper bound for the population totale
    (× (1 + ``POPULATION_TOTALE_MARGIN``)) stand against each population threshold of ``rule``
    (−1 below, 0 at, +1 above): all that the rule's population conditions can read of a frame
    unit, which gives neither the population totale nor member communes. Two units with the same
    kind, type, declared agents and signature get the same verdict."""
    thresholds = sorted(
        {float(t) for row in rule.rows for op, t in dict(row.when.get("population") or {}).items() if op}
    )
    municipale = np.floor(population)  # the profile's integer population municipale
    if not thresholds:
        return [()] * int(population.shape[0])
    t = np.asarray(thresholds)
    low = np.sign(municipale[:, None] - t[None, :])
    high = np.sign((municipale * (1 + POPULATION_TOTALE_MARGIN))[:, None] - t[None, :])
    return [tuple(r) for r in np.hstack([low, high]).astype(np.int64).tolist()]


def obligation_status(
    obligation: str,
    units: FrameArrays,
    at: date,
    agents: Mapping[int, float | None] | None = None,
) -> list[str]:
    """Verdict (``applies``, ``does_not_apply``, ``depends``) of ``obligation`` for every unit at
    date ``at``; ``agents``: declared number of agents by row (respondents). The engine is asked
    once per distinct profile (kind, type, population signature, agents), not once per unit."""
    rule = _rule(obligation)
    agents = agents or {}
    kinds, types = units.kind.tolist(), units.type.tolist()
    signatures = population_signatures(rule, units.population)
    known: dict[tuple[str, str, tuple[int, ...], float | None], str] = {}
    out: list[str] = []
    for row in range(units.n):
        a = agents.get(row)
        key = (kinds[row], types[row], signatures[row], a)
        status = known.get(key)
        if status is None:
            status = evaluate_rule(rule, profile_from_frame(units, row, a), at).status
            known[key] = status
        out.append(status)
    return out


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
