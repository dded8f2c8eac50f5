"""XLSForm import.

Reads real-world forms: single-language forms (the missing language is
copied from the other and flagged in ``untranslated``), legacy syntax
(``label:english``, ``select one from LIST``, ``list name``), a missing
settings sheet (defaults). Repeat groups of simple fields become ``repeat`` questions (a repeat
inside a repeat, or a field with its own relevance, constraint or calculation, is refused). What
the barometer does not support (nested repeats, loops, media, external choices, geo types...) is
refused with one message per row
(``FORM.xlsx:survey:12: ...``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from barometre.core.questionnaire import expressions as ex
from barometre.core.questionnaire.loader import CODE_RE, IDENT_RE, YES_NO_CHOICES, loads
from barometre.core.questionnaire.schema import (
    CHANGE_KINDS,
    DEFAULT_MAX_REPEAT,
    REPEAT_FIELD_TYPES,
    Choice,
    GridItem,
    QType,
    Question,
    Questionnaire,
    QuestionnaireInvalid,
    Section,
    Text,
)
from barometre.core.questionnaire.writer import dump
from barometre.core.questionnaire.xlsform.common import GRID_SEP, XLSFormRefused, number_cell
from barometre.core.text import describe_char, find_control

__all__ = ["ImportResult", "import_xlsform"]


@dataclass(slots=True)
class ImportResult:
    questionnaire: Questionnaire
    yaml: str
    warnings: list[str] = field(default_factory=list)


_METADATA_TYPES = {
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "start-geopoint",
    "imei",
}
_UNSUPPORTED_TYPES = {
    "geopoint": "les positions GPS",
    "geotrace": "les tracés GPS",
    "geoshape": "les formes GPS",
    "image": "les médias",
    "photo": "les médias",
    "audio": "les médias",
    "video": "les médias",
    "file": "les fichiers joints",
    "background-audio": "les médias",
    "barcode": "les codes-barres",
    "time": "les heures",
    "datetime": "les dates-heures",
    "rank": "les classements",
    "acknowledge": "les acquittements",
    "trigger": "les acquittements",
    "hidden": "les champs cachés",
    "xml-external": "les données externes",
    "csv-external": "les données externes",
    "begin_loop": "les boucles (loop)",
    "end_loop": "les boucles (loop)",
    "select_one_from_file": "les choix externes",
    "select_multiple_from_file": "les choix externes",
    "select_one_external": "les choix externes",
    "select_multiple_external": "les choix externes",
    "osm": "les cartes OSM",
}
_MEDIA_COLUMNS = ("image", "audio", "video", "big-image", "media")
_REFUSED_COLUMNS = {
    "choice_filter": "les listes de choix filtrées (choice_filter)",
    "repeat_count": "les répétitions (repeat_count)",
    "trigger": "les déclencheurs (trigger)",
}

_SELECT_ONE_RE = re.compile(r"^select[_ ]?(?:one|1)(?:[_ ]from)?\s+(\S+)(\s+or[_ ]other)?$")
_SELECT_MULTI_RE = re.compile(r"^select[_ ](?:multiple|all[_ ]that[_ ]apply)(?:[_ ]from)?\s+(\S+)(\s+or[_ ]other)?$")


def _lang(token: str) -> str | None:
    t = token.strip().lower()
    m = re.search(r"\(([a-z]{2,3})\)\s*$", t)
    code = m.group(1) if m else t
    if code in ("fr", "fre", "fra") or t.startswith(("french", "français", "francais")):
        return "fr"
    if code in ("en", "eng") or t.startswith(("english", "anglais")):
        return "en"
    return None


_TEXT_COLUMNS = ("label", "hint", "constraint_message", "required_message")


def _split_column(header: str) -> tuple[str, str | None]:
    """``label::French (fr)`` → ("label", "French (fr)"); ``label:english`` → ("label", "english")."""
    h = header.strip()
    if "::" in h:
        base, _, lang = h.partition("::")
    elif ":" in h:
        base, _, lang = h.partition(":")
    else:
        return h.lower().replace(" ", "_"), None
    return base.strip().lower().replace(" ", "_"), lang.strip()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    return str(value).strip()


@dataclass(slots=True)
class _Row:
    number: int
    plain: dict[str, str]
    texts: dict[str, dict[str, str]]  # column → lang(fr/en/None) → text


class _Sheet:
    def __init__(self, name: str, rows: list[_Row], columns: set[str], langs: set[str | None]) -> None:
        self.name = name
        self.rows = rows
        self.columns = columns
        self.langs = langs


def _read_sheet(ws: Any, name: str, default_lang: str | None) -> _Sheet:
    rows_iter = ws.iter_rows(values_only=True)
    header = next(rows_iter, None) or ()
    cols: list[tuple[str, str | None] | None] = []
    langs: set[str | None] = set()
    columns: set[str] = set()
    for h in header:
        if h is None or not str(h).strip():
            cols.append(None)
            continue
        base, lang_token = _split_column(str(h))
        is_text = base in _TEXT_COLUMNS
        lang = _lang(lang_token) if lang_token is not None else (default_lang if is_text else None)
        if lang_token is not None and lang is None:
            lang = "?" + lang_token
        cols.append((base, lang))
        columns.add(base)
        if is_text:
            langs.add(lang)
    rows: list[_Row] = []
    for number, values in enumerate(rows_iter, start=2):
        plain: dict[str, str] = {}
        texts: dict[str, dict[str, str]] = {}
        for col, value in zip(cols, values, strict=False):
            if col is None:
                continue
            text = _cell(value)
            base, lang = col
            if base in _TEXT_COLUMNS or lang is not None:
                if text:
                    texts.setdefault(base, {})[lang or ""] = text
            elif text:
                plain[base] = text
        if plain or texts:
            rows.append(_Row(number, plain, texts))
    return _Sheet(name, rows, columns, langs)


def _ident(name: str) -> str | None:
    candidate = re.sub(r"[-.\s]+", "_", name.strip()).lower()
    if candidate and candidate[0] == "_":
        candidate = "q" + candidate
    return candidate if IDENT_RE.fullmatch(candidate) else None


class _Importer:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.fname = path.name
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.untranslated: dict[str, set[str]] = {}

    def err(self, sheet: str, row: int, message: str) -> None:
        self.errors.append(f"{self.fname}:{sheet}:{row}: {message}")

    def text(self, row: _Row, column: str, owner: str | None) -> Text | None:
        values = row.texts.get(column, {})
        fr = values.get("fr")
        en = values.get("en")
        other = next((v for k, v in values.items() if k in ("", None) or (k or "").startswith("?")), None)
        fr = fr or (other if en is None else None)
        if fr is None and en is None:
            return None
        if fr is None or en is None:
            missing = "fr" if fr is None else "en"
            if owner:
                self.untranslated.setdefault(owner, set()).add(missing)
            fr = fr if fr is not None else en
            en = en if en is not None else fr
        assert fr is not None and en is not None
        return Text(fr, en)

    def check_controls(self, sheet: _Sheet | None) -> None:
        """Refuse control characters (NUL, ESC…) in any cell; texts may hold TAB and line breaks."""
        if sheet is None:
            return
        for r in sheet.rows:
            cells = [(c, v, False) for c, v in r.plain.items()]
            cells += [(c, v, True) for c, by_lang in r.texts.items() for v in by_lang.values()]
            for column, value, multiline in cells:
                at = find_control(value, multiline=multiline)
                if at is not None:
                    self.err(
                        sheet.name,
                        r.number,
                        f"colonne {column!r} : caractère de contrôle interdit ({describe_char(value[at])})",
                    )

    # ------------------------------------------------------------------ main

    def run(self) -> ImportResult:
        from openpyxl import load_workbook

        from barometre.core.questionnaire.xlsx_guard import check_xlsx

        check_xlsx(self.path)  # sizes, checksums and XML checked before openpyxl reads anything
        try:
            wb = load_workbook(str(self.path), read_only=True, data_only=True)
        except FileNotFoundError:
            raise XLSFormRefused([f"{self.fname}: fichier introuvable"]) from None
        except Exception as exc:  # openpyxl raises many types for a non-xlsx file
            raise XLSFormRefused([f"{self.fname}: classeur XLSX illisible ({exc.__class__.__name__})"]) from None
        sheets = {ws.title.strip().lower(): ws for ws in wb.worksheets}
        if "survey" not in sheets:
            raise XLSFormRefused([f"{self.fname}: feuille 'survey' absente"])
        settings: dict[str, str] = {}
        settings_texts: dict[str, dict[str, str]] = {}
        if "settings" in sheets:
            st = _read_sheet(sheets["settings"], "settings", None)
            if st.rows:
                settings = st.rows[0].plain
                settings_texts = st.rows[0].texts
        else:
            self.warnings.append("feuille 'settings' absente : métadonnées par défaut")
        default_lang = _lang(settings.get("default_language", "")) or "fr"
        survey = _read_sheet(sheets["survey"], "survey", default_lang)
        choices_sheet = _read_sheet(sheets["choices"], "choices", default_lang) if "choices" in sheets else None
        for sheet in (survey, choices_sheet):
            self.check_controls(sheet)
        for col in survey.columns:
            if col in _MEDIA_COLUMNS or col.startswith("media"):
                for r in survey.rows:
                    if r.plain.get(col) or r.texts.get(col):
                        self.err("survey", r.number, f"colonne {col!r} : les médias ne sont pas pris en charge")
        # choice lists
        lists: dict[str, list[tuple[Choice, int]]] = {}
        for r in choices_sheet.rows if choices_sheet else []:
            lname = r.plain.get("list_name") or r.plain.get("list name", "")
            name = r.plain.get("name", "")
            if not lname or not name:
                self.err("choices", r.number, "list_name et name sont obligatoires")
                continue
            for col in _MEDIA_COLUMNS:
                if r.plain.get(col) or r.texts.get(col):
                    self.err("choices", r.number, "les médias ne sont pas pris en charge")
            if not CODE_RE.fullmatch(name):
                self.err("choices", r.number, f"code de choix {name!r} invalide (lettres, chiffres, _ ou -)")
                continue
            label = self.text(r, "label", f"list:{lname}") or Text(name, name)
            exclusive = r.plain.get("barometre_exclusive", "").lower() in ("yes", "true", "1", "oui")
            lists.setdefault(lname, []).append((Choice(name, label, exclusive), r.number))
        # survey walk
        renames: dict[str, str] = {}
        sections: list[Section] = []
        current: Section | None = None
        grid: Question | None = None
        grid_list: str | None = None
        repeat: Question | None = None
        nested: list[tuple[str, str]] = []  # (name, relevant) of flattened groups
        raw_exprs: list[tuple[Question | Section, str, str, int]] = []
        list_users: dict[str, list[Question]] = {}
        row_of: dict[str, int] = {}
        index = 0
        loose = 0
        section_open = False

        def section_for(row: _Row) -> Section:
            nonlocal current, loose
            if current is None or (not section_open and not current.id.startswith("questionnaire")):
                loose += 1
                sid = "questionnaire" if loose == 1 else f"questionnaire_{loose}"
                current = Section(sid, Text("Questionnaire", "Questionnaire"))
                sections.append(current)
                row_of[sid] = row.number
            return current

        for r in survey.rows:
            raw_type = re.sub(r"\s+", " ", r.plain.get("type", "").strip().lower())
            name = r.plain.get("name", "")
            for col, what in _REFUSED_COLUMNS.items():
                if r.plain.get(col):
                    self.err("survey", r.number, f"{what} ne sont pas pris en charge")
            if not raw_type:
                if name or r.texts:
                    self.err("survey", r.number, "type manquant")
                continue
            btype = r.plain.get("barometre_type", "")
            norm = raw_type.replace(" ", "_")
            if norm == "begin_repeat":
                if repeat is not None or grid is not None:
                    self.err(
                        "survey", r.number, "une répétition dans une répétition ou une grille n'est pas prise en charge"
                    )
                    continue
                rid = _ident(name)
                if rid is None:
                    self.err("survey", r.number, f"nom {name!r} invalide")
                    continue
                renames[name] = rid
                repeat = Question(
                    rid, QType.REPEAT, self.text(r, "label", rid) or Text(rid, rid), section_for(r).id, index
                )
                repeat.help = self.text(r, "hint", rid)
                self._meta(repeat, r)
                raw_max = r.plain.get("barometre_max_repeat", "")
                repeat.max_repeat = int(float(raw_max)) if raw_max.replace(".", "", 1).isdigit() else DEFAULT_MAX_REPEAT
                row_of[rid] = r.number
                if r.plain.get("relevant"):
                    raw_exprs.append((repeat, "relevant", r.plain["relevant"], r.number))
                continue
            if norm == "end_repeat":
                if repeat is None:
                    self.err("survey", r.number, "end_repeat sans begin_repeat")
                    continue
                if not repeat.fields:
                    self.err("survey", r.number, f"répétition {repeat.id!r} sans champ")
                section_for(r).questions.append(repeat)
                index += 1
                repeat = None
                continue
            if repeat is not None:
                field_name = r.plain.get("barometre_field") or (
                    name.split(GRID_SEP, 1)[1] if name.startswith(repeat.id + GRID_SEP) else name
                )
                for key in ("relevant", "constraint", "calculation"):
                    if r.plain.get(key) and not (key == "constraint" and "barometre_type" in r.plain):
                        self.err(
                            "survey", r.number, f"champ {field_name!r} de la répétition : {key!r} non pris en charge"
                        )
                f = self._question(
                    r, raw_type, btype, field_name, section_for(r), len(repeat.fields), list_users, renames
                )
                if f is None:
                    continue
                if f.type.value not in REPEAT_FIELD_TYPES:
                    self.err("survey", r.number, f"champ {f.id!r} : type {f.type.value!r} interdit dans une répétition")
                    continue
                if f.id in repeat.item_ids or any(x.id == f.id for x in repeat.fields):
                    self.err("survey", r.number, f"champ {f.id!r} en double dans la répétition {repeat.id!r}")
                    continue
                renames[name] = f"{repeat.id}.{f.id}"
                repeat.fields = (*repeat.fields, f)
                continue
            if norm in ("begin_group", "end_group"):
                if norm == "begin_group":
                    if btype == "grid":
                        gid = _ident(name)
                        if gid is None:
                            self.err("survey", r.number, f"nom {name!r} invalide")
                            continue
                        renames[name] = gid
                        label = self.text(r, "label", gid) or Text(gid, gid)
                        grid = Question(gid, QType.GRID, label, section_for(r).id, index)
                        grid.help = self.text(r, "hint", gid)
                        self._meta(grid, r)
                        row_of[gid] = r.number
                        if r.plain.get("relevant"):
                            raw_exprs.append((grid, "relevant", r.plain["relevant"], r.number))
                        continue
                    if section_open or nested:
                        # a group inside a section: flattened, its relevance folded into its questions
                        nested.append((name, r.plain.get("relevant", "")))
                        self.warnings.append(
                            f"{self.fname}:survey:{r.number}: groupe {name!r} imbriqué : ses questions sont "
                            "rattachées à la section englobante"
                        )
                        continue
                    sid = _ident(name) if name else None
                    if sid is None:
                        self.err("survey", r.number, f"nom de groupe {name!r} invalide")
                        sid = f"section_{len(sections) + 1}"
                    renames[name] = sid
                    current = Section(sid, self.text(r, "label", None) or Text(sid, sid))
                    section_open = True
                    current.description = self.text(r, "hint", None)
                    sections.append(current)
                    row_of[sid] = r.number
                    if r.plain.get("relevant"):
                        raw_exprs.append((current, "relevant", r.plain["relevant"], r.number))
                else:
                    if grid is not None:
                        if not grid.items:
                            self.err("survey", r.number, f"grille {grid.id!r} sans item")
                        section_for(r).questions.append(grid)
                        index += 1
                        grid = None
                        grid_list = None
                    elif nested:
                        nested.pop()
                    else:
                        current = None
                        section_open = False
                continue
            if grid is not None:
                if btype == "grid_header":
                    continue
                m = _SELECT_ONE_RE.match(raw_type)
                item_id = name.split(GRID_SEP, 1)[1] if GRID_SEP in name else name
                iid = _ident(item_id)
                if m is None or iid is None:
                    self.err("survey", r.number, f"ligne de grille {name!r} invalide (select_one attendu)")
                    continue
                if grid_list is None:
                    grid_list = m.group(1)
                    list_users.setdefault(grid_list, []).append(grid)
                elif grid_list != m.group(1):
                    self.err("survey", r.number, "toutes les lignes d'une grille utilisent la même liste de choix")
                if r.plain.get("required", "").lower() in ("yes", "true", "true()", "1"):
                    grid.required = True
                grid.items = (*grid.items, GridItem(iid, self.text(r, "label", grid.id) or Text(iid, iid)))
                renames[name] = f"{grid.id}.{iid}"
                continue
            q = self._question(r, raw_type, btype, name, section_for(r), index, list_users, renames)
            if q is None:
                continue
            if nested:
                folded = [rel for _, rel in nested if rel]
                if folded:
                    own = r.plain.get("relevant")
                    r.plain["relevant"] = " and ".join(f"({x})" for x in [*folded, *([own] if own else [])])
            row_of[q.id] = r.number
            for key in ("relevant", "calculation"):
                if r.plain.get(key):
                    raw_exprs.append((q, key, r.plain[key], r.number))
            constraint = (
                r.plain.get("barometre_constraint") if "barometre_type" in r.plain else r.plain.get("constraint")
            )
            if constraint:
                raw_exprs.append((q, "constraint", constraint, r.number))
            if constraint or r.plain.get("barometre_constraint"):
                q.constraint_message = self.text(r, "constraint_message", q.id)
            section_for(r).questions.append(q)
            index += 1
        # choices of select questions
        choice_lists: dict[str, tuple[Choice, ...]] = {}
        order = {name: i for i, name in enumerate(lists)}
        for lname, users in sorted(list_users.items(), key=lambda kv: order.get(kv[0], len(order))):
            if lname not in lists:
                for u in users:
                    self.err("survey", row_of.get(u.id, 0), f"liste de choix {lname!r} absente de la feuille choices")
                continue
            choices = tuple(c for c, _ in lists[lname])
            untranslated = self.untranslated.get(f"list:{lname}", set())
            for u in users:
                if u.type is QType.YES_NO:
                    continue
                u.choices = choices
                if untranslated:
                    self.untranslated.setdefault(u.id, set()).update(untranslated)
            named = [u for u in users if u.type is not QType.YES_NO]
            shared = len(named) > 1 or any(u.choice_list for u in named) or (named and lname != named[0].id)
            if shared and named:
                lid = _ident(lname) or "liste"
                if lid == "oui_non_nsp":
                    lid = "oui_non_nsp_liste"
                choice_lists[lid] = choices
                for u in named:
                    u.choice_list = lid
        # expressions
        for owner, kind, text, number in raw_exprs:
            try:
                expr = ex.parse(text)
            except ex.ExpressionError as exc:
                self.err("survey", number, f"{kind} : {exc.message} (position {exc.offset + 1})")
                continue
            bad = [ref.key for ref in ex.references(expr) if ref.key not in renames]
            if bad:
                self.err("survey", number, f"{kind} : question inconnue ${{{bad[0]}}}")
                continue

            def rename(ref: ex.Ref) -> str:
                return renames[ref.key]

            source = ex.to_source(expr, rename)
            setattr(owner, kind, ex.parse(source))
        if self.errors:
            raise XLSFormRefused(self.errors)
        for qid, langs in self.untranslated.items():
            if qid.startswith("list:"):
                continue
            for s in sections:
                for q in s.questions:
                    if q.id == qid:
                        q.untranslated = tuple(sorted(langs))
        n_untranslated = sum(1 for s in sections for q in s.questions if q.untranslated)
        if n_untranslated:
            self.warnings.append(
                f"{n_untranslated} question(s) dans une seule langue : texte copié dans l'autre langue et "
                "signalé par 'untranslated' (à traduire)"
            )
        qn = self._questionnaire(settings, settings_texts, sections, choice_lists)
        text = dump(qn, f"Importé de {self.fname}")
        try:
            loaded = loads(text, self.fname)
        except QuestionnaireInvalid as exc:
            raise XLSFormRefused(self._map_issues(exc, text, row_of)) from None
        return ImportResult(loaded, text, self.warnings)

    def _map_issues(self, exc: QuestionnaireInvalid, text: str, row_of: dict[str, int]) -> list[str]:
        lines = text.splitlines()
        messages = []
        for issue in exc.issues:
            owner = None
            for i in range(min(issue.line, len(lines)) - 1, -1, -1):
                m = re.match(r"^\s*- id: (\S+)$", lines[i])
                if m and m.group(1) in row_of:
                    owner = m.group(1)
                    break
            row = row_of.get(owner or "", 0)
            messages.append(f"{self.fname}:survey:{row}: {issue.message}")
        return messages

    def _meta(self, q: Question, r: _Row) -> None:
        p = r.plain
        q.feeds = tuple(p.get("barometre_feeds", "").split())
        q.same_as = _ident(p["barometre_same_as"]) if p.get("barometre_same_as") else None
        q.changes = tuple(c for c in p.get("barometre_changes", "").split() if c in CHANGE_KINDS)
        q.untranslated = tuple(p.get("barometre_untranslated", "").split())
        if p.get("barometre_untranslated"):
            self.untranslated.setdefault(q.id, set()).update(q.untranslated)
        if p.get("barometre_list"):
            q.choice_list = _ident(p["barometre_list"])

    def _question(
        self,
        r: _Row,
        raw_type: str,
        btype: str,
        name: str,
        section: Section,
        index: int,
        list_users: dict[str, list[Question]],
        renames: dict[str, str],
    ) -> Question | None:
        norm = raw_type.replace(" ", "_")
        if norm in _METADATA_TYPES:
            return None
        if norm == "note":
            self.warnings.append(f"{self.fname}:survey:{r.number}: note {name!r} ignorée (pas de réponse)")
            return None
        first = norm.split("_")[0] if norm.startswith("select") else norm
        for key, what in _UNSUPPORTED_TYPES.items():
            if norm == key or norm.startswith(key + "_") or norm.split(" ")[0] == key:
                self.err("survey", r.number, f"type {raw_type!r} : {what} ne sont pas pris en charge")
                return None
        qid = _ident(name)
        if qid is None:
            self.err("survey", r.number, f"nom {name!r} invalide (lettres, chiffres et _)")
            return None
        list_name: str | None = None
        m1 = _SELECT_ONE_RE.match(raw_type)
        m2 = _SELECT_MULTI_RE.match(raw_type)
        p = r.plain
        if m1 or m2:
            m = m1 or m2
            assert m is not None
            if m.group(2):
                self.err("survey", r.number, "« or_other » n'est pas pris en charge (ajouter un choix 'autre')")
                return None
            list_name = m.group(1)
            qtype = QType.SELECT_ONE if m1 else QType.SELECT_MULTIPLE
            if m1 and btype == "yes_no":
                qtype = QType.YES_NO
        elif first in ("integer", "int"):
            qtype = QType.INTEGER
        elif first == "decimal":
            qtype = QType.DECIMAL
            if btype in ("money", "percentage"):
                qtype = QType(btype)
        elif first == "range":
            params = dict(kv.split("=", 1) for kv in p.get("parameters", "").split() if "=" in kv)
            try:
                start = float(params.get("start", "0"))
                end = float(params.get("end", "10"))
                step = float(params.get("step", "1"))
            except ValueError:
                self.err("survey", r.number, "paramètres de range invalides")
                return None
            if (start, end, step) == (1, 5, 1):
                qtype = QType.SCALE
            else:
                qtype = QType.INTEGER if step == int(step) and start == int(start) else QType.DECIMAL
                p.setdefault("barometre_min", number_cell(start))
                p.setdefault("barometre_max", number_cell(end))
        elif first in ("text", "string"):
            qtype = QType.LONG_TEXT if "multiline" in p.get("appearance", "") or btype == "long_text" else QType.TEXT
        elif first == "date":
            qtype = QType.DATE
        elif first == "calculate":
            qtype = QType.CALCULATE
            if not p.get("calculation"):
                self.err("survey", r.number, "calculate sans calculation")
                return None
        else:
            self.err("survey", r.number, f"type {raw_type!r} non pris en charge")
            return None
        label = self.text(r, "label", qid)
        if label is None:
            if qtype is not QType.CALCULATE:
                self.err("survey", r.number, "libellé (label) manquant")
                return None
            label = Text(qid, qid)
        q = Question(qid, qtype, label, section.id, index)
        if qtype is not QType.CALCULATE:
            q.help = self.text(r, "hint", qid)
        required = p.get("required", "").strip().lower()
        if required in ("yes", "true", "true()", "1", "oui"):
            q.required = qtype is not QType.CALCULATE
        elif required not in ("", "no", "false", "false()", "0", "non"):
            self.err("survey", r.number, f"required {required!r} : seules les valeurs yes/no sont prises en charge")
        if qtype.is_numeric and qtype is not QType.SCALE:
            for key in ("min", "max"):
                raw = p.get(f"barometre_{key}")
                if raw:
                    try:
                        setattr(q, key, float(raw))
                    except ValueError:
                        self.err("survey", r.number, f"barometre_{key} {raw!r} n'est pas un nombre")
        if p.get("barometre_unit") and qtype.is_numeric:
            q.unit = p["barometre_unit"]
        if p.get("barometre_max_length", "").isdigit():
            q.max_length = int(p["barometre_max_length"])
        self._meta(q, r)
        if list_name is not None:
            list_users.setdefault(list_name, []).append(q)
            if qtype is QType.YES_NO:
                q.choices = YES_NO_CHOICES
                q.choice_list = "oui_non_nsp"
            elif q.choice_list is None and list_name != qid:
                q.choice_list = _ident(list_name)
        renames[name] = qid
        return q

    def _questionnaire(
        self,
        settings: dict[str, str],
        settings_texts: dict[str, dict[str, str]],
        sections: list[Section],
        choice_lists: dict[str, tuple[Choice, ...]],
    ) -> Questionnaire:
        title_fr = settings.get("form_title") or next(iter(settings_texts.get("form_title", {}).values()), "")
        title_en = settings.get("barometre_title_en") or title_fr
        if not title_fr:
            title_fr = title_en = self.path.stem
            self.warnings.append(f"titre absent : {title_fr!r} par défaut")
        edition_raw = settings.get("barometre_edition", "")
        if edition_raw.isdigit():
            edition = int(edition_raw)
        else:
            m = re.search(r"\b(20\d\d)\b", f"{title_fr} {settings.get('version', '')} {settings.get('form_id', '')}")
            edition = int(m.group(1)) if m else date.today().year
            self.warnings.append(f"édition absente des réglages : {edition} par défaut")
        version = settings.get("version") or "1"
        if not settings.get("version"):
            self.warnings.append("version absente : '1' par défaut")

        def day(key: str) -> date | None:
            try:
                return date.fromisoformat(settings[key]) if settings.get(key) else None
            except ValueError:
                return None

        if not sections:
            raise XLSFormRefused([f"{self.fname}:survey: aucune question"])
        for s in sections:
            if not s.questions:
                self.errors.append(f"{self.fname}:survey: section {s.id!r} sans question")
        if self.errors:
            raise XLSFormRefused(self.errors)
        used = {x.choice_list for s in sections for q in s.questions for x in (q, *q.fields)}
        lists = {k: v for k, v in choice_lists.items() if k in used}
        return Questionnaire(
            edition,
            Text(title_fr, title_en),
            version,
            day("barometre_opens"),
            day("barometre_closes"),
            sections,
            lists,
            source=self.fname,
        )


def import_xlsform(path: str | Path) -> ImportResult:
    """Read an XLSForm; raise :class:`XLSFormRefused` listing every unsupported row."""
    return _Importer(Path(path)).run()
