import pytest

from barometre.core.errors import IndicatorError
from barometre.core.indicators.catalogue import CATALOGUE_PATH, check_feeds, load_catalogue, loads, validate
from barometre.core.indicators.compute import published_series
from barometre.core.questionnaire import load_edition

EDITIONS = (2022, 2023, 2024, 2025)


@pytest.fixture(scope="module")
def questionnaires():
    return {y: load_edition(y) for y in EDITIONS}


@pytest.fixture(scope="module")
def text():
    return CATALOGUE_PATH.read_text(encoding="utf-8")


def test_catalogue_validates_against_every_questionnaire_it_spans(questionnaires):
    cat = load_catalogue(questionnaires=questionnaires)
    assert set(cat.editions) == set(EDITIONS)
    assert len(cat.indicators) >= 40


def test_every_figure_a_question_feeds_is_in_the_catalogue(questionnaires):
    assert check_feeds(load_catalogue(questionnaires=questionnaires), questionnaires) == []


def test_catalogue_leaves_out_citizen_polls(text):
    cat = loads(text, "data/indicators.yaml")
    assert not any(p.figure.startswith("citizens") for i in cat.indicators for p in i.published)
    assert "Ipsos" in text


def test_conflicting_ai_2024_figure_uses_the_deveco_reading(text):
    ind = loads(text).get("ai_done_or_tested")
    [p] = [p for p in ind.published_for(2024) if p.breakdown == "ensemble"]
    assert p.value == 36 and "CONFLICT" in p.note


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_unknown_question_gives_a_located_error(text, questionnaires):
    broken = text.replace("numerator: \"${cyber_risque} = 'bien_identifie'\"", "numerator: \"${cyber_risk} = 'oui'\"")
    cat = loads(broken, "data/indicators.yaml")
    with pytest.raises(IndicatorError) as err:
        validate(cat, questionnaires)
    line = _line_of(broken, "${cyber_risk}")
    assert str(err.value).startswith(f"data/indicators.yaml:{line - 1}:") or str(err.value).startswith(
        f"data/indicators.yaml:{line}:"
    )
    assert "question inconnue ${cyber_risk}" in str(err.value)


def test_bad_expression_gives_a_located_error(text):
    broken = text.replace("numerator: \"${rssi} = 'interne'", "numerator: \"${rssi} = = 'interne'")
    line = _line_of(broken, "${rssi} = = ")
    with pytest.raises(IndicatorError, match=rf"^data/indicators.yaml:{line}: indicateur 'rssi'"):
        loads(broken, "data/indicators.yaml")


def test_unknown_choice_code_is_an_error(text, questionnaires):
    broken = text.replace("${dpo} = 'interne'", "${dpo} = 'interieur'")
    with pytest.raises(IndicatorError, match="code 'interieur' inconnu"):
        validate(loads(broken, "data/indicators.yaml"), questionnaires)


def test_universe_cannot_read_answers(text):
    broken = text.replace(
        'when: "${authority.population} < 25000"\n\nindicators', "when: \"${rssi} = 'non'\"\n\nindicators"
    )
    assert broken != text
    with pytest.raises(IndicatorError, match=r"univers 'moins_25000'.*authority"):
        loads(broken, "data/indicators.yaml")


def test_published_value_outside_the_editions_is_an_error(text):
    broken = text.replace(
        "- {edition: 2022, value: 50, breakdown: ensemble", "- {edition: 2024, value: 50, breakdown: ensemble"
    )
    with pytest.raises(IndicatorError, match=r"dpo_appointed.*2024"):
        loads(broken, "data/indicators.yaml")


def test_published_series_lists_each_indicator_across_editions(text):
    series = published_series(loads(text), "rgpd_compliant")["rgpd_compliant"]
    assert [(s.edition, s.value) for s in series] == [(2022, 26.0), (2023, 81.0)]


def test_a_later_edition_on_an_earlier_questionnaire_carries_its_indicators():
    cat = load_catalogue()
    carried = cat.carried({2027: 2025, 2024: 2023, 2030: 2029})
    assert {i.id for i in carried.for_edition(2027)} == {i.id for i in cat.for_edition(2025)} != set()
    for ind in carried.for_edition(2027):
        assert ind.definition(2027) == ind.definition(2025) and ind.published_for(2027) == []
    # an edition already covered keeps its own definitions; an unknown questionnaire year adds nothing
    assert [i.id for i in carried.for_edition(2024)] == [i.id for i in cat.for_edition(2024)]
    assert carried.for_edition(2030) == [] and 2030 not in carried.editions
    assert cat.carried({2024: 2023}) is cat
