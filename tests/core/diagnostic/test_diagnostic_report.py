"""The assembled personal diagnostic: blocks, their order, languages, profile completed by answers."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest

from barometre.core.diagnostic.csirt import PARIS
from barometre.core.diagnostic.peers import peer_position
from barometre.core.diagnostic.profile import AuthorityProfile
from barometre.core.diagnostic.report import USES_AI_FROM_IA_USAGE, diagnostic_report, profile_with_answers
from barometre.core.errors import DiagnosticError
from barometre.core.questionnaire import load_edition
from barometre.core.stats.disclosure import DisclosureRule

TOULOUSE = AuthorityProfile(
    code="31555", name="Toulouse", kind="commune", population_municipale=500_000, departement="31", region="76"
)
ANSWERS: dict[str, Any] = {
    "nb_agents": 3000,
    "ia_usage": "deploye",
    "cyber_mesures": {"sauvegardes_hors_ligne": "non"},
    "rssi": "interne",
}
AT = datetime(2026, 12, 25, 10, 0, tzinfo=PARIS)


def report(**kw: Any) -> dict[str, Any]:
    args: dict[str, Any] = {"at": AT, "peers": None, "lang": "fr"}
    args.update(kw)
    return diagnostic_report(TOULOUSE, ANSWERS, **args)


def test_blocks_in_the_usual_order() -> None:
    r = report()
    assert r["order"] == ["scores", "action_plan", "obligations", "csirt"]
    assert [b["id"] for b in r["blocks"]] == r["order"]


def test_csirt_block_comes_first_when_under_attack() -> None:
    r = report(under_attack=True)
    assert r["blocks"][0]["id"] == "csirt"
    assert r["blocks"][0]["data"]["csirt"]["name"] == "Cyber'Occ"
    plan = next(b for b in r["blocks"] if b["id"] == "action_plan")
    assert plan["data"]["actions"][0]["id"] == "incident_now"


def test_not_under_attack_keeps_the_plan_without_incident_step() -> None:
    plan = next(b for b in report(under_attack=False)["blocks"] if b["id"] == "action_plan")
    assert plan["data"]["actions"][0]["id"] == "offline_backups"


def test_profile_is_completed_by_the_answers() -> None:
    r = report()
    assert r["authority"]["agents"] == 3000
    assert r["authority"]["uses_ai"] is True
    # registry figures win over answers
    p = profile_with_answers(TOULOUSE.with_agents(10), ANSWERS)
    assert p.agents == 10


def test_ia_usage_mapping_names_real_codes() -> None:
    codes = load_edition(2025).question("ia_usage").codes
    assert set(USES_AI_FROM_IA_USAGE) <= set(codes)
    assert "nsp" not in USES_AI_FROM_IA_USAGE  # « je ne sais pas » stays unknown


def test_scores_follow_the_language() -> None:
    fr = next(b for b in report()["blocks"] if b["id"] == "scores")
    en = next(b for b in report(lang="en")["blocks"] if b["id"] == "scores")
    assert fr["title"] == "Votre maturité" and en["title"] == "Your maturity"
    assert fr["data"]["overall"]["level"]["label"] == "Débutant"
    assert en["data"]["overall"]["level"]["label"] == "Beginner"


def test_unknown_language_is_an_error() -> None:
    with pytest.raises(DiagnosticError, match="langue"):
        report(lang="de")


def test_peer_positions_are_included() -> None:
    pos = peer_position(30, [10, 20, 30, 40, 50], [1] * 5, rule=DisclosureRule(min_respondents=5))
    scores = next(b for b in report(peers=pos)["blocks"] if b["id"] == "scores")
    assert scores["data"]["peers"]["overall"]["percentile"] == pytest.approx(50.0)
    hidden = peer_position(30, [10], [1], rule=DisclosureRule(min_respondents=5))
    scores = next(b for b in report(peers={"cyber": hidden})["blocks"] if b["id"] == "scores")
    assert scores["data"]["peers"]["cyber"]["shown"] is False


def test_report_is_json_ready_and_naive_moment_is_paris_time() -> None:
    r = report(at=datetime(2026, 12, 25, 10, 0))
    json.dumps(r)
    assert r["at"] == "2026-12-25T10:00:00+01:00"
    obligations = next(b for b in r["blocks"] if b["id"] == "obligations")
    assert obligations["data"]["at"] == "2026-12-25"
