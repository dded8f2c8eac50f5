"""The committed snapshot: a gzip JSON payload plus a manifest with its sha256.

Reading verifies everything (size, checksum, gzip stream, JSON shape, values,
references) and raises :class:`RegistryError` with the file and what is wrong,
so a truncated or corrupted snapshot is never half-used.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from barometre.core.errors import RegistryError
from barometre.core.registry.model import Authority, AuthorityType, Frame, Kind, SnapshotInfo
from barometre.core.registry.strata import stratum_for

FORMAT = 1
MANIFEST_NAME = "manifest.json"
PAYLOAD_NAME = "authorities.json.gz"
COLUMNS: tuple[str, ...] = (
    "code",
    "siren",
    "name",
    "kind",
    "type",
    "population_municipale",
    "region",
    "departement",
    "epci",
    "departements",
    "former_codes",
    "source_population_municipale",
    "source_population_totale",
)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def encode_payload(authorities: Iterable[Authority]) -> bytes:
    rows = [
        [
            a.code,
            a.siren,
            a.name,
            a.kind.value,
            a.type,
            a.population_municipale,
            a.region,
            a.departement,
            a.epci,
            list(a.departements),
            list(a.former_codes),
            a.source_population_municipale,
            a.source_population_totale,
        ]
        for a in sorted(authorities, key=lambda a: (a.kind.value, a.code))
    ]
    body = json.dumps(
        {"format": FORMAT, "columns": list(COLUMNS), "rows": rows}, ensure_ascii=False, separators=(",", ":")
    )
    # mtime=0: same content → same bytes → same checksum.
    return gzip.compress(body.encode("utf-8"), compresslevel=9, mtime=0)


def write_snapshot(
    directory: Path, authorities: Sequence[Authority], manifest_extra: Mapping[str, Any]
) -> dict[str, Any]:
    """Write payload then manifest (the manifest last: it validates the payload)."""
    directory.mkdir(parents=True, exist_ok=True)
    payload = encode_payload(authorities)
    counts: dict[str, int] = {}
    for a in authorities:
        counts[a.kind.value] = counts.get(a.kind.value, 0) + 1
    manifest: dict[str, Any] = {
        "format": FORMAT,
        **manifest_extra,
        "payload": {
            "file": PAYLOAD_NAME,
            "sha256": sha256_bytes(payload),
            "bytes": len(payload),
            "count": len(authorities),
            "counts_by_kind": dict(sorted(counts.items())),
        },
    }
    tmp = directory / (PAYLOAD_NAME + ".tmp")
    tmp.write_bytes(payload)
    tmp.replace(directory / PAYLOAD_NAME)
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    tmp_m = directory / (MANIFEST_NAME + ".tmp")
    tmp_m.write_text(text, encoding="utf-8")
    tmp_m.replace(directory / MANIFEST_NAME)
    return manifest


def read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RegistryError(
            "manifeste du registre introuvable (lancez « barometre registry update »)", location=str(path)
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RegistryError(f"manifeste illisible : {exc.msg}", location=f"{path}:{exc.lineno}:{exc.colno}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("payload"), dict):
        raise RegistryError(f"manifeste d'un format inattendu (attendu : format {FORMAT})", location=str(path))
    return data


def _info(manifest: Mapping[str, Any], path: Path) -> SnapshotInfo:
    try:
        src = manifest["source"]
        pop = manifest["population"]
        return SnapshotInfo(
            package=str(src["package"]),
            version=str(src["version"]),
            cog=int(src["cog"]),
            population_millesime=int(pop["communes"]["millesime"]),
            population_label=str(pop["communes"]["label"]),
            epci_population_note=str(pop["epci"]["method"]),
            sha256=str(manifest["payload"]["sha256"]),
            built_at=str(manifest.get("built_at", "")),
            extra={k: v for k, v in manifest.items() if k not in {"source", "population", "payload", "format"}},
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise RegistryError(f"manifeste incomplet : champ {exc} manquant ou invalide", location=str(path)) from None


def read_snapshot(directory: Path) -> Frame:
    """Read and verify the snapshot in ``directory``; raise RegistryError if anything is off."""
    manifest = read_manifest(directory)
    mpath = directory / MANIFEST_NAME
    info = _info(manifest, mpath)
    meta = manifest["payload"]
    ppath = directory / str(meta.get("file", PAYLOAD_NAME))
    try:
        raw = ppath.read_bytes()
    except FileNotFoundError:
        raise RegistryError("fichier de données du registre introuvable", location=str(ppath)) from None
    if isinstance(meta.get("bytes"), int) and len(raw) != meta["bytes"]:
        raise RegistryError(
            f"instantané tronqué ou modifié : {len(raw)} octets au lieu de {meta['bytes']} annoncés par le manifeste",
            location=str(ppath),
        )
    digest = sha256_bytes(raw)
    if digest != meta.get("sha256"):
        raise RegistryError(
            f"somme de contrôle invalide (sha256 {digest[:12]}…, attendu {str(meta.get('sha256'))[:12]}…) : "
            "instantané corrompu ; restaurez data/registry/ ou relancez « barometre registry update »",
            location=str(ppath),
        )
    authorities = decode_payload(raw, info.population_millesime, location=str(ppath))
    if isinstance(meta.get("count"), int) and len(authorities) != meta["count"]:
        raise RegistryError(
            f"{len(authorities)} collectivités lues au lieu de {meta['count']} annoncées", location=str(ppath)
        )
    frame = Frame(authorities, info)
    check_references(frame, location=str(ppath))
    return frame


def verified_checksum(directory: Path) -> str:
    """The sha256 of the snapshot's payload, checked against its manifest (RegistryError if not):
    the key of what is derived from a snapshot and kept between runs (the frame's arrays)."""
    meta = read_manifest(directory)["payload"]
    ppath = directory / str(meta.get("file", PAYLOAD_NAME))
    try:
        digest = sha256_bytes(ppath.read_bytes())
    except FileNotFoundError:
        raise RegistryError("fichier de données du registre introuvable", location=str(ppath)) from None
    if digest != meta.get("sha256"):
        raise RegistryError(
            f"somme de contrôle invalide (sha256 {digest[:12]}…, attendu {str(meta.get('sha256'))[:12]}…) : "
            "instantané corrompu ; restaurez data/registry/ ou relancez « barometre registry update »",
            location=str(ppath),
        )
    return digest


def decode_payload(raw: bytes, millesime: int, *, location: str) -> list[Authority]:
    try:
        body = gzip.decompress(raw)
        data = json.loads(body.decode("utf-8"))
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RegistryError(f"instantané illisible (gzip/JSON) : {exc}", location=location) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("columns") != list(COLUMNS):
        raise RegistryError("instantané d'un format inattendu (colonnes ou version)", location=location)
    rows = data.get("rows")
    if not isinstance(rows, list):
        raise RegistryError("instantané sans lignes", location=location)
    out: list[Authority] = []
    for i, row in enumerate(rows):
        out.append(_row_to_authority(row, millesime, location=f"{location}:row {i + 1}"))
    return out


def _opt_str(v: Any) -> str | None:
    if v is None:
        return None
    if not isinstance(v, str):
        raise TypeError(f"texte attendu, lu {v!r}")
    return v


def _opt_int(v: Any) -> int | None:
    if v is None:
        return None
    if not isinstance(v, int) or isinstance(v, bool) or v < 0:
        raise ValueError(f"entier positif attendu, lu {v!r}")
    return v


def _str_tuple(v: Any) -> tuple[str, ...]:
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise TypeError(f"liste de codes attendue, lu {v!r}")
    return tuple(v)


def _row_to_authority(row: Any, millesime: int, *, location: str) -> Authority:
    if not isinstance(row, list) or len(row) != len(COLUMNS):
        raise RegistryError(f"ligne mal formée ({len(COLUMNS)} colonnes attendues)", location=location)
    values = dict(zip(COLUMNS, row, strict=True))
    try:
        kind = Kind(values["kind"])
        type_ = values["type"]
        if type_ not in AuthorityType.ALL:
            raise ValueError(f"type inconnu {type_!r}")
        population = _opt_int(values["population_municipale"])
        if population is None:
            raise ValueError("population manquante")
        code = values["code"]
        name = values["name"]
        region = values["region"]
        if not (isinstance(code, str) and code and isinstance(name, str) and name and isinstance(region, str)):
            raise ValueError("code, nom ou région manquant")
        return Authority(
            code=code,
            siren=_opt_str(values["siren"]),
            name=name,
            kind=kind,
            type=type_,
            population_municipale=population,
            population_millesime=millesime,
            stratum=stratum_for(kind, type_, population),
            region=region,
            departement=_opt_str(values["departement"]),
            epci=_opt_str(values["epci"]),
            departements=_str_tuple(values["departements"]),
            former_codes=_str_tuple(values["former_codes"]),
            source_population_municipale=_opt_int(values["source_population_municipale"]),
            source_population_totale=_opt_int(values["source_population_totale"]),
        )
    except (ValueError, TypeError) as exc:
        raise RegistryError(f"valeur invalide : {exc}", location=location) from None


def check_references(frame: Frame, *, location: str) -> None:
    """Every commune's EPCI exists and is an EPCI or the Métropole de Lyon."""
    for a in frame:
        if a.epci is None:
            continue
        target = frame.find(a.epci)
        if target is None or target.kind not in (Kind.EPCI, Kind.METROPOLE_LYON):
            raise RegistryError(f"{a.code} ({a.name}) rattachée à un EPCI inconnu : {a.epci}", location=location)
