"""Rules engine over the decision tables of ``data/obligations.yaml``.

Each obligation is a decision table (rows of conditions → status). Conditions are
evaluated with three-valued logic: true, false or unknown (missing data, or a
population too close to a threshold to decide). The first row that certainly
matches gives the verdict; rows before it that *may* match make the verdict
``depends`` when their statuses differ, with the questions to ask.

Dates: a rule is evaluated at a given date ``at``. Before its ``since`` date the
status is ``does_not_apply`` with the reason :class:`NotYetInForce` (« Pas encore en
vigueur (à partir du …) ») and the verdict it will have once in force is given in ``upcoming``.
A rule whose ``since`` is null (a bill, e.g. NIS2) is never date-gated; its
``legal_status`` says it is not law yet and in-scope verdicts are ``depends``
(question: has the law been promulgated?).

Population: each rule states which population it counts (``population_basis``).
The other figure is bounded: population totale ≥ population municipale, and
population totale ≤ population municipale × (1 + :data:`POPULATION_TOTALE_MARGIN`)
is assumed. When only the other figure is known and the interval straddles the
threshold, or when the source does not say which population counts
(``population_basis_certain: false``) and the two figures straddle it, the
verdict is ``depends`` with that reason.

The engine decides in codes and parameters (:mod:`barometre.core.diagnostic.verdicts`: evidence,
doubts, questions, reasons) and writes no sentence; :meth:`ObligationResult.to_dict` and
:func:`obligations_report` word a verdict in French or English through
:mod:`barometre.core.wording.obligations`. The rules' own texts are loaded in both languages
(:class:`~barometre.core.diagnostic.verdicts.Text`) and chosen there too.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal, cast

from barometre.core.diagnostic._data import load_yaml, localized
from barometre.core.diagnostic.profile import AUTHORITY_KINDS, EPCI_TYPES, AuthorityProfile
from barometre.core.diagnostic.verdicts import (
    AgentsEvidence,
    AgentsUnknown,
    AiKey,
    AiUseUnknown,
    Basis,
    BasisStraddles,
    BasisUnstated,
    BillInScope,
    BillOther,
    CategoryUnknown,
    Doubt,
    Evidence,
    NotYetInForce,
    OtherPopulationUnknown,
    PopulationEvidence,
    PopulationFigures,
    PopulationKey,
    PopulationUnknown,
    Question,
    Reason,
    RowReason,
    Text,
    ToBeDetermined,
)
from barometre.core.errors import DiagnosticError
from barometre.core.paths import DATA_DIR
from barometre.core.wording import obligations as wording
from barometre.core.wording.numbers import format_day

Status = Literal["applies", "does_not_apply", "depends"]
LANGS: tuple[str, ...] = ("fr", "en")
STATUSES: tuple[str, ...] = ("applies", "does_not_apply", "depends")

#: Population totale is assumed to exceed population municipale by at most this
#: share (INSEE: PTOT = PMUN + population comptée à part, typically 1–3 % more).
#: Within this margin below a threshold counted in the other population, the
#: verdict is "depends". Communes with large boarding schools or barracks can
#: exceed it: the margin is a heuristic, stated in the reason shown.
POPULATION_TOTALE_MARGIN = 0.03

OBLIGATIONS_FILE = DATA_DIR / "obligations.yaml"

_OPS = ("gt", "gte", "lt", "lte")
_CONDITION_KEYS = (
    "kind",
    "epci_type",
    "departement_powers",
    "region_powers",
    "population",
    "max_member_population",
    "agents",
    "uses_ai",
    "uses_high_risk_ai",
)


def format_date_fr(d: date) -> str:
    """``date(2023, 1, 1)`` → ``1er janvier 2023``."""
    return format_day(d, "fr")


# ---------------------------------------------------------------------------
# Data model
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Requirement:
    text: Text
    date: date | None = None


@dataclass(frozen=True, slots=True)
class Row:
    when: Mapping[str, Any]
    status: Status
    reason: Text
    category: Text | None = None
    question: Text | None = None


@dataclass(frozen=True)
class Rule:
    """One decision table, its texts in both languages."""

    id: str
    title: Text
    reference: str
    url: str
    sources: tuple[str, ...]
    source_date: str
    legal_status: Text
    uncertain: bool
    notes: tuple[Text, ...]
    since: date | None
    population_basis: Basis | None
    population_basis_certain: bool
    requirements: tuple[Requirement, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class RequirementResult:
    text: Text
    date: date | None
    in_force: bool

    def to_dict(self, lang: str = "fr") -> dict[str, Any]:
        return {"text": self.text.get(lang), "date": self.date, "in_force": self.in_force}


@dataclass(frozen=True, slots=True)
class Upcoming:
    """The verdict a rule not yet in force will have from ``since``."""

    since: date
    status: Status
    reason: Reason
    category: tuple[Text, ...] = ()

    def to_dict(self, lang: str = "fr") -> dict[str, Any]:
        return {
            "since": self.since,
            "status": self.status,
            "reason": wording.reason(self.reason, lang),
            "category": wording.category(self.category, lang),
        }


@dataclass(frozen=True, slots=True)
class ObligationResult:
    """The verdict of one rule for one authority at one date, in codes and parameters: ``reason`` says why
    (:mod:`~barometre.core.diagnostic.verdicts`), ``questions`` what would settle a ``depends``,
    ``category`` the category (or its alternatives, empty when none). :meth:`to_dict` words it."""

    id: str
    title: Text
    status: Status
    reason: Reason
    reference: str
    url: str
    since: date | None
    population_basis: str | None
    legal_status: Text
    uncertain: bool
    requirements: tuple[RequirementResult, ...]
    questions: tuple[Question, ...] = ()
    category: tuple[Text, ...] = ()
    upcoming: Upcoming | None = None
    notes: tuple[Text, ...] = ()
    sources: tuple[str, ...] = ()
    source_date: str | None = None

    def to_dict(self, lang: str = "fr") -> dict[str, Any]:
        """The verdict worded in ``lang`` (the JSON of ``barometre diagnostic obligations``)."""
        return {
            "id": self.id,
            "title": self.title.get(lang),
            "status": self.status,
            "reason": wording.reason(self.reason, lang),
            "questions": wording.questions(self.questions, lang),
            "category": wording.category(self.category, lang),
            "reference": self.reference,
            "url": self.url,
            "since": self.since,
            "population_basis": self.population_basis,
            "legal_status": self.legal_status.get(lang),
            "uncertain": self.uncertain,
            "upcoming": self.upcoming.to_dict(lang) if self.upcoming else None,
            "requirements": [r.to_dict(lang) for r in self.requirements],
            "notes": [n.get(lang) for n in self.notes],
            "sources": list(self.sources),
            "source_date": self.source_date,
        }


# ---------------------------------------------------------------------------
# Loading and validation
# ---------------------------------------------------------------------------


def _as_date(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise DiagnosticError(f"date invalide : {value!r} (attendu AAAA-MM-JJ)", location=where)


def _as_text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise DiagnosticError(
            f"texte attendu, trouvé {value!r} (un « : » non protégé par des guillemets ?)", location=where
        )
    return value


def _validate_when(when: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(when, Mapping):
        raise DiagnosticError("« when » doit être un dictionnaire de conditions", location=where)
    for key, value in when.items():
        if key not in _CONDITION_KEYS:
            raise DiagnosticError(
                f"condition inconnue « {key} » (attendu : {', '.join(_CONDITION_KEYS)})", location=where
            )
        if key == "kind":
            bad = [v for v in value if v not in AUTHORITY_KINDS]
            if bad:
                raise DiagnosticError(f"type de collectivité inconnu : {bad}", location=where)
        elif key == "epci_type":
            bad = [v for v in value if v not in EPCI_TYPES]
            if bad:
                raise DiagnosticError(f"type d'EPCI inconnu : {bad}", location=where)
        elif key in ("population", "max_member_population", "agents"):
            if not isinstance(value, Mapping) or len(value) != 1 or next(iter(value)) not in _OPS:
                raise DiagnosticError(f"« {key} » attend un seul opérateur parmi {_OPS}", location=where)
            if not isinstance(next(iter(value.values())), int | float):
                raise DiagnosticError(f"« {key} » : seuil non numérique", location=where)
        elif not isinstance(value, bool):
            raise DiagnosticError(f"« {key} » attend true ou false", location=where)
    return dict(when)


def _text(value: Any, where: str) -> Text:
    """A ``{fr, en}`` pair (French when English is missing), or one text for both, with its spaces collapsed."""
    fr, en = (" ".join(_as_text(localized(value, lang), where).split()) for lang in LANGS)
    return Text(fr, en)


def _optional_text(value: Any) -> Text | None:
    """A category or a row's question: as given (no check, no spaces collapsed), None when absent."""
    if value is None:
        return None
    return Text(localized(value, "fr"), localized(value, "en"))


