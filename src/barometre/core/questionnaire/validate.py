"""Validate and clean one set of answers — the single function used by the portal,
the imports and the simulator.

Answer values (what :func:`validate_answers` accepts and what ``cleaned`` holds):

============================  =====================================================
type                          value
============================  =====================================================
select_one, yes_no            ``str`` — the choice code (yes_no: ``"oui"``, ``"non"``, ``"nsp"``)
select_multiple               ``list[str]`` of codes, in the order of the choices
                              (a space-separated ``str`` is accepted, as in XLSForm)
integer                       ``int``
decimal, money, percentage    ``float`` (money in euros; percentage in 0–100)
scale                         ``int`` from 1 to 5
text, long_text               ``str`` (stripped)
date                          ``str`` ISO ``AAAA-MM-JJ`` (a ``datetime.date`` is accepted)
grid                          ``dict[str, str]`` item id → choice code
repeat                        ``list[dict[str, object]]``: one mapping per entry, field id → value
                              (each field cleaned as a question of its type; empty entries dropped)
calculate                     computed: ``float``/``int`` (any submitted value is ignored)
============================  =====================================================

An empty value (``None``, ``""``, ``[]``, ``{}``) means "not answered".
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from barometre.core.questionnaire import expressions as ex
from barometre.core.questionnaire.schema import QType, Question, Questionnaire, Section
from barometre.core.wording import pick
from barometre.core.wording.numbers import format_significant

__all__ = [
    "AnswerError",
    "ValidationResult",
    "clean_value",
    "coerce_form",
    "coerce_form_value",
    "form_field_name",
    "relevance",
    "validate_answers",
    "visible_questions",
]


@dataclass(frozen=True, slots=True)
class AnswerError:
    """One problem with the answer to one question, in French and English."""

    question: str
    code: str  # required | type | choice | exclusive | min | max | length | constraint | unknown_question | item
    fr: str
    en: str
    item: str | None = None

    def message(self, lang: str = "fr") -> str:
        return pick(lang, self.fr, self.en)

    def as_dict(self) -> dict[str, str | None]:
        return {"question": self.question, "code": self.code, "fr": self.fr, "en": self.en, "item": self.item}


@dataclass(slots=True)
class ValidationResult:
    #: Valid answers of relevant questions (plus calculated values), in the representation above.
    cleaned: dict[str, object] = field(default_factory=dict)
    #: Question id → its errors (a question absent here has none).
    errors: dict[str, list[AnswerError]] = field(default_factory=dict)
    #: Question id → is it relevant (shown) given the answers; for every question.
    relevant: dict[str, bool] = field(default_factory=dict)
    #: Ids of questions that were answered but are not relevant (their answer was dropped).
    dropped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def messages(self, lang: str = "fr") -> dict[str, list[str]]:
        return {qid: [e.message(lang) for e in errs] for qid, errs in self.errors.items()}

    def add(self, error: AnswerError) -> None:
        self.errors.setdefault(error.question, []).append(error)


def _err(q: Question, code: str, fr: str, en: str, item: str | None = None) -> AnswerError:
    return AnswerError(q.id, code, fr, en, item)


def is_empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        return len(value) == 0
    return False


# --------------------------------------------------------------------------- cleaning by type


def _clean_code(q: Question, value: object, item: str | None = None) -> tuple[str | None, AnswerError | None]:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None, _err(
            q, "type", "Réponse invalide : un choix est attendu.", "Invalid answer: a choice is expected.", item
        )
    value = value.strip()
    if value not in q.codes:
        return None, _err(
            q,
            "choice",
            f"Choix inconnu : « {value} ».",
            f"Unknown choice: “{value}”.",
            item,
        )
    return value, None


def _clean_number(q: Question, value: object) -> tuple[float | int | None, AnswerError | None]:
    if isinstance(value, Decimal):
        try:
            value = float(value)
        except (InvalidOperation, ValueError):
            value = None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None, _err(q, "type", "Un nombre est attendu.", "A number is expected.")
    if q.type in (QType.INTEGER, QType.SCALE):
        if isinstance(value, float):
            if value != int(value):
                return None, _err(q, "type", "Un nombre entier est attendu.", "A whole number is expected.")
            value = int(value)
        return value, None
    return float(value), None


def clean_value(q: Question, value: object) -> tuple[object, list[AnswerError]]:
    """Type-check one non-empty answer; return (cleaned value or None, errors).

    Bounds are checked here; ``required`` and ``constraint`` are not.
    """
    t = q.type
    if t in (QType.SELECT_ONE, QType.YES_NO):
        code, error = _clean_code(q, value)
        return code, [error] if error else []
    if t is QType.SELECT_MULTIPLE:
        if isinstance(value, str):
            value = value.split()
        if not isinstance(value, (list, tuple, set, frozenset)):
            return None, [_err(q, "type", "Une liste de choix est attendue.", "A list of choices is expected.")]
        codes: set[str] = set()
        errors: list[AnswerError] = []
        for v in value:
            code, error = _clean_code(q, v)
            if error:
                errors.append(error)
            elif code is not None:
                codes.add(code)
        if errors:
            return None, errors
        exclusive = codes & q.exclusive_codes
        if exclusive and len(codes) > 1:
            choice = q.choice(sorted(exclusive)[0])
            assert choice is not None
            return None, [
                _err(
                    q,
                    "exclusive",
                    f"« {choice.label.fr} » ne peut pas être coché avec d'autres réponses.",
                    f"“{choice.label.en}” cannot be combined with other answers.",
                )
            ]
        return [c for c in q.codes if c in codes], []
    if t.is_numeric:
        number, error = _clean_number(q, value)
        if error:
            return None, [error]
        assert number is not None
        if q.min is not None and number < q.min:
            return None, [
                _err(
                    q,
                    "min",
                    f"La valeur doit être supérieure ou égale à {format_significant(q.min, 'fr')}.",
                    f"The value must be at least {format_significant(q.min, 'en')}.",
                )
            ]
        if q.max is not None and number > q.max:
            return None, [
                _err(
                    q,
                    "max",
                    f"La valeur doit être inférieure ou égale à {format_significant(q.max, 'fr')}.",
                    f"The value must be at most {format_significant(q.max, 'en')}.",
                )
            ]
        return number, []
    if t in (QType.TEXT, QType.LONG_TEXT):
        if not isinstance(value, str):
            return None, [_err(q, "type", "Un texte est attendu.", "A text is expected.")]
        text = value.strip()
        if q.max_length is not None and len(text) > q.max_length:
            return None, [
                _err(
                    q,
                    "length",
                    f"Le texte ne doit pas dépasser {q.max_length} caractères.",
                    f"The text must not exceed {q.max_length} characters.",
                )
            ]
        return text, []
    if t is QType.DATE:
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            return value.isoformat(), []
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip()).isoformat(), []
            except ValueError:
                pass
        return None, [_err(q, "type", "Une date (AAAA-MM-JJ) est attendue.", "A date (YYYY-MM-DD) is expected.")]
    if t is QType.GRID:
        if not isinstance(value, Mapping):
            return None, [_err(q, "type", "Une réponse par ligne est attendue.", "One answer per row is expected.")]
        grid: dict[str, str] = {}
        errors = []
        items = set(q.item_ids)
        for key, v in value.items():
            if key not in items:
                errors.append(_err(q, "item", f"Ligne inconnue : « {key} ».", f"Unknown row: “{key}”.", str(key)))
                continue
            if is_empty(v):
                continue
            code, error = _clean_code(q, v, key)
            if error:
                errors.append(error)
            elif code is not None:
                grid[key] = code
        if errors:
            return None, errors
        return {i: grid[i] for i in q.item_ids if i in grid}, []
    if t is QType.REPEAT:
        return _clean_repeat(q, value)
    return None, []  # calculate: submitted values are ignored


def _clean_repeat(q: Question, value: object) -> tuple[object, list[AnswerError]]:
    """Entries of a repeat group: each a mapping of its fields, cleaned field by field.

    An error names the entry and the field (``item`` = ``"2.titre"``, entries counted from 1).
    """
    if not isinstance(value, (list, tuple)):
        return None, [_err(q, "type", "Une liste d'entrées est attendue.", "A list of entries is expected.")]
    fields = {f.id: f for f in q.fields}
    entries: list[dict[str, object]] = []
    errors: list[AnswerError] = []
    for n, entry in enumerate(value, start=1):
        if not isinstance(entry, Mapping):
            errors.append(_err(q, "type", f"Entrée {n} invalide.", f"Entry {n} is invalid.", str(n)))
            continue
        cleaned: dict[str, object] = {}
        for key, v in entry.items():
            f = fields.get(str(key))
            if f is None:
                errors.append(_err(q, "item", f"Champ inconnu : « {key} ».", f"Unknown field: “{key}”.", f"{n}.{key}"))
                continue
            if is_empty(v):
                continue
            clean, errs = clean_value(f, v)
            errors.extend(
                AnswerError(
                    q.id,
                    e.code,
                    f"Entrée {n} — {f.label.fr} : {e.fr}",
                    f"Entry {n} — {f.label.en}: {e.en}",
                    f"{n}.{f.id}",
                )
                for e in errs
            )
            if not errs and clean is not None:
                cleaned[f.id] = clean
        if not cleaned:
            continue
        missing = [f for f in q.fields if f.required and f.id not in cleaned]
        errors.extend(
            _err(
                q,
                "required",
                f"Entrée {n} — {f.label.fr} : réponse obligatoire.",
                f"Entry {n} — {f.label.en}: an answer is required.",
                f"{n}.{f.id}",
            )
            for f in missing
        )
        entries.append({f.id: cleaned[f.id] for f in q.fields if f.id in cleaned})
    if q.max_repeat is not None and len(entries) > q.max_repeat:
        errors.append(_err(q, "max", f"{q.max_repeat} entrées au plus.", f"At most {q.max_repeat} entries."))
    if errors:
        return None, errors
    return entries, []


# --------------------------------------------------------------------------- relevance


def _evaluate_all(
    qn: Questionnaire, answers: Mapping[str, object]
) -> tuple[dict[str, object], dict[str, bool], dict[str, list[AnswerError]]]:
    """Clean every answer, then evaluate relevance and calculations in dependency order.

    Returns (values of relevant questions, relevance, type errors of answered questions).
    """
    values: dict[str, object] = {}
    type_errors: dict[str, list[AnswerError]] = {}
    for qid, raw in answers.items():
        q = qn.get(qid)
        if q is None or is_empty(raw) or q.type is QType.CALCULATE:
            continue
        value, errors = clean_value(q, raw)
        if errors:
            type_errors[qid] = errors
        elif not is_empty(value):
            values[qid] = value
    relevant: dict[str, bool] = {}
    section_relevant: dict[str, bool] = {}
    for qid in qn.eval_order:
        q = qn.question(qid)
        s_rel = section_relevant.get(q.section)
        if s_rel is None:
            section = qn.section_of(qid)
            s_rel = section.relevant is None or ex.truthy(ex.evaluate(section.relevant, values))
            section_relevant[q.section] = s_rel
        rel = s_rel and (q.relevant is None or ex.truthy(ex.evaluate(q.relevant, values)))
        relevant[qid] = rel
        if not rel:
            values.pop(qid, None)
        elif q.calculation is not None:
            result = ex.evaluate(q.calculation, values)
            if isinstance(result, (int, float)) and not isinstance(result, bool) and math.isfinite(result):
                values[qid] = result
            else:
                values.pop(qid, None)
    return values, relevant, type_errors


def relevance(qn: Questionnaire, answers: Mapping[str, object]) -> dict[str, bool]:
    """Question id → whether it is relevant (to be shown / answered) given ``answers``."""
    return _evaluate_all(qn, answers)[1]


def visible_questions(qn: Questionnaire, answers: Mapping[str, object], section: str | Section) -> list[Question]:
    """The questions of ``section`` to show given ``answers`` (calculations excluded)."""
    s = qn.section(section) if isinstance(section, str) else section
    rel = relevance(qn, answers)
    return [q for q in s.questions if rel.get(q.id, False) and q.type is not QType.CALCULATE]


# --------------------------------------------------------------------------- validation


def _referenced_missing(expr: ex.Expression, values: Mapping[str, object], own: str) -> bool:
    for ref in ex.references(expr):
        if ref.name == own:
            continue
        value = values.get(ref.name)
        if ref.item is not None:
            value = value.get(ref.item) if isinstance(value, dict) else None
        if is_empty(value):
            return True
    return False


def validate_answers(
    qn: Questionnaire,
    answers: Mapping[str, object],
    *,
    sections: Iterable[str] | None = None,
    partial: bool = False,
) -> ValidationResult:
    """Validate and clean ``answers`` (question id → value, see the module doc).

    - answers to questions that are not relevant are dropped (listed in ``dropped``);
    - ``required`` applies only to relevant questions, and not at all when ``partial``
      (autosave of an unfinished form);
    - types, choices, bounds and constraints are checked; a constraint that refers to
      another question left unanswered is not checked;
    - ``sections``: validate (and return in ``cleaned``) only these sections; relevance
      still uses every answer given. Answers to questions of other sections are ignored.
    - an answer to an unknown question id is an error (code ``unknown_question``).
    """
    selected: Collection[str] | None = None
    if sections is not None:
        selected = {qn.section(s).id for s in sections}
    result = ValidationResult()
    values, relevant, type_errors = _evaluate_all(qn, answers)
    result.relevant = relevant
    for qid in answers:
        if qid not in qn:
            if selected is None:
                result.add(
                    AnswerError(
                        qid,
                        "unknown_question",
                        f"Question inconnue dans l'édition {qn.edition} : « {qid} ».",
                        f"Unknown question in the {qn.edition} edition: “{qid}”.",
                    )
                )
            continue
    for section in qn.sections:
        if selected is not None and section.id not in selected:
            continue
        for q in section.questions:
            qid = q.id
            if not relevant.get(qid, False):
                if not is_empty(answers.get(qid)) and q.type is not QType.CALCULATE:
                    result.dropped.append(qid)
                continue
            if qid in type_errors:
                for error in type_errors[qid]:
                    result.add(error)
                continue
            value = values.get(qid)
            if value is None:
                if q.required and not partial:
                    result.add(_err(q, "required", "Cette question est obligatoire.", "This question is required."))
                continue
            if q.type is QType.GRID and q.required and not partial:
                assert isinstance(value, dict)
                missing = [i for i in q.items if i.id not in value]
                for item in missing:
                    result.add(
                        _err(
                            q,
                            "required",
                            f"Répondre pour « {item.label.fr} ».",
                            f"Please answer for “{item.label.en}”.",
                            item.id,
                        )
                    )
                if missing:
                    continue
            if (
                q.constraint is not None
                and not _referenced_missing(q.constraint, values, qid)
                and not ex.truthy(ex.evaluate(q.constraint, values, value))
            ):
                message = q.constraint_message
                result.add(
                    _err(
                        q,
                        "constraint",
                        message.fr if message else "Réponse incohérente avec les autres réponses.",
                        message.en if message else "This answer is inconsistent with other answers.",
                    )
                )
                continue
            result.cleaned[qid] = value
    return result


# --------------------------------------------------------------------------- HTML forms


def form_field_name(q: Question, item: str | None = None) -> str:
    """Name of the HTML form field of a question (``<grid>.<item>`` for grid rows,
    ``<repeat>.<entry>.<field>`` for the fields of a repeat group's entries, counted from 1)."""
    return q.id if item is None else f"{q.id}.{item}"


def _parse_number(text: str) -> int | float | str:
    cleaned = text.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace("€", "").rstrip("%")
    cleaned = cleaned.replace(",", ".")
    try:
        return int(cleaned)
    except ValueError:
        pass
    try:
        number = float(cleaned)
    except ValueError:
        return text  # left as text: validate_answers reports "a number is expected"
    return number if math.isfinite(number) else text


def coerce_form_value(q: Question, raw: str | Sequence[str] | None) -> object:
    """Turn the string(s) of an HTML form field into the answer representation.

    Lenient: French decimal comma, spaces and "€"/"%" are accepted in numbers; an
    unparsable value is returned unchanged so that :func:`validate_answers` reports it.
    ``""`` and ``None`` give ``None`` (not answered).
    """
    values = [raw] if isinstance(raw, str) or raw is None else list(raw)
    values = [v for v in values if v is not None and v.strip()]
    if q.type is QType.SELECT_MULTIPLE:
        return [v.strip() for v in values] or None
    if not values:
        return None
    text = values[-1].strip()
    if q.type.is_numeric:
        return _parse_number(text)
    return text


def coerce_form(
    qn: Questionnaire,
    data: Mapping[str, str | Sequence[str]],
    *,
    sections: Iterable[str] | None = None,
) -> dict[str, object]:
    """Answers from HTML form data (field name → value or list of values, e.g. a QueryDict's lists)."""
    chosen = [qn.section(s) for s in sections] if sections is not None else qn.sections
    answers: dict[str, object] = {}
    for section in chosen:
        for q in section.questions:
            if q.type is QType.CALCULATE:
                continue
            if q.type is QType.REPEAT:
                entries = _form_entries(q, data)
                if entries:
                    answers[q.id] = entries
                continue
            if q.type is QType.GRID:
                grid: dict[str, object] = {}
                for item in q.items:
                    v = coerce_form_value(q, data.get(form_field_name(q, item.id)))
                    if v is not None:
                        grid[item.id] = v
                if grid:
                    answers[q.id] = grid
                continue
            value = coerce_form_value(q, data.get(form_field_name(q)))
            if value is not None:
                answers[q.id] = value
    return answers


def _form_entries(q: Question, data: Mapping[str, str | Sequence[str]]) -> list[dict[str, object]]:
    """The entries of a repeat group posted as ``<id>.<n>.<field>`` (n from 1 to ``max_repeat``)."""
    entries: list[dict[str, object]] = []
    for n in range(1, (q.max_repeat or 0) + 1):
        entry: dict[str, object] = {}
        for f in q.fields:
            v = coerce_form_value(f, data.get(form_field_name(q, f"{n}.{f.id}")))
            if v is not None:
                entry[f.id] = v
        if entry:
            entries.append(entry)
    return entries
