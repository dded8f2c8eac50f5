"""The catalogue's data files and its text similarity, without a database."""

from __future__ import annotations

from pathlib import Path

import pytest

from barometre.core.errors import ProjectError
from barometre.core.projects import catalogue
from barometre.core.projects.maps import count_class
from barometre.core.projects.model import Origin, Project
from barometre.core.projects.similarity import SimilarityIndex, tokens

#: The territorial examples the published notes cite (issue list), by registry code.
CITED = {
    "35315": "Saint-Sulpice-la-Forêt",
    "200036549": "Val de Gray",
    "25056": "Besançon",
    "76540": "Rouen",
    "35236": "Redon",
    "79191": "Niort",
    "35238": "Rennes",
    "76351": "Le Havre",
    "06152": "Valbonne",
    "44109": "Nantes",
    "242900314": "Brest",
    "92040": "Issy-les-Moulineaux",
    "34172": "Montpellier",
    "89206": "Joigny",
    "REG-44": "DataGrandEst",
    "REG-24": "Climate Data Hub",
    "REG-27": "Territoires intelligents et durables",
}


def test_every_example_cited_by_the_notes_is_in_the_catalogue_with_a_followable_source() -> None:
    examples = catalogue.examples()
    assert CITED.keys() <= {e.authority_code for e in examples}
    for e in examples:
        src = catalogue.sources()[e.source]
        assert src.url.startswith("https://") and src.publisher and src.date
        assert e.title["fr"] and e.title["en"] and e.summary["fr"] and e.summary["en"]


def test_a_source_missing_from_the_sources_file_is_refused_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "examples.yaml"
    bad.write_text(
        "examples:\n"
        "  - id: x\n"
        "    authority: '35238'\n"
        "    territory: Rennes\n"
        "    title: {fr: a, en: b}\n"
        "    summary: {fr: a, en: b}\n"
        "    domain: eau\n"
        "    status: en_service\n"
        "    source: nulle_part\n",
        encoding="utf-8",
    )
    with pytest.raises(ProjectError) as err:
        catalogue.load_examples(bad, sources=catalogue.sources())
    assert str(err.value).startswith(f"{bad}:9:")
    assert "nulle_part" in str(err.value)


def test_an_example_without_its_english_text_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "examples.yaml"
    bad.write_text(
        "examples:\n  - id: x\n    authority: '35238'\n    territory: R\n    title: {fr: a}\n"
        "    summary: {fr: a, en: b}\n    domain: eau\n    status: en_service\n    source: note_2023\n",
        encoding="utf-8",
    )
    with pytest.raises(ProjectError, match="title"):
        catalogue.load_examples(bad, sources=catalogue.sources())


def test_the_opsn_directory_names_the_operator_of_ille_et_vilaine_and_none_where_unknown() -> None:
    assert [op.key for op in catalogue.operators_for_departement("35")] == ["megalis-bretagne"]
    assert catalogue.operators_for_departement("2A") == []
    assert all(op.url.startswith("https://") for op in catalogue.operators())


def test_folding_meets_plurals_accents_and_elisions() -> None:
    assert tokens("Détection des FUITES d'eau") == ["detection", "fuite", "eau"]
    assert tokens("les réseaux") == ["reseau"]


def _project(key: str, title: str, summary: str = "") -> Project:
    from barometre.core.projects.model import Domain, Status

    return Project(
        key=key,
        title=title,
        summary=summary,
        domain=Domain.AUTRE,
        status=Status.EN_COURS,
        authority_code="1",
        origin=Origin.EXAMPLE,
    )


def test_water_leak_projects_rank_first_and_say_which_words_they_share() -> None:
    index = SimilarityIndex([e.project() for e in catalogue.examples()])
    matches = index.similar("détection des fuites sur le réseau d'eau potable", limit=5)
    assert {m.project.authority_code for m in matches[:3]} == {"25056", "76540", "35236"}
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert any("fuites" in t for t in matches[0].shared_terms)


def test_unrelated_texts_share_nothing_and_are_not_returned() -> None:
    index = SimilarityIndex([_project("a", "Éclairage public"), _project("b", "Gestion des déchets")])
    assert index.similar("charte éthique de l'intelligence artificielle") == []
    assert [m.project.key for m in index.similar("collecte des déchets")] == ["b"]


@pytest.mark.parametrize(("count", "klass"), [(0, -1), (1, 0), (2, 0), (3, 1), (5, 1), (6, 2), (20, 3), (21, 4)])
def test_map_count_classes_at_their_bounds(count: int, klass: int) -> None:
    assert count_class(count) == klass


# --------------------------------------------------------------------------- mutualisation aggregates

import itertools  # noqa: E402

import numpy as np  # noqa: E402

from barometre.core.projects.mutualisation import Reason, aggregate, complementary  # noqa: E402

MIN = 10


@pytest.mark.parametrize(("n", "hidden"), [(9, True), (10, False)])
def test_an_aggregate_needs_the_minimum_of_responding_members(n: int, hidden: bool) -> None:
    agg = aggregate("x", np.array([1.0] * n + [np.nan] * 5), minimum=MIN)
    assert agg.suppressed is hidden
    if hidden:
        assert (agg.n, agg.k, agg.share, agg.reason) == (None, None, None, Reason.CONFIDENTIALITY)
    else:
        assert (agg.n, agg.k, agg.share) == (10, 10, 100.0)


def test_a_single_hidden_child_forces_the_smallest_sibling_to_be_hidden() -> None:
    # 22 members of the parent outside a and b: c (1) cannot be isolated
    assert complementary(45, {"a": 12, "b": 11, "c": 1}, MIN) == {"c"}
    # no remainder besides c: parent − a − b = c → b (the smallest published) is hidden too
    assert complementary(24, {"a": 12, "b": 11, "c": 1}, MIN) == {"b", "c"}


def test_a_differencing_attacker_never_isolates_fewer_than_the_minimum_of_members() -> None:
    """Every partition of a parent into views (with or without members outside them): whatever sum of
    published views the attacker subtracts from the published parent, what is left is 0 or at least
    the minimum of members (it suffices that parent − all published views is)."""
    rng = np.random.default_rng(3)
    for sizes in itertools.product([0, 1, 3, 9, 10, 12], repeat=3):
        for outside_n in (0, 1, 10):
            views = {f"v{i}": rng.integers(0, 2, size).astype(float) for i, size in enumerate(sizes)}
            parent = np.concatenate([*views.values(), rng.integers(0, 2, outside_n).astype(float)])
            top = aggregate("x", parent, minimum=MIN)
            if top.suppressed:
                continue
            published = []
            for name, values in views.items():
                others = {k: v for k, v in views.items() if k != name}
                agg = aggregate("x", values, minimum=MIN, view=name, parent=parent, siblings=others)
                if not agg.suppressed:
                    published.append(agg.n)
                    assert agg.n == len(values) and agg.n >= MIN
            remainder = int(top.n) - sum(int(n) for n in published)  # type: ignore[arg-type]
            assert remainder == 0 or remainder >= MIN, (sizes, outside_n, published)
