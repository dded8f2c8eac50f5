"""Cyber action plan: ordered actions from an authority's cyber answers.

``data/cyber_actions.yaml`` is the single place naming questionnaire ids and codes:
its ``answers`` block defines the plan's *signals* (``offline_backups``, ``mfa``,
``it_staff``...), each read from the 2025 questionnaire (``sources``: question id,
grid row, code → value), and the ordered ``actions`` trigger on signal values only.
At load the mapping is checked against the questionnaire of the file's ``edition``
(unknown question, row or code, or a questionnaire code the mapping forgets →
:class:`DiagnosticError` located ``cyber_actions.yaml:LINE``).

* A missing answer counts as ``unknown``: the action is proposed and its reason says
  the answer is missing.
* ``under_attack`` is not asked by the questionnaire (``cyber_attaque`` is about past
  attacks): the caller passes it (``under_attack=True``), e.g. from a question on the
  web page.
* A signal with ``sources: []`` is not asked in this edition (``updates``): its actions
  cannot be decided and are listed under ``to_check`` by :func:`action_plan_report`.
* ``it_staff: none`` selects the first step doable without IT staff.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from barometre.core.diagnostic._data import display_path, line_of, load_yaml, localized
from barometre.core.diagnostic._refs import check_reference
from barometre.core.diagnostic.profile import AuthorityProfile
from barometre.core.errors import DiagnosticError
from barometre.core.paths import DATA_DIR
from barometre.core.questionnaire import QType, Questionnaire, load_edition
from barometre.core.wording import action_plan as wording

ACTIONS_FILE = DATA_DIR / "cyber_actions.yaml"
UNKNOWN = "unknown"
LANGS: tuple[str, ...] = ("fr", "en")
_CHOICE_TYPES = (QType.SELECT_ONE, QType.SELECT_MULTIPLE, QType.YES_NO, QType.GRID)
_NUMBER_TYPES = (QType.INTEGER, QType.DECIMAL, QType.MONEY, QType.PERCENTAGE, QType.SCALE, QType.CALCULATE)


def _code(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


@dataclass(frozen=True)
class Source:
    """Where a signal is read: a question (and grid row), with its code → value map or number ranges."""

    answer: str
    item: str | None
    codes: Mapping[str, str]  # questionnaire code → signal value; order = priority for multiple choice
    ranges: tuple[tuple[float | None, float | None, str], ...]  # (min, max, value), bounds included
    location: str

    @property
    def ref(self) -> str:
        return f"{self.answer}.{self.item}" if self.item else self.answer


@dataclass(frozen=True)
class Signal:
    """One input of the plan (``offline_backups``...) and how to read it from the answers."""

    id: str
    question: str
    values: tuple[str, ...]
    sources: tuple[Source, ...]
    input: bool  # passed by the caller, not read from the questionnaire
    location: str

    @property
    def asked(self) -> bool:
        return self.input or bool(self.sources)


@dataclass(frozen=True)
class Resource:
    id: str
    title: str
    url: str


@dataclass(frozen=True)
class Action:
    id: str
    title: str
    when: Mapping[str, tuple[str, ...]]
    anssi_measures: tuple[int, ...]
    resources: tuple[str, ...]
    why: str
    first_step: Mapping[str, str]  # "default", optionally "none", "provider", "internal", "mutualised"


@dataclass(frozen=True)
class ActionCatalogue:
    signals: Mapping[str, Signal]
    actions: tuple[Action, ...]
    anssi_measures: Mapping[int, str]
    resources: Mapping[str, Resource]
    references: Mapping[str, Mapping[str, str]]
    edition: int | None = None
    source: str = "cyber_actions.yaml"

    @property
    def answers(self) -> Mapping[str, tuple[str, ...]]:
        """Signal id → its possible values."""
        return {k: s.values for k, s in self.signals.items()}

    @property
    def questions(self) -> Mapping[str, str]:
        return {k: s.question for k, s in self.signals.items()}

    def sources(self) -> Iterator[Source]:
        for s in self.signals.values():
            yield from s.sources


@dataclass(frozen=True)
class PlannedAction:
    rank: int
    id: str
    title: str
    #: the catalogue's reason followed by the sentences of ``notes`` (worded in ``core/wording``)
    why: str
    first_step: str
    anssi_measures: tuple[tuple[int, str], ...]
    resources: tuple[Resource, ...]
    triggered_by: Mapping[str, str]
    #: codes of what the code adds to the reason: ``precaution`` (the answers that trigger it are
    #: missing), ``shared`` (a commune without IT staff: pooled resources first)
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "id": self.id,
            "title": self.title,
            "why": self.why,
            "first_step": self.first_step,
            "anssi_measures": [{"number": n, "title": t} for n, t in self.anssi_measures],
            "resources": [{"id": r.id, "title": r.title, "url": r.url} for r in self.resources],
            "triggered_by": dict(self.triggered_by),
            "notes": list(self.notes),
        }


def _text(value: Any) -> str:
    return " ".join(str(value).split())


def _tr(raw: Mapping[str, Any], key: str, lang: str) -> Any:
    """``raw[key]`` in ``lang`` (a ``{fr, en}`` pair, or one text for both)."""
    return localized(raw[key], lang)


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise DiagnosticError(f"langue « {lang} » non prise en charge (attendu : {', '.join(LANGS)})")


def _where(source: str, obj: Any, key: Any = None, fallback: str = "") -> str:
    line = line_of(obj, key)
    return f"{source}:{line}" if line is not None else (f"{source}:{fallback}" if fallback else source)


def _parse_source(raw: Any, values: tuple[str, ...], where: str) -> Source:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("answer"), str):
        raise DiagnosticError("une source doit donner « answer » (id de question)", location=where)
    unknown = set(raw) - {"answer", "item", "codes", "ranges"}
    if unknown:
        raise DiagnosticError(f"clé(s) inconnue(s) {sorted(unknown)} dans une source", location=where)
    codes = {str(k): _code(v) for k, v in (raw.get("codes") or {}).items()}
    ranges: list[tuple[float | None, float | None, str]] = []
    for r in raw.get("ranges") or ():
        lo, hi = r.get("min"), r.get("max")
        ranges.append((None if lo is None else float(lo), None if hi is None else float(hi), _code(r["value"])))
    if bool(codes) == bool(ranges):
        raise DiagnosticError("une source donne soit « codes », soit « ranges »", location=where)
    bad = sorted((set(codes.values()) | {v for *_, v in ranges}) - set(values))
    if bad:
        raise DiagnosticError(f"valeur(s) {bad} absente(s) de « values » ({', '.join(values)})", location=where)
    item = raw.get("item")
    return Source(str(raw["answer"]), None if item is None else str(item), codes, tuple(ranges), where)


def _parse_signals(raw_answers: Any, source: str) -> dict[str, Signal]:
    signals: dict[str, Signal] = {}
    for key, spec in raw_answers.items():
        where = _where(source, raw_answers, key, f"answers.{key}")
        values = tuple(_code(v) for v in spec["values"])
        is_input = bool(spec.get("input", False))
        raw_sources = spec.get("sources")
        if raw_sources is None and not is_input:
            raise DiagnosticError(
                f"« {key} » : donner « sources » (liste, vide si non demandé) ou « input: true »", location=where
            )
        sources = tuple(
            _parse_source(s, values, _where(source, s, None, f"answers.{key}.sources[{i}]"))
            for i, s in enumerate(raw_sources or ())
        )
        signals[str(key)] = Signal(str(key), _text(spec["question"]), values, sources, is_input, where)
    return signals


def parse_catalogue(
    data: Any, source: str = "cyber_actions.yaml", questionnaire: Questionnaire | None = None, lang: str = "fr"
) -> ActionCatalogue:
    """The catalogue in ``data``; with ``questionnaire``, its mapping is checked against it.

    Texts in ``lang``: each is a ``{fr, en}`` pair, or one text for both."""
    if not isinstance(data, Mapping) or not isinstance(data.get("actions"), list):
        raise DiagnosticError("le fichier doit contenir une liste « actions »", location=source)
    try:
        signals = _parse_signals(data["answers"], source)
        measures = {int(k): _text(localized(v, lang)) for k, v in data["anssi_measures"].items()}
        resources = {
            str(k): Resource(str(k), _text(_tr(v, "title", lang)), str(v["url"])) for k, v in data["resources"].items()
        }
        actions: list[Action] = []
        for i, raw in enumerate(data["actions"]):
            where = _where(source, raw, None, f"actions[{i}]")
            when = {str(k): tuple(_code(v) for v in vals) for k, vals in raw["when"].items()}
            for k, vals in when.items():
                if k not in signals:
                    raise DiagnosticError(f"réponse inconnue « {k} » dans « when »", location=where)
                bad = [v for v in vals if v not in signals[k].values]
                if bad:
                    raise DiagnosticError(f"« {k} » : valeurs inconnues {bad}", location=where)
            for n in raw["anssi_measures"]:
                if int(n) not in measures:
                    raise DiagnosticError(f"mesure ANSSI {n} absente de « anssi_measures »", location=where)
            for r in raw["resources"]:
                if str(r) not in resources:
                    raise DiagnosticError(f"ressource « {r} » absente de « resources »", location=where)
            first_step = {str(k): _text(localized(v, lang)) for k, v in raw["first_step"].items()}
            if "default" not in first_step:
                raise DiagnosticError("« first_step.default » manquant", location=where)
            actions.append(
                Action(
                    id=str(raw["id"]),
                    title=_text(_tr(raw, "title", lang)),
                    when=when,
                    anssi_measures=tuple(int(n) for n in raw["anssi_measures"]),
                    resources=tuple(str(r) for r in raw["resources"]),
                    why=_text(_tr(raw, "why", lang)),
                    first_step=first_step,
                )
            )
        references = {
            str(k): {str(kk): str(localized(vv, lang)) for kk, vv in v.items()}
            for k, v in (data.get("references") or {}).items()
        }
        edition = int(data["edition"]) if data.get("edition") is not None else None
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise DiagnosticError(f"catalogue d'actions mal formé ({exc!r})", location=source) from None
    catalogue = ActionCatalogue(signals, tuple(actions), measures, resources, references, edition, source)
    if questionnaire is not None:
        check_catalogue(catalogue, questionnaire)
    return catalogue


def check_catalogue(catalogue: ActionCatalogue, questionnaire: Questionnaire) -> None:
    """Every question, grid row and code the mapping names exists in ``questionnaire``, and every code of a
    mapped question is mapped (so a renamed question or a new code breaks loading and the tests)."""
    for src in catalogue.sources():
        if src.codes:
            q = check_reference(
                questionnaire, src.answer, item=src.item, codes=src.codes, where=src.location, types=_CHOICE_TYPES
            )
            if q.type is QType.GRID and src.item is None:
                raise DiagnosticError(f"« {src.answer} » est une grille : préciser « item »", location=src.location)
            forgotten = [c for c in q.codes if c not in src.codes]
            if forgotten:
                raise DiagnosticError(
                    f"« {src.ref} » : code(s) {', '.join(forgotten)} du questionnaire non pris en compte",
                    location=src.location,
                )
        else:
            check_reference(questionnaire, src.answer, item=None, codes=(), where=src.location, types=_NUMBER_TYPES)


@functools.cache
def _load_cached(path: Path, lang: str = "fr") -> ActionCatalogue:
    data = load_yaml(path, "catalogue d'actions")
    catalogue = parse_catalogue(data, display_path(path), lang=lang)
    if catalogue.edition is not None:
        check_catalogue(catalogue, load_edition(catalogue.edition))
    return catalogue


def load_catalogue(path: Path | None = None, lang: str = "fr") -> ActionCatalogue:
    """The catalogue (cached per path and language), texts in ``lang``."""
    _check_lang(lang)
    return _load_cached((path or ACTIONS_FILE).resolve(), lang)


def _raw_answer(answers: Mapping[str, Any], src: Source) -> Any:
    raw = answers.get(src.answer)
    if src.item is None or raw is None:
        return raw
    if not isinstance(raw, Mapping):
        raise DiagnosticError(f"réponse « {src.answer} » : une grille attend un dictionnaire ligne → code")
    return raw.get(src.item)


def _empty(raw: Any) -> bool:
    return raw is None or raw == "" or (isinstance(raw, (list, tuple, dict)) and not raw)


def _read_source(src: Source, raw: Any) -> str:
    if src.ranges:
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise DiagnosticError(f"réponse « {src.ref} » : nombre attendu, reçu « {raw} »")
        for lo, hi, value in src.ranges:
            if (lo is None or raw >= lo) and (hi is None or raw <= hi):
                return value
        raise DiagnosticError(f"réponse « {src.ref} » : valeur {raw} hors des bornes prévues")
    given = [str(c) for c in raw] if isinstance(raw, (list, tuple)) else _code(raw).split()
    bad = [c for c in given if c not in src.codes]
    if bad:
        raise DiagnosticError(
            f"réponse « {src.ref} » : valeur « {' '.join(bad)} » inconnue (attendu : {', '.join(src.codes)})"
        )
    for code, value in src.codes.items():  # multiple choice: the first listed code ticked wins
        if code in given:
            return value
    raise AssertionError("unreachable")  # pragma: no cover


def read_signals(
    answers: Mapping[str, Any], catalogue: ActionCatalogue, *, under_attack: bool | None = None
) -> tuple[dict[str, str], frozenset[str]]:
    """(signal → value, signals without any answer). Missing answers → ``unknown`` (when allowed) or ``""``."""
    out: dict[str, str] = {}
    missing: set[str] = set()
    for key, signal in catalogue.signals.items():
        value: str | None = None
        if signal.input:
            value = None if under_attack is None else _code(under_attack)
        for src in signal.sources:
            raw = _raw_answer(answers, src)
            if not _empty(raw):
                value = _read_source(src, raw)
                break
        if value is None:
            missing.add(key)
            value = UNKNOWN if UNKNOWN in signal.values else ""
        elif value not in signal.values:
            raise DiagnosticError(f"« {key} » : valeur « {value} » inconnue (attendu : {', '.join(signal.values)})")
        out[key] = value
    return out, frozenset(missing)


def normalise_answers(
    answers: Mapping[str, Any], catalogue: ActionCatalogue, *, under_attack: bool | None = None
) -> dict[str, str]:
    """Signal → value read from the questionnaire answers (see :func:`read_signals`)."""
    return read_signals(answers, catalogue, under_attack=under_attack)[0]


def not_asked_actions(catalogue: ActionCatalogue) -> list[Action]:
    """Actions whose every trigger is a signal the questionnaire does not ask (« à vérifier »)."""
    return [a for a in catalogue.actions if all(not catalogue.signals[k].asked for k in a.when)]


def build_action_plan(
    answers: Mapping[str, Any],
    profile: AuthorityProfile | None = None,
    catalogue: ActionCatalogue | None = None,
    *,
    under_attack: bool | None = None,
    lang: str = "fr",
) -> list[PlannedAction]:
    """The ordered cyber action plan for these questionnaire answers (other question ids are ignored).

    Texts in ``lang`` ("fr" or "en"); a given ``catalogue`` keeps the texts it was loaded with.
    """
    _check_lang(lang)
    cat = catalogue or load_catalogue(lang=lang)
    given, missing = read_signals(answers, cat, under_attack=under_attack)
    it_staff = given.get("it_staff") or ""
    plan: list[PlannedAction] = []
    for action in cat.actions:
        triggered = {
            k: given[k] for k, vals in action.when.items() if cat.signals[k].asked and given.get(k, "") in vals
        }
        if not triggered:
            continue
        notes: list[str] = []
        if all(k in missing for k in triggered):
            notes.append("precaution")
        if profile is not None and profile.kind == "commune" and it_staff == "none" and action.id == "rssi":
            notes.append("shared")
        step = action.first_step.get(it_staff) or action.first_step["default"]
        plan.append(
            PlannedAction(
                rank=len(plan) + 1,
                id=action.id,
                title=action.title,
                why=wording.why(action.why, notes, lang),
                first_step=step,
                anssi_measures=tuple((n, cat.anssi_measures[n]) for n in action.anssi_measures),
                resources=tuple(cat.resources[r] for r in action.resources),
                triggered_by=triggered,
                notes=tuple(notes),
            )
        )
    return plan


def action_plan_report(
    answers: Mapping[str, Any],
    profile: AuthorityProfile | None = None,
    catalogue: ActionCatalogue | None = None,
    *,
    under_attack: bool | None = None,
    lang: str = "fr",
) -> dict[str, Any]:
    """JSON of ``diagnostic plan``: the plan, the signals read, and what the questionnaire cannot tell.

    Texts in ``lang`` ("fr" or "en"); a given ``catalogue`` keeps the texts it was loaded with.
    """
    _check_lang(lang)
    cat = catalogue or load_catalogue(lang=lang)
    signals = normalise_answers(answers, cat, under_attack=under_attack)
    return {
        "authority": profile.to_dict() if profile else None,
        "it_staff": signals.get("it_staff") or None,
        "under_attack": under_attack,
        "signals": {k: v for k, v in signals.items() if cat.signals[k].asked},
        "actions": [
            a.to_dict() for a in build_action_plan(answers, profile, cat, under_attack=under_attack, lang=lang)
        ],
        "to_check": [
            {
                "id": a.id,
                "title": a.title,
                "why": a.why,
                "first_step": a.first_step.get(signals.get("it_staff") or "") or a.first_step["default"],
                "reason": wording.to_check(lang),
            }
            for a in not_asked_actions(cat)
        ],
        "references": dict(cat.references),
    }


__all__: Sequence[str] = (
    "ACTIONS_FILE",
    "Action",
    "ActionCatalogue",
    "PlannedAction",
    "Resource",
    "Signal",
    "Source",
    "action_plan_report",
    "build_action_plan",
    "check_catalogue",
    "load_catalogue",
    "normalise_answers",
    "not_asked_actions",
    "parse_catalogue",
    "read_signals",
)
