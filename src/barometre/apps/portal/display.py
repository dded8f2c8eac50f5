"""Turn questions and answers into plain dicts for the templates (form fields, summary)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from barometre.core.questionnaire import AnswerError, QType, Question, Questionnaire, Section, form_field_name
from barometre.core.wording.numbers import format_number

#: Widget of each question type.
WIDGETS: dict[QType, str] = {
    QType.SELECT_ONE: "radio",
    QType.YES_NO: "radio",
    QType.SCALE: "radio",
    QType.SELECT_MULTIPLE: "checkbox",
    QType.INTEGER: "number",
    QType.DECIMAL: "number",
    QType.MONEY: "number",
    QType.PERCENTAGE: "number",
    QType.TEXT: "text",
    QType.LONG_TEXT: "textarea",
    QType.DATE: "date",
    QType.GRID: "grid",
    QType.REPEAT: "repeat",
}
#: Scale questions go from 1 to 5.
SCALE_POINTS = (1, 2, 3, 4, 5)

UNIT_LABELS: dict[str, tuple[str, str]] = {
    "euros": ("en euros", "in euros"),
    "agents": ("en agents", "in staff"),
    "percent": ("en %", "in %"),
    "inhabitants": ("en habitants", "in inhabitants"),
    "hours": ("en heures", "in hours"),
    "days": ("en jours", "in days"),
    "months": ("en mois", "in months"),
    "years": ("en années", "in years"),
    "count": ("nombre", "number"),
}


def dom_id(*parts: str) -> str:
    return "q-" + "-".join(p.replace(".", "-").replace("_", "-") for p in parts)


def _unit_hint(q: Question, lang: str) -> str:
    if q.unit and q.unit in UNIT_LABELS:
        fr, en = UNIT_LABELS[q.unit]
        return en if lang == "en" else fr
    if q.type is QType.PERCENTAGE:
        return "en %" if lang != "en" else "in %"
    if q.type is QType.MONEY:
        return "en euros" if lang != "en" else "in euros"
    return ""


def _scale_choices(lang: str) -> list[tuple[str, str]]:
    return [(str(p), str(p)) for p in SCALE_POINTS]


def _choices(q: Question, lang: str) -> list[tuple[str, str]]:
    if q.type is QType.SCALE:
        return _scale_choices(lang)
    return [(c.code, c.label.get(lang)) for c in q.choices]


def _raw_text(value: object, q: Question, lang: str) -> str:
    """The text shown in an input for a stored value (numbers the way the user types them)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value)
        return text.replace(".", ",") if lang == "fr" else text
    return str(value)


def build_fields(
    qn: Questionnaire,
    section: Section,
    answers: Mapping[str, object],
    relevant: Mapping[str, bool],
    errors: Mapping[str, Sequence[AnswerError]],
    lang: str,
    raw: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """One dict per question of ``section`` (calculations left out), hidden ones included.

    ``raw``: form data of the request, used to show back refused values next to their error.
    """
    fields: list[dict[str, Any]] = []
    for q in section.questions:
        if q.type is QType.CALCULATE:
            continue
        value: object = answers.get(q.id)
        q_errors = errors.get(q.id, ())
        if raw is not None and q_errors:
            value = _raw_value(q, raw)
        field = _field(q, value, q_errors, lang, form_field_name(q), dom_id(q.id), bool(relevant.get(q.id, False)))
        if q.type is QType.REPEAT:
            field["entries"] = _entries(q, value, lang)
        fields.append(field)
    return fields


def _entries(q: Question, value: object, lang: str) -> list[dict[str, Any]]:
    """The entries of a repeat group as forms: those answered, then one blank (up to ``max_repeat``)."""
    given = [e for e in value if isinstance(e, Mapping)] if isinstance(value, list) else []
    count = min(len(given) + 1, q.max_repeat or len(given) + 1)
    entries = []
    for n in range(1, count + 1):
        entry = given[n - 1] if n <= len(given) else {}
        entries.append(
            {
                "number": n,
                "dom_id": dom_id(q.id, str(n)),
                "fields": [
                    {
                        **_field(
                            f,
                            entry.get(f.id),
                            (),
                            lang,
                            form_field_name(q, f"{n}.{f.id}"),
                            dom_id(q.id, str(n), f.id),
                            True,
                        ),
                        "sub": True,
                    }
                    for f in q.fields
                ],
            }
        )
    return entries


def _field(
    q: Question, value: object, q_errors: Sequence[AnswerError], lang: str, name: str, did: str, visible: bool
) -> dict[str, Any]:
    """The template's view of one question (or one field of a repeat entry)."""
    kind = WIDGETS[q.type]
    field: dict[str, Any] = {
        "id": q.id,
        "name": name,
        "dom_id": did,
        "kind": kind,
        "type": q.type.value,
        "label": q.label.get(lang),
        "help": q.help.get(lang) if q.help else "",
        "unit": _unit_hint(q, lang),
        "required": q.required,
        "visible": visible,
        "errors": [e.message(lang) for e in q_errors],
        "value": "",
        "choices": [],
        "rows": [],
        "entries": [],
        "maxlength": q.max_length or "",
        "inputmode": "numeric" if q.type in (QType.INTEGER,) else "decimal",
    }
    if kind in ("radio", "checkbox"):
        selected = _selected(value)
        field["choices"] = [
            {"value": code, "label": label, "checked": code in selected, "dom_id": f"{did}-{i}"}
            for i, (code, label) in enumerate(_choices(q, lang))
        ]
    elif kind == "grid":
        grid = value if isinstance(value, Mapping) else {}
        field["rows"] = [
            {
                "item": item.id,
                "name": form_field_name(q, item.id),
                "dom_id": dom_id(q.id, item.id),
                "label": item.label.get(lang),
                "choices": [
                    {"value": c.code, "label": c.label.get(lang), "selected": grid.get(item.id) == c.code}
                    for c in q.choices
                ],
            }
            for item in q.items
        ]
    elif kind != "repeat":
        field["value"] = _raw_text(value, q, lang)
    return field


def _selected(value: object) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, (list, tuple, set)):
        return {str(v) for v in value}
    return {str(value)}


