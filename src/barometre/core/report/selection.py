"""Which rows and indicators the note shows: the row index, headline figures, chapters, focus.

Selection only (codes and rows); the sentences are in :mod:`barometre.core.wording.note`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from barometre.core.indicators.catalogue import ALL, Indicator
from barometre.core.registry import Kind, Stratum
from barometre.core.report.model import ReportInput, Row

#: Default headline indicators of the key-figures page (those missing from the edition are skipped).
HEADLINE: tuple[str, ...] = (
    "data_project_2y",
    "data_project_done_or_planned",
    "ai_done_or_tested",
    "ai_done_or_planned",
    "rssi",
    "cyber_attack_suffered",
    "reen_strategy",
    "rgpd_compliant",
)
#: Chapters: id, themes of the catalogue, title key (None: the theme's label).
CHAPTERS: tuple[tuple[str, tuple[str, ...], str | None], ...] = (
    ("data", ("data",), None),
    ("ia", ("ia",), None),
    ("cyber", ("cyber",), None),
    ("nr_rgpd", ("numerique_responsable", "rgpd"), "nr_rgpd"),
    ("mutualisation", ("mutualisation",), "mutualisation"),
)
#: Indicators of a chapter commented with charts by domain and trends (the others are in its table).
FOCUS_PER_CHAPTER = 2


class RowIndex:
    """Rows of every edition, by (indicator, breakdown, domain)."""

    def __init__(self, data: ReportInput) -> None:
        self.year = data.edition.year
        self.by_year: dict[int, dict[tuple[str, str, str], Row]] = {}
        for y, rows in [*data.previous.items(), (self.year, data.rows)]:
            self.by_year[y] = {(r.indicator, r.breakdown, r.domain_value): r for r in rows}

    def get(self, ind: str, bd: str = "ensemble", dom: str = ALL, year: int | None = None) -> Row | None:
        return self.by_year.get(self.year if year is None else year, {}).get((ind, bd, dom))

    def domain_rows(self, ind: str, bd: str, year: int | None = None) -> list[Row]:
        rows = self.by_year.get(self.year if year is None else year, {})
        return [r for (i, b, _d), r in rows.items() if i == ind and b == bd]

    def previous(self, ind: str, bd: str = "ensemble", dom: str = ALL) -> Row | None:
        """The latest earlier edition's row that is shown (for changes)."""
        for y in sorted((y for y in self.by_year if y < self.year), reverse=True):
            r = self.get(ind, bd, dom, y)
            if r is not None and r.shown:
                return r
        return None


def stratum_order(domain: str) -> int:
    """Order of strata, then of kinds, as in the registry's enumerations (unknown values last)."""
    for enum_ in (Stratum, Kind):
        values = [str(v) for v in enum_]
        if domain in values:
            return values.index(domain)
    return 99


#: Indicators that take another's place on the key-figures page when the catalogue has them: the
#: REEN strategy among the authorities the law covers, rather than among all authorities.
PREFERRED: dict[str, str] = {"reen_strategy": "reen_strategy_subject"}


def headline_ids(data: ReportInput) -> tuple[str, ...]:
    if data.headline is not None:
        return data.headline
    known = {i.id for i in data.catalogue.indicators}
    return tuple(PREFERRED[i] if PREFERRED.get(i) in known else i for i in HEADLINE)


def key_indicators(data: ReportInput, ix: RowIndex) -> list[tuple[Indicator, Row, bool]]:
    """The key-figures page: (indicator, row, completed) — the headline indicators the edition has,
    completed (``completed`` True) with the first shown indicators when fewer than 6, cut at 8."""
    cat, year = data.catalogue, data.edition.year
    out: list[tuple[Indicator, Row, bool]] = []
    for iid in headline_ids(data):
        known = [i for i in cat.indicators if i.id == iid]
        if not known:
            continue  # unknown id: skipped (the catalogue moves)
        r = ix.get(iid)
        if r is None:
            continue
        out.append((known[0], r, False))
    if not 6 <= len(out) <= 8:
        # complete (or cut) with the first indicators of the edition that have an overall estimate
        have = {i.id for i, _r, _c in out}
        for ind in cat.for_edition(year):
            if len(out) >= 6:
                break
            r = ix.get(ind.id)
            if ind.id in have or r is None or not r.shown:
                continue
            out.append((ind, r, True))
        out = out[:8]
    return out


def chapter_indicators(data: ReportInput, ix: RowIndex, themes: Sequence[str]) -> list[Indicator]:
    """The edition's indicators of ``themes`` that have an overall row."""
    year = data.edition.year
    return [i for i in data.catalogue.for_edition(year) if i.theme in themes and ix.get(i.id) is not None]


def focus(data: ReportInput, inds: Sequence[Indicator]) -> list[Indicator]:
    """The indicators of a chapter commented with charts (headline first, then by strata, then published)."""
    wanted = headline_ids(data)

    def score(i: Indicator) -> tuple[int, int, int]:
        return (0 if i.id in wanted else 1, 0 if "strate" in i.breakdowns else 1, -len(i.published))

    return sorted(inds, key=score)[:FOCUS_PER_CHAPTER]


def strata_rows(ix: RowIndex, ind: str, bd: str = "strate") -> list[Row]:
    """Rows of a breakdown in the registry's natural order (strata, then kinds)."""
    return sorted(ix.domain_rows(ind, bd), key=lambda r: (stratum_order(r.domain_value), r.domain_value))


#: Two-sided 5 % critical value of the standard normal distribution.
Z95 = 1.959963984540054


def significance(cur: Row, prev: Row) -> int:
    """+1 / -1 when the change is significant at 5 % (independent samples: the test's standard error
    combines both editions' variances), else 0."""
    if not cur.shown or not prev.shown or cur.estimate is None or prev.estimate is None:
        return 0
    se = math.hypot(cur.se or 0.0, prev.se or 0.0)
    if se == 0:
        return 0
    z = (cur.estimate - prev.estimate) / se
    return 1 if z > Z95 else (-1 if z < -Z95 else 0)


#: An estimate whose 95 % interval is wider than this (points) is shown as imprecise on maps.
IMPRECISE_WIDTH = 30.0


def is_imprecise(r: Row) -> bool:
    """A shown estimate too imprecise to be read as a value: flagged so by the disclosure rules, or
    whose 95 % interval spans more than :data:`IMPRECISE_WIDTH` points."""
    if not r.shown or r.estimate is None:
        return False
    if r.imprecise:
        return True
    return r.ci_low is not None and r.ci_high is not None and r.ci_high - r.ci_low > IMPRECISE_WIDTH
