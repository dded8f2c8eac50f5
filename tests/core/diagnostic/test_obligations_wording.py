"""The obligations engine's verdicts worded in French and English (``core/wording/obligations.py``)."""

from __future__ import annotations

from datetime import date

import pytest

from barometre.core.diagnostic.obligations import evaluate_obligations
from barometre.core.diagnostic.profile import AuthorityProfile
from barometre.core.diagnostic.verdicts import (
    AgentsEvidence,
    AgentsUnknown,
    AiUseUnknown,
    BasisStraddles,
    BasisUnstated,
    BillInScope,
    BillOther,
    CategoryUnknown,
    NotYetInForce,
    OtherPopulationUnknown,
    PopulationEvidence,
    PopulationFigures,
    PopulationUnknown,
    Question,
    RowReason,
    Text,
    ToBeDetermined,
)
from barometre.core.wording import obligations as wording

NBSP = "\u00a0"
THIN = "\u202f"  # between thousands
ESSENTIAL = Text("entité essentielle", "essential entity")
IMPORTANT = Text("entité importante", "important entity")
BILL = Text("projet de loi non promulgué", "bill not yet enacted")


@pytest.mark.parametrize(
    ("evidence", "fr", "en"),
    [
        (PopulationEvidence("totale", 3_600), f"population totale : 3{THIN}600{NBSP}habitants", None),
        (
            OtherPopulationUnknown("municipale", 3_500),
            f"population municipale : 3{THIN}500{NBSP}habitants, population totale inconnue",
            "municipal population: 3,500 inhabitants, total population unknown",
        ),
        (
            PopulationFigures(49_900, 50_100),
            f"population municipale : 49{THIN}900{NBSP}habitants, population totale : 50{THIN}100{NBSP}habitants",
            "municipal population: 49,900 inhabitants, total population: 50,100 inhabitants",
        ),
        (PopulationFigures(None, 200), f"population totale : 200{NBSP}habitants", "total population: 200 inhabitants"),
        (AgentsEvidence(49.5), "agents : 49,5 ETP", "staff: 49.5 FTE"),
        (AgentsEvidence(60.0), "agents : 60 ETP", "staff: 60 FTE"),
    ],
)
def test_evidence_is_worded_with_french_typography(evidence: object, fr: str, en: str | None) -> None:
    assert wording.evidence(evidence, "fr") == fr  # type: ignore[arg-type]
    if en is not None:
        assert wording.evidence(evidence, "en") == en  # type: ignore[arg-type]


def test_doubts_are_worded() -> None:
    unknown = PopulationUnknown("max_member_population", "totale", "gt", 30_000)
    assert wording.doubt(unknown, "fr") == (
        f"population de la plus grande commune membre inconnue (seuil : plus de 30{THIN}000{NBSP}habitants, "
        "en population totale)"
    )
    assert wording.doubt(unknown, "en") == (
        "population of the largest member commune unknown (threshold: more than 30,000 inhabitants, total population)"
    )
    straddles = BasisStraddles(
        OtherPopulationUnknown("municipale", 49_000), "population", "totale", "totale", "gt", 50_000, 0.03
    )
    assert wording.doubt(straddles, "fr") == (
        f"population municipale : 49{THIN}000{NBSP}habitants, population totale inconnue ; la règle compte la "
        f"population totale, en général jusqu'à 3{NBSP}% plus élevée que la population municipale : elle peut être "
        f"de part et d'autre du seuil (plus de 50{THIN}000{NBSP}habitants)"
    )
    assert "usually up to 3% higher" in wording.doubt(straddles, "en")
    unstated = BasisUnstated(PopulationFigures(49_900, 50_100), "totale", "gt", 50_000)
    assert wording.doubt(unstated, "fr").endswith(
        "et la source ne précise pas quelle population la règle retient (population totale par défaut)"
    )
    assert wording.doubt(AgentsUnknown(50), "fr") == "nombre d'agents non renseigné (seuil : 50 agents ETP)"
    assert wording.doubt(AgentsUnknown(50), "en") == "number of staff not given (threshold: 50 FTE staff)"
    assert wording.doubt(AiUseUnknown("uses_high_risk_ai"), "fr") == (
        "le questionnaire ne demande pas si vos systèmes d'IA sont à haut risque"
    )
    assert wording.doubt(AiUseUnknown("uses_ai"), "en") == "use of AI unknown (“don't know” or no answer)"


