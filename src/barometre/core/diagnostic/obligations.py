"""Rules engine over the decision tables of ``data/obligations.yaml``.

Each obligation is a decision table (rows of conditions → status). Conditions are
evaluated with three-valued logic: true, false or unknown (missing data, or a
population too close to a threshold to decide). The first row that certainly
matches gives the verdict; rows before it that *may* match make the verdict
``depends`` when their statuses differ, with the questions to ask.

Dates: a rule is evaluated at a given date ``at``. Before its ``since`` date the
status is ``does_not_apply`` with the reason « Pas encore en vigueur (à partir
du …) » and the verdict it will have once in force is given in ``upcoming``.
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
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from barometre.core.diagnostic._data import load_yaml, localized
from barometre.core.diagnostic.profile import EPCI_TYPES, KIND_LABELS, AuthorityProfile
from barometre.core.errors import DiagnosticError
from barometre.core.paths import DATA_DIR
from barometre.core.wording import obligations as wording
from barometre.core.wording.numbers import format_day, format_number

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
#: The question asking for the number of agents, in each language (the web offers a field for it).
AGENTS_QUESTIONS: tuple[str, ...] = tuple(wording.question("agents", lang) for lang in LANGS)


def format_date_fr(d: date) -> str:
    """``date(2023, 1, 1)`` → ``1er janvier 2023``."""
    return format_day(d, "fr")


# ---------------------------------------------------------------------------
# Data model
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    text: str
    date: date | None = None


@dataclass(frozen=True)
class Row:
    when: Mapping[str, Any]
    status: Status
    reason: str
    category: str | None = None
    question: str | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    reference: str
    url: str
    sources: tuple[str, ...]
    source_date: str
    legal_status: str
    uncertain: bool
    notes: tuple[str, ...]
    since: date | None
    population_basis: Literal["totale", "municipale"] | None
    population_basis_certain: bool
    requirements: tuple[Requirement, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class RequirementResult:
    text: str
    date: date | None
    in_force: bool

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "date": self.date, "in_force": self.in_force}


@dataclass(frozen=True)
class Upcoming:
    since: date
    status: Status
    reason: str
    category: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"since": self.since, "status": self.status, "reason": self.reason, "category": self.category}


@dataclass(frozen=True)
class ObligationResult:
    id: str
    title: str
    status: Status
    reason: str
    reference: str
    url: str
    since: date | None
    population_basis: str | None
    legal_status: str
    uncertain: bool
    requirements: tuple[RequirementResult, ...]
    questions: tuple[str, ...] = ()
    category: str | None = None
    upcoming: Upcoming | None = None
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    source_date: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "reason": self.reason,
            "questions": list(self.questions),
            "category": self.category,
            "reference": self.reference,
            "url": self.url,
            "since": self.since,
            "population_basis": self.population_basis,
            "legal_status": self.legal_status,
            "uncertain": self.uncertain,
            "upcoming": self.upcoming.to_dict() if self.upcoming else None,
            "requirements": [r.to_dict() for r in self.requirements],
            "notes": list(self.notes),
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
            bad = [v for v in value if v not in KIND_LABELS]
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


def _parse_rule(raw: Mapping[str, Any], where: str, lang: str = "fr") -> Rule:
    try:
        rid = str(raw["id"])
        rows_raw = raw["rows"]
        reqs: list[Requirement] = []
        for req in raw.get("requirements") or []:
            if isinstance(req, Mapping) and "text" in req:
                text = _as_text(localized(req["text"], lang), where)
                reqs.append(Requirement(text, _as_date(req["date"], where) if req.get("date") else None))
            else:
                reqs.append(Requirement(_as_text(localized(req, lang), where)))
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
                    reason=_as_text(localized(r["reason"], lang), rwhere).strip(),
                    category=localized(r.get("category"), lang),
                    question=localized(r.get("question"), lang),
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
        return Rule(
            id=rid,
            title=str(localized(raw["title"], lang)),
            reference=" ".join(str(raw["reference"]).split()),
            url=str(raw["url"]),
            sources=tuple(raw.get("sources") or ()),
            source_date=str(raw["source_date"]),
            legal_status=" ".join(str(localized(raw["legal_status"], lang)).split()),
            uncertain=bool(raw.get("uncertain", False)),
            notes=tuple(" ".join(_as_text(localized(n, lang), where).split()) for n in raw.get("notes") or ()),
            since=_as_date(raw["since"], where) if raw.get("since") is not None else None,
            population_basis=basis,
            population_basis_certain=bool(raw.get("population_basis_certain", True)),
            requirements=tuple(Requirement(" ".join(r.text.split()), r.date) for r in reqs),
            rows=tuple(Row(r.when, r.status, " ".join(r.reason.split()), r.category, r.question) for r in rows),
        )
    except (KeyError, TypeError) as exc:
        raise DiagnosticError(f"règle mal formée ({exc})", location=where) from None


def parse_obligations(data: Any, source: str = "obligations.yaml", lang: str = "fr") -> tuple[Rule, ...]:
    """The rules of ``data``, each text in ``lang`` (a ``{fr, en}`` pair, or one text for both)."""
    if not isinstance(data, Mapping) or not isinstance(data.get("obligations"), list):
        raise DiagnosticError("le fichier doit contenir une liste « obligations »", location=source)
    rules = tuple(_parse_rule(r, f"{source}:obligations[{i}]", lang) for i, r in enumerate(data["obligations"]))
    ids = [r.id for r in rules]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise DiagnosticError(f"identifiants en double : {sorted(dup)}", location=source)
    return rules


@functools.cache
def _load_cached(path: Path, lang: str = "fr") -> tuple[Rule, ...]:
    data = load_yaml(path, "table des obligations")
    return parse_obligations(data, str(path), lang)


def load_obligations(path: Path | None = None, lang: str = "fr") -> tuple[Rule, ...]:
    """The decision tables (cached per path and language), texts in ``lang``."""
    return _load_cached((path or OBLIGATIONS_FILE).resolve(), lang)


# ---------------------------------------------------------------------------
# Three-valued condition evaluation
# ---------------------------------------------------------------------------


@dataclass
class _Cond:
    value: bool | None
    evidence: str = ""  # what was used, shown with a certain verdict
    doubt: str = ""  # why it is unknown
    question: str | None = None


def _compare(op: str, a: float, threshold: float) -> bool:
    if op == "gt":
        return a > threshold
    if op == "gte":
        return a >= threshold
    if op == "lt":
        return a < threshold
    return a <= threshold


def _population_cond(
    op: str,
    threshold: float,
    basis: str,
    basis_certain: bool,
    pmun: int | None,
    ptot: int | None,
    key: str,
    lang: str = "fr",
) -> _Cond:
    """Compare a population with a threshold, knowing one or both INSEE figures."""
    crit = wording.criterion(op, threshold, lang)
    if pmun is None and ptot is None:
        doubt, question = wording.population_unknown(key, basis, crit, lang)
        return _Cond(None, doubt=doubt, question=question)
    m = POPULATION_TOTALE_MARGIN
    pct = format_number(m * 100, lang=lang)
    if basis_certain:
        exact = ptot if basis == "totale" else pmun
        if exact is not None:
            return _Cond(_compare(op, exact, threshold), evidence=wording.population_value(basis, exact, lang))
        if basis == "totale":
            assert pmun is not None
            lo, hi = float(pmun), pmun * (1 + m)
            known = wording.other_population_unknown("municipale", pmun, lang)
        else:
            assert ptot is not None
            lo, hi = ptot / (1 + m), float(ptot)
            known = wording.other_population_unknown("totale", ptot, lang)
    else:
        lo = float(pmun) if pmun is not None else (ptot or 0) / (1 + m)
        hi = float(ptot) if ptot is not None else (pmun or 0) * (1 + m)
        parts = []
        if pmun is not None:
            parts.append(wording.population_value("municipale", pmun, lang))
        if ptot is not None:
            parts.append(wording.population_value("totale", ptot, lang))
        known = ", ".join(parts)
    a, b = _compare(op, lo, threshold), _compare(op, hi, threshold)
    if a == b:
        return _Cond(a, evidence=known)
    if basis_certain or pmun is None or ptot is None:
        missing = "totale" if ptot is None else "municipale"
        why, question = wording.basis_straddles(known, key, basis, missing, crit, pct, lang)
    else:
        why, question = wording.basis_unstated(known, basis, crit, lang)
    return _Cond(None, evidence=known, doubt=why, question=question)


def _eval_condition(key: str, spec: Any, p: AuthorityProfile, rule: Rule, lang: str = "fr") -> _Cond:
    if key == "kind":
        return _Cond(p.kind in spec)
    if key == "epci_type":
        return _Cond(p.epci_type in spec)
    if key == "departement_powers":
        return _Cond(p.departement_powers == spec)
    if key == "region_powers":
        return _Cond(p.region_powers == spec)
    if key in ("population", "max_member_population"):
        op, threshold = next(iter(spec.items()))
        assert rule.population_basis is not None
        pmun, ptot = (
            (p.population_municipale, p.population_totale)
            if key == "population"
            else (p.max_member_population, p.max_member_population_totale)
        )
        return _population_cond(
            op, threshold, rule.population_basis, rule.population_basis_certain, pmun, ptot, key, lang
        )
    if key == "agents":
        op, threshold = next(iter(spec.items()))
        if p.agents is None:
            return _Cond(None, doubt=wording.agents_unknown(threshold, lang), question=wording.question("agents", lang))
        evidence = wording.agents_value(p.agents, _decimals(p.agents), lang)
        return _Cond(_compare(op, p.agents, threshold), evidence=evidence)
    if key in ("uses_ai", "uses_high_risk_ai"):
        actual: bool | None = getattr(p, key)
        if actual is None:
            return _Cond(None, doubt=wording.ai_use_unknown(lang, key), question=wording.question(key, lang))
        return _Cond(actual == spec)
    raise DiagnosticError(f"condition inconnue « {key} »")  # pragma: no cover - validated at load


def _decimals(x: float) -> int:
    return 0 if float(x).is_integer() else 1


@dataclass
class _RowEval:
    row: Row
    value: bool | None
    conds: list[_Cond] = field(default_factory=list)


def _eval_row(row: Row, p: AuthorityProfile, rule: Rule, lang: str = "fr") -> _RowEval:
    conds = [_eval_condition(k, v, p, rule, lang) for k, v in row.when.items()]
    if any(c.value is False for c in conds):
        return _RowEval(row, False, conds)
    if all(c.value is True for c in conds):
        return _RowEval(row, True, conds)
    return _RowEval(row, None, conds)


@dataclass(frozen=True)
class _Verdict:
    status: Status
    reason: str
    questions: tuple[str, ...] = ()
    category: str | None = None


def _with_evidence(reason: str, conds: Sequence[_Cond], lang: str = "fr") -> str:
    return wording.with_evidence(reason, [c.evidence for c in conds if c.evidence], lang)


def _collect_doubts(candidates: Sequence[_RowEval]) -> tuple[list[str], list[str]]:
    doubts: list[str] = []
    questions: list[str] = []
    for c in candidates:
        for cond in c.conds:
            if cond.value is None:
                if cond.doubt and cond.doubt not in doubts:
                    doubts.append(cond.doubt)
                if cond.question and cond.question not in questions:
                    questions.append(cond.question)
        if c.row.question and c.row.question not in questions:
            questions.append(c.row.question)
    return doubts, questions


def _scope_verdict(rule: Rule, p: AuthorityProfile, lang: str = "fr") -> _Verdict:
    candidates: list[_RowEval] = []
    certain: _RowEval | None = None
    for row in rule.rows:
        ev = _eval_row(row, p, rule, lang)
        if ev.value is None:
            candidates.append(ev)
        elif ev.value:
            certain = ev
            break
    if certain is None:  # pragma: no cover - the last row has no condition
        raise DiagnosticError(f"table « {rule.id} » incomplète : aucune ligne ne s'applique")
    statuses = {c.row.status for c in candidates} | {certain.row.status}
    if len(statuses) == 1 and certain.row.status != "depends":
        reason = _with_evidence(certain.row.reason, certain.conds, lang)
        categories = {c.row.category for c in candidates} | {certain.row.category}
        if len(categories) == 1:
            return _Verdict(certain.row.status, reason, (), certain.row.category)
        # same status, but the category (e.g. NIS2 essential / important) is not known
        doubts, cat_questions = _collect_doubts(candidates)
        options = wording.categories(sorted(c for c in categories if c), lang)
        cases = [(r.row.reason, r.row.category) for r in [*candidates, certain]]
        reason = wording.category_unknown(cases, doubts, lang)
        return _Verdict(certain.row.status, reason, tuple(cat_questions), options)
    if not candidates:
        # the certain row itself says "depends" (a case the sources leave open)
        row_questions = (certain.row.question,) if certain.row.question else ()
        return _Verdict(
            "depends", _with_evidence(certain.row.reason, certain.conds, lang), row_questions, certain.row.category
        )
    doubts, questions_list = _collect_doubts(candidates)
    possible = next((c.row for c in candidates if c.row.status == "applies"), None)
    reason = wording.to_be_determined(doubts, None if possible is None else possible.reason, lang)
    return _Verdict("depends", reason, tuple(questions_list), None)


def _apply_legal_status(rule: Rule, verdict: _Verdict, lang: str = "fr") -> _Verdict:
    """A bill (``since`` null) cannot make anything certain: in-scope verdicts become "depends"."""
    if rule.since is not None or verdict.status == "does_not_apply":
        return verdict
    if verdict.status == "applies":
        reason = wording.bill_in_scope(verdict.category, verdict.reason, rule.legal_status, lang)
    else:
        reason = wording.bill_other(verdict.reason, rule.legal_status, lang)
    question = wording.adoption_question(lang)
    return _Verdict("depends", reason, (*verdict.questions, question), verdict.category)


def evaluate_rule(rule: Rule, profile: AuthorityProfile, at: date, lang: str = "fr") -> ObligationResult:
    """Evaluate one decision table for one authority at a given date (generated sentences in ``lang``;
    the rule's own texts are those it was loaded with, see :func:`load_obligations`)."""
    verdict = _apply_legal_status(rule, _scope_verdict(rule, profile, lang), lang)
    upcoming: Upcoming | None = None
    if rule.since is not None and at < rule.since:
        upcoming = Upcoming(rule.since, verdict.status, verdict.reason, verdict.category)
        not_yet = wording.not_yet_in_force(rule.since, verdict.reason, lang)
        verdict = _Verdict("does_not_apply", not_yet, (), None)
    requirements = tuple(RequirementResult(r.text, r.date, r.date is None or at >= r.date) for r in rule.requirements)
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
        requirements=requirements,
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
    profile: AuthorityProfile, at: date, rules: Sequence[Rule] | None = None, lang: str = "fr"
) -> list[ObligationResult]:
    """Evaluate every obligation (in file order) for ``profile`` at date ``at``, texts in ``lang``.

    Given ``rules`` keep the texts they were parsed with; only the generated sentences follow ``lang``.
    """
    _check_lang(lang)
    return [evaluate_rule(r, profile, at, lang) for r in (rules if rules is not None else load_obligations(lang=lang))]


def obligations_report(
    profile: AuthorityProfile, at: date, rules: Sequence[Rule] | None = None, lang: str = "fr"
) -> dict[str, Any]:
    """The JSON document of ``barometre diagnostic obligations`` (texts in ``lang``: "fr" or "en")."""
    return {
        "authority": profile.to_dict(),
        "at": at,
        "population_totale_margin": POPULATION_TOTALE_MARGIN,
        "obligations": [r.to_dict() for r in evaluate_obligations(profile, at, rules, lang)],
    }
