"""Load a snapshot into the database: one transaction, idempotent, fast (bulk operations).

The snapshot is read and fully verified before the database is touched, so an
invalid snapshot leaves the previous registry as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from barometre.apps.registry.models import Authority as AuthorityRow
from barometre.apps.registry.models import RegistryLoad
from barometre.core.registry import SNAPSHOT_DIR, Frame, Kind, read_snapshot
from barometre.core.registry.model import REGIONAL_TYPES, Authority
from barometre.core.registry.search import normalize

#: progress(step label, done, total)
Progress = Callable[[str, int, int], None]

#: Fields compared (and written) for each row.
FIELDS = (
    "siren",
    "name",
    "name_search",
    "kind",
    "type",
    "population_municipale",
    "population_millesime",
    "stratum",
    "region",
    "departement",
    "departements",
    "former_codes",
    "epci_id",
    "region_council_id",
    "departement_council_id",
    "source_population_municipale",
    "source_population_totale",
    "active",
)
BATCH = 2000


@dataclass
class LoadSummary:
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    unchanged: int = 0
    total: int = 0
    version: str = ""
    cog: int = 0
    population_millesime: int = 0
    sha256: str = ""
    counts_by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deactivated)

    def message(self) -> str:
        return (
            f"{self.created} ajoutées, {self.updated} modifiées, {self.deactivated} supprimées "
            f"({self.unchanged} inchangées ; registre {self.version}, COG {self.cog}, "
            f"population municipale {self.population_millesime})"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "deactivated": self.deactivated,
            "unchanged": self.unchanged,
            "total": self.total,
            "version": self.version,
            "cog": self.cog,
            "population_millesime": self.population_millesime,
            "sha256": self.sha256,
            "counts_by_kind": self.counts_by_kind,
            "message": self.message(),
        }


def _phase(a: Authority) -> int:
    """Load order so that every foreign key points to a row already written."""
    if a.kind is Kind.REGION or (a.kind is Kind.COLLECTIVITE_UNIQUE and a.type in REGIONAL_TYPES):
        return 0
    if a.kind in (Kind.DEPARTEMENT, Kind.COLLECTIVITE_UNIQUE, Kind.METROPOLE_LYON):
        return 1
    if a.kind is Kind.EPCI:
        return 2
    return 3


PHASE_LABELS = ("régions", "départements", "intercommunalités", "communes")


def load_registry(
    snapshot: Path | Frame | None = None,
    *,
    progress: Progress | None = None,
) -> LoadSummary:
    """Load ``snapshot`` (a directory, an already read frame, or the committed one) into the database."""
    frame = snapshot if isinstance(snapshot, Frame) else read_snapshot(snapshot or SNAPSHOT_DIR)
    summary = LoadSummary(
        total=len(frame),
        version=frame.info.version,
        cog=frame.info.cog,
        population_millesime=frame.info.population_millesime,
        sha256=frame.info.sha256,
    )
    for a in frame:
        summary.counts_by_kind[a.kind.value] = summary.counts_by_kind.get(a.kind.value, 0) + 1
    phases: list[list[Authority]] = [[], [], [], []]
    for a in frame:
        phases[_phase(a)].append(a)
    total = len(frame)
    done = 0

    with transaction.atomic():
        existing: dict[str, AuthorityRow] = {r.code: r for r in AuthorityRow.objects.all().iterator(chunk_size=5000)}
        pk_of: dict[str, int] = {code: r.pk for code, r in existing.items()}
        deferred: list[tuple[str, str, str]] = []
        for index, items in enumerate(phases):
            label = PHASE_LABELS[index]
            to_create: list[AuthorityRow] = []
            to_update: list[AuthorityRow] = []
            for a in items:
                values = _values(frame, a, pk_of, deferred)
                row = existing.get(a.code)
                if row is None:
                    to_create.append(AuthorityRow(code=a.code, **values))
                    continue
                if any(getattr(row, k) != v for k, v in values.items()):
                    for k, v in values.items():
                        setattr(row, k, v)
                    to_update.append(row)
                else:
                    summary.unchanged += 1
            for chunk in _chunks(to_create, BATCH):
                created = AuthorityRow.objects.bulk_create(chunk)
                for r in created:
                    if r.pk is None:  # backends that do not return ids
                        break
                    pk_of[r.code] = r.pk
                else:
                    done += len(chunk)
                    if progress:
                        progress(label, done, total)
                    continue
                pk_of.update(AuthorityRow.objects.filter(code__in=[r.code for r in chunk]).values_list("code", "pk"))
                done += len(chunk)
                if progress:
                    progress(label, done, total)
            for chunk in _chunks(to_update, BATCH):
                AuthorityRow.objects.bulk_update(chunk, list(FIELDS), batch_size=500)
                done += len(chunk)
                if progress:
                    progress(label, done, total)
            done += len(items) - len(to_create) - len(to_update)
            if progress:
                progress(label, done, total)
            summary.created += len(to_create)
            summary.updated += len(to_update)

        for code, fk_field, target in deferred:
            AuthorityRow.objects.filter(pk=pk_of[code]).update(**{fk_field: pk_of[target]})
        codes = {a.code for a in frame}
        gone = [r.pk for code, r in existing.items() if code not in codes and r.active]
        for chunk in _chunks(gone, BATCH):
            AuthorityRow.objects.filter(pk__in=chunk).update(active=False, epci=None)
        summary.deactivated = len(gone)
        RegistryLoad.objects.create(
            package=frame.info.package,
            version=frame.info.version,
            cog=frame.info.cog,
            population_millesime=frame.info.population_millesime,
            sha256=frame.info.sha256,
            created=summary.created,
            updated=summary.updated,
            deactivated=summary.deactivated,
            unchanged=summary.unchanged,
        )
    return summary


def _values(frame: Frame, a: Authority, pk_of: dict[str, int], deferred: list[tuple[str, str, str]]) -> dict[str, Any]:
    reg, dep = frame.councils_of(a)

    def fk(field: str, target: str | None) -> int | None:
        if target is None:
            return None
        if target not in pk_of:  # written in a later phase (e.g. the Grand Paris → Ville de Paris)
            deferred.append((a.code, field, target))
            return None
        return pk_of[target]

    return {
        "siren": a.siren or "",
        "name": a.name,
        "name_search": normalize(a.name)[:200],
        "kind": a.kind.value,
        "type": a.type,
        "population_municipale": a.population_municipale,
        "population_millesime": a.population_millesime,
        "stratum": a.stratum.value,
        "region": a.region,
        "departement": a.departement or "",
        "departements": list(a.departements),
        "former_codes": list(a.former_codes),
        "epci_id": fk("epci_id", a.epci),
        "region_council_id": fk("region_council_id", reg),
        "departement_council_id": fk("departement_council_id", dep),
        "source_population_municipale": a.source_population_municipale,
        "source_population_totale": a.source_population_totale,
        "active": True,
    }


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
