"""Atomic publication of a generated folder (open data, notes and their figures).

A served folder ``target`` is a symbolic link to a generation folder beside it
(``.<name>.gen-<id>``). A new generation is written completely into a fresh folder,
then the link is swapped with one ``rename`` (atomic on POSIX): a reader opens either
the previous complete generation or the new complete one, never a file being written.
The generation before the previous one is removed (the previous one stays for readers
that resolved the link just before the swap). A build that fails leaves the served
folder as it was.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

#: Generations kept on disk: the served one and the one before it.
KEEP_GENERATIONS = 2


def _generation_prefix(target: Path) -> str:
    return f".{target.name}.gen-"


def generations(target: Path) -> list[Path]:
    """Generation folders of ``target``, oldest first."""
    parent = target.parent
    if not parent.is_dir():
        return []
    found = [p for p in parent.iterdir() if p.name.startswith(_generation_prefix(target)) and p.is_dir()]
    return sorted(found, key=lambda p: p.stat().st_mtime_ns)


def publish_directory(target: Path, build: Callable[[Path], T]) -> T:
    """Run ``build(folder)`` into a fresh folder, then make ``target`` point at it atomically.

    Callers serialise concurrent publications of the same ``target`` (one generation at a time).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex[:12]
    folder = target.parent / f"{_generation_prefix(target)}{token}"
    folder.mkdir()
    try:
        result = build(folder)
        _sync(folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    link = target.parent / f".{target.name}.link-{token}"
    os.symlink(folder.name, link)  # relative: the data directory may be moved or restored elsewhere
    if target.exists() and not target.is_symlink():
        # A folder written in place by an earlier version: moved aside once (not atomic, one time).
        os.rename(target, target.parent / f"{_generation_prefix(target)}{token}-old")
    os.replace(link, target)
    for old in generations(target)[:-KEEP_GENERATIONS]:
        if old.resolve() != folder.resolve():
            shutil.rmtree(old, ignore_errors=True)
    return result


def _sync(folder: Path) -> None:
    """Flush the generation's files to disk before it becomes visible."""
    for path in folder.rglob("*"):
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
