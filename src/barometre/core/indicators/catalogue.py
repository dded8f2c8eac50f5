"""The indicator catalogue (``data/indicators.yaml``): schema, loader, validation.

Every problem is reported as an :class:`~barometre.core.errors.IndicatorError` located
``data/indicators.yaml:LINE`` (the line of the offending value). See ``README.md`` beside
this module for the format, the units and the conventions.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from barometre.core import yamlfile
from barometre.core.errors import IndicatorError, NotFound
from barometre.core.indicators.expr import AUTHORITY, question_refs, resolver
from barometre.core.paths import DATA_DIR
from barometre.core.questionnaire import Questionnaire, Text, load_edition
from barometre.core.questionnaire import expressions as ex
from barometre.core.registry import Kind, Stratum
from barometre.core.weighting.units import AUTHORITY_ATTRIBUTES
from barometre.core.yamlfile import MappingNode, Node, ScalarNode, SequenceNode

CATALOGUE_PATH = DATA_DIR / "indicators.yaml"

THEMES: dict[str, Text] = {
    "data": Text("Données", "Data"),
    "ia": Text("Intelligence artificielle", "Artificial intelligence"),
    "cyber": Text("Cybersécurité", "Cybersecurity"),
    "numerique_responsable": Text("Numérique responsable", "Responsible digital"),
    "rgpd": Text("Protection des données (RGPD)", "Data protection (GDPR)"),
    "mutualisation": Text("Mutualisation", "Pooling of resources"),
}
#: Reference periods of an indicator's question (plain words in ``labels.PERIOD_LABELS``).
PERIODS = ("current", "12_months", "ever")
#: Units of an indicator. ``percent``: percent of the authorities of the denominator (0–100).
UNITS = ("percent",)
#: Breakdown over one frame attribute: the attribute → allowed domain values (None: free codes).
ATTRIBUTE_DOMAINS: dict[str, frozenset[str] | None] = {
    "stratum": frozenset(s.value for s in Stratum),
    "kind": frozenset(k.value for k in Kind),
    "region": None,
    "departement": None,
    "type": None,
}
#: The domain value of the breakdown without attribute nor domains (all authorities).
ALL = "ensemble"


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Domain:
    value: str
    label: Text
    when: ex.Expression


@dataclass(frozen=True)
class Breakdown:
    """A published breakdown: all authorities (no attribute, no domain), one domain per value
    of a frame attribute, or named (possibly overlapping) domains defined by expressions."""

    id: str
    label: Text
    attribute: str | None = None
    domains: tuple[Domain, ...] = ()

    @property
    def is_all(self) -> bool:
        return self.attribute is None and not self.domains


@dataclass(frozen=True)
class Universe:
    """Who an indicator counts: frame attributes (``when``), or the authorities for which an
    obligation of ``data/obligations.yaml`` applies on the edition's reference date
    (``obligation``: see :mod:`barometre.core.indicators.obligation_universe`)."""

    id: str
    label: Text
    when: ex.Expression
    #: id of an obligation (``reen``, ``open_data``): the universe is where its verdict is ``applies``
    obligation: str | None = None


@dataclass(frozen=True)
class Definition:
    #: Condition that counts an authority in the numerator.
    numerator: ex.Expression
    #: Optional condition on the answers restricting the denominator (e.g. "among AI users").
    among: ex.Expression | None = None
    line: int = 0


@dataclass(frozen=True)
class Published:
    """A value published for an edition, with its base and source (percent)."""

    edition: int
    value: float
    breakdown: str
    domain: str
    base: str
    figure: str
    source: str
    note: str = ""
    #: False: kept for the series and the comparison, but not a target of the simulation
    #: (the frame-level reading of the base cannot reach it — see the catalogue header).
    target: bool = True
    line: int = 0


@dataclass(frozen=True)
class Indicator:
    id: str
    theme: str
    label: Text
    short_label: Text
    unit: str
    universe: str
    editions: tuple[int, ...]
    definitions: Mapping[int, Definition]
    breakdowns: tuple[str, ...]
    published: tuple[Published, ...] = ()
    description: Text | None = None
    line: int = 0
    #: Reference period of the question: ``current`` (at the survey date), ``12_months``, ``ever``.
    period: str = "current"
    #: Plain words for the ``among`` restriction of the denominator (e.g. "authorities using AI").
    among_label: Text | None = None

    def definition(self, edition: int) -> Definition:
        try:
            return self.definitions[edition]
        except KeyError:
            raise IndicatorError(f"l'indicateur {self.id} n'existe pas pour l'édition {edition}") from None

    def published_for(self, edition: int) -> list[Published]:
        return [p for p in self.published if p.edition == edition]


@dataclass(frozen=True)
class Catalogue:
    indicators: tuple[Indicator, ...]
    breakdowns: Mapping[str, Breakdown]
    universes: Mapping[str, Universe]
    source: str = "data/indicators.yaml"
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators)

    def get(self, indicator_id: str) -> Indicator:
        for i in self.indicators:
            if i.id == indicator_id:
                return i
        raise NotFound(f"indicateur inconnu : {indicator_id!r}")

    def for_edition(self, edition: int) -> list[Indicator]:
        return [i for i in self.indicators if edition in i.editions]

    @property
    def editions(self) -> list[int]:
        return sorted({e for i in self.indicators for e in i.editions})

    def figures(self) -> set[str]:
        return {p.figure for i in self.indicators for p in i.published} | {i.id for i in self.indicators}

    def carried(self, editions: Mapping[int, int]) -> Catalogue:
        """This catalogue extended to later editions run on an earlier questionnaire.

        ``editions`` maps an edition year to its questionnaire's year: an edition the catalogue does
        not cover gets, for every indicator of its questionnaire's year, that year's definition (the
        same questions, hence the same computation); no published value comes with it. Editions the
        catalogue already covers, or whose questionnaire year it does not know, are left as they are.
        """
        known = set(self.editions)
        extra = {e: q for e, q in editions.items() if e not in known and q in known}
        if not extra:
            return self
        out = []
        for ind in self.indicators:
            added = {e: ind.definitions[q] for e, q in extra.items() if q in ind.editions}
            if added:
                ind = replace(
                    ind,
                    editions=tuple(sorted((*ind.editions, *added))),
                    definitions={**ind.definitions, **added},
                )
            out.append(ind)
        return replace(self, indicators=tuple(out))


# --------------------------------------------------------------------------- YAML with lines


class _Map(dict[str, Any]):
    line: int = 0
    lines: dict[str, int]


class _Seq(list[Any]):
    line: int = 0
    lines: list[int]


class _Ctx:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, line: int, message: str) -> IndicatorError:
        return IndicatorError(message, location=f"{self.source}:{line}")

    def build(self, node: Node) -> Any:
        if isinstance(node, MappingNode):
            m = _Map()
            m.line = node.start_mark.line + 1
            m.lines = {}
            for k, v in node.value:
                key = self.build(k)
                if not isinstance(key, (str, int)):
                    raise self.fail(k.start_mark.line + 1, f"clé {key!r} invalide")
                skey = str(key)
                if skey in m:
                    raise self.fail(k.start_mark.line + 1, f"clé {skey!r} en double")
                m[skey] = self.build(v)
                m.lines[skey] = v.start_mark.line + 1
            return m
        if isinstance(node, SequenceNode):
            s = _Seq()
            s.line = node.start_mark.line + 1
            s.lines = []
            for v in node.value:
                s.append(self.build(v))
                s.lines.append(v.start_mark.line + 1)
            return s
        assert isinstance(node, ScalarNode)
        return yamlfile.scalar(node)


_display = yamlfile.display_path


# --------------------------------------------------------------------------- parsing


class _Parser:
    def __init__(self, ctx: _Ctx) -> None:
        self.ctx = ctx

    def fail(self, line: int, message: str) -> IndicatorError:
        return self.ctx.fail(line, message)

    def mapping(self, value: Any, line: int, what: str, allowed: Iterable[str], required: Iterable[str]) -> _Map:
        if not isinstance(value, _Map):
            raise self.fail(line, f"{what} : un dictionnaire est attendu")
        allowed_set = set(allowed)
        for k in value:
            if k not in allowed_set:
                raise self.fail(value.lines[k], f"{what} : clé inconnue {k!r} (clés permises : {', '.join(allowed)})")
        for k in required:
            if k not in value:
                raise self.fail(value.line, f"{what} : clé {k!r} manquante")
        return value

    def string(self, m: _Map, key: str, what: str, default: str | None = None) -> str:
        if key not in m:
            if default is not None:
                return default
            raise self.fail(m.line, f"{what} : clé {key!r} manquante")
        v = m[key]
        if not isinstance(v, str) or not v.strip():
            raise self.fail(m.lines[key], f"{what} : {key} doit être un texte non vide")
        return v.strip()

    def text(self, m: _Map, key: str, what: str) -> Text:
        v = m.get(key)
        line = m.lines.get(key, m.line)
        t = self.mapping(v, line, f"{what} : {key}", ("fr", "en"), ("fr", "en"))
        return Text(self.string(t, "fr", f"{what} : {key}"), self.string(t, "en", f"{what} : {key}"))

    def expression(self, m: _Map, key: str, what: str) -> ex.Expression:
        v = m.get(key)
        line = m.lines.get(key, m.line)
        if not isinstance(v, str) or not v.strip():
            raise self.fail(line, f"{what} : {key} doit être une expression (texte)")
        try:
            return ex.parse(v)
        except ex.ExpressionError as exc:
            raise self.fail(line, f"{what} : {key} : {exc.message} (position {exc.offset + 1})") from None

    def check_attributes_only(self, expr: ex.Expression, line: int, what: str) -> None:
        try:
            result = ex.check(expr, resolver(None), None)
        except ex.ExpressionError as exc:
            raise self.fail(line, f"{what} : {exc.message} (position {exc.offset + 1})") from None
        if result is not ex.ExprType.BOOL:
            raise self.fail(line, f"{what} : l'expression doit donner un booléen, pas un {result.value}")


def _parse(root: Any, ctx: _Ctx) -> Catalogue:
    p = _Parser(ctx)
    top = p.mapping(
        root,
        1,
        "catalogue",
        ("version", "source", "notes", "breakdowns", "universes", "indicators"),
        ("breakdowns", "universes", "indicators"),
    )
    breakdowns: dict[str, Breakdown] = {}
    seq = top["breakdowns"]
    if not isinstance(seq, _Seq):
        raise p.fail(top.lines["breakdowns"], "breakdowns : une liste est attendue")
    for b, line in zip(seq, seq.lines, strict=True):
        m = p.mapping(b, line, "breakdown", ("id", "label", "attribute", "domains"), ("id", "label"))
        bid = p.string(m, "id", "breakdown")
        what = f"breakdown {bid!r}"
        if bid in breakdowns:
            raise p.fail(m.lines["id"], f"{what} en double")
        attribute = m.get("attribute")
        if attribute is not None and attribute not in ATTRIBUTE_DOMAINS:
            raise p.fail(
                m.lines["attribute"],
                f"{what} : attribut inconnu {attribute!r} (attributs : {', '.join(ATTRIBUTE_DOMAINS)})",
            )
        domains: list[Domain] = []
        if "domains" in m:
            if attribute is not None:
                raise p.fail(m.lines["domains"], f"{what} : attribute et domains s'excluent")
            ds = m["domains"]
            if not isinstance(ds, _Seq) or not ds:
                raise p.fail(m.lines["domains"], f"{what} : domains doit être une liste non vide")
            for d, dline in zip(ds, ds.lines, strict=True):
                dm = p.mapping(d, dline, f"{what} : domaine", ("value", "label", "when"), ("value", "label", "when"))
                dv = p.string(dm, "value", f"{what} : domaine")
                expr = p.expression(dm, "when", f"{what} : domaine {dv!r}")
                p.check_attributes_only(expr, dm.lines["when"], f"{what} : domaine {dv!r}")
                domains.append(Domain(dv, p.text(dm, "label", f"{what} : domaine {dv!r}"), expr))
        breakdowns[bid] = Breakdown(bid, p.text(m, "label", what), attribute, tuple(domains))
    if not any(b.is_all for b in breakdowns.values()):
        raise p.fail(top.lines["breakdowns"], "breakdowns : il faut une ventilation « ensemble » (sans attribut)")
    universes: dict[str, Universe] = {}
    us = top["universes"]
    if not isinstance(us, _Seq):
        raise p.fail(top.lines["universes"], "universes : une liste est attendue")
    for u, line in zip(us, us.lines, strict=True):
        m = p.mapping(u, line, "universe", ("id", "label", "when", "obligation"), ("id", "label"))
        uid = p.string(m, "id", "universe")
        if uid in universes:
            raise p.fail(m.lines["id"], f"univers {uid!r} en double")
        obligation: str | None = None
        if ("when" in m) == ("obligation" in m):
            raise p.fail(m.line, f"univers {uid!r} : il faut soit when, soit obligation")
        if "obligation" in m:
            obligation = p.string(m, "obligation", f"univers {uid!r}")
            known = _obligation_ids()
            if obligation not in known:
                raise p.fail(
                    m.lines["obligation"],
                    f"univers {uid!r} : obligation inconnue {obligation!r} (obligations : {', '.join(known)})",
                )
            expr = ex.parse("true()")
        else:
            expr = p.expression(m, "when", f"univers {uid!r}")
            p.check_attributes_only(expr, m.lines["when"], f"univers {uid!r}")
        universes[uid] = Universe(uid, p.text(m, "label", f"univers {uid!r}"), expr, obligation)
    indicators: list[Indicator] = []
    seen: set[str] = set()
    inds = top["indicators"]
    if not isinstance(inds, _Seq):
        raise p.fail(top.lines["indicators"], "indicators : une liste est attendue")
    for ind, line in zip(inds, inds.lines, strict=True):
        indicator = _indicator(p, ind, line, breakdowns, universes)
        if indicator.id in seen:
            raise p.fail(indicator.line, f"indicateur {indicator.id!r} en double")
        seen.add(indicator.id)
        indicators.append(indicator)
    meta = {k: top[k] for k in ("version", "source", "notes") if k in top}
    return Catalogue(tuple(indicators), breakdowns, universes, ctx.source, meta)


def _obligation_ids() -> tuple[str, ...]:
    from barometre.core.diagnostic.obligations import load_obligations

    return tuple(r.id for r in load_obligations())


INDICATOR_KEYS = (
    "id",
    "theme",
    "label",
    "short_label",
    "description",
    "period",
    "among_label",
    "unit",
    "universe",
    "editions",
    "definition",
    "overrides",
    "breakdowns",
    "published",
)
PUBLISHED_KEYS = ("edition", "value", "breakdown", "domain", "base", "figure", "source", "note", "target")


def _definition(p: _Parser, m: Any, line: int, what: str) -> Definition:
    dm = p.mapping(m, line, what, ("numerator", "among"), ("numerator",))
    num = p.expression(dm, "numerator", what)
    among = p.expression(dm, "among", what) if "among" in dm else None
    return Definition(num, among, dm.line)


def _indicator(
    p: _Parser, value: Any, line: int, breakdowns: Mapping[str, Breakdown], universes: Mapping[str, Universe]
) -> Indicator:
    m = p.mapping(
        value,
        line,
        "indicateur",
        INDICATOR_KEYS,
        ("id", "theme", "label", "short_label", "universe", "editions", "definition"),
    )
    iid = p.string(m, "id", "indicateur")
    what = f"indicateur {iid!r}"
    theme = p.string(m, "theme", what)
    if theme not in THEMES:
        raise p.fail(m.lines["theme"], f"{what} : thème inconnu {theme!r} (thèmes : {', '.join(THEMES)})")
    unit = p.string(m, "unit", what, default="percent")
    if unit not in UNITS:
        raise p.fail(m.lines["unit"], f"{what} : unité inconnue {unit!r} (unités : {', '.join(UNITS)})")
    universe = p.string(m, "universe", what)
    if universe not in universes:
        raise p.fail(m.lines["universe"], f"{what} : univers inconnu {universe!r} (univers : {', '.join(universes)})")
    eds = m["editions"]
    if not isinstance(eds, _Seq) or not eds or not all(isinstance(e, int) for e in eds):
        raise p.fail(m.lines["editions"], f"{what} : editions doit être une liste d'années")
    editions = tuple(sorted(int(e) for e in eds))
    base = _definition(p, m["definition"], m.lines["definition"], f"{what} : definition")
    definitions = dict.fromkeys(editions, base)
    if "overrides" in m:
        ov = p.mapping(m["overrides"], m.lines["overrides"], f"{what} : overrides", [str(e) for e in editions], ())
        for k, v in ov.items():
            definitions[int(k)] = _definition(p, v, ov.lines[k], f"{what} : overrides {k}")
    bds: tuple[str, ...]
    if "breakdowns" in m:
        bl = m["breakdowns"]
        if not isinstance(bl, _Seq) or not all(isinstance(b, str) for b in bl):
            raise p.fail(m.lines["breakdowns"], f"{what} : breakdowns doit être une liste d'identifiants")
        for b, bline in zip(bl, bl.lines, strict=True):
            if b not in breakdowns:
                raise p.fail(bline, f"{what} : ventilation inconnue {b!r} (ventilations : {', '.join(breakdowns)})")
        bds = tuple(bl)
    else:
        bds = tuple(b for b in breakdowns if not breakdowns[b].domains)
    published: list[Published] = []
    pubs = m.get("published", _Seq())
    if not isinstance(pubs, _Seq):
        raise p.fail(m.lines["published"], f"{what} : published doit être une liste")
    for pv, pline in zip(pubs, getattr(pubs, "lines", []), strict=True):
        pm = p.mapping(
            pv,
            pline,
            f"{what} : published",
            PUBLISHED_KEYS,
            ("edition", "value", "breakdown", "domain", "base", "figure", "source"),
        )
        ed = pm["edition"]
        if ed not in editions:
            raise p.fail(
                pm.lines["edition"], f"{what} : valeur publiée pour {ed}, édition hors de editions {list(editions)}"
            )
        val = pm["value"]
        if isinstance(val, bool) or not isinstance(val, (int, float)) or not 0 <= val <= 100:
            raise p.fail(pm.lines["value"], f"{what} : value doit être un pourcentage entre 0 et 100")
        bd = p.string(pm, "breakdown", f"{what} : published")
        if bd not in bds:
            raise p.fail(
                pm.lines["breakdown"], f"{what} : ventilation {bd!r} non publiée par l'indicateur ({', '.join(bds)})"
            )
        dom = str(pm["domain"])
        _check_domain(p, breakdowns[bd], dom, pm.lines["domain"], what)
        target = pm.get("target", True)
        if not isinstance(target, bool):
            raise p.fail(pm.lines["target"], f"{what} : target doit être true ou false")
        published.append(
            Published(
                int(ed),
                float(val),
                bd,
                dom,
                p.string(pm, "base", what),
                p.string(pm, "figure", what),
                p.string(pm, "source", what),
                str(pm.get("note", "") or ""),
                target,
                pm.line,
            )
        )
    description = p.text(m, "description", what) if "description" in m else None
    period = p.string(m, "period", what, default="current")
    if period not in PERIODS:
        raise p.fail(m.lines["period"], f"{what} : période inconnue {period!r} (périodes : {', '.join(PERIODS)})")
    among_label = p.text(m, "among_label", what) if "among_label" in m else None
    if among_label is None and any(d.among is not None for d in definitions.values()):
        raise p.fail(
            m.line, f"{what} : among_label manquant (le dénominateur restreint par among doit être dit en clair)"
        )
    return Indicator(
        iid,
        theme,
        p.text(m, "label", what),
        p.text(m, "short_label", what),
        unit,
        universe,
        editions,
        definitions,
        bds,
        tuple(published),
        description,
        m.line,
        period,
        among_label,
    )


def _check_domain(p: _Parser, b: Breakdown, dom: str, line: int, what: str) -> None:
    if b.is_all:
        if dom != ALL:
            raise p.fail(line, f"{what} : la ventilation {b.id!r} n'a qu'un domaine, {ALL!r}")
        return
    if b.domains:
        values = [d.value for d in b.domains]
        if dom not in values:
            raise p.fail(line, f"{what} : domaine {dom!r} inconnu dans {b.id!r} ({', '.join(values)})")
        return
    allowed = ATTRIBUTE_DOMAINS.get(b.attribute or "")
    if allowed is not None and dom not in allowed:
        raise p.fail(line, f"{what} : domaine {dom!r} inconnu pour {b.attribute} ({', '.join(sorted(allowed))})")


# --------------------------------------------------------------------------- entry points


def loads(text: str, source: str = "<catalogue>") -> Catalogue:
    """Parse a catalogue text (structure and expression syntax; see :func:`validate`)."""
    ctx = _Ctx(source)
    try:
        root = yamlfile.compose(text, source)
    except yamlfile.YamlError as exc:
        raise IndicatorError(exc.message, location=exc.location) from None
    if root is None:
        raise IndicatorError("catalogue vide", location=f"{source}:1")
    return _parse(ctx.build(root), ctx)


def load(path: Path | None = None) -> Catalogue:
    path = path or CATALOGUE_PATH
    try:
        text = yamlfile.read_text(path)
    except FileNotFoundError:
        raise NotFound(f"catalogue d'indicateurs introuvable : {path}") from None
    except yamlfile.YamlError as exc:
        raise IndicatorError(exc.message, location=exc.location) from None
    return loads(text, _display(path))


@functools.lru_cache(maxsize=4)
def _load_validated(path: str, mtime: float) -> Catalogue:
    cat = load(Path(path))
    validate(cat)
    return cat


def load_catalogue(path: Path | None = None, *, questionnaires: Mapping[int, Questionnaire] | None = None) -> Catalogue:
    """Load and validate the catalogue against the questionnaire of every edition it spans.

    With ``questionnaires`` given, validate against those (tests); else against
    ``questionnaires/<year>.yaml`` (result cached by file modification time).
    """
    path = path or CATALOGUE_PATH
    if questionnaires is not None:
        cat = load(path)
        validate(cat, questionnaires)
        return cat
    if not path.exists():
        raise NotFound(f"catalogue d'indicateurs introuvable : {path}")
    return _load_validated(str(path.resolve()), path.stat().st_mtime)


def validate(catalogue: Catalogue, questionnaires: Mapping[int, Questionnaire] | None = None) -> None:
    """Check every definition against the questionnaire of each edition it spans.

    Raises :class:`IndicatorError` located at the line of the first bad expression
    (unknown question, unknown code, type error, expression that is not a condition).
    """
    qns: dict[int, Questionnaire] = dict(questionnaires or {})
    for ind in catalogue.indicators:
        for edition in ind.editions:
            qn = qns.get(edition)
            if qn is None:
                try:
                    qn = load_edition(edition)
                except NotFound as exc:
                    raise IndicatorError(
                        f"indicateur {ind.id!r} : {exc.message}", location=f"{catalogue.source}:{ind.line}"
                    ) from None
                qns[edition] = qn
            d = ind.definition(edition)
            for key, expr in (("numerator", d.numerator), ("among", d.among)):
                if expr is None:
                    continue
                where = f"indicateur {ind.id!r} : {key} ({edition})"
                try:
                    result = ex.check(expr, resolver(qn), None)
                except ex.ExpressionError as exc:
                    raise IndicatorError(
                        f"{where} : {exc.message} (position {exc.offset + 1})", location=f"{catalogue.source}:{d.line}"
                    ) from None
                if result is not ex.ExprType.BOOL:
                    raise IndicatorError(
                        f"{where} : l'expression doit être une condition, pas un {result.value}",
                        location=f"{catalogue.source}:{d.line}",
                    )


def check_feeds(catalogue: Catalogue, questionnaires: Mapping[int, Questionnaire]) -> list[str]:
    """Figures named by questions' ``feeds`` that the catalogue does not know (one message each)."""
    known = catalogue.figures()
    problems: list[str] = []
    for year, qn in sorted(questionnaires.items()):
        for q in qn.questions:
            for f in q.feeds:
                if f not in known:
                    problems.append(f"questionnaire {year}, question {q.id!r} : chiffre {f!r} absent du catalogue")
    return problems


def referenced_questions(catalogue: Catalogue, edition: int) -> set[str]:
    out: set[str] = set()
    for ind in catalogue.for_edition(edition):
        d = ind.definition(edition)
        out.update(question_refs(d.numerator))
        if d.among is not None:
            out.update(question_refs(d.among))
    return out


__all__ = [
    "ALL",
    "ATTRIBUTE_DOMAINS",
    "AUTHORITY",
    "AUTHORITY_ATTRIBUTES",
    "CATALOGUE_PATH",
    "THEMES",
    "UNITS",
    "Breakdown",
    "Catalogue",
    "Definition",
    "Domain",
    "Indicator",
    "Published",
    "Universe",
    "check_feeds",
    "load",
    "load_catalogue",
    "loads",
    "referenced_questions",
    "validate",
]
