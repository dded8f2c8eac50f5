"""The update diff: added, removed, merged through former codes, renamed, population changes."""

from __future__ import annotations

import copy
from pathlib import Path

from barometre.core.registry import diff_frames, read_snapshot
from barometre.core.registry.build import build_snapshot
from barometre.core.registry.model import Frame
from barometre.core.registry.sample import sample_source, write_sample_package


def _frame_from(tmp_path: Path, name: str, edit: object = None) -> Frame:
    src = sample_source()
    communes = copy.deepcopy(list(src.communes))
    epci = copy.deepcopy(list(src.epci))
    if callable(edit):
        edit(communes, epci)
    src = type(src)(src.version, communes, epci, src.departements, src.regions)
    package = write_sample_package(tmp_path / f"pkg-{name}", source=src)
    return read_snapshot(build_snapshot(tmp_path / name, "6.0.0", package_dir=package))


def test_identical_frames_have_no_changes(sample: Frame) -> None:
    assert diff_frames(sample, sample).is_empty


def test_merge_rename_population_and_added_epci_are_reported(tmp_path: Path) -> None:
    old = _frame_from(tmp_path, "old")

    def edit(communes: list[dict], epci: list[dict]) -> None:  # type: ignore[type-arg]
        # 01002 merges into 01001 (commune nouvelle keeps 01001 and lists 01002 as former code).
        communes[:] = [c for c in communes if c["code"] != "01002"]
        c1 = next(c for c in communes if c["code"] == "01001")
        c1["anciensCodes"] = ["01002"]
        c1["nom"] = "Abergement-Dombes"
        c1["population"] += 3499
        next(c for c in communes if c["code"] == "29019")["population"] += 10
        cc = next(e for e in epci if e["code"] == "200000001")
        cc["membres"] = [m for m in cc["membres"] if m["code"] != "01002"]
        # Ouessant joins a new CC.
        epci.append({**cc, "code": "200099999", "nom": "CC Ouessant", "membres": [{"code": "29155"}]})

    new = _frame_from(tmp_path, "new", edit)
    diff = diff_frames(old, new)
    assert [(c.old.code, c.new.code) for c in diff.merged] == [("01002", "01001")]
    assert [c.new.name for c in diff.renamed] == ["Abergement-Dombes"]
    assert [a.code for a in diff.added] == ["200099999"]
    assert diff.removed == []
    assert [c.new.code for c in diff.epci_changed] == ["29155"]
    changed = {c.new.code for c in diff.population_changed}
    assert {"01001", "29019", "29D", "REG-53", "200000003"} <= changed
    assert "01D" not in changed  # a merge inside the département leaves its total unchanged
    assert diff.counts()["merged"] == 1
    assert diff.to_dict()["merged"][0]["old_code"] == "01002"


def test_commune_gone_without_successor_is_removed(tmp_path: Path) -> None:
    old = _frame_from(tmp_path, "old")

    def edit(communes: list[dict], epci: list[dict]) -> None:  # type: ignore[type-arg]
        communes[:] = [c for c in communes if c["code"] != "29155"]

    diff = diff_frames(old, _frame_from(tmp_path, "new", edit))
    assert [a.code for a in diff.removed] == ["29155"]
    assert diff.merged == []
