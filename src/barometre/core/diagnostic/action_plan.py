"""Cyber action plan: ordered actions from an authority's cyber answers.

The mapping between questionnaire answer codes and actions lives in one place,
``data/cyber_actions.yaml`` (``answers`` = expected ids and codes; ``actions``
= ordered actions with their triggers). A missing answer counts as
``unknown``: the action is proposed and its reason says the answer is missing.
``it_staff: none`` selects the first step doable without IT staff.
YAML 1.1 booleans (``yes``/``no``) and Python booleans are read as the codes
``"yes"``/``"no"``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from barometre.core.diagnostic.profile import AuthorityProfile
from barometre.core.errors import DiagnosticError
from barometre.core.paths import DATA_DIR

ACTIONS_FILE = DATA_DIR / "cyber_actions.yaml"
UNKNOWN = "unknown"


def _code(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


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
    answers: Mapping[str, tuple[str, ...]]  # answer id → allowed codes
    questions: Mapping[str, str]
    actions: tuple[Action, ...]
    anssi_measures: Mapping[int, str]
    resources: Mapping[str, Resource]
    references: Mapping[str, Mapping[str, str]]


@dataclass(frozen=True)
class PlannedAction:
    rank: int
    id: str
    title: str
    why: str
    first_step: str
    anssi_measures: tuple[tuple[int, str], ...]
    resources: tuple[Resource, ...]
    triggered_by: Mapping[str, str]

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
        }


def _text(value: Any) -> str:
    return " ".join(str(value).split())


def parse_catalogue(data: Any, source: str = "cyber_actions.yaml") -> ActionCatalogue:
    if not isinstance(data, Mapping) or not isinstance(data.get("actions"), list):
        raise DiagnosticError("le fichier doit contenir une liste « actions »", location=source)
    try:
        answers = {k: tuple(_code(v) for v in spec["values"]) for k, spec in data["answers"].items()}
        questions = {k: _text(spec["question"]) for k, spec in data["answers"].items()}
        measures = {int(k): _text(v) for k, v in data["anssi_measures"].items()}
        resources = {str(k): Resource(str(k), _text(v["title"]), str(v["url"])) for k, v in data["resources"].items()}
        actions: list[Action] = []
        for i, raw in enumerate(data["actions"]):
            where = f"{source}:actions[{i}]"
            when = {str(k): tuple(_code(v) for v in vals) for k, vals in raw["when"].items()}
            for k, vals in when.items():
                if k not in answers:
                    raise DiagnosticError(f"réponse inconnue « {k} » dans « when »", location=where)
                bad = [v for v in vals if v not in answers[k]]
                if bad:
                    raise DiagnosticError(f"« {k} » : valeurs inconnues {bad}", location=where)
            for n in raw["anssi_measures"]:
                if int(n) not in measures:
                    raise DiagnosticError(f"mesure ANSSI {n} absente de « anssi_measures »", location=where)
            for r in raw["resources"]:
                if str(r) not in resources:
                    raise DiagnosticError(f"ressource « {r} » absente de « resources »", location=where)
            first_step = {str(k): _text(v) for k, v in raw["first_step"].items()}
            if "default" not in first_step:
                raise DiagnosticError("« first_step.default » manquant", location=where)
            actions.append(
                Action(
                    id=str(raw["id"]),
                    title=_text(raw["title"]),
                    when=when,
                    anssi_measures=tuple(int(n) for n in raw["anssi_measures"]),
                    resources=tuple(str(r) for r in raw["resources"]),
                    why=_text(raw["why"]),
                    first_step=first_step,
                )
            )
        references = {str(k): {kk: str(vv) for kk, vv in v.items()} for k, v in (data.get("references") or {}).items()}
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise DiagnosticError(f"catalogue d'actions mal formé ({exc!r})", location=source) from None
    return ActionCatalogue(answers, questions, tuple(actions), measures, resources, references)


@functools.cache
def _load_cached(path: Path) -> ActionCatalogue:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DiagnosticError(f"catalogue d'actions illisible : {exc}", location=str(path)) from None
    except yaml.YAMLError as exc:
        raise DiagnosticError(f"YAML invalide : {exc}", location=str(path)) from None
    return parse_catalogue(data, str(path))


def load_catalogue(path: Path | None = None) -> ActionCatalogue:
    return _load_cached((path or ACTIONS_FILE).resolve())


def normalise_answers(answers: Mapping[str, Any], catalogue: ActionCatalogue) -> dict[str, str]:
    """Keep the known answer ids, check their codes; missing ids → ``unknown`` (when allowed)."""
    out: dict[str, str] = {}
    for key, allowed in catalogue.answers.items():
        raw = answers.get(key)
        if raw is None:
            out[key] = UNKNOWN if UNKNOWN in allowed else ""
            continue
        code = _code(raw)
        if code not in allowed:
            raise DiagnosticError(f"réponse « {key} » : valeur « {code} » inconnue (attendu : {', '.join(allowed)})")
        out[key] = code
    return out


def build_action_plan(
    answers: Mapping[str, Any],
    profile: AuthorityProfile | None = None,
    catalogue: ActionCatalogue | None = None,
) -> list[PlannedAction]:
    """The ordered cyber action plan for these answers (unknown answer ids are ignored)."""
    cat = catalogue or load_catalogue()
    given = normalise_answers(answers, cat)
    it_staff = given.get("it_staff") or ""
    plan: list[PlannedAction] = []
    for action in cat.actions:
        triggered = {k: given.get(k, "") for k, vals in action.when.items() if given.get(k, "") in vals}
        if not triggered:
            continue
        why = action.why
        missing = [k for k, v in triggered.items() if v == UNKNOWN and answers.get(k) is None]
        if missing:
            why += " (Réponse non renseignée : action proposée par précaution.)"
        if profile is not None and profile.kind == "commune" and it_staff == "none" and action.id == "rssi":
            why += " Sans personnel informatique, la mutualisation est la voie la plus réaliste."
        step = action.first_step.get(it_staff) or action.first_step["default"]
        plan.append(
            PlannedAction(
                rank=len(plan) + 1,
                id=action.id,
                title=action.title,
                why=why,
                first_step=step,
                anssi_measures=tuple((n, cat.anssi_measures[n]) for n in action.anssi_measures),
                resources=tuple(cat.resources[r] for r in action.resources),
                triggered_by=triggered,
            )
        )
    return plan


def action_plan_report(
    answers: Mapping[str, Any], profile: AuthorityProfile | None = None, catalogue: ActionCatalogue | None = None
) -> dict[str, Any]:
    cat = catalogue or load_catalogue()
    return {
        "authority": profile.to_dict() if profile else None,
        "it_staff": normalise_answers(answers, cat).get("it_staff") or None,
        "actions": [a.to_dict() for a in build_action_plan(answers, profile, cat)],
        "references": dict(cat.references),
    }
