"""XLSForm export.

Writes a standard XLSForm (``survey``, ``choices``, ``settings`` sheets,
``label::French (fr)`` / ``label::English (en)`` columns) that pyxform converts.
Extra ``barometre_*`` columns (ignored by XLSForm tools) keep what XLSForm cannot
say (money vs decimal, units, ``feeds``, ``same_as``...), so that
YAML → XLSForm → YAML keeps the meaning (:mod:`.importer` reads them back).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from barometre.core.questionnaire import expressions as ex
from barometre.core.questionnaire.schema import (
    QType,
    Question,
    Questionnaire,
    Text,
)
from barometre.core.questionnaire.xlsform.common import EN, FR, GRID_SEP, number_cell

__all__ = ["export_xlsform"]

# --------------------------------------------------------------------------- export


def _xref(ref: ex.Ref) -> str:
    return ref.name if ref.item is None else f"{ref.name}{GRID_SEP}{ref.item}"


def _xexpr(expr: ex.Expression | None) -> str:
    return ex.to_source(expr, _xref) if expr is not None else ""


SURVEY_COLUMNS = [
    "type",
    "name",
    f"label::{FR}",
    f"label::{EN}",
    f"hint::{FR}",
    f"hint::{EN}",
    "required",
    "relevant",
    "constraint",
    f"constraint_message::{FR}",
    f"constraint_message::{EN}",
    "calculation",
    "appearance",
    "parameters",
    "barometre_type",
    "barometre_min",
    "barometre_max",
    "barometre_constraint",
    "barometre_unit",
    "barometre_max_length",
    "barometre_feeds",
    "barometre_same_as",
    "barometre_changes",
    "barometre_untranslated",
    "barometre_list",
    "barometre_max_repeat",
    "barometre_field",
]
CHOICE_COLUMNS = ["list_name", "name", f"label::{FR}", f"label::{EN}", "barometre_exclusive"]
SETTINGS_COLUMNS = [
    "form_title",
    "form_id",
    "version",
    "default_language",
    "barometre_edition",
    "barometre_title_en",
    "barometre_opens",
    "barometre_closes",
]


def _meta(q: Question) -> dict[str, Any]:
    """The ``barometre_*`` columns that keep what XLSForm cannot say."""
    return {
        "barometre_type": q.type.value,
        "barometre_min": number_cell(q.min) if q.type is not QType.SCALE else "",
        "barometre_max": number_cell(q.max) if q.type is not QType.SCALE else "",
        "barometre_constraint": _xexpr(q.constraint),
        "barometre_unit": q.unit or "",
        "barometre_max_length": q.max_length or "",
        "barometre_feeds": " ".join(q.feeds),
        "barometre_same_as": q.same_as or "",
        "barometre_changes": " ".join(q.changes),
        "barometre_untranslated": " ".join(q.untranslated),
        "barometre_list": q.choice_list or "",
    }


def _common(q: Question) -> dict[str, Any]:
    return {
        "name": q.id,
        "label_French_fr": q.label.fr,
        "label_English_en": q.label.en,
        "hint_French_fr": q.help.fr if q.help else "",
        "hint_English_en": q.help.en if q.help else "",
        "relevant": _xexpr(q.relevant),
    }


def _list_name(q: Question) -> str:
    return q.choice_list or q.id


def _bounds_constraint(q: Question) -> tuple[str, Text | None]:
    parts: list[str] = []
    if q.type is not QType.SCALE:
        if q.min is not None:
            parts.append(f". >= {number_cell(q.min)}")
        if q.max is not None:
            parts.append(f". <= {number_cell(q.max)}")
    message = q.constraint_message
    if q.constraint is not None:
        parts.append(f"({_xexpr(q.constraint)})" if parts else _xexpr(q.constraint))
    elif parts:
        lo, hi = q.min, q.max
        if lo is not None and hi is not None:
            message = Text(
                f"Valeur entre {number_cell(lo)} et {number_cell(hi)}.",
                f"Value between {number_cell(lo)} and {number_cell(hi)}.",
            )
        elif lo is not None:
            message = Text(f"Valeur supérieure ou égale à {number_cell(lo)}.", f"Value of at least {number_cell(lo)}.")
        else:
            message = Text(f"Valeur inférieure ou égale à {number_cell(hi)}.", f"Value of at most {number_cell(hi)}.")
    return " and ".join(parts), message


def export_xlsform(qn: Questionnaire, path: str | Path) -> None:
    """Write ``qn`` as an XLSForm workbook at ``path``."""
    from openpyxl import Workbook

    wb = Workbook()
    survey = wb.active
    survey.title = "survey"
    survey.append(SURVEY_COLUMNS)
    choices_ws = wb.create_sheet("choices")
    choices_ws.append(CHOICE_COLUMNS)
    settings = wb.create_sheet("settings")
    settings.append(SETTINGS_COLUMNS)
    settings.append(
        [
            qn.title.fr,
            f"barometre_{qn.edition}",
            qn.version,
            FR,
            qn.edition,
            qn.title.en,
            qn.opens.isoformat() if qn.opens else "",
            qn.closes.isoformat() if qn.closes else "",
        ]
    )
    written_lists: set[str] = set()

    def row(**values: Any) -> None:
        survey.append(
            [
                values.get(c.replace("::", "_").replace(" ", "_").replace("(", "").replace(")", ""), "")
                for c in SURVEY_COLUMNS
            ]
        )

    def write_list(q: Question, list_name: str | None = None) -> str:
        name = list_name or _list_name(q)
        if name not in written_lists:
            written_lists.add(name)
            for c in q.choices:
                choices_ws.append([name, c.code, c.label.fr, c.label.en, "yes" if c.exclusive else ""])
        return name

    def write_simple(q: Question, common: dict[str, Any], meta: dict[str, Any], list_name: str | None = None) -> None:
        """One row for a question of a simple type (everything but grids and repeat groups)."""
        constraint, message = _bounds_constraint(q)
        extra: dict[str, Any] = {
            "required": "yes" if q.required else "",
            "constraint": constraint,
            "constraint_message_French_fr": message.fr if message else "",
            "constraint_message_English_en": message.en if message else "",
        }
        if q.type in (QType.SELECT_ONE, QType.YES_NO):
            xtype = f"select_one {write_list(q, list_name)}"
        elif q.type is QType.SELECT_MULTIPLE:
            xtype = f"select_multiple {write_list(q, list_name)}"
        elif q.type is QType.INTEGER:
            xtype = "integer"
        elif q.type in (QType.DECIMAL, QType.MONEY, QType.PERCENTAGE):
            xtype = "decimal"
        elif q.type is QType.SCALE:
            xtype = "range"
            extra["parameters"] = "start=1 end=5 step=1"
        elif q.type in (QType.TEXT, QType.LONG_TEXT):
            xtype = "text"
            if q.type is QType.LONG_TEXT:
                extra["appearance"] = "multiline"
            if q.max_length is not None and q.constraint is None:
                extra["constraint"] = f"string-length(.) <= {q.max_length}"
        elif q.type is QType.DATE:
            xtype = "date"
        else:
            xtype = "calculate"
            extra = {"calculation": _xexpr(q.calculation)}
        row(type=xtype, **common, **extra, **meta)

    for s in qn.sections:
        row(
            type="begin_group",
            name=s.id,
            label_French_fr=s.title.fr,
            label_English_en=s.title.en,
            hint_French_fr=s.description.fr if s.description else "",
            hint_English_en=s.description.en if s.description else "",
            relevant=_xexpr(s.relevant),
        )
        for q in s.questions:
            meta = _meta(q)
            common = _common(q)
            if q.type is QType.GRID:
                name = write_list(q)
                row(type="begin_group", appearance="field-list", **common, **meta)
                row(
                    type=f"select_one {name}",
                    name=f"{q.id}{GRID_SEP}header",
                    label_French_fr=" ",
                    label_English_en=" ",
                    appearance="label",
                    barometre_type="grid_header",
                )
                for item in q.items:
                    row(
                        type=f"select_one {name}",
                        name=f"{q.id}{GRID_SEP}{item.id}",
                        label_French_fr=item.label.fr,
                        label_English_en=item.label.en,
                        required="yes" if q.required else "",
                        appearance="list-nolabel",
                        barometre_type="grid_item",
                    )
                row(type="end_group", name=q.id)
                continue
            if q.type is QType.REPEAT:
                row(
                    type="begin_repeat",
                    **common,
                    **meta,
                    barometre_max_repeat=q.max_repeat or "",
                )
                for f in q.fields:
                    name = f"{q.id}{GRID_SEP}{f.id}"
                    fmeta = {**_meta(f), "barometre_field": f.id}
                    fcommon = {**_common(f), "name": name, "relevant": ""}
                    write_simple(f, fcommon, fmeta, f.choice_list or name)
                row(type="end_repeat", name=q.id)
                continue
            write_simple(q, common, meta)
        row(type="end_group", name=s.id)
    for ws in wb.worksheets:  # every text cell stays text: openpyxl reads "=…" as a formula
        for cells in ws.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str) and cell.data_type == "f":
                    cell.data_type = "s"
    wb.save(str(path))


# --------------------------------------------------------------------------- import
