from __future__ import annotations

import itertools

from barometre.core.questionnaire import load_edition
from barometre.core.questionnaire.diff import diff


def test_diff_lists_added_removed_reworded_and_remapped() -> None:
    d = diff(load_edition(2023), load_edition(2024))
    assert "benefices_attendus" in d.added
    assert "cyber_menace" in d.removed
    (remap,) = d.remapped
    assert (remap.old_id, remap.new_id) == ("projet_donnees_2ans", "projet_donnees")
    assert set(remap.detected) == {"wording", "choices", "type"}
    assert remap.undeclared == ()
    grid = next(c for c in d.changed if c.new_id == "projets_donnees_domaines")
    assert grid.detected == ("filter",) and grid.breaks_series


def test_shipped_editions_declare_every_change() -> None:
    editions = [2022, 2023, 2024, 2025]
    for old, new in itertools.pairwise(editions):
        for change in diff(load_edition(old), load_edition(new)).changed:
            assert change.undeclared == (), (old, new, change)


def test_identical_editions_have_no_difference() -> None:
    d = diff(load_edition(2025), load_edition(2025))
    assert not d.added and not d.removed and not d.changed