def _parse_rule(raw: Mapping[str, Any], where: str) -> Rule:
    try:
        rid = str(raw["id"])
        rows_raw = raw["rows"]
        reqs: list[Requirement] = []
        for req in raw.get("requirements") or []:
            if isinstance(req, Mapping) and "text" in req:
                reqs.append(
                    Requirement(_text(req["text"], where), _as_date(req["date"], where) if req.get("date") else None)
                )
            else:
                reqs.append(Requirement(_text(req, where)))
        rows: list[Row] = []
        for i, r in enumerate(rows_raw):
            rwhere = f"{where}:rows[{i}]"
            status = r["status"]
            if status not in STATUSES:
                raise DiagnosticError(f"statut inconnu « {status} »", location=rwhere)
            rows.append(
                Row(
                    when=_validate_when(r.get("when") or {}, rwhere),
                    status=status,
                    reason=_text(r["reason"], rwhere),
                    category=_optional_text(r.get("category")),
                    question=_optional_text(r.get("question")),
                )
            )
        if not rows or rows[-1].when:
            raise DiagnosticError("la table doit finir par une ligne « when: {} » (cas par défaut)", location=where)
        basis = raw.get("population_basis")
        if basis not in (None, "totale", "municipale"):
            raise DiagnosticError(f"population_basis inconnue « {basis} »", location=where)
        uses_population = any("population" in r.when or "max_member_population" in r.when for r in rows)
        if uses_population and basis is None:
            raise DiagnosticError(
                "une règle avec un seuil de population doit préciser population_basis", location=where
            )
        title, legal_status = raw["title"], raw["legal_status"]
        return Rule(
            id=rid,
            title=Text(str(localized(title, "fr")), str(localized(title, "en"))),
            reference=" ".join(str(raw["reference"]).split()),
            url=str(raw["url"]),
            sources=tuple(raw.get("sources") or ()),
            source_date=str(raw["source_date"]),
            legal_status=Text(*(" ".join(str(localized(legal_status, lang)).split()) for lang in LANGS)),
            uncertain=bool(raw.get("uncertain", False)),
            notes=tuple(_text(n, where) for n in raw.get("notes") or ()),
            since=_as_date(raw["since"], where) if raw.get("since") is not None else None,
            population_basis=basis,
            population_basis_certain=bool(raw.get("population_basis_certain", True)),
            requirements=tuple(reqs),
            rows=tuple(rows),
        )
    except (KeyError, TypeError) as exc:
        raise DiagnosticError(f"règle mal formée ({exc})", location=where) from None


