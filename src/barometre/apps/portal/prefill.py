"""Answers pre-filled from the registry of authorities, and plausibility warnings in plain words.

Pre-filled values are shown in the fields of a question that has no answer yet, with their
source; they are stored only when the respondent saves the section (the respondent confirms or
corrects them). EPCI and région, which the questionnaire does not ask, are shown beside the
section as the registry knows them. Warnings (:mod:`barometre.core.questionnaire.plausibility`)
never block a save; their wording lives here.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from barometre.apps.registry.models import Authority
from barometre.core.questionnaire import Questionnaire
from barometre.core.questionnaire.plausibility import Warning, check
from barometre.core.registry.model import AuthorityType, Kind
from barometre.core.wording.labels import REGION_NAMES
from barometre.core.wording.numbers import format_number, format_percent

#: The answer of ``type_collectivite`` for each kind of authority of the registry.
TYPE_OF_KIND: dict[str, str] = {
    Kind.COMMUNE.value: "commune",
    Kind.EPCI.value: "epci",
    Kind.DEPARTEMENT.value: "departement",
    Kind.REGION.value: "region",
    Kind.METROPOLE_LYON.value: "metropole",
}


def _type_code(authority: Authority) -> str:
    if authority.kind == Kind.EPCI.value and authority.type == AuthorityType.METRO:
        return "metropole"
    return TYPE_OF_KIND.get(authority.kind, "")


def registry_values(authority: Authority, qn: Questionnaire) -> dict[str, dict[str, Any]]:
    """Question id → ``{"value", "source"}`` for the questions the registry can answer."""
    out: dict[str, dict[str, Any]] = {}
    if "population" in qn and authority.population_municipale:
        out["population"] = {
            "value": authority.population_municipale,
            "source": _(
                "Pré-remplie depuis le référentiel : population municipale INSEE %(year)s. Corrigez-la si besoin."
            )
            % {"year": authority.population_millesime},
        }
    code = _type_code(authority)
    if "type_collectivite" in qn and code and code in qn.question("type_collectivite").codes:
        out["type_collectivite"] = {
            "value": code,
            "source": _("Pré-rempli depuis le référentiel des collectivités. Corrigez-le si besoin."),
        }
    return out


def registry_context(authority: Authority) -> list[dict[str, str]]:
    """What the registry says of the authority that the questionnaire does not ask (read-only)."""
    rows = []
    if authority.epci_id is not None and authority.epci is not None:
        rows.append({"label": _("Intercommunalité"), "value": authority.epci.name})
    if authority.region in REGION_NAMES:
        rows.append({"label": _("Région"), "value": REGION_NAMES[authority.region]})
    if authority.population_municipale:
        rows.append(
            {
                "label": _("Population municipale (INSEE %(year)s)") % {"year": authority.population_millesime},
                "value": format_number(authority.population_municipale),
            }
        )
    return rows


def _message(w: Warning, lang: str) -> str:
    n = w.numbers
    if w.code == "population_far_from_registry":
        return _(
            "À vérifier : le référentiel indique %(registry)s habitants, soit un écart de %(gap)s. "
            "Vous pouvez garder votre réponse si elle est juste."
        ) % {"registry": format_number(n["registry"], lang=lang), "gap": format_percent(100 * n["gap"], lang=lang)}
    if w.code == "it_agents_above_total":
        return _(
            "À vérifier : %(it)s agents dédiés à l’informatique, c’est plus que le nombre total d’agents (%(total)s)."
        ) % {"it": format_number(n["it"], lang=lang), "total": format_number(n["total"], lang=lang)}
    if w.code == "all_agents_in_it":
        return _(
            "À vérifier : tous vos agents (%(total)s) sont comptés comme dédiés à l’informatique. Ne comptez que "
            "ceux dont c’est le métier principal."
        ) % {"total": format_number(n["total"], lang=lang)}
    if w.code == "budget_above_scale":
        return _(
            "À vérifier : ce budget représente au moins %(per)s € par habitant et par an, bien plus que ce que "
            "consacrent d’habitude les collectivités de cette taille."
        ) % {"per": format_number(n["per_inhabitant"], lang=lang)}
    if w.code == "budget_below_scale":
        return _(
            "À vérifier : ce budget représente moins de %(per)s € par habitant et par an, bien moins que ce que "
            "consacrent d’habitude les collectivités de cette taille."
        ) % {"per": format_number(n["per_inhabitant"], 2, lang=lang)}
    return w.code


def warnings(answers: dict[str, object], authority: Authority, lang: str) -> dict[str, list[str]]:
    """Question id → the warnings to show next to it (plain words)."""
    out: dict[str, list[str]] = {}
    for w in check(answers, authority.population_municipale or None):
        out.setdefault(w.question, []).append(_message(w, lang))
    return out
