"""Generated files served by the site (open data, notes): one generation at a time, published atomically.

``ensure_generated`` checks whether the served folder is current; if not, it takes the
generation lock, checks again (another process may have just built it), builds into a
fresh folder and swaps it into place (:func:`barometre.core.publish.publish_directory`).
The lock is PostgreSQL's advisory lock when the database is PostgreSQL (every server
process shares it), else an exclusive ``flock`` on a file of the data directory (SQLite:
one machine, the data directory shared by its processes).
"""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.db import connection, transaction

from barometre.core.publish import publish_directory

T = TypeVar("T")

#: File, inside a generated folder, holding what the folder was built from.
MARKER = ".built_from"


@contextmanager
def generation_lock(name: str) -> Iterator[None]:
    """Exclusive lock named ``name`` across every process of the site."""
    if connection.vendor == "postgresql":
        key = int.from_bytes(hashlib.sha256(f"barometre:{name}".encode()).digest()[:8], "big", signed=True)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
            yield
        return
    locks = Path(settings.DATA_DIR) / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    safe = hashlib.sha256(name.encode()).hexdigest()[:24]
    with open(locks / f"{safe}.lock", "a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def is_current(directory: Path, stamp: str) -> bool:
    marker = directory / MARKER
    try:
        return marker.read_text(encoding="utf-8") == stamp
    except OSError:
        return False


def ensure_generated(directory: Path, stamp: str, build: Callable[[Path], T]) -> T | None:
    """Make ``directory`` hold what ``build`` writes for ``stamp``; None when it already did."""
    if is_current(directory, stamp):
        return None
    with generation_lock(str(directory)):
        if is_current(directory, stamp):
            return None

        def write(folder: Path) -> T:
            result = build(folder)
            (folder / MARKER).write_text(stamp, encoding="utf-8")
            return result

        return publish_directory(directory, write)
