"""The personal diagnostic of one authority, assembled for the web page and ``diagnostic show``.

:func:`diagnostic_report` is pure: the caller (web view, CLI with the database) gives the
profile, the authority's validated answers (``validate_answers(...).cleaned``), the moment,
the peer position(s) it computed with :func:`~barometre.core.diagnostic.peers.peer_position`
(or None), the language, and whether the authority says it is under attack *now* (the
questionnaire does not ask it: the page does).

Blocks, in this order: scores, cyber action plan, obligations, CSIRT — or, when
``under_attack`` is true, the CSIRT block first, then the action plan (which then starts
with « Incident en cours »), scores and obligations.

Answers also complete the profile when the registry does not know: ``nb_agents`` →
``agents``; ``ia_usage`` → ``uses_ai`` (:data:`USES_AI_FROM_IA_USAGE`; « nsp » stays unknown).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from barometre.core.diagnostic.action_plan import action_plan_report
from barometre.core.diagnostic.csirt import PARIS, csirt_report
from barometre.core.diagnostic.obligations import obligations_report
from barometre.core.diagnostic.peers import PeerPosition
from barometre.core.diagnostic.profile import AuthorityProfile
from barometre.core.diagnostic.scores import MaturityGrid, score_answers
from barometre.core.errors import DiagnosticError

LANGS = ("fr", "en")
BLOCK_ORDER = ("scores", "action_plan", "obligations", "csirt")
UNDER_ATTACK_ORDER = ("csirt", "action_plan", "scores", "obligations")
#: ``ia_usage`` (2025 questionnaire) → ``AuthorityProfile.uses_ai`` (checked against the questionnaire by the tests).
USES_AI_FROM_IA_USAGE: Mapping[str, bool] = {"deploye": True, "teste": True, "prevu_12m": False, "non": False}
BLOCK_TITLES: Mapping[str, Mapping[str, str]] = {
    "scores": {"fr": "Votre maturité", "en": "Your maturity"},
    "action_plan": {"fr": "Plan d'action cybersécurité", "en": "Cybersecurity action plan"},
    "obligations": {"fr": "Vos obligations", "en": "Your obligations"},
    "csirt": {"fr": "Votre CSIRT régional", "en": "Your regional CSIRT"},
}


def profile_with_answers(profile: AuthorityProfile, answers: Mapping[str, Any]) -> AuthorityProfile:
    """``profile`` completed by the answers where it has no value (registry figures win)."""
    changes: dict[str, Any] = {}
    agents = answers.get("nb_agents")
    if profile.agents is None and isinstance(agents, (int, float)) and not isinstance(agents, bool):
        changes["agents"] = float(agents)
    usage = answers.get("ia_usage")
    if profile.uses_ai is None and isinstance(usage, str) and usage in USES_AI_FROM_IA_USAGE:
        changes["uses_ai"] = USES_AI_FROM_IA_USAGE[usage]
    return dataclasses.replace(profile, **changes) if changes else profile


def localise(obj: Any, lang: str) -> Any:
    """Replace every ``{"fr": …, "en": …}`` text by the text in ``lang``; dates → ISO strings."""
    if isinstance(obj, Mapping):
        if set(obj) == {"fr", "en"} and all(isinstance(v, str) for v in obj.values()):
            return obj[lang]
        return {k: localise(v, lang) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [localise(v, lang) for v in obj]
    if isinstance(obj, (date, datetime)):
        return obj.isoformat()
    return obj


def _peers_dict(peers: PeerPosition | Mapping[str, PeerPosition] | None) -> dict[str, Any] | None:
    if peers is None:
        return None
    if isinstance(peers, PeerPosition):
        return {"overall": peers.to_dict()}
    return {str(k): v.to_dict() for k, v in peers.items()}


def diagnostic_report(
    profile: AuthorityProfile,
    answers: Mapping[str, Any],
    *,
    at: datetime,
    peers: PeerPosition | Mapping[str, PeerPosition] | None,
    lang: str = "fr",
    under_attack: bool | None = None,
    grid: MaturityGrid | None = None,
) -> dict[str, Any]:
    """The whole diagnostic as JSON-ready data (see the module docstring).

    ``peers``: one position (of the overall score) or theme id / ``"overall"`` → position.
    Every text (scores, action plan, obligations, CSIRT) follows ``lang``; legal references, sources and
    proper names stay as they are.
    """
    if lang not in LANGS:
        raise DiagnosticError(f"langue « {lang} » non prise en charge (attendu : {', '.join(LANGS)})")
    moment = at if at.tzinfo else at.replace(tzinfo=PARIS)
    day = moment.astimezone(PARIS).date()
    full = profile_with_answers(profile, answers)
    scores = score_answers(answers, grid).to_dict()
    scores["peers"] = _peers_dict(peers)
    data: dict[str, Any] = {
        "scores": scores,
        "action_plan": action_plan_report(answers, full, under_attack=under_attack, lang=lang),
        "obligations": obligations_report(full, day, lang=lang),
        "csirt": csirt_report(full.region, moment, lang=lang),
    }
    order = UNDER_ATTACK_ORDER if under_attack else BLOCK_ORDER
    report = {
        "authority": full.to_dict(),
        "at": moment.isoformat(),
        "lang": lang,
        "under_attack": under_attack,
        "order": list(order),
        "blocks": [{"id": b, "title": BLOCK_TITLES[b], "data": data[b]} for b in order],
    }
    localised: dict[str, Any] = localise(report, lang)
    return localised


__all__ = [
    "BLOCK_ORDER",
    "UNDER_ATTACK_ORDER",
    "USES_AI_FROM_IA_USAGE",
    "diagnostic_report",
    "localise",
    "profile_with_answers",
]