def parse_obligations(data: Any, source: str = "obligations.yaml") -> tuple[Rule, ...]:
    """The rules of ``data``, each text in French and English (a ``{fr, en}`` pair, or one text for both)."""
    if not isinstance(data, Mapping) or not isinstance(data.get("obligations"), list):
        raise DiagnosticError("le fichier doit contenir une liste « obligations »", location=source)
    rules = tuple(_parse_rule(r, f"{source}:obligations[{i}]") for i, r in enumerate(data["obligations"]))
    ids = [r.id for r in rules]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise DiagnosticError(f"identifiants en double : {sorted(dup)}", location=source)
    return rules


@functools.cache
def _load_cached(path: Path) -> tuple[Rule, ...]:
    data = load_yaml(path, "table des obligations")
    return parse_obligations(data, str(path))


def load_obligations(path: Path | None = None) -> tuple[Rule, ...]:
    """The decision tables (cached per path), texts in French and English."""
    return _load_cached((path or OBLIGATIONS_FILE).resolve())


# ---------------------------------------------------------------------------
# Three-valued condition evaluation
# ---------------------------------------------------------------------------


class _Cond:
    """One condition evaluated: true, false or unknown (None), the fact it rests on, why it is unknown and
    what would settle it."""

    __slots__ = ("doubt", "evidence", "question", "value")

    def __init__(
        self,
        value: bool | None,
        evidence: Evidence | None = None,
        doubt: Doubt | None = None,
        question: Question | None = None,
    ) -> None:
        self.value = value
        self.evidence = evidence
        self.doubt = doubt
        self.question = question


