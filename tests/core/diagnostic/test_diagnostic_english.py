"""English texts of obligations, CSIRT and cyber action plan; French stays the default and unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from barometre.core.diagnostic.action_plan import action_plan_report
from barometre.core.diagnostic.csirt import PARIS, csirt_report, fallback_text, load_directory, open_status
from barometre.core.diagnostic.obligations import obligations_report
from barometre.core.diagnostic.profile import AuthorityProfile
from barometre.core.diagnostic.report import diagnostic_report
from barometre.core.errors import DiagnosticError
from barometre.core.wording.numbers import format_number

#: Pieces of French that must not show in an English text.
FRENCH = (
    " de la ",
    "collectivité",
    "Fermé",
    "Ouvert",
    "À préciser",
    "applique",
    " habitants",
    "\u00a0habitants",
    "non renseign",
    "férié",
    "horaires",
    "Horaires",
    "d'après",
    "Selon le cas",
    "Ensuite",
    "en vigueur",
    " et ",
    " les ",
    " des ",
    "Incident grave",
    "précaution",
)

AUTHORITIES = (
    AuthorityProfile(
        code="31555", name="Toulouse", kind="commune", population_municipale=500_000, departement="31", region="76"
    ),
    AuthorityProfile(code="x1", name="Petite commune", kind="commune", population_municipale=3_400, region="53"),
    AuthorityProfile(
        code="x2",
        name="Agglo",
        kind="epci",
        epci_type="CA",
        population_totale=60_000,
        max_member_population=29_500,
        region="28",
    ),
    AuthorityProfile(code="x3", name="Région", kind="region", agents=3_000, uses_ai=True, region="44"),
    AuthorityProfile(code="69M", name="Métropole de Lyon", kind="metropole_lyon", region="84"),
    AuthorityProfile(
        code="x4", name="Commune IA", kind="commune", population_municipale=49_000, agents=49.5, uses_ai=False
    ),
)
DATES = (date(2022, 6, 1), date(2026, 12, 1))
# a Tuesday (open, lunch break, evening), Christmas and a Sunday
MOMENTS = (
    *(datetime(2026, 11, 24, h, m, tzinfo=PARIS) for h, m in ((3, 0), (8, 30), (10, 0), (12, 45), (18, 0))),
    datetime(2026, 12, 25, 10, 0, tzinfo=PARIS),
    datetime(2026, 11, 29, 10, 0, tzinfo=PARIS),
)

MEASURES = ("sauvegardes_hors_ligne", "mfa", "plan_reponse_incident", "gestion_crise", "pca_pra")
ALL_BAD: dict[str, Any] = {
    "prestataire_informatique": ["prestataire_prive"],
    "cyber_mesures": dict.fromkeys(MEASURES, "non"),
    "cyber_formation": ["personne"],
    "cyber_budget": "moins_2000",
    "rssi": "non",
}
NO_IT_STAFF: dict[str, Any] = {"prestataire_informatique": ["personne"]}


def texts(obj: Any, skip: frozenset[str] = frozenset()) -> Iterator[str]:
    """Every string in ``obj`` except under the keys ``skip`` (legal references, URLs, proper names)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k not in skip:
                yield from texts(v, skip)
    elif isinstance(obj, list | tuple):
        for v in obj:
            yield from texts(v, skip)
    elif isinstance(obj, str):
        yield obj


#: Proper names that may appear inside an English sentence.
PROPER_NAMES = ("Pays de la Loire",)


