"""Backup and restore of a whole instance: database, the key of the respondent links, generated files.

``backup(out)`` writes one ``.tar.gz`` archive:

- ``manifest.json``: format, creation date, the **schema version** (last migration of each
  app), the database engine it came from, object counts, and the SHA-256 of every other member;
- ``database.jsonl``: every row of the project's tables (and the user accounts), one object
  per line in Django's database-neutral "python" form, datetimes with their microseconds;
- ``token_key``: the secret that keys the respondent links (``BAROMETRE_TOKEN_KEY``, else
  ``SECRET_KEY``) — without it, every link of a restored instance would answer 404;
- ``files/notes/…``, ``files/opendata/…``: the generated notes and open data as served.

``restore(archive)`` checks every checksum and the schema version before writing anything,
refuses a database that already holds data, loads the rows in one transaction, then writes
the key and the files into the data directory. The same archive restores on SQLite or
PostgreSQL, whichever engine it came from.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from barometre.core.errors import BackupError

FORMAT = "barometre-backup"
FORMAT_VERSION = 1
#: Besides the project's apps, the accounts (sessions and permissions are recreated, not restored).
EXTRA_MODELS = ("auth.group", "auth.user")
#: Generated folders of the data directory kept in the archive.
GENERATED = ("notes", "opendata")
DB_MEMBER = "database.jsonl"
KEY_MEMBER = "token_key"
MANIFEST = "manifest.json"


# --------------------------------------------------------------------------- what is saved


def _app_labels() -> list[str]:
    """Every app of the project (``barometre.apps.*``): a new app's tables are saved without a change here."""
    return [c.label for c in apps.get_app_configs() if c.name.startswith("barometre.apps.")]


def _models() -> list[type[models.Model]]:
    chosen: list[type[models.Model]] = []
    for label in _app_labels():
        chosen.extend(apps.get_app_config(label).get_models())
    for name in EXTRA_MODELS:
        chosen.append(apps.get_model(name))
    ordered = serializers.sort_dependencies([(None, chosen)], allow_cycles=True)
    return [m for m in ordered if m._meta.managed and not m._meta.proxy]