_TRUE = _Cond(True)
_FALSE = _Cond(False)


def _compare(op: str, a: float, threshold: float) -> bool:
    if op == "gt":
        return a > threshold
    if op == "gte":
        return a >= threshold
    if op == "lt":
        return a < threshold
    return a <= threshold


def _population_cond(
    op: Any,
    threshold: float,
    basis: Basis,
    basis_certain: bool,
    pmun: int | None,
    ptot: int | None,
    key: PopulationKey,
) -> _Cond:
    """Compare a population with a threshold, knowing one or both INSEE figures."""
    if pmun is None and ptot is None:
        return _Cond(
            None, doubt=PopulationUnknown(key, basis, op, threshold), question=Question("population", key, basis)
        )
    m = POPULATION_TOTALE_MARGIN
    known: OtherPopulationUnknown | PopulationFigures
    if basis_certain:
        exact = ptot if basis == "totale" else pmun
        if exact is not None:
            return _Cond(_compare(op, exact, threshold), evidence=PopulationEvidence(basis, exact))
        if basis == "totale":
            assert pmun is not None
            lo, hi = float(pmun), pmun * (1 + m)
            known = OtherPopulationUnknown("municipale", pmun)
        else:
            assert ptot is not None
            lo, hi = ptot / (1 + m), float(ptot)
            known = OtherPopulationUnknown("totale", ptot)
    else:
        lo = float(pmun) if pmun is not None else (ptot or 0) / (1 + m)
        hi = float(ptot) if ptot is not None else (pmun or 0) * (1 + m)
        known = PopulationFigures(pmun, ptot)
    a, b = _compare(op, lo, threshold), _compare(op, hi, threshold)
    if a == b:
        return _Cond(a, evidence=known)
    if basis_certain or pmun is None or ptot is None:
        missing: Basis = "totale" if ptot is None else "municipale"
        why: Doubt = BasisStraddles(known, key, basis, missing, op, threshold, m)
        question = Question("population", key, missing)
    else:
        assert isinstance(known, PopulationFigures)
        why, question = BasisUnstated(known, basis, op, threshold), Question("population_basis")
    return _Cond(None, evidence=known, doubt=why, question=question)


def _eval_condition(key: str, spec: Any, p: AuthorityProfile, rule: Rule) -> _Cond:
    if key == "kind":
        return _TRUE if p.kind in spec else _FALSE
    if key == "epci_type":
        return _TRUE if p.epci_type in spec else _FALSE
    if key == "departement_powers":
        return _TRUE if p.departement_powers == spec else _FALSE
    if key == "region_powers":
        return _TRUE if p.region_powers == spec else _FALSE
    if key == "population" or key == "max_member_population":
        op, threshold = next(iter(spec.items()))
        assert rule.population_basis is not None
        pmun, ptot = (
            (p.population_municipale, p.population_totale)
            if key == "population"
            else (p.max_member_population, p.max_member_population_totale)
        )
        return _population_cond(
            op, threshold, rule.population_basis, rule.population_basis_certain, pmun, ptot, cast(PopulationKey, key)
        )
    if key == "agents":
        op, threshold = next(iter(spec.items()))
        if p.agents is None:
            return _Cond(None, doubt=AgentsUnknown(threshold), question=Question("agents"))
        return _Cond(_compare(op, p.agents, threshold), evidence=AgentsEvidence(p.agents))
    if key == "uses_ai" or key == "uses_high_risk_ai":
        actual: bool | None = getattr(p, key)
        if actual is None:
            return _Cond(None, doubt=AiUseUnknown(cast(AiKey, key)), question=Question(cast(AiKey, key)))
        return _TRUE if actual == spec else _FALSE
    raise DiagnosticError(f"condition inconnue « {key} »")  # pragma: no cover - validated at load


