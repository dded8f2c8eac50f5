"""Plausibility checks of a respondent's answers: warnings that never block a save.

A warning is a code with its numbers (the wording lives in the portal); it says an answer looks
unlikely, not that it is wrong. Checks run only on the questions a questionnaire has:

- ``population_far_from_registry``: the population answered is more than ``POPULATION_TOLERANCE``
  (50 %) away from the registry's (``population`` answered, registry population known);
- ``it_agents_above_total``: more staff dedicated to IT than staff in total;
- ``all_agents_in_it``: every agent counted as dedicated to IT (two agents or more);
- ``budget_above_scale`` / ``budget_below_scale``: the cybersecurity budget bracket is out of scale
  for the population (more than ``BUDGET_HIGH_PER_INHABITANT`` euros per inhabitant at the
  bracket's bottom, or less than ``BUDGET_LOW_PER_INHABITANT`` at its top).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

#: Relative gap to the registry's population above which the population is questioned.
POPULATION_TOLERANCE = 0.5
#: Euros per inhabitant a year: above, a cybersecurity budget is out of scale for the size.
BUDGET_HIGH_PER_INHABITANT = 50.0
#: Euros per inhabitant a year: below, a cybersecurity budget is out of scale (large authorities).
BUDGET_LOW_PER_INHABITANT = 0.05
#: Bottom and top (euros a year) of each bracket of ``cyber_budget``.
BUDGET_BRACKETS: Mapping[str, tuple[float, float]] = {
    "moins_2000": (0.0, 2_000.0),
    "de_2000_a_10000": (2_000.0, 10_000.0),
    "de_10000_a_50000": (10_000.0, 50_000.0),
    "de_50000_a_200000": (50_000.0, 200_000.0),
    "plus_200000": (200_000.0, float("inf")),
}


@dataclass(frozen=True)
class Warning:
    code: str
    question: str
    numbers: dict[str, float] = field(default_factory=dict)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def check(answers: Mapping[str, object], registry_population: int | None = None) -> list[Warning]:
    """The warnings of ``answers`` (question ids → stored values), in question order of the checks."""
    out: list[Warning] = []
    population = _number(answers.get("population"))
    if population is not None and registry_population:
        gap = abs(population - registry_population) / registry_population
        if gap > POPULATION_TOLERANCE:
            out.append(
                Warning(
                    "population_far_from_registry",
                    "population",
                    {"answered": population, "registry": float(registry_population), "gap": gap},
                )
            )
    total, it = _number(answers.get("nb_agents")), _number(answers.get("agents_informatique"))
    if total is not None and it is not None:
        if it > total:
            out.append(Warning("it_agents_above_total", "agents_informatique", {"it": it, "total": total}))
        elif it == total and total >= 2:
            out.append(Warning("all_agents_in_it", "agents_informatique", {"it": it, "total": total}))
    size = population if population is not None else (float(registry_population) if registry_population else None)
    bracket = BUDGET_BRACKETS.get(str(answers.get("cyber_budget", "")))
    if bracket is not None and size:
        low, high = bracket
        if low > BUDGET_HIGH_PER_INHABITANT * size:
            out.append(
                Warning("budget_above_scale", "cyber_budget", {"per_inhabitant": low / size, "population": size})
            )
        elif high < BUDGET_LOW_PER_INHABITANT * size:
            out.append(
                Warning("budget_below_scale", "cyber_budget", {"per_inhabitant": high / size, "population": size})
            )
    return out
