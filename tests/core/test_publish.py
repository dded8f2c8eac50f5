"""Atomic publication of generated folders: readers see a whole generation or the previous one."""

from __future__ import annotations

from pathlib import Path

import pytest

from barometre.core.publish import generations, publish_directory


def _write(text: str):  # type: ignore[no-untyped-def]
    def build(folder: Path) -> str:
        (folder / "a.csv").write_text(text)
        (folder / "sub").mkdir()
        (folder / "sub" / "b.svg").write_text(text * 2)
        return text

    return build


def test_a_publication_swaps_the_whole_folder_in_one_step(tmp_path: Path) -> None:
    target = tmp_path / "opendata" / "2025"
    assert publish_directory(target, _write("v1")) == "v1"
    assert target.is_symlink() and (target / "a.csv").read_text() == "v1"
    publish_directory(target, _write("v2"))
    assert (target / "a.csv").read_text() == "v2" and (target / "sub" / "b.svg").read_text() == "v2v2"
    publish_directory(target, _write("v3"))
    assert len(generations(target)) == 2  # the served one and the one before


def test_a_failed_build_leaves_the_served_folder_untouched(tmp_path: Path) -> None:
    target = tmp_path / "notes"
    publish_directory(target, _write("good"))

    def broken(folder: Path) -> None:
        (folder / "a.csv").write_text("half")
        raise RuntimeError("build failed")

    with pytest.raises(RuntimeError):
        publish_directory(target, broken)
    assert (target / "a.csv").read_text() == "good"
    assert len(generations(target)) == 1


def test_a_folder_written_in_place_by_an_earlier_version_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "2025"
    target.mkdir()
    (target / "a.csv").write_text("old")
    publish_directory(target, _write("new"))
    assert target.is_symlink() and (target / "a.csv").read_text() == "new"