def french_in(obj: Any, skip: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    found = []
    for text in texts(obj, skip):
        plain = text
        for name in PROPER_NAMES:
            plain = plain.replace(name, "")
        found.extend((word, text) for word in FRENCH if word in plain)
    return found


OBLIGATION_SKIP = frozenset({"authority", "reference", "url", "sources", "source_date", "id", "status"})
CSIRT_SKIP = frozenset({"name", "region", "region_codes", "sources", "source", "url", "website", "at", "authority"})


@pytest.mark.parametrize("profile", AUTHORITIES, ids=lambda p: p.name)
@pytest.mark.parametrize("at", DATES, ids=str)
def test_english_obligations_have_no_french_text(profile: AuthorityProfile, at: date) -> None:
    report = obligations_report(profile, at, lang="en")
    assert french_in(report["obligations"], OBLIGATION_SKIP) == []


def test_english_obligations_translate_titles_requirements_and_generated_sentences() -> None:
    toulouse = AUTHORITIES[0]
    before = {o["id"]: o for o in obligations_report(toulouse, date(2022, 6, 1), lang="en")["obligations"]}
    assert before["reen"]["title"] == "Responsible digital strategy (REEN law)"
    assert before["reen"]["reason"].startswith("Not yet in force (from 1 January 2023). Then: ")
    assert "500,000 inhabitants" in before["reen"]["reason"]
    assert before["reen"]["legal_status"] == "in force"
    assert before["reen"]["reference"].startswith("Loi n° 2021-1485")  # legal references stay as they are
    agglo = {o["id"]: o for o in obligations_report(AUTHORITIES[2], date(2026, 12, 1), lang="en")["obligations"]}
    assert agglo["nis2"]["category"] == "essential entity or important entity"
    assert "What is the total population (INSEE) of the largest member commune?" in agglo["nis2"]["questions"]
    assert all(r["text"] for r in agglo["dpo"]["requirements"])
    assert agglo["dpo"]["requirements"][0]["text"].startswith("Designate a DPO")


@pytest.mark.parametrize("region", [None, "52", "99", *sorted({r for c in load_directory().csirts for r in c.regions})])
def test_english_csirt_texts_have_no_french(region: str | None) -> None:
    for moment in MOMENTS:
        report = csirt_report(region, moment, lang="en")
        assert french_in(report, CSIRT_SKIP) == [], (region, moment)
        assert french_in(fallback_text(report["fallback"], "en")) == []


def test_english_csirt_status_sentences() -> None:
    occitanie = load_directory(lang="en").for_region("76")
    assert occitanie is not None
    assert open_status(occitanie, datetime(2026, 11, 24, 12, 45, tzinfo=PARIS)).reason == "Closed: lunch break."
    assert open_status(occitanie, datetime(2026, 11, 24, 18, 0, tzinfo=PARIS)).reason == (
        "Closed: outside opening hours."
    )
    assert open_status(occitanie, datetime(2026, 12, 25, 10, 0, tzinfo=PARIS)).reason == (
        "Closed: public holiday (Christmas Day)."
    )
    assert occitanie.hours_text() == ("Monday–Friday 9:00–12:30 and 14:00–17:30 (except public holidays)")
    breizh = csirt_report("53", datetime(2026, 11, 24, 10, 0, tzinfo=PARIS), lang="en")
    assert breizh["csirt"]["hours"].endswith(" — according to a source dated 2023-11")
    assert breizh["status"] == "Open until 17:30."


@pytest.mark.parametrize("answers", [ALL_BAD, NO_IT_STAFF, {}], ids=["all_bad", "no_it_staff", "no_answer"])
@pytest.mark.parametrize("under_attack", [None, True])
def test_english_action_plan_has_no_french(answers: dict[str, Any], under_attack: bool | None) -> None:
    report = action_plan_report(answers, AUTHORITIES[1], under_attack=under_attack, lang="en")
    shown = {"actions": report["actions"], "to_check": report["to_check"], "references": report["references"]}
    assert french_in(shown, frozenset({"url", "triggered_by", "id"})) == []
    assert report["actions"]


def test_english_action_plan_keeps_the_structure_of_the_french_one() -> None:
    fr = action_plan_report(ALL_BAD, AUTHORITIES[1], under_attack=True)
    en = action_plan_report(ALL_BAD, AUTHORITIES[1], under_attack=True, lang="en")
    assert [a["id"] for a in en["actions"]] == [a["id"] for a in fr["actions"]]
    assert en["actions"][0]["title"] == "Incident in progress — call for help now"
    assert en["to_check"][0]["reason"] == "The questionnaire does not ask this question: to be checked."
    assert [m["number"] for a in en["actions"] for m in a["anssi_measures"]] == [
        m["number"] for a in fr["actions"] for m in a["anssi_measures"]
    ]


def test_english_diagnostic_report_translates_every_block() -> None:
    report = diagnostic_report(
        AUTHORITIES[0], ALL_BAD, at=datetime(2026, 12, 25, 10, 0, tzinfo=PARIS), peers=None, lang="en"
    )
    blocks = {b["id"]: b["data"] for b in report["blocks"]}
    assert french_in(blocks["obligations"]["obligations"], OBLIGATION_SKIP) == []
    assert french_in(blocks["csirt"], CSIRT_SKIP) == []
    assert french_in(blocks["action_plan"]["actions"], frozenset({"url", "triggered_by", "id"})) == []


# ---------------------------------------------------------------------------
# French: the default, unchanged
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("profile", AUTHORITIES, ids=lambda p: p.name)
def test_french_is_the_default(profile: AuthorityProfile) -> None:
    for at in DATES:
        assert obligations_report(profile, at) == obligations_report(profile, at, lang="fr")
    moment = MOMENTS[2]
    assert csirt_report(profile.region, moment) == csirt_report(profile.region, moment, lang="fr")
    assert action_plan_report(ALL_BAD, profile) == action_plan_report(ALL_BAD, profile, lang="fr")


def test_french_texts_are_unchanged() -> None:
    toulouse = AUTHORITIES[0]
    reen = next(o for o in obligations_report(toulouse, date(2022, 6, 1))["obligations"] if o["id"] == "reen")
    assert reen["title"] == "Stratégie numérique responsable (loi REEN)"
    assert reen["reason"] == (
        "Pas encore en vigueur (à partir du 1er janvier 2023). Ensuite : Commune de plus de 50 000 habitants "
        f"(population municipale : {format_number(500_000)}\u00a0habitants)."
    )
    occitanie = load_directory().for_region("76")
    assert occitanie is not None
    assert open_status(occitanie, datetime(2026, 11, 24, 18, 0, tzinfo=PARIS)).reason == (
        "Fermé : en dehors des heures d'ouverture."
    )
    assert occitanie.hours_text() == "lundi–vendredi 9h–12h30 et 14h–17h30 (hors jours fériés)"
    breizh = csirt_report("53", MOMENTS[2])
    assert breizh["csirt"]["hours"].endswith(" — d'après une source de 2023-11")
    assert fallback_text(breizh["fallback"])[-2] == "Déposer plainte auprès de la police ou de la gendarmerie."
    assert "availability_en" not in breizh["fallback"]["national"]  # English keys never leak into French
    plan = action_plan_report({}, toulouse)
    assert plan["to_check"][0]["reason"] == "Le questionnaire ne pose pas la question : à vérifier."
    assert plan["actions"][0]["why"].endswith(" (Réponse non renseignée : action proposée par précaution.)")


@pytest.mark.parametrize(
    "call",
    [
        lambda: obligations_report(AUTHORITIES[0], DATES[0], lang="de"),
        lambda: csirt_report("76", MOMENTS[0], lang="de"),
        lambda: action_plan_report({}, lang="de"),
    ],
)
def test_unknown_language_is_an_error(call: Any) -> None:
    with pytest.raises(DiagnosticError, match="langue"):
        call()


def test_moments_cover_open_closed_and_holiday() -> None:
    occitanie = load_directory().for_region("76")
    assert occitanie is not None
    states = {open_status(occitanie, m).open for m in MOMENTS}
    assert states == {True, False}
    assert MOMENTS[-1] - MOMENTS[0] > timedelta(days=4)