@dataclass(slots=True)
class _RowEval:
    row: Row
    value: bool | None
    conds: list[_Cond] = field(default_factory=list)


def _eval_row(row: Row, p: AuthorityProfile, rule: Rule) -> _RowEval:
    conds: list[_Cond] = []
    unknown = False
    for k, v in row.when.items():
        c = _eval_condition(k, v, p, rule)
        if c.value is False:
            # the row cannot match: the remaining conditions change nothing
            return _RowEval(row, False, conds)
        unknown = unknown or c.value is None
        conds.append(c)
    return _RowEval(row, None if unknown else True, conds)


@dataclass(frozen=True, slots=True)
class _Verdict:
    status: Status
    reason: Reason
    questions: tuple[Question, ...] = ()
    category: tuple[Text, ...] = ()


def _row_reason(ev: _RowEval) -> RowReason:
    return RowReason(ev.row.reason, tuple(c.evidence for c in ev.conds if c.evidence is not None))


def _collect_doubts(candidates: Sequence[_RowEval]) -> tuple[tuple[Doubt, ...], tuple[Question, ...]]:
    doubts: dict[Doubt, None] = {}
    questions: dict[Question, None] = {}
    for c in candidates:
        for cond in c.conds:
            if cond.value is None:
                if cond.doubt is not None:
                    doubts[cond.doubt] = None
                if cond.question is not None:
                    questions[cond.question] = None
        if c.row.question is not None:
            questions[Question("table", text=c.row.question)] = None
    return tuple(doubts), tuple(questions)


def _category(row: Row) -> tuple[Text, ...]:
    return () if row.category is None else (row.category,)


def _scope_verdict(rule: Rule, p: AuthorityProfile) -> _Verdict:
    candidates: list[_RowEval] = []
    certain: _RowEval | None = None
    for row in rule.rows:
        ev = _eval_row(row, p, rule)
        if ev.value is None:
            candidates.append(ev)
        elif ev.value:
            certain = ev
            break
    if certain is None:  # pragma: no cover - the last row has no condition
        raise DiagnosticError(f"table « {rule.id} » incomplète : aucune ligne ne s'applique")
    if not candidates:
        if certain.row.status != "depends":
            return _Verdict(certain.row.status, _row_reason(certain), (), _category(certain.row))
        # the certain row itself says "depends" (a case the sources leave open)
        row_questions = (Question("table", text=certain.row.question),) if certain.row.question else ()
        return _Verdict("depends", _row_reason(certain), row_questions, _category(certain.row))
    statuses = {c.row.status for c in candidates} | {certain.row.status}
    if len(statuses) == 1 and certain.row.status != "depends":
        categories = {c.row.category for c in candidates} | {certain.row.category}
        if len(categories) == 1:
            return _Verdict(certain.row.status, _row_reason(certain), (), _category(certain.row))
        # same status, but the category (e.g. NIS2 essential / important) is not known
        doubts, cat_questions = _collect_doubts(candidates)
        options = tuple(sorted((c for c in categories if c is not None), key=lambda t: (t.fr, t.en)))
        cases = tuple((r.row.reason, r.row.category) for r in [*candidates, certain])
        return _Verdict(certain.row.status, CategoryUnknown(cases, doubts), cat_questions, options)
    doubts, questions = _collect_doubts(candidates)
    possible = next((c.row for c in candidates if c.row.status == "applies"), None)
    return _Verdict("depends", ToBeDetermined(doubts, None if possible is None else possible.reason), questions)


_ADOPTION = Question("adoption")


