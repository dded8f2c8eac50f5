"""What the report generator needs: one typed :class:`ReportInput` (no database, no Django).

The Django side (``barometre.apps.editions.reporting.report_input``) fills it from the stored
edition; the tests and the benchmark build a synthetic one (:mod:`.synthetic`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from barometre.core.errors import ReportError
from barometre.core.indicators.catalogue import Catalogue
from barometre.core.indicators.compute import EstimateRow
from barometre.core.weighting.report import WeightingReport

if TYPE_CHECKING:
    from barometre.core.report.editorial import Editorial

LANGS = ("fr", "en")


#: One flat indicator row: the statistics engine's own output row. ``estimate``, ``se``, ``ci_low``,
#: ``ci_high`` in percent (0–100) of the authorities of the denominator (catalogue unit ``percent``);
#: all None when ``suppressed`` (``reason`` says why); ``shown`` tells whether it may be printed.
Row = EstimateRow


def coerce_row(obj: Any, edition: int | None = None) -> Row:
    """A Row from an ``EstimateRow``-like object or a mapping with the same fields.

    A suppressed row keeps no number, whatever its source held; ``edition`` fills a row without one.
    """
    get = obj.get if isinstance(obj, Mapping) else (lambda k, d=None: getattr(obj, k, d))
    ed = get("edition", None) or edition
    if not ed:
        raise ReportError(f"ligne d'indicateur sans édition : {get('indicator', '?')}")

    suppressed = bool(get("suppressed", False))
    values: dict[str, Any] = {}
    for f in fields(Row):  # by declared type: the one list of fields is EstimateRow's
        v = get(f.name, None)
        kind = str(f.type)
        if kind in ("float | None", "int | None"):
            values[f.name] = None if suppressed or v is None else _CASTS[kind.split(" ")[0]](v)
        elif kind == "str | None":  # the reason code, for a hidden cell only
            values[f.name] = (str(v) or None) if suppressed and v else None
        elif kind == "bool":
            values[f.name] = bool(v) and not (suppressed and f.name == "imprecise")
        elif kind in ("int", "float"):
            values[f.name] = _CASTS[kind](v or 0)
        else:
            values[f.name] = f.default if v is None and isinstance(f.default, str) else str(v)
    values["edition"] = int(ed)
    values["suppressed"] = suppressed
    return Row(**values)


_CASTS: dict[str, Any] = {"int": int, "float": float, "bool": bool}


def rows_from(items: Iterable[Any], edition: int | None = None) -> tuple[Row, ...]:
    """Coerce ``EstimateRow`` objects or dicts into :class:`Row` (``edition`` when they lack one)."""
    return tuple(coerce_row(i, edition) for i in items)


@dataclass(frozen=True)
class AreaEstimate:
    """One département's model-based estimate (``core.sae``), percent; ``direct`` None when withheld."""

    area: str
    name: str
    estimate: float
    cv: float | None
    direct: float | None
    #: respondents; None when the direct estimate is withheld
    n: int | None
    #: ``eblup`` or ``synthetic``
    method: str


@dataclass(frozen=True)
class SmallAreaMap:
    """Fay–Herriot estimates of one indicator by département and the model's checks."""

    indicator: str
    areas: tuple[AreaEstimate, ...]
    method: str
    #: σ̂²ᵤ in squared percentage points, and whether R's rule truncated it at 0
    refvar: float
    refvar_truncated: bool
    areas_fitted: int
    std_residual_sd: float
    #: areas whose published direct estimate differs from the model beyond 1.96
    contradictions: int


@dataclass(frozen=True)
class EditionMeta:
    year: int
    simulated: bool
    #: Respondents (submitted questionnaires used in the estimates).
    n_respondents: int
    questionnaire_year: int
    #: Frame: source package and version (e.g. "@etalab/decoupage-administratif 6.0.0, COG 2026").
    frame_source: str
    #: Frame millésime (e.g. "population municipale INSEE 2023").
    frame_millesime: str
    #: Authorities invited (units of the edition); None: unknown.
    n_units: int | None = None
    #: Field period, free text already in the note's language (e.g. "du 2 juin au 15 juillet 2025").
    field_period: str | None = None
    #: "census" (whole frame invited, voluntary) or "sample"; free text kept as given.
    collection: str = ""
    #: Date of the edition's data (ISO), shown as the note's date; no build timestamp is used.
    date: str | None = None


@dataclass(frozen=True)
class PollFigure:
    """One indicator of the poll of French adults, for the whole population (percent)."""

    indicator: str
    #: ``{fr, en}`` label.
    label: Mapping[str, str]
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    deff: float | None
    #: The institute's published value (percent), if any.
    published: float | None
    #: Authorities' indicators set beside it (their ``ensemble`` rows of the same edition).
    beside: tuple[str, ...] = ()


@dataclass(frozen=True)
class PollInput:
    """The published poll of the same year ("Regard des Français" chapter)."""

    year: int
    simulated: bool
    n_respondents: int
    #: The published poll's source (title, publisher, date, URL), ``{fr, en}``.
    source: Mapping[str, str]
    figures: tuple[PollFigure, ...]


@dataclass(frozen=True)
class ReportInput:
    edition: EditionMeta
    catalogue: Catalogue
    #: Indicator rows of this edition (every indicator × breakdown × domain).
    rows: tuple[Row, ...]
    #: Indicator rows of earlier editions, by year (trends; may be empty).
    previous: Mapping[int, tuple[Row, ...]]
    #: Weighting diagnostics: the ``report`` mapping of ``WeightingResult`` (keys ``by_stratum``,
    #: ``r_indicator``, ``weights``, ``effective_sample_size``, ``design_effect_weighting``, ``margins``…).
    weighting: WeightingReport
    #: The disclosure rule in words, in the note's language.
    disclosure_rule: str
    lang: str = "fr"
    #: Headline indicators of the key-figures page (None: the default list, see ``build.HEADLINE``).
    headline: tuple[str, ...] | None = None
    #: Extra metadata shown in the methodology annex (label → text), in the note's language.
    extra: Mapping[str, str] = field(default_factory=dict)
    #: Small-area (Fay–Herriot) estimates by département; the first is mapped in the annex.
    small_areas: tuple[SmallAreaMap, ...] = ()
    #: The poll of French adults of the same year, when published ("Regard des Français").
    poll: PollInput | None = None
    #: What the note's authors wrote (editorial, lessons, example boxes, recommendations), if any.
    editorial: Editorial | None = None

    def __post_init__(self) -> None:
        if self.lang not in LANGS:
            raise ReportError(f"langue inconnue : {self.lang!r} (langues : {', '.join(LANGS)})")
        bad = [r for r in self.rows if r.edition != self.edition.year]
        if bad:
            raise ReportError(
                f"ligne {bad[0].indicator}/{bad[0].breakdown}/{bad[0].domain_value} de l'édition {bad[0].edition} "
                f"parmi les lignes de l'édition {self.edition.year}"
            )
        for year in self.previous:
            if year >= self.edition.year:
                raise ReportError(f"édition antérieure {year} postérieure ou égale à l'édition {self.edition.year}")