def _raw_value(q: Question, raw: Mapping[str, Any]) -> object:
    getlist = getattr(raw, "getlist", None)
    if q.type is QType.GRID:
        return {item.id: raw.get(form_field_name(q, item.id), "") for item in q.items}
    if q.type is QType.SELECT_MULTIPLE and getlist is not None:
        return list(getlist(q.id))
    if q.type is QType.REPEAT:
        from barometre.core.questionnaire.validate import coerce_form_value

        entries = []
        for n in range(1, (q.max_repeat or 0) + 1):
            entry = {}
            for f in q.fields:
                key = form_field_name(q, f"{n}.{f.id}")
                v = coerce_form_value(f, getlist(key) if getlist is not None else raw.get(key))
                if v is not None:
                    entry[f.id] = v
            if entry:
                entries.append(entry)
        return entries
    return raw.get(q.id, "")


def format_answer(q: Question, value: object, lang: str) -> str:
    """An answer as text for people (summary, receipt, export for humans)."""
    if value is None:
        return ""
    if q.type in (QType.SELECT_ONE, QType.YES_NO):
        c = q.choice(str(value))
        return c.label.get(lang) if c else str(value)
    if q.type is QType.SELECT_MULTIPLE and isinstance(value, list):
        labels = []
        for code in value:
            c = q.choice(str(code))
            labels.append(c.label.get(lang) if c else str(code))
        return " ; ".join(labels)
    if q.type is QType.GRID and isinstance(value, Mapping):
        parts = []
        for item in q.items:
            if item.id in value:
                c = q.choice(str(value[item.id]))
                parts.append(f"{item.label.get(lang)} : {c.label.get(lang) if c else value[item.id]}")
        return " ; ".join(parts)
    if q.type is QType.REPEAT and isinstance(value, list):
        fields = {f.id: f for f in q.fields}
        return " ; ".join(
            " — ".join(format_answer(fields[k], v, lang) for k, v in entry.items() if k in fields)
            for entry in value
            if isinstance(entry, Mapping)
        )
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        decimals = 0 if float(value).is_integer() else 2
        text = format_number(float(value), decimals, lang)
        if q.type is QType.MONEY:
            return f"{text}\u00a0€"
        if q.type is QType.PERCENTAGE:
            return f"{text}\u00a0%"
        return text
    return str(value)


def summary_sections(
    qn: Questionnaire,
    sections: Sequence[Section],
    answers: Mapping[str, object],
    relevant: Mapping[str, bool],
    errors: Mapping[str, Sequence[AnswerError]],
    lang: str,
) -> list[dict[str, Any]]:
    """The relevant sections with each visible question and its formatted answer."""
    out = []
    for s in sections:
        rows = []
        for q in s.questions:
            if q.type is QType.CALCULATE or not relevant.get(q.id, False):
                continue
            rows.append(
                {
                    "id": q.id,
                    "dom_id": dom_id(q.id),
                    "label": q.label.get(lang),
                    "answer": format_answer(q, answers.get(q.id), lang),
                    "answered": q.id in answers,
                    "required": q.required,
                    "errors": [e.message(lang) for e in errors.get(q.id, ())],
                }
            )
        if rows:
            out.append({"id": s.id, "title": s.title.get(lang), "rows": rows})
    return out
