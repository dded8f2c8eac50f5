"""Import of a real poll file (an institute's CSV or XLSX, one row per respondent) with a mapping file.

The mapping (YAML) names the column of the respondent id and, for every question of the poll
questionnaire, the column that holds it and, optionally, how the institute's codes translate into
the questionnaire's codes::

    id: RESPID
    sheet: Données            # XLSX only (default: the first sheet)
    columns:
      sexe: {column: SEXE, values: {"1": homme, "2": femme}}
      age: AGE
      region: {column: REG}
      confiance_donnees_commune: {column: Q1, values: {"1": tout_a_fait, "2": plutot, ...}}

Everything is checked before anything is returned: each problem names the file, the row (as the
spreadsheet numbers it, header = row 1) and the column. One problem and the import is refused.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from barometre.core import yamlfile
from barometre.core.errors import PollError
from barometre.core.questionnaire import QType, Questionnaire, validate_answers


class PollImportError(PollError):
    """A poll file that cannot be imported; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        more = f" (et {len(problems) - 1} autre(s) erreur(s))" if len(problems) > 1 else ""
        super().__init__(problems[0] + more)


@dataclass(frozen=True)
class ColumnMap:
    question: str
    column: str
    values: dict[str, str] | None


@dataclass(frozen=True)
class Mapping:
    id_column: str
    sheet: str | None
    columns: tuple[ColumnMap, ...]


def load_mapping(path: Path, qn: Questionnaire) -> Mapping:
    try:
        doc = yamlfile.load_file(path, str(path))
    except FileNotFoundError:
        raise PollError(f"fichier de correspondance introuvable : {path}") from None
    except yamlfile.YamlError as exc:
        raise PollError(str(exc)) from None
    if not isinstance(doc, dict) or "id" not in doc or not isinstance(doc.get("columns"), dict):
        raise PollError(f"{path}: clés « id » (colonne de l'identifiant) et « columns » attendues")
    maps = []
    for qid, spec in doc["columns"].items():
        if qn.get(str(qid)) is None:
            raise PollError(f"{path}: columns.{qid} : question inconnue du questionnaire {qn.edition}")
        if isinstance(spec, str):
            maps.append(ColumnMap(str(qid), spec, None))
        elif isinstance(spec, dict) and "column" in spec:
            values = spec.get("values")
            if values is not None and not isinstance(values, dict):
                raise PollError(f"{path}: columns.{qid}.values : un dictionnaire code → code attendu")
            maps.append(
                ColumnMap(
                    str(qid),
                    str(spec["column"]),
                    None if values is None else {str(k): str(v) for k, v in values.items()},
                )
            )
        else:
            raise PollError(f"{path}: columns.{qid} : nom de colonne ou {{column, values}} attendu")
    missing = [q.id for q in qn.questions if q.required and q.id not in doc["columns"]]
    if missing:
        raise PollError(f"{path}: questions obligatoires sans colonne : {', '.join(missing)}")
    sheet = doc.get("sheet")
    return Mapping(str(doc["id"]), None if sheet is None else str(sheet), tuple(maps))


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _rows(path: Path, sheet: str | None) -> Iterator[tuple[int, list[str]]]:
    """(row number as the file shows it, cells), header first."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a broken file
            raise PollError(f"{path.name}: classeur XLSX illisible ({exc})") from None
        try:
            if sheet is not None and sheet not in wb.sheetnames:
                raise PollError(f"{path.name}: feuille {sheet!r} absente ({', '.join(wb.sheetnames)})")
            ws = wb[sheet] if sheet is not None else wb.worksheets[0]
            for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
                yield i, [_cell(v) for v in row]
        finally:
            wb.close()
        return
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PollError(f"fichier introuvable : {path}") from None
    except UnicodeDecodeError:
        raise PollError(f"{path.name}: le fichier n'est pas en UTF-8") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    for i, row in enumerate(csv.reader(text.splitlines(), delimiter=delimiter), start=1):
        yield i, [c.strip() for c in row]


def read_poll_file(path: Path, mapping: Mapping, qn: Questionnaire) -> list[tuple[str, dict[str, object]]]:
    """Every respondent of the file, validated; ``PollImportError`` lists every problem otherwise."""
    name = path.name
    rows = _rows(path, mapping.sheet)
    try:
        _, header = next(rows)
    except StopIteration:
        raise PollImportError([f"{name}: fichier vide"]) from None
    index = {h: k for k, h in enumerate(header) if h}
    problems: list[str] = []
    for col in [mapping.id_column, *(m.column for m in mapping.columns)]:
        if col not in index:
            problems.append(f"{name}, ligne 1, colonne {col} : colonne absente de l'en-tête")
    if problems:
        raise PollImportError(problems)
    column_of = {m.question: m.column for m in mapping.columns}
    out: list[tuple[str, dict[str, object]]] = []
    seen: dict[str, int] = {}
    for line, cells in rows:
        if not any(cells):
            continue

        def cell(col: str, cells: list[str] = cells) -> str:
            k = index[col]
            return cells[k] if k < len(cells) else ""

        rid = cell(mapping.id_column)
        if not rid:
            problems.append(f"{name}, ligne {line}, colonne {mapping.id_column} : identifiant manquant")
        elif rid in seen:
            problems.append(
                f"{name}, ligne {line}, colonne {mapping.id_column} : identifiant {rid!r} déjà vu ligne {seen[rid]}"
            )
        else:
            seen[rid] = line
        answers: dict[str, object] = {}
        for m in mapping.columns:
            raw = cell(m.column)
            if raw == "":
                continue
            value = raw
            if m.values is not None:
                if raw not in m.values:
                    problems.append(
                        f"{name}, ligne {line}, colonne {m.column} : valeur {raw!r} absente de la correspondance"
                    )
                    continue
                value = m.values[raw]
            q = qn.question(m.question)
            if q.type in (QType.INTEGER,):
                try:
                    answers[m.question] = int(float(value.replace(",", ".")))
                except ValueError:
                    problems.append(f"{name}, ligne {line}, colonne {m.column} : nombre entier attendu, lu {raw!r}")
                continue
            answers[m.question] = value
        result = validate_answers(qn, answers)
        for qid, errors in result.errors.items():
            col = column_of.get(qid, qid)
            for err in errors:
                problems.append(f"{name}, ligne {line}, colonne {col} : {err.fr}")
        if result.ok and rid:
            out.append((rid, dict(result.cleaned)))
    if problems:
        raise PollImportError(problems)
    if not out:
        raise PollImportError([f"{name}: aucun répondant"])
    return out