def _apply_legal_status(rule: Rule, verdict: _Verdict) -> _Verdict:
    """A bill (``since`` null) cannot make anything certain: in-scope verdicts become "depends"."""
    if rule.since is not None or verdict.status == "does_not_apply":
        return verdict
    reason: Reason
    if verdict.status == "applies":
        reason = BillInScope(verdict.category, verdict.reason, rule.legal_status)
    else:
        reason = BillOther(verdict.reason, rule.legal_status)
    return _Verdict("depends", reason, (*verdict.questions, _ADOPTION), verdict.category)


#: Requirements in force by (identity of a rule's requirements, date); the entry keeps its requirements alive,
#: so the identity cannot be reused while it is cached.
_IN_FORCE: dict[tuple[int, date], tuple[tuple[Requirement, ...], tuple[RequirementResult, ...]]] = {}


def _requirements_at(requirements: tuple[Requirement, ...], at: date) -> tuple[RequirementResult, ...]:
    """Which requirements are in force at ``at`` (the same for every authority: computed once per rule and date)."""
    key = (id(requirements), at)
    hit = _IN_FORCE.get(key)
    if hit is not None and hit[0] is requirements:
        return hit[1]
    result = tuple(RequirementResult(r.text, r.date, r.date is None or at >= r.date) for r in requirements)
    if len(_IN_FORCE) >= 4096:
        _IN_FORCE.clear()
    _IN_FORCE[key] = (requirements, result)
    return result


def evaluate_rule(rule: Rule, profile: AuthorityProfile, at: date) -> ObligationResult:
    """Evaluate one decision table for one authority at a given date, in codes and parameters (worded by
    :meth:`ObligationResult.to_dict`)."""
    verdict = _apply_legal_status(rule, _scope_verdict(rule, profile))
    upcoming: Upcoming | None = None
    if rule.since is not None and at < rule.since:
        upcoming = Upcoming(rule.since, verdict.status, verdict.reason, verdict.category)
        verdict = _Verdict("does_not_apply", NotYetInForce(rule.since, verdict.reason))
    return ObligationResult(
        id=rule.id,
        title=rule.title,
        status=verdict.status,
        reason=verdict.reason,
        reference=rule.reference,
        url=rule.url,
        since=rule.since,
        population_basis=rule.population_basis,
        legal_status=rule.legal_status,
        uncertain=rule.uncertain,
        requirements=_requirements_at(rule.requirements, at),
        questions=verdict.questions,
        category=verdict.category,
        upcoming=upcoming,
        notes=rule.notes,
        sources=rule.sources,
        source_date=rule.source_date,
    )


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise DiagnosticError(f"langue « {lang} » non prise en charge (attendu : {', '.join(LANGS)})")


def evaluate_obligations(
    profile: AuthorityProfile, at: date, rules: Sequence[Rule] | None = None
) -> list[ObligationResult]:
    """Evaluate every obligation (in file order) for ``profile`` at date ``at``."""
    return [evaluate_rule(r, profile, at) for r in (rules if rules is not None else load_obligations())]


def obligations_report(
    profile: AuthorityProfile, at: date, rules: Sequence[Rule] | None = None, lang: str = "fr"
) -> dict[str, Any]:
    """The JSON document of ``barometre diagnostic obligations`` (texts in ``lang``: "fr" or "en")."""
    _check_lang(lang)
    return worded_report(profile, at, evaluate_obligations(profile, at, rules), lang)


def worded_report(
    profile: AuthorityProfile, at: date, results: Sequence[ObligationResult], lang: str = "fr"
) -> dict[str, Any]:
    """The JSON document of :func:`obligations_report` from results already evaluated."""
    return {
        "authority": profile.to_dict(),
        "at": at,
        "population_totale_margin": POPULATION_TOTALE_MARGIN,
        "obligations": [r.to_dict(lang) for r in results],
    }


def asks_agents(results: Sequence[ObligationResult]) -> bool:
    """Whether a verdict asks for the number of agents (the web offers a field for it)."""
    return any(q.code == "agents" for r in results for q in r.questions)
