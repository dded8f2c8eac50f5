"""Suggested collapses of response-homogeneity groups that have no (or too few) respondents.

Every such group is reported at once, each with the neighbour it could be merged into: the nearest
stratum of the same family (communes by size class, EPCI by legal form) that has enough respondents,
else the nearest one that has any.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from barometre.core.registry.model import Stratum

#: Fewer respondents than this in a group is "too small" (reported; weighting still runs).
MIN_RESPONDENTS = 2
ORDER: tuple[str, ...] = tuple(s.value for s in Stratum)


@dataclass(frozen=True)
class SmallGroup:
    group: str
    invited: int
    respondents: int
    suggestion: str | None


def _family(stratum: str) -> str:
    return stratum.split("_", 1)[0]


def _position(stratum: str) -> int:
    return ORDER.index(stratum) if stratum in ORDER else len(ORDER)


def small_groups(
    invited: Mapping[str, int], respondents: Mapping[str, int], *, minimum: int = MIN_RESPONDENTS
) -> list[SmallGroup]:
    """Every group with fewer than ``minimum`` respondents, with a suggested neighbour."""
    out: list[SmallGroup] = []
    chosen: dict[str, str] = {}
    for group in sorted(invited, key=lambda g: (_position(g), g)):
        n = respondents.get(group, 0)
        if n >= minimum:
            continue
        candidates = [g for g in invited if g != group and respondents.get(g, 0) > 0 and chosen.get(g) != group]
        same = [g for g in candidates if _family(g) == _family(group)]

        def rank(g: str, group: str = group) -> tuple[bool, int, int]:
            return (respondents.get(g, 0) < minimum, abs(_position(g) - _position(group)), -respondents.get(g, 0))

        pool = same or candidates
        suggestion = min(pool, key=rank) if pool else None
        if suggestion is not None:
            chosen[group] = suggestion
        out.append(SmallGroup(group, invited[group], n, suggestion))
    return out


def collapse_hint(groups: Sequence[SmallGroup]) -> str:
    """Every suggestion as ``STRATE=VOISINE`` (what the console's field and ``--collapse`` take)."""
    return ", ".join(f"{g.group}={g.suggestion}" for g in groups if g.suggestion)
