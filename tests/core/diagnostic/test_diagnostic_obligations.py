"""Decision tables of the legal obligations: thresholds, dates, uncertainty."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from barometre.core import yamlfile
from barometre.core.diagnostic.obligations import (
    OBLIGATIONS_FILE,
    POPULATION_TOTALE_MARGIN,
    ObligationResult,
    evaluate_obligations,
    format_date_fr,
    load_obligations,
    obligations_report,
    parse_obligations,
)
from barometre.core.diagnostic.profile import AuthorityProfile
from barometre.core.diagnostic.verdicts import (
    AgentsEvidence,
    AgentsUnknown,
    AiUseUnknown,
    BasisStraddles,
    BasisUnstated,
    BillInScope,
    CategoryUnknown,
    NotYetInForce,
    OtherPopulationUnknown,
    PopulationEvidence,
    PopulationFigures,
    PopulationUnknown,
    Question,
    RowReason,
    ToBeDetermined,
)
from barometre.core.errors import DiagnosticError

AT = date(2026, 6, 1)


def commune(pop: int | None, *, ptot: int | None = None, agents: float | None = None, **kw: Any) -> AuthorityProfile:
    """A commune whose population totale equals its population municipale unless told otherwise."""
    return AuthorityProfile(
        code="00001",
        name="Testville",
        kind="commune",
        population_municipale=pop,
        population_totale=pop if ptot is None else ptot,
        agents=agents,
        departement="35",
        region="53",
        **kw,
    )


def epci(
    epci_type: str, pop: int | None, *, max_member: int | None = None, agents: float | None = None
) -> AuthorityProfile:
    return AuthorityProfile(
        code="200000001",
        name="Communauté test",
        kind="epci",
        epci_type=epci_type,  # type: ignore[arg-type]
        population_municipale=pop,
        population_totale=pop,
        agents=agents,
        max_member_population=max_member,
        max_member_population_totale=max_member,
    )


def result(profile: AuthorityProfile, rule_id: str, at: date = AT) -> ObligationResult:
    found = [r for r in evaluate_obligations(profile, at) if r.id == rule_id]
    assert len(found) == 1, rule_id
    return found[0]


# ---------------------------------------------------------------------------
# Data file
# ---------------------------------------------------------------------------


def test_obligations_file_has_every_required_id_with_source_and_date() -> None:
    rules = load_obligations()
    ids = {r.id for r in rules}
    assert {"reen", "nis2", "open_data", "algorithms_publication", "algorithms_mention", "dpo", "accessibility"} <= ids
    assert {"ai_act_literacy", "ai_act_transparency", "ai_act_high_risk"} <= ids
    assert all(i.startswith("ai_act") for i in ids if "ai" in i.split("_")[0])
    for r in rules:
        assert r.sources, r.id
        assert r.source_date, r.id
        assert r.url.startswith("http"), r.id
        assert r.reference and r.legal_status, r.id
        if r.uncertain:
            assert r.notes, f"{r.id}: uncertain rules must say why"


def test_every_obligation_output_has_the_documented_json_shape() -> None:
    report = obligations_report(commune(60000, agents=100), AT)
    assert set(report) >= {"authority", "at", "obligations"}
    keys = {"id", "title", "status", "reason", "reference", "url", "since", "population_basis", "legal_status"}
    for o in report["obligations"]:
        assert keys | {"requirements"} <= set(o)
        assert o["status"] in ("applies", "does_not_apply", "depends")


def test_a_table_without_default_row_is_rejected() -> None:
    data = yamlfile.load_file(OBLIGATIONS_FILE)
    data["obligations"][0]["rows"] = data["obligations"][0]["rows"][:1]
    with pytest.raises(DiagnosticError, match="cas par défaut"):
        parse_obligations(data)


def test_an_unknown_condition_is_rejected_with_its_location() -> None:
    data = yamlfile.load_file(OBLIGATIONS_FILE)
    data["obligations"][0]["rows"][0]["when"] = {"habitants": {"gt": 1}}
    with pytest.raises(DiagnosticError, match="condition inconnue") as exc:
        parse_obligations(data, "obligations.yaml")
    assert exc.value.location == "obligations.yaml:obligations[0]:rows[0]"


def test_profile_rejects_an_epci_without_type() -> None:
    with pytest.raises(DiagnosticError, match="type"):
        AuthorityProfile(code="1", name="x", kind="epci")


def test_profile_rejects_unknown_kind() -> None:
    with pytest.raises(DiagnosticError, match="inconnu"):
        AuthorityProfile(code="1", name="x", kind="canton")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# REEN
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pop", "expected"),
    [(49_999, "does_not_apply"), (50_000, "does_not_apply"), (50_001, "applies")],
)
def test_reen_applies_above_50000_inhabitants(pop: int, expected: str) -> None:
    assert result(commune(pop), "reen").status == expected
    assert result(epci("CA", pop), "reen").status == expected


def test_reen_does_not_apply_to_departements() -> None:
    dep = AuthorityProfile(code="35", name="Ille-et-Vilaine", kind="departement", population_municipale=1_000_000)
    assert result(dep, "reen").status == "does_not_apply"


def test_reen_is_uncertain_for_the_metropole_de_lyon() -> None:
    lyon = AuthorityProfile(code="69M", name="Métropole de Lyon", kind="metropole_lyon", population_municipale=10**6)
    r = result(lyon, "reen")
    assert r.status == "depends"
    assert isinstance(r.reason, RowReason)
    assert [q.code for q in r.questions] == ["table"]


@pytest.mark.parametrize(
    ("at", "expected"),
    [(date(2022, 12, 31), "does_not_apply"), (date(2023, 1, 1), "applies"), (date(2023, 1, 2), "applies")],
)
def test_reen_is_in_force_from_1_january_2023(at: date, expected: str) -> None:
    r = result(commune(60_000), "reen", at)
    assert r.status == expected
    if expected == "does_not_apply":
        assert isinstance(r.reason, NotYetInForce) and r.reason.since == date(2023, 1, 1)
        assert isinstance(r.reason.then, RowReason)
        assert r.upcoming is not None and r.upcoming.status == "applies"
        assert r.upcoming.reason == r.reason.then
    else:
        assert r.upcoming is None


@pytest.mark.parametrize(
    ("at", "strategy_due"),
    [(date(2024, 12, 31), False), (date(2025, 1, 1), True), (date(2025, 1, 2), True)],
)
def test_reen_strategy_and_yearly_review_due_from_1_january_2025(at: date, strategy_due: bool) -> None:
    reqs = result(commune(60_000), "reen", at).requirements
    work_programme, strategy, review = reqs
    assert work_programme.in_force
    assert strategy.in_force is strategy_due
    assert review.in_force is strategy_due


# Population basis: the sources do not say which population counts (totale by default).


def test_reen_depends_when_only_municipale_is_known_within_the_margin_below_50000() -> None:
    pmun = 49_000  # 49 000 × 1.03 = 50 470 > 50 000
    assert pmun * (1 + POPULATION_TOTALE_MARGIN) > 50_000
    profile = AuthorityProfile(code="1", name="x", kind="commune", population_municipale=pmun)
    r = result(profile, "reen")
    assert r.status == "depends"
    assert isinstance(r.reason, ToBeDetermined)
    (doubt,) = r.reason.doubts
    assert isinstance(doubt, BasisStraddles)
    assert (doubt.basis, doubt.missing, doubt.op, doubt.threshold) == ("totale", "totale", "gt", 50_000)
    assert r.questions == (Question("population", "population", "totale"),)


def test_reen_does_not_apply_when_municipale_is_below_the_margin() -> None:
    pmun = 48_000  # 48 000 × 1.03 = 49 440 ≤ 50 000
    profile = AuthorityProfile(code="1", name="x", kind="commune", population_municipale=pmun)
    r = result(profile, "reen")
    assert r.status == "does_not_apply"
    assert isinstance(r.reason, RowReason) and r.reason.evidence == ()  # the default row: no condition


def test_a_certain_verdict_keeps_the_facts_it_rests_on() -> None:
    r = result(commune(60_000), "reen")
    assert r.status == "applies" and r.questions == ()
    assert isinstance(r.reason, RowReason)
    # the source does not say which population REEN counts: both figures are the evidence
    assert r.reason.evidence == (PopulationFigures(60_000, 60_000),)
    only_municipale = AuthorityProfile(code="1", name="x", kind="commune", population_municipale=50_001)
    reason = result(only_municipale, "reen").reason
    assert isinstance(reason, RowReason) and reason.evidence == (PopulationFigures(50_001, None),)
    r = result(commune(10_000, agents=60), "open_data")
    assert isinstance(r.reason, RowReason)
    assert r.reason.evidence == (PopulationFigures(10_000, 10_000), AgentsEvidence(60))
    r = result(commune(10_000, agents=49.5), "open_data")
    assert isinstance(r.reason, RowReason) and r.reason.evidence == (AgentsEvidence(49.5),)


CERTAIN_BASIS = {
    "obligations": [
        {
            "id": "test",
            "title": "Test",
            "reference": "Loi",
            "url": "https://example.org",
            "source_date": "2026-01",
            "legal_status": "en vigueur",
            "since": "2020-01-01",
            "population_basis": "totale",
            "rows": [
                {"when": {"population": {"gte": 3500}}, "status": "applies", "reason": "Au moins 3 500."},
                {"when": {}, "status": "does_not_apply", "reason": "Moins de 3 500."},
            ],
        }
    ]
}


@pytest.mark.parametrize(
    ("pmun", "ptot", "status", "evidence", "doubt"),
    [
        (3_000, 3_600, "applies", PopulationEvidence("totale", 3_600), None),
        (3_600, 3_400, "does_not_apply", None, None),  # the default row rests on no fact
        (3_500, None, "applies", OtherPopulationUnknown("municipale", 3_500), None),
        (3_450, None, "depends", None, BasisStraddles),  # 3 450 × 1.03 > 3 500
        (3_000, None, "does_not_apply", None, None),
    ],
)
def test_a_rule_that_states_its_population_counts_that_one_and_bounds_the_other(
    pmun: int, ptot: int | None, status: str, evidence: object, doubt: type | None
) -> None:
    (rule,) = parse_obligations(CERTAIN_BASIS)
    p = AuthorityProfile(code="1", name="x", kind="commune", population_municipale=pmun, population_totale=ptot)
    (r,) = evaluate_obligations(p, AT, [rule])
    assert r.status == status
    if doubt is None:
        assert isinstance(r.reason, RowReason)
        assert r.reason.evidence == (() if evidence is None else (evidence,))
    else:
        assert isinstance(r.reason, ToBeDetermined) and [type(d) for d in r.reason.doubts] == [doubt]
        assert r.questions == (Question("population", "population", "totale"),)


def test_reen_applies_when_municipale_alone_is_above_50000() -> None:
    profile = AuthorityProfile(code="1", name="x", kind="commune", population_municipale=50_001)
    assert result(profile, "reen").status == "applies"


def test_reen_depends_when_municipale_and_totale_straddle_the_threshold() -> None:
    r = result(commune(49_900, ptot=50_100), "reen")
    assert r.status == "depends"
    assert isinstance(r.reason, ToBeDetermined)
    assert [type(d) for d in r.reason.doubts] == [BasisUnstated]
    assert [q.code for q in r.questions] == ["population_basis"]


def test_reen_depends_when_population_is_unknown() -> None:
    profile = AuthorityProfile(code="1", name="x", kind="commune")
    r = result(profile, "reen")
    assert r.status == "depends"
    assert isinstance(r.reason, ToBeDetermined)
    assert r.reason.doubts == (PopulationUnknown("population", "totale", "gt", 50_000),)
    assert r.questions == (Question("population", "population", "totale"),)


# ---------------------------------------------------------------------------
# Open data and publication of algorithms
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("rule_id", ["open_data", "algorithms_publication"])
@pytest.mark.parametrize(
    ("pop", "expected"),
    [(3_499, "does_not_apply"), (3_500, "applies"), (3_501, "applies")],
)
def test_open_data_applies_from_3500_inhabitants(rule_id: str, pop: int, expected: str) -> None:
    assert result(commune(pop, agents=50), rule_id).status == expected


@pytest.mark.parametrize("rule_id", ["open_data", "algorithms_publication"])
@pytest.mark.parametrize(
    ("agents", "expected"),
    [(49, "does_not_apply"), (49.5, "does_not_apply"), (50, "applies"), (51, "applies")],
)
def test_open_data_applies_from_50_agents(rule_id: str, agents: float, expected: str) -> None:
    assert result(commune(10_000, agents=agents), rule_id).status == expected


@pytest.mark.parametrize("rule_id", ["open_data", "algorithms_publication"])
def test_open_data_depends_on_agents_when_unknown(rule_id: str) -> None:
    r = result(commune(10_000), rule_id)
    assert r.status == "depends"
    assert isinstance(r.reason, ToBeDetermined)
    assert r.reason.doubts == (AgentsUnknown(50),)
    assert r.reason.applies_if is not None
    assert r.questions == (Question("agents"),)


def test_open_data_small_commune_is_exempt_whatever_its_agents() -> None:
    assert result(commune(2_000), "open_data").status == "does_not_apply"


@pytest.mark.parametrize(("agents", "expected"), [(49, "does_not_apply"), (50, "applies")])
def test_open_data_epci_depends_only_on_agents(agents: int, expected: str) -> None:
    assert result(epci("CC", 2_000, agents=agents), "open_data").status == expected


def test_open_data_near_3500_with_only_municipale_depends() -> None:
    profile = AuthorityProfile(code="1", name="x", kind="commune", population_municipale=3_450, agents=60)
    assert result(profile, "open_data").status == "depends"


@pytest.mark.parametrize("kind", ["departement", "region"])
def test_open_data_applies_to_departements_and_regions_with_50_agents(kind: str) -> None:
    p = AuthorityProfile(code="X", name="x", kind=kind, agents=500)  # type: ignore[arg-type]
    assert result(p, "open_data").status == "applies"


# ---------------------------------------------------------------------------
# Everyone: algorithm mention, DPO, accessibility
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("rule_id", ["algorithms_mention", "dpo", "accessibility"])
@pytest.mark.parametrize("pop", [10, 3_499, 2_000_000])
def test_rules_without_threshold_apply_to_every_authority(rule_id: str, pop: int) -> None:
    assert result(commune(pop, agents=1), rule_id).status == "applies"


@pytest.mark.parametrize(
    ("at", "expected"),
    [(date(2018, 5, 24), "does_not_apply"), (date(2018, 5, 25), "applies"), (date(2018, 5, 26), "applies")],
)
def test_dpo_is_required_since_25_may_2018(at: date, expected: str) -> None:
    assert result(commune(100), "dpo", at).status == expected


@pytest.mark.parametrize(
    ("at", "expected"),
    [(date(2019, 9, 22), "does_not_apply"), (date(2019, 9, 23), "applies"), (date(2019, 9, 24), "applies")],
)
def test_accessibility_statement_required_from_23_september_2019(at: date, expected: str) -> None:
    assert result(commune(100), "accessibility", at).status == expected


@pytest.mark.parametrize(("at", "in_force"), [(date(2023, 12, 31), False), (date(2024, 1, 1), True)])
def test_accessibility_fines_from_1_january_2024(at: date, in_force: bool) -> None:
    reqs = result(commune(100), "accessibility", at).requirements
    fine = next(r for r in reqs if "50 000" in r.text.fr)
    assert fine.in_force is in_force


# ---------------------------------------------------------------------------
# NIS2 (bill, not promulgated at the source's date)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pop", "expected"),
    [(29_999, "does_not_apply"), (30_000, "does_not_apply"), (30_001, "depends")],
)
def test_nis2_covers_communes_above_30000_inhabitants(pop: int, expected: str) -> None:
    r = result(commune(pop), "nis2")
    assert r.status == expected
    if expected == "depends":
        assert [c.fr for c in r.category] == ["entité essentielle"]
        assert isinstance(r.reason, BillInScope) and r.reason.category == r.category
        assert r.reason.legal_status == r.legal_status
        assert "non promulgué" in r.legal_status.fr


def test_nis2_is_never_stated_as_settled_law() -> None:
    r = result(AuthorityProfile(code="R", name="Région", kind="region"), "nis2")
    assert r.status == "depends"
    assert r.uncertain
    assert r.since is None
    assert "projet de loi" in r.legal_status.fr and "2026" in r.legal_status.fr
    assert r.questions[-1] == Question("adoption")


@pytest.mark.parametrize(
    ("profile", "category"),
    [
        (AuthorityProfile(code="R", name="r", kind="region"), "entité essentielle"),
        (AuthorityProfile(code="D", name="d", kind="departement"), "entité essentielle"),
        (
            AuthorityProfile(code="C", name="Corse", kind="collectivite_unique", has_region_powers=True),
            "entité essentielle",
        ),
        (AuthorityProfile(code="69M", name="Lyon", kind="metropole_lyon"), "entité essentielle"),
        (
            AuthorityProfile(code="75056", name="Paris", kind="commune", has_departement_powers=True),
            "entité essentielle",
        ),
        (epci("METRO", 500_000), "entité essentielle"),
        (epci("CU", 300_000), "entité essentielle"),
        (epci("CC", 20_000), "entité importante"),
    ],
)
def test_nis2_category_by_kind(profile: AuthorityProfile, category: str) -> None:
    r = result(profile, "nis2")
    assert r.status == "depends"
    assert [c.fr for c in r.category] == [category]


@pytest.mark.parametrize(
    ("max_member", "category"),
    [(29_999, "entité importante"), (30_000, "entité importante"), (30_001, "entité essentielle")],
)
def test_nis2_agglomeration_is_essential_with_a_member_above_30000(max_member: int, category: str) -> None:
    assert [c.fr for c in result(epci("CA", 80_000, max_member=max_member), "nis2").category] == [category]


def test_nis2_agglomeration_category_depends_on_largest_member_when_unknown() -> None:
    r = result(epci("CA", 80_000), "nis2")
    assert r.status == "depends"
    assert [c.fr for c in r.category] == ["entité essentielle", "entité importante"]
    assert isinstance(r.reason, BillInScope) and isinstance(r.reason.then, CategoryUnknown)
    assert [type(d) for d in r.reason.then.doubts] == [PopulationUnknown]
    assert Question("population", "max_member_population", "totale") in r.questions


# ---------------------------------------------------------------------------
# AI Act
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "expected"),
    [(date(2025, 2, 1), "does_not_apply"), (date(2025, 2, 2), "applies"), (date(2025, 2, 3), "applies")],
)
def test_ai_act_literacy_applies_from_2_february_2025(at: date, expected: str) -> None:
    assert result(commune(1_000, uses_ai=True), "ai_act_literacy", at).status == expected


@pytest.mark.parametrize(
    ("at", "expected"),
    [(date(2026, 8, 1), "does_not_apply"), (date(2026, 8, 2), "applies"), (date(2026, 8, 3), "applies")],
)
def test_ai_act_transparency_applies_from_2_august_2026(at: date, expected: str) -> None:
    r = result(commune(1_000, uses_ai=True), "ai_act_transparency", at)
    assert r.status == expected
    assert "Digital Omnibus" in r.legal_status.fr


def test_ai_act_literacy_depends_on_ai_use_when_unknown() -> None:
    r = result(commune(1_000), "ai_act_literacy")
    assert r.status == "depends"
    assert [q.code for q in r.questions] == ["uses_ai"]


def test_ai_act_literacy_does_not_apply_without_ai() -> None:
    assert result(commune(1_000, uses_ai=False), "ai_act_literacy").status == "does_not_apply"


@pytest.mark.parametrize(
    ("uses_ai", "high_risk", "expected"),
    [
        (False, None, "does_not_apply"),
        (True, None, "depends"),
        (True, False, "does_not_apply"),
        (True, True, "applies"),
        (None, None, "depends"),
    ],
)
def test_ai_act_high_risk_duties_for_public_deployers(
    uses_ai: bool | None, high_risk: bool | None, expected: str
) -> None:
    p = commune(1_000, uses_ai=uses_ai, uses_high_risk_ai=high_risk)
    r = result(p, "ai_act_high_risk", date(2026, 9, 1))
    assert r.status == expected
    if expected == "depends":
        assert isinstance(r.reason, ToBeDetermined)
        unknown = [k for k in ("uses_ai", "uses_high_risk_ai") if getattr(p, k) is None]
        assert r.reason.doubts == tuple(AiUseUnknown(k) for k in unknown)  # type: ignore[arg-type]
        assert [q.code for q in r.questions] == unknown


def test_date_is_formatted_the_french_way() -> None:
    assert format_date_fr(date(2026, 8, 2)) == "2 août 2026"
    assert format_date_fr(date(2023, 1, 1)) == "1er janvier 2023"