def test_questions_are_worded_by_code_and_repeated_texts_shown_once() -> None:
    assert wording.question_text(Question("agents"), "fr") == (
        "Combien d'agents (en équivalents temps plein) compte la collectivité ?"
    )
    assert wording.question_text(Question("population", "max_member_population", "totale"), "en") == (
        "What is the total population (INSEE) of the largest member commune?"
    )
    assert wording.question_text(Question("population", "population", "municipale"), "fr") == (
        "Quelle est la population municipale (INSEE) de la collectivité ?"
    )
    assert "Légifrance" in wording.question_text(Question("population_basis"), "fr")
    assert "promulgué" in wording.question_text(Question("adoption"), "fr")
    row = Question("table", text=Text("La Métropole est-elle soumise ?", "Is the Métropole subject?"))
    assert wording.question_text(row, "en") == "Is the Métropole subject?"
    same = Question("table", text=Text("Combien d'agents (en équivalents temps plein) compte la collectivité ?", "x"))
    assert wording.questions([Question("agents"), same, Question("uses_ai")], "fr") == [
        "Combien d'agents (en équivalents temps plein) compte la collectivité ?",
        "La collectivité utilise-t-elle des systèmes d'IA (y compris d'IA générative) ?",
    ]


def test_categories_are_sorted_alternatives_in_each_language() -> None:
    assert wording.category((), "fr") is None
    assert wording.category((IMPORTANT,), "en") == "important entity"
    assert wording.category((IMPORTANT, ESSENTIAL), "fr") == "entité essentielle ou entité importante"
    assert wording.category((IMPORTANT, ESSENTIAL), "en") == "essential entity or important entity"


def test_reasons_are_worded() -> None:
    row = RowReason(Text("Commune de plus de 30 000 habitants.", "Commune of more than 30,000 inhabitants."))
    with_facts = RowReason(row.text, (PopulationFigures(40_000, None), AgentsEvidence(60)))
    assert wording.reason(row, "fr") == "Commune de plus de 30 000 habitants."
    assert wording.reason(with_facts, "fr") == (
        f"Commune de plus de 30 000 habitants (population municipale : 40{THIN}000{NBSP}habitants ; agents : 60 ETP)."
    )
    assert wording.reason(with_facts, "en") == (
        "Commune of more than 30,000 inhabitants (municipal population: 40,000 inhabitants; staff: 60 FTE)."
    )
    assert wording.reason(BillInScope((ESSENTIAL,), row, BILL), "fr") == (
        "Dans le périmètre du texte (entité essentielle) : commune de plus de 30 000 habitants. "
        "Mais le texte est un projet de loi non promulgué."
    )
    assert wording.reason(BillOther(row, BILL), "en") == (
        "Commune of more than 30,000 inhabitants. The text is a bill not yet enacted."
    )
    assert wording.reason(NotYetInForce(date(2023, 1, 1), row), "fr") == (
        "Pas encore en vigueur (à partir du 1er janvier 2023). Ensuite : Commune de plus de 30 000 habitants."
    )
    assert wording.reason(NotYetInForce(date(2023, 1, 1), row), "en").startswith(
        "Not yet in force (from 1 January 2023). Then: "
    )
    tbd = ToBeDetermined((AgentsUnknown(50), AgentsUnknown(50.0)), Text("EPCI d'au moins 50 agents.", "x"))
    assert wording.reason(tbd, "fr") == (
        "À préciser : nombre d'agents non renseigné (seuil : 50 agents ETP). "
        "L'obligation s'applique si : EPCI d'au moins 50 agents."
    )
    cases = ((Text("Commune de plus de 30 000 habitants.", "x"), ESSENTIAL), (Text("Autre cas.", "x"), None))
    unknown = CategoryUnknown(cases, (AgentsUnknown(50),))
    assert wording.reason(unknown, "fr") == (
        "Selon le cas : commune de plus de 30 000 habitants (entité essentielle) ; autre cas (sans catégorie). "
        "Catégorie à préciser : nombre d'agents non renseigné (seuil : 50 agents ETP)."
    )


def test_a_result_is_worded_at_the_edge_in_either_language() -> None:
    toulouse = AuthorityProfile(code="31555", name="Toulouse", kind="commune", population_municipale=500_000)
    reen = next(r for r in evaluate_obligations(toulouse, date(2022, 6, 1)) if r.id == "reen")
    fr, en = reen.to_dict(), reen.to_dict("en")
    assert fr["reason"] == (
        "Pas encore en vigueur (à partir du 1er janvier 2023). Ensuite : Commune de plus de 50 000 habitants "
        f"(population municipale : 500{THIN}000{NBSP}habitants)."
    )
    assert en["reason"].startswith("Not yet in force (from 1 January 2023). Then: ")
    assert fr["upcoming"]["reason"] == fr["reason"].split("Ensuite : ", 1)[1]
    assert (fr["title"], en["title"]) == (
        "Stratégie numérique responsable (loi REEN)",
        "Responsible digital strategy (REEN law)",
    )
    assert fr["status"] == en["status"] == "does_not_apply"
