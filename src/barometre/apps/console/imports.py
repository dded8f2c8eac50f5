"""Import responses exported by another survey tool (LimeSurvey, KoboToolbox; CSV or XLSX).

A mapping file (YAML) says which column holds the authority's code and which column answers which
question::

    authority: code_insee            # column holding the authority's INSEE code (or SIREN)
    columns:
      Q1: orga_taille                # column → question id
      "Q7[SQ001]": cyber_mesures/mfa # column → one item of a grid question
    values:                          # optional: the tool's codes → the questionnaire's codes
      orga_taille: {"A1": "moins_10", "A2": "10_50"}
    separator: ";"                   # optional: between the choices of a multiple-choice cell

Every row is checked with the questionnaire's own validator (:func:`validate_answers`); one bad row
and nothing is written. Errors are ``file:line:column: reason`` (the header is line 1).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from barometre.apps.editions.lifecycle import mark_weights_stale
from barometre.apps.editions.models import Answer, AuditEntry, Edition, EditionState, Response, ResponseStatus
from barometre.apps.editions.sources import questionnaire_for
from barometre.apps.registry.models import Authority
from barometre.core import yamlfile
from barometre.core.errors import BarometreError
from barometre.core.questionnaire import QType, validate_answers
from barometre.core.questionnaire.validate import coerce_form_value

MAX_ERRORS = 20


class ImportInvalid(BarometreError):
    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        more = f" (et {len(errors) - 1} autre(s) erreur(s))" if len(errors) > 1 else ""
        super().__init__(errors[0] + more)


def _read_table(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, cells) of a CSV or XLSX file."""
    if not path.exists():
        raise BarometreError(f"{path}: fichier introuvable")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        ws = wb.worksheets[0]
        rows = [
            (i, ["" if v is None else str(v) for v in row]) for i, row in enumerate(ws.iter_rows(values_only=True), 1)
        ]
        wb.close()
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BarometreError(f"{path}:1:1: encodage non UTF-8 ({exc.reason})") from None
        first = text.splitlines()[0] if text else ""
        delimiter = ";" if first.count(";") > first.count(",") else ","
        rows = list(enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1))
    if not rows:
        raise BarometreError(f"{path}:1:1: fichier vide")
    header = [h.strip() for h in rows[0][1]]
    return header, [(i, r) for i, r in rows[1:] if any(c.strip() for c in r)]


