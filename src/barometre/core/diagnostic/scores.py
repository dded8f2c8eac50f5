"""Maturity scores (data, IA, cybersécurité, overall) from an authority's answers.

The grid is data: ``data/maturity_grid.yaml`` says which answer (question id, grid
row, choice code) earns how many points, the caps, the levels and their bounds.
At load it is checked against the questionnaire of its ``edition``: an unknown
question, row or code → :class:`DiagnosticError` located ``data/maturity_grid.yaml:LINE``.

Computation (exact, with fractions):

* an item earns the points of the code given (single choice, yes/no, one grid row);
  for a multiple choice or a whole grid, the points of every code given are summed,
  then capped by ``cap``; unanswered, hidden or unlisted codes earn 0;
* an item's maximum is what the best answer can earn (exclusive codes of a multiple
  choice cannot be combined), capped;
* theme score = 100 × earned / maximum, rounded to the nearest integer, halves up;
* overall = mean of the (rounded) theme scores named by ``overall.themes``, rounded the same way;
* level = the last level whose ``min`` is ≤ the (rounded) score.

``answers`` are in the questionnaire's representation (``validate_answers(...).cleaned``):
relevance is not re-applied here.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from barometre.core.diagnostic._data import display_path, line_of, load_yaml
from barometre.core.diagnostic._refs import check_reference
from barometre.core.errors import DiagnosticError
from barometre.core.paths import DATA_DIR
from barometre.core.questionnaire import QType, Question, Questionnaire, Text, load_edition

GRID_FILE = DATA_DIR / "maturity_grid.yaml"
LANGS = ("fr", "en")
#: How many unearned items ``what_would_raise_most`` lists.
TOP_SUGGESTIONS = 3
_CHOICE_TYPES = (QType.SELECT_ONE, QType.SELECT_MULTIPLE, QType.YES_NO, QType.GRID)
_ITEM_KEYS = {"question", "item", "points", "cap", "action"}


@dataclass(frozen=True)
class Level:
    id: str
    min: int
    label: Text

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "min": self.min, "label": _text_dict(self.label)}


@dataclass(frozen=True)
class GridItem:
    """One scored answer: a question (or one row of a grid) with its points per code."""

    question: str
    item: str | None  # grid row; None on a grid = every row
    points: Mapping[str, int]
    cap: int | None
    action: Text
    label: Text  # question label, or the row's label for a grid row
    max_points: int
    choice_labels: Mapping[str, Text]
    location: str
    is_grid: bool = False

    @property
    def id(self) -> str:
        return f"{self.question}.{self.item}" if self.item else self.question


@dataclass(frozen=True)
class Theme:
    id: str
    label: Text
    items: tuple[GridItem, ...]

    @property
    def max_points(self) -> int:
        return sum(i.max_points for i in self.items)


@dataclass(frozen=True)
class MaturityGrid:
    edition: int
    levels: tuple[Level, ...]
    themes: tuple[Theme, ...]
    overall_themes: tuple[str, ...]
    overall_label: Text
    source: str

    def theme(self, theme_id: str) -> Theme:
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise DiagnosticError(f"thème inconnu « {theme_id} »")

    def level_for(self, score: int) -> Level:
        chosen = self.levels[0]
        for level in self.levels:
            if score >= level.min:
                chosen = level
        return chosen


@dataclass(frozen=True)
class AnswerPart:
    code: str
    label: Text
    points: int

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "label": _text_dict(self.label), "points": self.points}


@dataclass(frozen=True)
class CountedItem:
    """An item that earned points, with the answer that earned them."""

    id: str
    question: str
    item: str | None
    label: Text
    answer: tuple[AnswerPart, ...]  # the codes given that earn points (row id prefixes the code for a whole grid)
    points: int  # after the cap
    max_points: int
    capped: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "question": self.question,
            "item": self.item,
            "label": _text_dict(self.label),
            "answer": [a.to_dict() for a in self.answer],
            "points": self.points,
            "max_points": self.max_points,
            "capped": self.capped,
        }


@dataclass(frozen=True)
class Suggestion:
    """An item whose points were not (all) earned, and what to do about it."""

    id: str
    question: str
    item: str | None
    label: Text
    action: Text
    points: int  # unearned points of the item
    score_gain: float  # what they would add to the theme's 0–100 score (before rounding)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "question": self.question,
            "item": self.item,
            "label": _text_dict(self.label),
            "action": _text_dict(self.action),
            "points": self.points,
            "score_gain": self.score_gain,
        }


@dataclass(frozen=True)
class ThemeScore:
    id: str
    label: Text
    score: int  # 0–100
    level: Level
    points: int
    max_points: int
    what_counted: tuple[CountedItem, ...]
    what_would_raise_most: tuple[Suggestion, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": _text_dict(self.label),
            "score": self.score,
            "level": self.level.to_dict(),
            "points": self.points,
            "max_points": self.max_points,
            "what_counted": [c.to_dict() for c in self.what_counted],
            "what_would_raise_most": [s.to_dict() for s in self.what_would_raise_most],
        }


@dataclass(frozen=True)
class Scores:
    themes: Mapping[str, ThemeScore]
    overall: int
    overall_level: Level
    overall_label: Text
    overall_themes: tuple[str, ...]
    levels: tuple[Level, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "overall": {
                "label": _text_dict(self.overall_label),
                "score": self.overall,
                "level": self.overall_level.to_dict(),
                "method": "mean",
                "themes": list(self.overall_themes),
            },
            "themes": [t.to_dict() for t in self.themes.values()],
            "levels": [lv.to_dict() for lv in self.levels],
        }


def _text_dict(text: Text) -> dict[str, str]:
    return {"fr": text.fr, "en": text.en}


def round_half_up(x: Fraction) -> int:
    """Nearest integer, halves rounded up (not Python's banker's rounding)."""
    return math.floor(x + Fraction(1, 2))


# ---------------------------------------------------------------- loading


def _where(source: str, obj: Any, key: Any = None, fallback: str = "") -> str:
    line = line_of(obj, key)
    return f"{source}:{line}" if line is not None else (f"{source}:{fallback}" if fallback else source)


def _text(raw: Any, where: str, what: str) -> Text:
    if not isinstance(raw, Mapping) or not all(isinstance(raw.get(lang), str) and raw[lang].strip() for lang in LANGS):
        raise DiagnosticError(f"{what} : texte {{fr, en}} attendu", location=where)
    return Text(" ".join(raw["fr"].split()), " ".join(raw["en"].split()))


def _int(raw: Any, where: str, what: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise DiagnosticError(f"{what} : entier positif ou nul attendu, reçu « {raw} »", location=where)
    return raw


def _max_points(q: Question, item: str | None, points: Mapping[str, int], cap: int | None) -> int:
    if q.type is QType.SELECT_MULTIPLE:
        exclusive = q.exclusive_codes
        together = sum(p for c, p in points.items() if c not in exclusive)
        alone = max((p for c, p in points.items() if c in exclusive), default=0)
        best = max(together, alone)
    elif q.type is QType.GRID and item is None:
        best = len(q.items) * max(points.values(), default=0)
    else:
        best = max(points.values(), default=0)
    return min(best, cap) if cap is not None else best


def _parse_item(raw: Any, qn: Questionnaire, source: str, fallback: str) -> GridItem:
    where = _where(source, raw, None, fallback)
    if not isinstance(raw, Mapping):
        raise DiagnosticError("un item doit être un dictionnaire", location=where)
    unknown = sorted(set(raw) - _ITEM_KEYS)
    if unknown:
        raise DiagnosticError(
            f"clé(s) inconnue(s) {unknown} (attendu : {', '.join(sorted(_ITEM_KEYS))})", location=where
        )
    qid = raw.get("question")
    if not isinstance(qid, str):
        raise DiagnosticError("« question » manquant", location=where)
    item = raw.get("item")
    q = check_reference(
        qn, qid, item=None, codes=(), where=_where(source, raw, "question", fallback), types=_CHOICE_TYPES
    )
    if item is not None:
        check_reference(qn, qid, item=str(item), codes=(), where=_where(source, raw, "item", fallback))
    raw_points = raw.get("points")
    if not isinstance(raw_points, Mapping) or not raw_points:
        raise DiagnosticError(f"« {qid} » : « points » (code → points) manquant", location=where)
    points: dict[str, int] = {}
    for code, value in raw_points.items():
        code_where = _where(source, raw_points, code, fallback)
        if not isinstance(code, str):  # e.g. an unquoted yes/no read as a boolean
            raise DiagnosticError(f"« {qid} » : code « {code} » à écrire entre guillemets", location=code_where)
        check_reference(qn, qid, item=None, codes=(code,), where=code_where)
        points[code] = _int(value, code_where, f"« {qid} » : points de « {code} »")
    cap = None if raw.get("cap") is None else _int(raw["cap"], _where(source, raw, "cap", fallback), "cap")
    if cap is not None and q.type is not QType.SELECT_MULTIPLE and not (q.type is QType.GRID and item is None):
        raise DiagnosticError(
            f"« {qid} » : « cap » ne s'applique qu'à un choix multiple ou à une grille entière", location=where
        )
    action = _text(raw.get("action"), _where(source, raw, "action", fallback), f"« {qid} » : action")
    label = q.label
    if item is not None:
        label = next(r.label for r in q.items if r.id == item)
    return GridItem(
        question=qid,
        item=None if item is None else str(item),
        points=points,
        cap=cap,
        action=action,
        label=label,
        max_points=_max_points(q, None if item is None else str(item), points, cap),
        choice_labels={c.code: c.label for c in q.choices},
        location=where,
        is_grid=q.type is QType.GRID,
    )


def parse_grid(
    data: Any, questionnaire: Questionnaire | None = None, source: str = "maturity_grid.yaml"
) -> MaturityGrid:
    """The grid in ``data`` (a parsed YAML), checked against ``questionnaire`` (default: its edition's)."""
    if not isinstance(data, Mapping):
        raise DiagnosticError("la grille doit être un dictionnaire", location=source)
    try:
        edition = int(data["edition"])
    except (KeyError, TypeError, ValueError):
        raise DiagnosticError("« edition » (année du questionnaire) manquante", location=source) from None
    qn = questionnaire if questionnaire is not None else load_edition(edition)
    if data.get("scale", 100) != 100 or data.get("rounding", "half_up") != "half_up":
        raise DiagnosticError("seuls « scale: 100 » et « rounding: half_up » sont pris en charge", location=source)

    raw_levels = data.get("levels")
    if not isinstance(raw_levels, list) or not raw_levels:
        raise DiagnosticError("« levels » manquant", location=_where(source, data, "levels"))
    levels: list[Level] = []
    for i, lv in enumerate(raw_levels):
        where = _where(source, lv, None, f"levels[{i}]")
        if not isinstance(lv, Mapping) or not isinstance(lv.get("id"), str):
            raise DiagnosticError("un niveau donne « id », « min » et « label »", location=where)
        levels.append(Level(lv["id"], _int(lv.get("min"), where, "min"), _text(lv.get("label"), where, "label")))
    if levels[0].min != 0 or any(a.min >= b.min for a, b in itertools.pairwise(levels)):
        raise DiagnosticError(
            "les bornes des niveaux doivent partir de 0 et croître", location=_where(source, data, "levels")
        )
    if levels[-1].min > 100:
        raise DiagnosticError("borne de niveau au-delà de 100", location=_where(source, data, "levels"))

    themes: list[Theme] = []
    raw_themes = data.get("themes")
    if not isinstance(raw_themes, list) or not raw_themes:
        raise DiagnosticError("« themes » manquant", location=_where(source, data, "themes"))
    for i, th in enumerate(raw_themes):
        where = _where(source, th, None, f"themes[{i}]")
        if not isinstance(th, Mapping) or not isinstance(th.get("id"), str) or not isinstance(th.get("items"), list):
            raise DiagnosticError("un thème donne « id », « label » et « items »", location=where)
        items = tuple(_parse_item(it, qn, source, f"themes[{i}].items[{j}]") for j, it in enumerate(th["items"]))
        seen: set[str] = set()
        for it in items:
            if it.id in seen:
                raise DiagnosticError(f"item « {it.id} » compté deux fois dans « {th['id']} »", location=it.location)
            seen.add(it.id)
        theme = Theme(th["id"], _text(th.get("label"), where, "label"), items)
        if theme.max_points <= 0:
            raise DiagnosticError(f"thème « {theme.id} » sans aucun point à gagner", location=where)
        themes.append(theme)

    raw_overall = data.get("overall")
    o_where = _where(source, data, "overall")
    if not isinstance(raw_overall, Mapping) or raw_overall.get("method") != "mean":
        raise DiagnosticError("« overall.method » : seule « mean » est prise en charge", location=o_where)
    overall_themes = tuple(str(t) for t in raw_overall.get("themes") or ())
    unknown = [t for t in overall_themes if t not in {th.id for th in themes}]
    if not overall_themes or unknown:
        raise DiagnosticError(f"« overall.themes » : thèmes inconnus ou absents {unknown}", location=o_where)
    return MaturityGrid(
        edition, tuple(levels), tuple(themes), overall_themes, _text(raw_overall.get("label"), o_where, "label"), source
    )


@functools.cache
def _load_cached(path: Path) -> MaturityGrid:
    return parse_grid(load_yaml(path, "grille de maturité"), source=display_path(path))


def load_grid(path: Path | None = None, questionnaire: Questionnaire | None = None) -> MaturityGrid:
    """The maturity grid (default ``data/maturity_grid.yaml``), checked against its edition's questionnaire."""
    if questionnaire is not None:
        p = path or GRID_FILE
        return parse_grid(load_yaml(p, "grille de maturité"), questionnaire, display_path(p))
    return _load_cached((path or GRID_FILE).resolve())


# ---------------------------------------------------------------- scoring


def _codes(raw: Any, qid: str) -> list[str]:
    if raw is None or raw == "":
        return []
    if isinstance(raw, bool):
        return ["oui" if raw else "non"]
    if isinstance(raw, (list, tuple)):
        return [str(c) for c in raw]
    if isinstance(raw, str):
        return raw.split()
    raise DiagnosticError(f"réponse « {qid} » : code attendu, reçu « {raw} »")


def _check_code(code: str, item: GridItem, qid: str) -> None:
    if code not in item.choice_labels:
        raise DiagnosticError(
            f"réponse « {qid} » : valeur « {code} » inconnue (attendu : {', '.join(item.choice_labels)})"
        )


def _earned(item: GridItem, answers: Mapping[str, Any]) -> tuple[int, tuple[AnswerPart, ...], bool]:
    raw = answers.get(item.question)
    given: list[tuple[str, str]] = []  # (code, display code)
    if item.is_grid:
        raw = {} if raw is None or raw == "" else raw
        if not isinstance(raw, Mapping):
            raise DiagnosticError(f"réponse « {item.question} » : une grille attend un dictionnaire ligne → code")
        rows = [item.item] if item.item is not None else list(raw)
        for row in rows:
            for code in _codes(raw.get(row), f"{item.question}.{row}"):
                given.append((code, code if item.item is not None else f"{row}:{code}"))
    else:
        given = [(c, c) for c in _codes(raw, item.question)]
    parts: list[AnswerPart] = []
    for code, shown in given:
        _check_code(code, item, item.id)
        pts = item.points.get(code, 0)
        if pts:
            parts.append(AnswerPart(shown, item.choice_labels[code], pts))
    total = sum(p.points for p in parts)
    capped = item.cap is not None and total > item.cap
    return (min(total, item.cap) if item.cap is not None else total), tuple(parts), capped


def score_theme(theme: Theme, answers: Mapping[str, Any], grid: MaturityGrid, top: int = TOP_SUGGESTIONS) -> ThemeScore:
    counted: list[CountedItem] = []
    missed: list[tuple[int, int, GridItem]] = []
    earned_total = 0
    for order, item in enumerate(theme.items):
        earned, parts, capped = _earned(item, answers)
        earned_total += earned
        if earned > 0:
            counted.append(
                CountedItem(item.id, item.question, item.item, item.label, parts, earned, item.max_points, capped)
            )
        if earned < item.max_points:
            missed.append((item.max_points - earned, order, item))
    max_total = theme.max_points
    score = round_half_up(Fraction(100 * earned_total, max_total))
    missed.sort(key=lambda m: (-m[0], m[1]))
    suggestions = tuple(
        Suggestion(item.id, item.question, item.item, item.label, item.action, gap, round(100 * gap / max_total, 1))
        for gap, _, item in missed[:top]
    )
    return ThemeScore(
        theme.id, theme.label, score, grid.level_for(score), earned_total, max_total, tuple(counted), suggestions
    )


def score_answers(answers: Mapping[str, Any], grid: MaturityGrid | None = None) -> Scores:
    """Scores of each theme and overall for these answers (see the module docstring for the rules)."""
    g = grid or load_grid()
    themes = {t.id: score_theme(t, answers, g) for t in g.themes}
    overall = round_half_up(Fraction(sum(themes[t].score for t in g.overall_themes), len(g.overall_themes)))
    return Scores(themes, overall, g.level_for(overall), g.overall_label, g.overall_themes, g.levels)


def best_answers(grid: MaturityGrid | None = None, questionnaire: Questionnaire | None = None) -> dict[str, Any]:
    """Answers earning every point of the grid (used by the tests and the documentation)."""
    g = grid or load_grid()
    qn = questionnaire or load_edition(g.edition)
    out: dict[str, Any] = {}
    for theme in g.themes:
        for item in theme.items:
            q = qn.question(item.question)
            best = max(item.points, key=lambda c: item.points[c])
            if q.type is QType.GRID:
                rows = out.setdefault(item.question, {})
                for row in [item.item] if item.item else list(q.item_ids):
                    rows[row] = best
            elif q.type is QType.SELECT_MULTIPLE:
                out[item.question] = [c for c in q.codes if item.points.get(c, 0) > 0 and c not in q.exclusive_codes]
            else:
                out[item.question] = best
    return out


__all__: Sequence[str] = (
    "GRID_FILE",
    "AnswerPart",
    "CountedItem",
    "GridItem",
    "Level",
    "MaturityGrid",
    "Scores",
    "Suggestion",
    "Theme",
    "ThemeScore",
    "best_answers",
    "load_grid",
    "parse_grid",
    "round_half_up",
    "score_answers",
    "score_theme",
)
