"""Load and validate a questionnaire YAML file, with every error located.

The YAML text is *composed* (not constructed) so that every node keeps its
line and column; the strict schema is then checked by hand, collecting every
problem as an :class:`~.schema.Issue` (``file:line:column: message``). If any
problem is found, :class:`~.schema.QuestionnaireInvalid` is raised with all of
them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from barometre.core import yamlfile
from barometre.core.errors import NotFound
from barometre.core.paths import QUESTIONNAIRES_DIR
from barometre.core.questionnaire import expressions as ex
from barometre.core.questionnaire.schema import (
    CHANGE_KINDS,
    DEFAULT_MAX_REPEAT,
    REPEAT_FIELD_TYPES,
    SURVEY_KINDS,
    UNITS,
    YES_NO_CODES,
    Choice,
    GridItem,
    Issue,
    QType,
    Question,
    Questionnaire,
    QuestionnaireInvalid,
    Section,
    Text,
)
from barometre.core.yamlfile import MappingNode, Node, ScalarNode, SequenceNode, YamlError

__all__ = ["available_editions", "check_file", "edition_path", "load", "load_edition", "loads"]

IDENT_RE = re.compile(r"[a-z][a-z0-9_]{0,63}")
CODE_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_\-]{0,63}")

TOP_KEYS = ("edition", "kind", "title", "version", "opens", "closes", "description", "choice_lists", "sections")
SECTION_KEYS = ("id", "title", "description", "relevant", "questions")
QUESTION_KEYS = (
    "id",
    "type",
    "label",
    "help",
    "required",
    "choices",
    "items",
    "fields",
    "max_repeat",
    "relevant",
    "constraint",
    "constraint_message",
    "calculation",
    "min",
    "max",
    "unit",
    "max_length",
    "same_as",
    "changes",
    "feeds",
    "untranslated",
)
CHOICE_KEYS = ("code", "label", "exclusive")
ITEM_KEYS = ("id", "label")

YES_NO_CHOICES = (
    Choice("oui", Text("Oui", "Yes")),
    Choice("non", Text("Non", "No")),
    Choice("nsp", Text("Je ne sais pas", "Don't know"), exclusive=True),
)
assert tuple(c.code for c in YES_NO_CHOICES) == YES_NO_CODES


class _Ctx:
    def __init__(self, source: str) -> None:
        self.source = source
        self.issues: list[Issue] = []

    def error(self, node: Node, message: str, offset: int = 0) -> None:
        mark = node.start_mark
        self.issues.append(Issue(self.source, mark.line + 1, mark.column + 1 + offset, message))

    # ---- scalar helpers

    def value(self, node: Node) -> Any:
        if isinstance(node, ScalarNode):
            return yamlfile.scalar(node)
        return node

    def mapping(self, node: Node, what: str) -> dict[str, tuple[Node, Node]] | None:
        if not isinstance(node, MappingNode):
            self.error(node, f"{what} : un dictionnaire (clé: valeur) est attendu")
            return None
        result: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            key = self.value(key_node)
            if not isinstance(key, str):
                self.error(key_node, f"{what} : clé {key!r} invalide (texte attendu)")
                continue
            if key in result:
                self.error(key_node, f"{what} : clé {key!r} en double")
                continue
            result[key] = (key_node, value_node)
        return result

    def check_keys(
        self,
        m: dict[str, tuple[Node, Node]],
        node: Node,
        allowed: Iterable[str],
        required: Iterable[str],
        what: str,
    ) -> None:
        allowed = tuple(allowed)
        for key, (key_node, _) in m.items():
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f" (vouliez-vous dire {close[0]!r} ?)" if close else f" (clés permises : {', '.join(allowed)})"
                self.error(key_node, f"{what} : clé inconnue {key!r}{hint}")
        for key in required:
            if key not in m:
                self.error(node, f"{what} : clé obligatoire {key!r} manquante")

    def string(self, node: Node, what: str, *, allow_empty: bool = False) -> str | None:
        value = self.value(node)
        if isinstance(value, bool):
            self.error(
                node, f"{what} : texte attendu ({node.value!r} est lu comme un booléen : le mettre entre guillemets)"
            )
            return None
        if not isinstance(value, (str, int, float)):
            self.error(node, f"{what} : texte attendu")
            return None
        text = str(value) if not isinstance(value, str) else value
        if not allow_empty and not text.strip():
            self.error(node, f"{what} : texte vide")
            return None
        return text

    def ident(self, node: Node, what: str) -> str | None:
        value = self.value(node)
        if not isinstance(value, str) or not IDENT_RE.fullmatch(value):
            self.error(
                node,
                f"{what} : identifiant {value!r} invalide (minuscules, chiffres et _, commençant par une lettre)",
            )
            return None
        return value

    def boolean(self, node: Node, what: str) -> bool | None:
        value = self.value(node)
        if not isinstance(value, bool):
            self.error(node, f"{what} : true ou false attendu")
            return None
        return value

    def number(self, node: Node, what: str) -> float | None:
        value = self.value(node)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(node, f"{what} : nombre attendu")
            return None
        return float(value)

    def integer(self, node: Node, what: str) -> int | None:
        value = self.value(node)
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(node, f"{what} : nombre entier attendu")
            return None
        return value

    def date(self, node: Node, what: str) -> date | None:
        value = self.value(node)
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.error(node, f"{what} : date AAAA-MM-JJ attendue")
        return None

    def text(self, node: Node, what: str) -> Text | None:
        m = self.mapping(node, what)
        if m is None:
            return None
        self.check_keys(m, node, ("fr", "en"), ("fr", "en"), what)
        fr = self.string(m["fr"][1], f"{what} (fr)") if "fr" in m else None
        en = self.string(m["en"][1], f"{what} (en)") if "en" in m else None
        if fr is None or en is None:
            return None
        return Text(fr.strip(), en.strip())

    def sequence(self, node: Node, what: str) -> list[Node] | None:
        if not isinstance(node, SequenceNode):
            self.error(node, f"{what} : une liste est attendue")
            return None
        return list(node.value)

    def string_list(self, node: Node, what: str) -> list[tuple[str, Node]]:
        items = self.sequence(node, what)
        result: list[tuple[str, Node]] = []
        for item in items or []:
            s = self.string(item, what)
            if s is not None:
                result.append((s, item))
        return result


# --------------------------------------------------------------------------- structure


def _choices(ctx: _Ctx, node: Node, what: str) -> tuple[Choice, ...]:
    items = ctx.sequence(node, what)
    if items is None:
        return ()
    if not items:
        ctx.error(node, f"{what} : liste de choix vide")
    result: list[Choice] = []
    seen: set[str] = set()
    for item in items:
        m = ctx.mapping(item, f"{what} (choix)")
        if m is None:
            continue
        ctx.check_keys(m, item, CHOICE_KEYS, ("code", "label"), f"{what} (choix)")
        code: str | None = None
        if "code" in m:
            raw = ctx.value(m["code"][1])
            raw = str(raw) if isinstance(raw, int) and not isinstance(raw, bool) else raw
            if not isinstance(raw, str) or not CODE_RE.fullmatch(raw):
                ctx.error(m["code"][1], f"{what} : code de choix {raw!r} invalide (lettres, chiffres, _ ou -)")
            elif raw in seen:
                ctx.error(m["code"][1], f"{what} : code de choix {raw!r} en double")
            else:
                code = raw
                seen.add(raw)
        label = ctx.text(m["label"][1], f"{what} : libellé du choix") if "label" in m else None
        exclusive = bool(ctx.boolean(m["exclusive"][1], "exclusive")) if "exclusive" in m else False
        if code is not None and label is not None:
            result.append(Choice(code, label, exclusive))
    return tuple(result)


def _items(ctx: _Ctx, node: Node, what: str) -> tuple[GridItem, ...]:
    nodes = ctx.sequence(node, what)
    result: list[GridItem] = []
    seen: set[str] = set()
    for item in nodes or []:
        m = ctx.mapping(item, f"{what} (item)")
        if m is None:
            continue
        ctx.check_keys(m, item, ITEM_KEYS, ITEM_KEYS, f"{what} (item)")
        iid = ctx.ident(m["id"][1], f"{what} : id d'item") if "id" in m else None
        if iid is not None and iid in seen:
            ctx.error(m["id"][1], f"{what} : item {iid!r} en double")
            iid = None
        label = ctx.text(m["label"][1], f"{what} : libellé de l'item") if "label" in m else None
        if iid is not None and label is not None:
            seen.add(iid)
            result.append(GridItem(iid, label))
    if nodes is not None and not nodes:
        ctx.error(node, f"{what} : une grille a au moins un item")
    return tuple(result)


class _Skip(ex.ExpressionError):
    """A reference to a question that is itself invalid (already reported)."""


class _Pending:
    """Expressions to check once every question is known."""

    def __init__(self) -> None:
        #: ids of questions that were declared but are invalid (no cascade of errors)
        self.broken: set[str] = set()
        # (owner question or None for a section, kind, text, node, section)
        self.items: list[tuple[Question | None, str, str, Node, Section]] = []


def _question(
    ctx: _Ctx,
    node: Node,
    section: Section,
    index: int,
    lists: dict[str, tuple[Choice, ...]],
    pending: _Pending,
) -> Question | None:
    m = ctx.mapping(node, "question")
    if m is None:
        return None
    qid = ctx.ident(m["id"][1], "question : id") if "id" in m else None
    what = f"question {qid!r}" if qid else "question"
    ctx.check_keys(m, node, QUESTION_KEYS, ("id", "type", "label"), what)
    qtype: QType | None = None
    if "type" in m:
        raw = ctx.value(m["type"][1])
        try:
            qtype = QType(raw)
        except ValueError:
            close = difflib.get_close_matches(str(raw), [t.value for t in QType], n=1)
            hint = f" (vouliez-vous dire {close[0]!r} ?)" if close else ""
            ctx.error(
                m["type"][1],
                f"{what} : type {raw!r} inconnu{hint} ; types permis : {', '.join(t.value for t in QType)}",
            )
    label = ctx.text(m["label"][1], f"{what} : label") if "label" in m else None
    if qid is None or qtype is None or label is None:
        return None
    key_node = node
    q = Question(
        id=qid,
        type=qtype,
        label=label,
        section=section.id,
        index=index,
        line=key_node.start_mark.line + 1,
        column=key_node.start_mark.column + 1,
    )

    def forbid(key: str, reason: str) -> None:
        if key in m:
            ctx.error(m[key][0], f"{what} : {key!r} {reason}")

    if "help" in m:
        q.help = ctx.text(m["help"][1], f"{what} : help")
    if "required" in m:
        q.required = bool(ctx.boolean(m["required"][1], f"{what} : required"))
    # choices
    if qtype in (QType.SELECT_ONE, QType.SELECT_MULTIPLE, QType.GRID):
        if "choices" not in m:
            ctx.error(node, f"{what} : 'choices' obligatoire pour le type {qtype.value}")
        else:
            cnode = m["choices"][1]
            if isinstance(cnode, ScalarNode):
                name = ctx.value(cnode)
                if isinstance(name, str) and name in lists:
                    q.choices = lists[name]
                    q.choice_list = name
                else:
                    close = difflib.get_close_matches(str(name), list(lists), n=1)
                    hint = f" (vouliez-vous dire {close[0]!r} ?)" if close else ""
                    ctx.error(cnode, f"{what} : liste de choix {name!r} inconnue dans choice_lists{hint}")
            else:
                q.choices = _choices(ctx, cnode, f"{what} : choices")
    elif qtype is QType.YES_NO:
        forbid("choices", "interdit : une question yes_no a les choix fixes oui / non / nsp")
        q.choices = YES_NO_CHOICES
        q.choice_list = "oui_non_nsp"
    else:
        forbid("choices", f"interdit pour le type {qtype.value}")
    if qtype is QType.GRID:
        if "items" not in m:
            ctx.error(node, f"{what} : 'items' obligatoire pour une grille")
        else:
            q.items = _items(ctx, m["items"][1], f"{what} : items")
    else:
        forbid("items", "réservé au type grid")
    if qtype is QType.REPEAT:
        _repeat_fields(ctx, m, node, q, what, lists, pending)
    else:
        forbid("fields", "réservé au type repeat")
        forbid("max_repeat", "réservé au type repeat")
    # numbers
    if qtype.is_numeric and qtype is not QType.SCALE:
        for key in ("min", "max"):
            if key in m:
                value = ctx.number(m[key][1], f"{what} : {key}")
                if value is not None and qtype is QType.INTEGER and value != int(value):
                    ctx.error(m[key][1], f"{what} : {key} doit être entier pour le type integer")
                setattr(q, key, value)
        if qtype is QType.PERCENTAGE:
            q.min = 0.0 if q.min is None else q.min
            q.max = 100.0 if q.max is None else q.max
        if q.min is not None and q.max is not None and q.min > q.max:
            ctx.error(m["min"][1] if "min" in m else node, f"{what} : min ({q.min:g}) supérieur à max ({q.max:g})")
    else:
        forbid("min", "réservé aux types numériques (integer, decimal, money, percentage)")
        forbid("max", "réservé aux types numériques (integer, decimal, money, percentage)")
    if qtype is QType.SCALE:
        q.min, q.max = 1.0, 5.0
    if "unit" in m:
        if not qtype.is_numeric:
            forbid("unit", "réservé aux types numériques")
        else:
            unit = ctx.string(m["unit"][1], f"{what} : unit")
            if unit is not None and unit not in UNITS:
                ctx.error(m["unit"][1], f"{what} : unité {unit!r} inconnue (unités : {', '.join(UNITS)})")
            elif qtype is QType.MONEY and unit not in (None, "euros"):
                ctx.error(m["unit"][1], f"{what} : l'unité d'un montant est 'euros'")
            elif qtype is QType.PERCENTAGE and unit not in (None, "percent"):
                ctx.error(m["unit"][1], f"{what} : l'unité d'un pourcentage est 'percent'")
            else:
                q.unit = unit
    if q.unit is None:
        q.unit = {QType.MONEY: "euros", QType.PERCENTAGE: "percent"}.get(qtype)
    if "max_length" in m:
        if qtype not in (QType.TEXT, QType.LONG_TEXT):
            forbid("max_length", "réservé aux types text et long_text")
        else:
            n = ctx.integer(m["max_length"][1], f"{what} : max_length")
            if n is not None and n < 1:
                ctx.error(m["max_length"][1], f"{what} : max_length doit être positif")
            else:
                q.max_length = n
    # expressions (checked later)
    if qtype is QType.CALCULATE:
        if "calculation" not in m:
            ctx.error(node, f"{what} : 'calculation' obligatoire pour le type calculate")
        for key in ("required", "constraint", "constraint_message", "help"):
            forbid(key, "interdit pour une valeur calculée")
    else:
        forbid("calculation", "réservé au type calculate")
    for key in ("relevant", "constraint", "calculation"):
        if key in m:
            text = ctx.string(m[key][1], f"{what} : {key}")
            if text is not None:
                pending.items.append((q, key, text, m[key][1], section))
    if "constraint_message" in m:
        if "constraint" not in m:
            forbid("constraint_message", "sans 'constraint'")
        q.constraint_message = ctx.text(m["constraint_message"][1], f"{what} : constraint_message")
    # editions
    if "same_as" in m:
        prev = ctx.ident(m["same_as"][1], f"{what} : same_as")
        if prev == qid:
            ctx.error(m["same_as"][1], f"{what} : same_as est inutile quand l'id n'a pas changé (indiquer 'changes')")
        q.same_as = prev
    if "changes" in m:
        kinds: list[str] = []
        for kind, knode in ctx.string_list(m["changes"][1], f"{what} : changes"):
            if kind not in CHANGE_KINDS:
                ctx.error(knode, f"{what} : changement {kind!r} inconnu (permis : {', '.join(CHANGE_KINDS)})")
            else:
                kinds.append(kind)
        q.changes = tuple(kinds)
    if "feeds" in m:
        q.feeds = tuple(s for s, _ in ctx.string_list(m["feeds"][1], f"{what} : feeds"))
    if "untranslated" in m:
        langs: list[str] = []
        for lang, lnode in ctx.string_list(m["untranslated"][1], f"{what} : untranslated"):
            if lang not in ("fr", "en"):
                ctx.error(lnode, f"{what} : langue {lang!r} inconnue (fr ou en)")
            else:
                langs.append(lang)
        q.untranslated = tuple(langs)
    return q


def _repeat_fields(
    ctx: _Ctx,
    m: dict[str, tuple[Node, Node]],
    node: Node,
    q: Question,
    what: str,
    lists: dict[str, tuple[Choice, ...]],
    pending: _Pending,
) -> None:
    """The fields of a repeat group: simple questions (no expression), ids unique within the group."""
    if "fields" not in m:
        ctx.error(node, f"{what} : 'fields' obligatoire pour un groupe repeat")
        return
    fnodes = ctx.sequence(m["fields"][1], f"{what} : fields") or []
    if not fnodes:
        ctx.error(m["fields"][1], f"{what} : fields : au moins un champ est attendu")
    section = Section(q.section, Text(q.label.fr, q.label.en))
    local = _Pending()
    fields: list[Question] = []
    seen: set[str] = set()
    for i, fnode in enumerate(fnodes):
        f = _question(ctx, fnode, section, i, lists, local)
        if f is None:
            continue
        fm = ctx.mapping(fnode, "champ") or {}
        if f.type.value not in REPEAT_FIELD_TYPES:
            ctx.error(
                fm["type"][1],
                f"{what} : champ {f.id!r} : type {f.type.value!r} interdit dans un groupe repeat "
                f"(types permis : {', '.join(REPEAT_FIELD_TYPES)})",
            )
            continue
        for key in ("relevant", "constraint", "calculation"):
            if key in fm:
                ctx.error(fm[key][0], f"{what} : champ {f.id!r} : {key!r} interdit dans un groupe repeat")
        if f.id in seen:
            ctx.error(fm["id"][1], f"{what} : champ {f.id!r} en double")
            continue
        seen.add(f.id)
        fields.append(f)
    q.fields = tuple(fields)
    q.max_repeat = DEFAULT_MAX_REPEAT
    if "max_repeat" in m:
        n = ctx.integer(m["max_repeat"][1], f"{what} : max_repeat")
        if n is not None and not 1 <= n <= 50:
            ctx.error(m["max_repeat"][1], f"{what} : max_repeat doit être compris entre 1 et 50")
        elif n is not None:
            q.max_repeat = n


def _build(ctx: _Ctx, root: Node) -> Questionnaire | None:
    m = ctx.mapping(root, "questionnaire")
    if m is None:
        return None
    ctx.check_keys(m, root, TOP_KEYS, ("edition", "title", "version", "sections"), "questionnaire")
    edition = ctx.integer(m["edition"][1], "edition") if "edition" in m else None
    if edition is not None and not 2000 <= edition <= 2100:
        ctx.error(m["edition"][1], f"edition : année {edition} invraisemblable")
    kind = "authorities"
    if "kind" in m:
        kind_value = ctx.string(m["kind"][1], "kind")
        if kind_value is not None and kind_value not in SURVEY_KINDS:
            ctx.error(m["kind"][1], f"kind : {kind_value!r} inconnu (attendu : {', '.join(SURVEY_KINDS)})")
        elif kind_value is not None:
            kind = kind_value
    title = ctx.text(m["title"][1], "title") if "title" in m else None
    version = ctx.string(m["version"][1], "version") if "version" in m else None
    opens = ctx.date(m["opens"][1], "opens") if "opens" in m else None
    closes = ctx.date(m["closes"][1], "closes") if "closes" in m else None
    if opens and closes and opens > closes:
        ctx.error(m["closes"][1], f"closes ({closes}) est antérieure à opens ({opens})")
    if "description" in m:
        ctx.text(m["description"][1], "description")
    lists: dict[str, tuple[Choice, ...]] = {}
    if "choice_lists" in m:
        lm = ctx.mapping(m["choice_lists"][1], "choice_lists")
        for name, (key_node, value_node) in (lm or {}).items():
            if not IDENT_RE.fullmatch(name):
                ctx.error(key_node, f"choice_lists : nom de liste {name!r} invalide")
                continue
            if name == "oui_non_nsp":
                ctx.error(key_node, "choice_lists : 'oui_non_nsp' est réservé aux questions yes_no")
                continue
            lists[name] = _choices(ctx, value_node, f"liste {name!r}")
    sections: list[Section] = []
    pending = _Pending()
    seen_ids: dict[str, Node] = {}
    index = 0
    snodes = ctx.sequence(m["sections"][1], "sections") if "sections" in m else None
    if snodes is not None and not snodes:
        ctx.error(m["sections"][1], "sections : au moins une section est attendue")
    for snode in snodes or []:
        sm = ctx.mapping(snode, "section")
        if sm is None:
            continue
        sid = ctx.ident(sm["id"][1], "section : id") if "id" in sm else None
        what = f"section {sid!r}" if sid else "section"
        ctx.check_keys(sm, snode, SECTION_KEYS, ("id", "title", "questions"), what)
        stitle = ctx.text(sm["title"][1], f"{what} : title") if "title" in sm else None
        if sid is None or stitle is None:
            continue
        if sid in seen_ids:
            prev = seen_ids[sid].start_mark
            ctx.error(sm["id"][1], f"id {sid!r} déjà utilisé (ligne {prev.line + 1})")
            continue
        seen_ids[sid] = sm["id"][1]
        section = Section(sid, stitle, line=snode.start_mark.line + 1, column=snode.start_mark.column + 1)
        if "description" in sm:
            section.description = ctx.text(sm["description"][1], f"{what} : description")
        if "relevant" in sm:
            text = ctx.string(sm["relevant"][1], f"{what} : relevant")
            if text is not None:
                pending.items.append((None, "relevant", text, sm["relevant"][1], section))
        qnodes = ctx.sequence(sm["questions"][1], f"{what} : questions") if "questions" in sm else None
        if qnodes is not None and not qnodes:
            ctx.error(sm["questions"][1], f"{what} : au moins une question est attendue")
        for qnode in qnodes or []:
            q = _question(ctx, qnode, section, index, lists, pending)
            if q is None:
                if isinstance(qnode, MappingNode):
                    pending.broken.update(
                        str(v.value) for k, v in qnode.value if isinstance(k, ScalarNode) and k.value == "id"
                    )
                continue
            id_node = next(v for k, v in qnode.value if isinstance(k, ScalarNode) and k.value == "id")
            if q.id in seen_ids:
                prev = seen_ids[q.id].start_mark
                ctx.error(id_node, f"id {q.id!r} déjà utilisé (ligne {prev.line + 1})")
                continue
            seen_ids[q.id] = id_node
            section.questions.append(q)
            index += 1
        sections.append(section)
    if edition is None or title is None or version is None:
        return None
    qn = Questionnaire(edition, title, version, opens, closes, sections, lists, source=ctx.source, kind=kind)
    _check_expressions(ctx, qn, pending)
    _order(ctx, qn, pending)
    return qn


# --------------------------------------------------------------------------- expressions


def _expr_offset(node: Node) -> tuple[int, int]:
    """(line, column) correction to map an offset in the scalar to the file."""
    style = getattr(node, "style", None)
    return (0, 1) if style in ("'", '"') else (0, 0)


def _ref_info(q: Question, item: str | None) -> ex.RefInfo | str:
    if item is not None:
        if q.type is not QType.GRID:
            return f"${{{q.id}.{item}}} : {q.id!r} n'est pas une grille"
        if item not in q.item_ids:
            return f"item {item!r} inconnu dans la grille {q.id!r} (items : {', '.join(q.item_ids)})"
        return ex.RefInfo(ex.ExprType.STRING, frozenset(q.codes))
    if q.type is QType.REPEAT:
        return f"${{{q.id}}} : un groupe repeat ne peut pas figurer dans une expression"
    codes = frozenset(q.codes) if q.type.has_choices else None
    return ex.RefInfo(q.type.expr_type, codes)


def _check_expressions(ctx: _Ctx, qn: Questionnaire, pending: _Pending) -> None:
    ids = [q.id for q in qn.questions]
    for owner, kind, text, node, section in pending.items:
        _, col_fix = _expr_offset(node)
        where = f"question {owner.id!r}" if owner else f"section {section.id!r}"
        try:
            expr = ex.parse(text)
        except ex.ExpressionError as exc:
            ctx.error(node, f"{where} : {kind} : {exc.message}", exc.offset + col_fix)
            continue
        limit = owner.index if owner else (section.questions[0].index if section.questions else len(ids))

        def resolve(
            ref: ex.Ref, kind: str = kind, limit: int = limit, owner: Question | None = owner
        ) -> ex.RefInfo | str:
            target = qn.get(ref.name)
            if target is None and ref.name in pending.broken:
                raise _Skip("", ref.pos)
            if target is None:
                close = difflib.get_close_matches(ref.name, ids, n=1)
                hint = f" (vouliez-vous dire ${{{close[0]}}} ?)" if close else ""
                return f"question inconnue ${{{ref.name}}}{hint}"
            if kind == "relevant" and target.index >= limit and target.type is not QType.CALCULATE:
                if owner is not None and target.id == owner.id:
                    return f"la pertinence de {owner.id!r} ne peut pas dépendre de sa propre réponse"
                return (
                    f"${{{ref.name}}} est posée plus loin : la pertinence ne peut dépendre "
                    "que des questions précédentes"
                )
            return _ref_info(target, ref.item)

        current: ex.RefInfo | None = None
        if kind == "constraint" and owner is not None:
            if owner.type is QType.GRID:
                ctx.error(node, f"{where} : une grille ne peut pas avoir de contrainte sur « . »")
                continue
            info = _ref_info(owner, None)
            current = info if isinstance(info, ex.RefInfo) else None
        try:
            result = ex.check(expr, resolve, current)
        except _Skip:
            continue
        except ex.ExpressionError as exc:
            ctx.error(node, f"{where} : {kind} : {exc.message}", exc.offset + col_fix)
            continue
        wanted = ex.ExprType.NUMBER if kind == "calculation" else ex.ExprType.BOOL
        if result is not wanted:
            ctx.error(node, f"{where} : {kind} doit donner un {wanted.value}, pas un {result.value}")
            continue
        if owner is None:
            section.relevant = expr
        else:
            setattr(owner, kind, expr)


def _order(ctx: _Ctx, qn: Questionnaire, pending: _Pending) -> None:
    """Topological order of evaluation; report dependency cycles."""
    nodes_of: dict[str, Node] = {}
    for owner, kind, _text, node, _section in pending.items:
        if owner is not None and kind in ("relevant", "calculation"):
            nodes_of.setdefault(owner.id, node)
    deps: dict[str, list[str]] = {}
    for s in qn.sections:
        section_refs = [r.name for r in ex.references(s.relevant)] if s.relevant else []
        for q in s.questions:
            refs = list(section_refs)
            for expr in (q.relevant, q.calculation):
                if expr is not None:
                    refs.extend(r.name for r in ex.references(expr))
            deps[q.id] = [r for r in dict.fromkeys(refs) if r in qn]
    order: list[str] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done
    reported: set[frozenset[str]] = set()

    def visit(qid: str, path: list[str]) -> None:
        st = state.get(qid)
        if st == 2:
            return
        if st == 1:
            cycle = [*path[path.index(qid) :], qid]
            key = frozenset(cycle)
            if key not in reported:
                reported.add(key)
                node = nodes_of.get(cycle[0])
                q = qn.question(cycle[0])
                message = f"dépendance circulaire : {' → '.join(cycle)}"
                if node is not None:
                    ctx.error(node, f"question {q.id!r} : {message}")
                else:
                    ctx.issues.append(Issue(ctx.source, q.line, q.column, message))
            return
        state[qid] = 1
        path.append(qid)
        for dep in deps.get(qid, ()):
            visit(dep, path)
        path.pop()
        state[qid] = 2
        order.append(qid)

    for q in qn.questions:
        visit(q.id, [])
    qn.eval_order = tuple(order)


# --------------------------------------------------------------------------- entry points


def _parse(text: str, source: str) -> tuple[Questionnaire | None, list[Issue]]:
    ctx = _Ctx(source)
    try:
        root = yamlfile.compose(text, source)
    except YamlError as exc:
        return None, [Issue(source, exc.line, exc.column, exc.message)]
    if root is None:
        return None, [Issue(source, 1, 1, "fichier vide")]
    qn = _build(ctx, root)
    ctx.issues.sort(key=lambda i: (i.line, i.column))
    return (qn if not ctx.issues else None), ctx.issues


def check_text(text: str, source: str = "<texte>") -> list[Issue]:
    """Every problem of a questionnaire text (empty list: valid)."""
    return _parse(text, source)[1]


def loads(text: str, source: str = "<texte>") -> Questionnaire:
    """Load a questionnaire from YAML text; raise QuestionnaireInvalid listing every problem."""
    qn, issues = _parse(text, source)
    if issues or qn is None:
        raise QuestionnaireInvalid(issues or [Issue(source, 1, 1, "questionnaire invalide")])
    return qn


def _read(path: Path) -> str:
    try:
        return yamlfile.read_text(path, str(path))
    except FileNotFoundError:
        raise NotFound(f"fichier introuvable : {path}") from None
    except YamlError as exc:
        raise QuestionnaireInvalid([Issue(str(path), exc.line, exc.column, exc.problem)]) from None


def load(path: str | Path) -> Questionnaire:
    path = Path(path)
    return loads(_read(path), str(path))


def check_file(path: str | Path) -> list[Issue]:
    path = Path(path)
    try:
        text = _read(path)
    except QuestionnaireInvalid as exc:
        return exc.issues
    except NotFound:
        return [Issue(str(path), 1, 1, "fichier introuvable")]
    except OSError as exc:
        return [Issue(str(path), 1, 1, f"lecture impossible ({exc.strerror})")]
    return check_text(text, str(path))


def edition_path(edition: int, directory: Path | None = None) -> Path:
    return (directory or QUESTIONNAIRES_DIR) / f"{edition}.yaml"


def available_editions(directory: Path | None = None) -> list[int]:
    d = directory or QUESTIONNAIRES_DIR
    return sorted(int(p.stem) for p in d.glob("*.yaml") if p.stem.isdigit())


_cache: dict[tuple[Path, float], Questionnaire] = {}


def load_edition(edition: int, directory: Path | None = None) -> Questionnaire:
    """The questionnaire of ``edition`` (``questionnaires/<edition>.yaml``), cached by mtime."""
    path = edition_path(edition, directory)
    if not path.exists():
        editions = ", ".join(str(e) for e in available_editions(directory)) or "aucune"
        raise NotFound(f"pas de questionnaire pour l'édition {edition} (éditions : {editions})")
    key = (path.resolve(), path.stat().st_mtime)
    qn = _cache.get(key)
    if qn is None:
        qn = load(path)
        if qn.edition != edition:
            raise QuestionnaireInvalid([Issue(str(path), 1, 1, f"edition {qn.edition} ≠ nom de fichier {edition}")])
        _cache[key] = qn
    return qn
