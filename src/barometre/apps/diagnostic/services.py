"""What the diagnostic pages show, computed by the core from the registry."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from barometre.apps.i18n import active_lang
from barometre.apps.registry.models import Authority
from barometre.core.diagnostic.csirt import PARIS, csirt_report
from barometre.core.diagnostic.from_registry import resolve_profile
from barometre.core.diagnostic.obligations import asks_agents, evaluate_obligations, worded_report

STATUS_BADGES = {
    "applies": ("success", _("S'applique")),
    "does_not_apply": ("info", _("Ne s'applique pas")),
    "depends": ("warning", _("À préciser")),
}


def public_diagnostic(
    authority: Authority, *, agents: int | None, now: datetime | None = None, lang: str | None = None
) -> dict[str, Any]:
    """Obligations and CSIRT of ``authority`` (no answers needed, nothing private).

    Texts in ``lang`` ("fr" or "en"; default: the active language, see :func:`active_lang`).
    """
    lang = lang or active_lang()
    moment = now or datetime.now(PARIS)
    profile = resolve_profile(authority.code)
    if agents is not None:
        profile = profile.with_agents(agents)
    day = moment.date() if isinstance(moment, datetime) else date.today()
    results = evaluate_obligations(profile, day)
    report = worded_report(profile, day, results, lang)
    for ob in report["obligations"]:
        level, label = STATUS_BADGES[ob["status"]]
        ob["badge_level"], ob["badge_label"] = level, label
    return {
        "profile": profile,
        "obligations": report["obligations"],
        "csirt": csirt_report(profile.region, moment, lang=lang),
        "asks_agents": asks_agents(results),
    }