def _read_mapping(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise BarometreError(f"{path}: fichier de correspondance introuvable")
    data = yamlfile.load_file(path, str(path))  # YamlError: file:line:column
    if not isinstance(data, dict) or "authority" not in data or not isinstance(data.get("columns"), dict):
        raise BarometreError(f"{path}:1:1: clés « authority » et « columns » attendues")
    return data


def import_responses(edition: Edition, file: Path, mapping_file: Path, *, dry_run: bool = False) -> dict[str, Any]:
    """Check every row, then (unless ``dry_run``) store them all as submitted responses."""
    mapping = _read_mapping(mapping_file)
    if edition.state not in (EditionState.OPEN, EditionState.CLOSED):
        raise BarometreError(f"édition {edition.year} : import possible seulement collecte ouverte ou close")
    qn = questionnaire_for(edition)
    header, rows = _read_table(file)
    src = str(file)
    errors: list[str] = []
    position = {name: i for i, name in enumerate(header)}
    code_col = str(mapping["authority"])
    if code_col not in position:
        raise ImportInvalid([f"{src}:1:1: colonne « {code_col} » (code de la collectivité) absente"])
    targets: dict[str, tuple[str, str | None]] = {}
    for column, target in mapping["columns"].items():
        qid, _, part = str(target).partition("/")
        if str(column) not in position:
            errors.append(f"{src}:1:{len(header) + 1}: colonne « {column} » de la correspondance absente du fichier")
            continue
        q = qn.get(qid)
        if q is None:
            errors.append(f"{src}:1:{position[str(column)] + 1}: question inconnue « {qid} » ({mapping_file})")
            continue
        targets[str(column)] = (qid, part or None)
    if errors:
        raise ImportInvalid(errors)
    values_map: dict[str, dict[str, str]] = {
        str(k): {str(a): str(b) for a, b in v.items()} for k, v in (mapping.get("values") or {}).items()
    }
    separator = str(mapping.get("separator", ";"))
    codes = [r[position[code_col]].strip() if position[code_col] < len(r) else "" for _, r in rows]
    by_code = {a.code: a for a in Authority.objects.filter(code__in=codes)}
    by_siren = {a.siren: a for a in Authority.objects.filter(siren__in=codes).exclude(siren="")}
    existing = set(
        edition.responses.filter(
            status__in=[ResponseStatus.SUBMITTED, ResponseStatus.VALIDATED], authority__code__in=codes
        ).values_list("authority__code", flat=True)
    )
    prepared: list[tuple[Authority, dict[str, object]]] = []
    seen: dict[str, int] = {}
    for (line, cells), code in zip(rows, codes, strict=True):
        code_pos = position[code_col] + 1
        authority = by_code.get(code) or by_siren.get(code)
        if authority is None:
            errors.append(f"{src}:{line}:{code_pos}: collectivité inconnue « {code} »")
            continue
        if authority.code in seen:
            errors.append(f"{src}:{line}:{code_pos}: {authority.code} déjà importée ligne {seen[authority.code]}")
            continue
        seen[authority.code] = line
        if authority.code in existing:
            errors.append(
                f"{src}:{line}:{code_pos}: {authority.code} a déjà envoyé sa réponse à l'édition {edition.year}"
            )
            continue
        answers: dict[str, object] = {}
        column_of: dict[str, int] = {}
        for column, (qid, item) in targets.items():
            pos = position[column]
            raw = cells[pos].strip() if pos < len(cells) else ""
            if not raw:
                continue
            q = qn.get(qid)
            assert q is not None
            table = values_map.get(qid, {})
            parts = [p.strip() for p in raw.split(separator)] if q.type is QType.SELECT_MULTIPLE else [raw]
            parts = [table.get(p, p) for p in parts if p]
            value = coerce_form_value(q, parts if q.type is QType.SELECT_MULTIPLE else parts[0])
            if value is None:
                continue
            if item is not None:
                grid = answers.setdefault(qid, {})
                assert isinstance(grid, dict)
                grid[item] = value
                column_of[f"{qid}/{item}"] = pos + 1
            else:
                answers[qid] = value
            column_of.setdefault(qid, pos + 1)
        result = validate_answers(qn, answers)
        for qid, problems in result.errors.items():
            for p in problems:
                col = column_of.get(f"{qid}/{p.item}") if p.item else None
                col = col or column_of.get(qid) or code_pos
                errors.append(f"{src}:{line}:{col}: {qid} : {p.fr}")
        if not result.errors:
            prepared.append((authority, dict(result.cleaned)))
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise ImportInvalid(errors)
    summary = {
        "edition": edition.year,
        "file": file.name,
        "rows": len(prepared),
        "answers": sum(len(a) for _, a in prepared),
        "dry_run": dry_run,
        "authorities": [a.code for a, _ in prepared][:50],
    }
    if dry_run:
        return summary
    now = timezone.now()
    with transaction.atomic():
        for authority, cleaned in prepared:
            response, _ = Response.objects.get_or_create(edition=edition, authority=authority)
            response.answers.all().delete()
            Answer.objects.bulk_create(
                [Answer(response=response, question_id=qid, value=value) for qid, value in cleaned.items()]
            )
            response.status = ResponseStatus.SUBMITTED
            response.started_at = response.started_at or now
            response.submitted_at = now
            response.save(update_fields=["status", "started_at", "submitted_at", "updated_at"])
            AuditEntry.objects.create(
                actor="import", action="response_import", edition=edition, response=response, reason=file.name
            )
        mark_weights_stale(edition.pk)
    return summary