def schema_version() -> dict[str, str]:
    """The last migration of each app, as this code defines it."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return dict(sorted(loader.graph.leaf_nodes()))


def applied_schema() -> dict[str, str]:
    """The last migration of each app applied to the database."""
    applied = MigrationRecorder(connection).applied_migrations()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    out: dict[str, str] = {}
    for app, name in sorted(loader.graph.leaf_nodes()):
        if (app, name) in applied:
            out[app] = name
    return out


def token_key_value() -> str:
    return str(getattr(settings, "BAROMETRE_TOKEN_KEY", "") or settings.SECRET_KEY)


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()  # full precision (microseconds kept)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    raise TypeError(f"type non sérialisable : {type(value).__name__}")


def _rows() -> Iterator[tuple[str, bytes]]:
    for model in _models():
        qs = model._default_manager.order_by(model._meta.pk.name)
        for obj in serializers.serialize("python", qs.iterator(chunk_size=2000)):
            yield obj["model"], (json.dumps(obj, default=_default, ensure_ascii=False) + "\n").encode("utf-8")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _served_files(source: Path) -> list[Path]:
    """Files served from ``source``, through the links to their generation folders (earlier
    generations, kept for readers, and hidden files other than the markers left out)."""
    out: list[Path] = []
    for root, dirs, files in os.walk(source, followlinks=True):
        dirs[:] = sorted(d for d in dirs if ".gen-" not in d and ".link-" not in d)
        out.extend(Path(root) / f for f in sorted(files) if ".link-" not in f)
    return out


def backup(out: Path) -> dict[str, Any]:
    """Write the archive ``out`` (written beside it, then renamed: never half-written)."""
    code, db = schema_version(), applied_schema()
    if code != db:
        raise BackupError("base non migrée jusqu'au bout : lancez `barometre manage migrate` avant la sauvegarde")
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    data_dir = Path(settings.DATA_DIR)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".backup-") as tmp_name:
        tmp = Path(tmp_name)
        counts: dict[str, int] = {}
        with transaction.atomic(), open(tmp / DB_MEMBER, "wb") as fh:  # one consistent snapshot
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            for label, line in _rows():
                counts[label] = counts.get(label, 0) + 1
                fh.write(line)
        (tmp / KEY_MEMBER).write_text(token_key_value(), encoding="utf-8")
        members = [DB_MEMBER, KEY_MEMBER]
        for folder in GENERATED:
            source = data_dir / folder
            if not source.is_dir():
                continue
            for path in _served_files(source):
                rel = path.relative_to(source)
                member = f"files/{folder}/{rel.as_posix()}"
                dest = tmp / member
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, dest)
                members.append(member)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "schema": code,
            "engine": connection.vendor,
            "objects": counts,
            "token_key_source": "BAROMETRE_TOKEN_KEY" if getattr(settings, "BAROMETRE_TOKEN_KEY", "") else "SECRET_KEY",
            "files": {m: _sha256(tmp / m) for m in members},
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
        partial = tmp / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(tmp / MANIFEST, arcname=MANIFEST)
            for m in members:
                tar.add(tmp / m, arcname=m)
        os.chmod(partial, 0o600)  # holds the link key and personal data
        os.replace(partial, out)
    return {
        "archive": str(out),
        "schema": code,
        "engine": manifest["engine"],
        "objects": sum(counts.values()),
        "files": len(members) - 2,
        "bytes": out.stat().st_size,
    }


# --------------------------------------------------------------------------- restore


def _safe_member(name: str) -> bool:
    p = PurePosixPath(name)
    return not p.is_absolute() and ".." not in p.parts and bool(p.parts)


def _read_archive(archive: Path, into: Path) -> dict[str, Any]:
    """Extract and check the archive into ``into``; return its manifest. Raises BackupError."""
    if not archive.is_file():
        raise BackupError(f"{archive} : fichier introuvable")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for info in tar:
                if not info.isfile() or not _safe_member(info.name):
                    raise BackupError(f"{archive} : membre refusé {info.name!r}")
                dest = into / info.name
                dest.parent.mkdir(parents=True, exist_ok=True)
                src = tar.extractfile(info)
                assert src is not None
                with src, open(dest, "wb") as fh:
                    shutil.copyfileobj(src, fh)
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{archive} : archive illisible ({exc})") from None
    try:
        manifest = json.loads((into / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(f"{archive} : {MANIFEST} absent ou illisible") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} : ce n'est pas une sauvegarde Baromètre")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{archive} : format de sauvegarde {manifest.get('format_version')!r}, "
            f"cette version lit le format {FORMAT_VERSION}"
        )
    files = manifest.get("files")
    if not isinstance(files, dict) or DB_MEMBER not in files or KEY_MEMBER not in files:
        raise BackupError(f"{archive} : manifeste incomplet")
    present = {p.relative_to(into).as_posix() for p in into.rglob("*") if p.is_file()} - {MANIFEST}
    if present != set(files):
        extra = sorted(present ^ set(files))[0]
        raise BackupError(f"{archive} : {extra} absent de l'archive ou du manifeste")
    for member, digest in files.items():
        if _sha256(into / member) != digest:
            raise BackupError(f"{archive} : {member} altéré (somme de contrôle différente)")
    return manifest


def _has_data() -> str | None:
    for model in _models():
        if model._default_manager.exists():
            return model._meta.label
    return None


def restore(archive: Path) -> dict[str, Any]:
    """Restore ``archive`` into an empty database and data directory; nothing is written on refusal."""
    data_dir = Path(settings.DATA_DIR)
    with tempfile.TemporaryDirectory(dir=data_dir, prefix=".restore-") as tmp_name:
        tmp = Path(tmp_name)
        manifest = _read_archive(archive, tmp)
        expected = schema_version()
        if manifest.get("schema") != expected:
            raise BackupError(
                f"{archive} : sauvegarde au schéma {_describe(manifest.get('schema'))}, cette version attend "
                f"{_describe(expected)} ; restaurez avec la version de Baromètre qui l'a écrite"
            )
        key = (tmp / KEY_MEMBER).read_text(encoding="utf-8").strip()
        local_key = getattr(settings, "SECRET_KEY_IS_LOCAL", False) and not getattr(settings, "BAROMETRE_TOKEN_KEY", "")
        if not local_key and token_key_value() != key:
            raise BackupError(
                f"{archive} : la clé des liens de la sauvegarde diffère de celle configurée "
                f"({manifest.get('token_key_source')}) ; configurez-la avec la clé sauvegardée, "
                "sinon aucun lien ne s'ouvrirait"
            )
        for folder in GENERATED:
            target = data_dir / folder
            if target.exists() and any(target.iterdir()):
                raise BackupError(f"{target} n'est pas vide : restaurez dans un dossier de données vide")
        call_command("migrate", interactive=False, verbosity=0)
        busy = _has_data()
        if busy is not None:
            raise BackupError(f"la base contient déjà des données ({busy}) : restaurez dans une base vide")
        loaded = _load(tmp / DB_MEMBER)
        if local_key:
            key_file = data_dir / "secret_key"
            partial = data_dir / ".secret_key.restore"
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(key)
            os.replace(partial, key_file)
        restored_files = 0
        for folder in GENERATED:
            source = tmp / "files" / folder
            if source.is_dir():
                target = data_dir / folder
                if target.exists():
                    shutil.rmtree(target)
                shutil.move(str(source), str(target))
                restored_files += sum(1 for p in target.rglob("*") if p.is_file())
    return {
        "archive": str(archive),
        "schema": expected,
        "from_engine": manifest.get("engine"),
        "engine": connection.vendor,
        "objects": loaded,
        "files": restored_files,
        "token_key": "écrite dans le dossier de données" if local_key else "identique à celle configurée",
    }


def _describe(schema: object) -> str:
    if not isinstance(schema, dict):
        return "inconnu"
    return ", ".join(f"{app} {name}" for app, name in sorted(schema.items()) if app in _app_labels()) or "inconnu"


def _load(path: Path) -> int:
    loaded = 0
    touched: set[type[models.Model]] = set()
    with transaction.atomic(), open(path, encoding="utf-8") as fh:
        batch: list[dict[str, Any]] = []

        def flush() -> None:
            for obj in serializers.deserialize("python", batch):
                obj.save()
                touched.add(type(obj.object))
            batch.clear()

        for line in fh:
            batch.append(json.loads(line))
            loaded += 1
            if len(batch) >= 2000:
                flush()
        flush()
        if touched:
            statements = connection.ops.sequence_reset_sql(no_style(), list(touched))
            if statements:
                with connection.cursor() as cursor:
                    for sql in statements:
                        cursor.execute(sql)
    return loaded


__all__ = ["backup", "restore", "schema_version"]
