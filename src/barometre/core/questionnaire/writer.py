"""Write a :class:`~.schema.Questionnaire` back to the YAML format (import, tooling)."""

from __future__ import annotations

from typing import Any

from barometre.core.questionnaire.expressions import to_source
from barometre.core.questionnaire.schema import Choice, QType, Question, Questionnaire, Text
from barometre.core.yamlfile import Flow as _Flow
from barometre.core.yamlfile import dump as _dump_yaml

__all__ = ["dump", "to_dict"]


def _text(t: Text) -> dict[str, Any]:
    if len(t.fr) + len(t.en) <= 70:
        return _Flow(fr=t.fr, en=t.en)
    return {"fr": t.fr, "en": t.en}


def _choice(c: Choice) -> dict[str, Any]:
    short = len(c.label.fr) + len(c.label.en) <= 70
    d: dict[str, Any] = _Flow(code=c.code) if short else {"code": c.code}
    d["label"] = _text(c.label)
    if c.exclusive:
        d["exclusive"] = True
    return d


def _num(x: float) -> int | float:
    return int(x) if x == int(x) else x


def _question(q: Question) -> dict[str, Any]:
    d: dict[str, Any] = {"id": q.id, "type": q.type.value, "label": _text(q.label)}
    if q.help:
        d["help"] = _text(q.help)
    if q.required:
        d["required"] = True
    if q.type in (QType.SELECT_ONE, QType.SELECT_MULTIPLE, QType.GRID):
        d["choices"] = q.choice_list if q.choice_list else [_choice(c) for c in q.choices]
    if q.type is QType.GRID:
        d["items"] = [
            _Flow(id=i.id, label=_text(i.label))
            if isinstance(_text(i.label), _Flow)
            else {"id": i.id, "label": _text(i.label)}
            for i in q.items
        ]
    if q.type is QType.REPEAT:
        if q.max_repeat is not None:
            d["max_repeat"] = q.max_repeat
        d["fields"] = [_question(f) for f in q.fields]
    if q.type not in (QType.SCALE, QType.PERCENTAGE):
        if q.min is not None:
            d["min"] = _num(q.min)
        if q.max is not None:
            d["max"] = _num(q.max)
    elif q.type is QType.PERCENTAGE:
        if q.min not in (None, 0.0):
            d["min"] = _num(q.min)
        if q.max not in (None, 100.0):
            d["max"] = _num(q.max)
    default_unit = {QType.MONEY: "euros", QType.PERCENTAGE: "percent"}.get(q.type)
    if q.unit and q.unit != default_unit:
        d["unit"] = q.unit
    if q.max_length is not None:
        d["max_length"] = q.max_length
    if q.relevant is not None:
        d["relevant"] = q.relevant.source
    if q.calculation is not None:
        d["calculation"] = q.calculation.source
    if q.constraint is not None:
        d["constraint"] = q.constraint.source
    if q.constraint_message is not None:
        d["constraint_message"] = _text(q.constraint_message)
    if q.same_as:
        d["same_as"] = q.same_as
    if q.changes:
        d["changes"] = list(q.changes)
    if q.feeds:
        d["feeds"] = list(q.feeds)
    if q.untranslated:
        d["untranslated"] = list(q.untranslated)
    return d


def to_dict(qn: Questionnaire) -> dict[str, Any]:
    d: dict[str, Any] = {"edition": qn.edition}
    if qn.kind != "authorities":
        d["kind"] = qn.kind
    d.update({"version": qn.version, "title": _text(qn.title)})
    if qn.opens:
        d["opens"] = qn.opens
    if qn.closes:
        d["closes"] = qn.closes
    if qn.choice_lists:
        d["choice_lists"] = {name: [_choice(c) for c in choices] for name, choices in qn.choice_lists.items()}
    sections = []
    for s in qn.sections:
        sd: dict[str, Any] = {"id": s.id, "title": _text(s.title)}
        if s.description:
            sd["description"] = _text(s.description)
        if s.relevant is not None:
            sd["relevant"] = s.relevant.source
        sd["questions"] = [_question(q) for q in s.questions]
        sections.append(sd)
    d["sections"] = sections
    return d


def dump(qn: Questionnaire, header: str | None = None) -> str:
    """The YAML text of ``qn`` (loads back to an equivalent questionnaire)."""
    text = _dump_yaml(to_dict(qn))
    if header:
        text = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines()) + text
    return text


def canonical_expression(source: str) -> str:
    """Normalised text of an expression (for comparisons)."""
    from barometre.core.questionnaire.expressions import parse

    return to_source(parse(source))
