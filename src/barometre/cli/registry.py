"""``barometre registry``: the registry of local authorities (the survey frame)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import typer

from barometre.cli.common import FormatOption, OutputFormat, console, err_console, print_json, run_guarded, safe

HELP = "Registre des collectivités (base de sondage) : chargement, mise à jour, consultation."


def fmt_int(n: int | None) -> str:
    """French thousands separator (narrow no-break space)."""
    if n is None:
        return ""
    return f"{n:,}".replace(",", "\u202f")


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=HELP, no_args_is_help=True)
    app.add_typer(sub, name="registry")

    @sub.command("load")
    def load(
        snapshot: Path | None = typer.Option(
            None, "--snapshot", help="Dossier de l'instantané (défaut : data/registry/ du projet)."
        ),
        fmt: OutputFormat = FormatOption,
    ) -> None:
        """Charge l'instantané du registre dans la base (une transaction, idempotent)."""

        def run() -> None:
            from barometre.cli.common import setup_django

            setup_django()
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            from barometre.apps.registry.loading import load_registry

            with Progress(
                TextColumn("[bold]Registre[/bold] {task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err_console,
                transient=fmt is OutputFormat.json,
                disable=fmt is OutputFormat.json,
            ) as bar:
                task = bar.add_task("lecture", total=None)

                def progress(label: str, done: int, total: int) -> None:
                    bar.update(task, description=label, completed=done, total=total)

                summary = load_registry(snapshot, progress=progress)
            if fmt is OutputFormat.json:
                print_json(summary.to_dict())
                return
            if summary.changed:
                console.print(f"Registre chargé : {summary.message()}", highlight=False)
            else:
                console.print(f"Registre déjà à jour : {summary.message()}", highlight=False)

        run_guarded(run)

    @sub.command("update")
    def update(
        version: str = typer.Option(
            "6.0.0", "--version", help="Version du paquet npm @etalab/decoupage-administratif."
        ),
        package_dir: Path | None = typer.Option(
            None, "--package-dir", help="Paquet déjà décompressé (sinon : npm pack)."
        ),
        snapshot: Path | None = typer.Option(None, "--snapshot", help="Dossier de l'instantané à remplacer."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Afficher les changements sans écrire."),
        fmt: OutputFormat = FormatOption,
    ) -> None:
        """Reconstruit l'instantané depuis npm et affiche ce qui a changé (puis : registry load)."""

        def run() -> None:
            from barometre.core.errors import RegistryError
            from barometre.core.registry import SNAPSHOT_DIR, clear_cache, diff_frames, read_snapshot
            from barometre.core.registry.build import build_snapshot

            target = snapshot or SNAPSHOT_DIR
            try:
                old = read_snapshot(target)
                old_error = None
            except RegistryError as exc:
                old, old_error = None, str(exc)
            with tempfile.TemporaryDirectory(prefix="barometre-registry-new-") as tmp:
                new_dir = Path(tmp) / "registry"
                build_snapshot(new_dir, version, package_dir=package_dir)
                new = read_snapshot(new_dir)
                written = False
                if not dry_run:
                    target.mkdir(parents=True, exist_ok=True)
                    for name in ("authorities.json.gz", "manifest.json"):  # manifest last
                        shutil.copyfile(new_dir / name, target / (name + ".tmp"))
                        (target / (name + ".tmp")).replace(target / name)
                    clear_cache()
                    written = True
            result: dict[str, Any] = {
                "version": new.info.version,
                "cog": new.info.cog,
                "population_millesime": new.info.population_millesime,
                "sha256": new.info.sha256,
                "previous": None if old is None else {"version": old.info.version, "sha256": old.info.sha256},
                "previous_error": old_error,
                "written": written,
                "snapshot": str(target),
            }
            if old is not None:
                result["changes"] = diff_frames(old, new).to_dict()
            if fmt is OutputFormat.json:
                print_json(result)
                return
            _print_update(result)

        run_guarded(run)

    @sub.command("stats")
    def stats(fmt: OutputFormat = FormatOption) -> None:
        """Effectifs par nature, type et strate ; population totale ; source et millésime."""

        def run() -> None:
            from barometre.cli.common import setup_django

            setup_django()
            from barometre.apps.registry.queries import registry_stats

            data = registry_stats()
            if fmt is OutputFormat.json:
                print_json(data)
                return
            _print_stats(data)

        run_guarded(run)

    @sub.command("show")
    def show(
        code: str = typer.Argument(..., help="Code INSEE, SIREN, code de département (75, 2A...) ou REG-xx."),
        fmt: OutputFormat = FormatOption,
    ) -> None:
        """Affiche une collectivité : nature, type, population, strate, rattachements, membres."""

        def run() -> None:
            from barometre.cli.common import setup_django

            setup_django()
            from barometre.apps.registry.queries import require_authority

            a = require_authority(code)
            data = _authority_dict(a, with_members=True)
            if fmt is OutputFormat.json:
                print_json(data)
                return
            _print_authority(data)

        run_guarded(run)

    @sub.command("search")
    def search(
        text: str = typer.Argument(..., help="Nom (casse, accents, tirets et saint/st indifférents)."),
        kind: str | None = typer.Option(
            None, "--kind", help="commune, epci, departement, region, collectivite_unique, metropole_lyon"
        ),
        limit: int = typer.Option(20, "--limit", min=1, max=500, help="Nombre maximum de résultats."),
        fmt: OutputFormat = FormatOption,
    ) -> None:
        """Recherche une collectivité par son nom (résultats classés)."""

        def run() -> None:
            from barometre.core.errors import RegistryError
            from barometre.core.registry import Kind

            try:
                k = Kind(kind) if kind else None
            except ValueError:
                raise RegistryError(
                    f"nature inconnue : {kind} (attendu : {', '.join(x.value for x in Kind)})"
                ) from None
            from barometre.cli.common import setup_django

            setup_django()
            from barometre.apps.registry.queries import search_authorities

            rows = [_authority_dict(a) for a in search_authorities(text, kind=k, limit=limit)]
            if fmt is OutputFormat.json:
                print_json(rows)
                return
            if not rows:
                console.print(f"Aucune collectivité ne correspond à « {text} ».", highlight=False)
                return
            from rich.table import Table

            table = Table(title=f"Recherche « {safe(text)} »")
            for col in ("Code", "Nom", "Nature", "Type", "Dép.", "Population municipale"):
                table.add_column(col, justify="right" if col.startswith("Population") else "left")
            for r in rows:
                table.add_row(
                    safe(r["code"]),
                    safe(r["name"]),
                    r["kind"],
                    r["type"],
                    r["departement"] or "",
                    fmt_int(r["population_municipale"]),
                )
            console.print(table)

        run_guarded(run)


def _authority_dict(a: Any, *, with_members: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": a.code,
        "siren": a.siren or None,
        "name": a.name,
        "kind": a.kind,
        "kind_label": a.kind_label,
        "type": a.type,
        "type_label": a.type_label,
        "population_municipale": a.population_municipale,
        "population_millesime": a.population_millesime,
        "stratum": a.stratum,
        "stratum_label": a.stratum_label,
        "region": a.region,
        "departement": a.departement or None,
        "active": a.active,
    }
    if not with_members:
        return data
    data["departements"] = a.departements
    data["former_codes"] = a.former_codes
    data["region_council"] = _ref(a.region_council)
    data["departement_council"] = _ref(a.departement_council)
    data["epci"] = _ref(a.epci)
    if a.source_population_municipale is not None:
        data["source_population_municipale"] = a.source_population_municipale
        data["source_population_totale"] = a.source_population_totale
    if a.kind in ("epci", "metropole_lyon"):
        data["members"] = [
            {"code": m.code, "name": m.name, "population_municipale": m.population_municipale}
            for m in a.members.filter(active=True).order_by("code")
        ]
    return data


def _ref(a: Any) -> dict[str, Any] | None:
    if a is None:
        return None
    return {"code": a.code, "name": a.name, "kind": a.kind, "type": a.type}


def _print_authority(d: dict[str, Any]) -> None:
    from rich.table import Table

    t = Table(title=f"{safe(d['name'])} ({safe(d['code'])})", show_header=False)
    t.add_column("champ", style="bold")
    t.add_column("valeur")
    t.add_row("Nature", f"{d['kind_label']} ({d['kind']})")
    t.add_row("Type", f"{d['type_label']} ({d['type']})")
    t.add_row("Code", d["code"])
    t.add_row("SIREN", d["siren"] or "— (absent de la source)")
    t.add_row(
        f"Population municipale {d['population_millesime']}",
        f"{fmt_int(d['population_municipale'])} hab. (INSEE, population municipale)",
    )
    t.add_row("Strate", f"{d['stratum_label']} ({d['stratum']})")
    t.add_row("Région (code INSEE)", d["region"])
    if d["departement"]:
        t.add_row("Département (code INSEE)", d["departement"])
    if d["departements"] and len(d["departements"]) > 1:
        t.add_row("Départements couverts", ", ".join(d["departements"]))
    for key, label in (
        ("epci", "Intercommunalité"),
        ("departement_council", "Compétences départementales"),
        ("region_council", "Compétences régionales"),
    ):
        ref = d.get(key)
        if ref:
            t.add_row(label, f"{safe(ref['name'])} ({safe(ref['code'])})")
    if d["former_codes"]:
        t.add_row("Anciens codes INSEE", ", ".join(d["former_codes"]))
    if "source_population_municipale" in d:
        t.add_row(
            "Population de la source (DGCL)",
            f"{fmt_int(d['source_population_municipale'])} municipale, "
            f"{fmt_int(d['source_population_totale'])} totale (autre millésime, non utilisée)",
        )
    if not d["active"]:
        t.add_row("Statut", "retirée du registre courant")
    console.print(t)
    members = d.get("members")
    if members is not None:
        mt = Table(title=f"{len(members)} communes membres")
        mt.add_column("Code INSEE")
        mt.add_column("Nom")
        mt.add_column(f"Population municipale {d['population_millesime']}", justify="right")
        for m in members:
            mt.add_row(safe(m["code"]), safe(m["name"]), fmt_int(m["population_municipale"]))
        console.print(mt)


def _print_stats(data: dict[str, Any]) -> None:
    from rich.table import Table

    from barometre.core.registry import KIND_LABELS, STRATUM_LABELS, TYPE_LABELS

    src = data["source"]
    console.print(
        f"Registre : {src['package']} {src['version']} (COG {src['cog']}), "
        f"population municipale INSEE millésime {src['population_millesime']}",
        highlight=False,
    )
    console.print(
        f"{fmt_int(data['total'])} collectivités ; {fmt_int(data['communes'])} communes totalisant "
        f"{fmt_int(data['population_municipale_total'])} habitants "
        f"(population municipale {src['population_millesime']})",
        highlight=False,
    )
    for key, title, labels in (
        ("by_kind", "Par nature", {k.value: v for k, v in KIND_LABELS.items()}),
        ("by_type", "Par type", dict(TYPE_LABELS)),
        ("by_stratum", "Par strate", {k.value: v for k, v in STRATUM_LABELS.items()}),
    ):
        field = key.removeprefix("by_")
        t = Table(title=title)
        t.add_column("Code")
        t.add_column("Libellé")
        t.add_column("Effectif", justify="right")
        t.add_column("Population municipale", justify="right")
        for r in data[key]:
            t.add_row(
                r[field], labels.get(r[field], r[field]), fmt_int(r["count"]), fmt_int(r["population_municipale"])
            )
        console.print(t)


def _print_update(result: dict[str, Any]) -> None:
    console.print(
        f"Nouvel instantané : @etalab/decoupage-administratif {result['version']} (COG {result['cog']}, "
        f"population municipale {result['population_millesime']}), sha256 {result['sha256'][:12]}…",
        highlight=False,
    )
    if result["previous"] is None:
        console.print(f"Pas d'instantané précédent lisible ({result['previous_error']}).", highlight=False)
    else:
        changes = result["changes"]
        c = changes["counts"]
        console.print(
            f"Depuis {result['previous']['version']} : {c['added']} ajoutées, {c['removed']} supprimées, "
            f"{c['merged']} fusionnées, {c['renamed']} renommées, {c['type_changed']} changements de type, "
            f"{c['epci_changed']} changements d'EPCI, {c['population_changed']} changements de population.",
            highlight=False,
        )
        for key, label in (("added", "Ajoutée"), ("removed", "Supprimée")):
            for a in changes[key][:50]:
                console.print(f"  {label} : {a['name']} ({a['code']}, {a['kind']})", highlight=False)
        for ch in changes["merged"][:50]:
            console.print(
                f"  Fusionnée : {ch['old_name']} ({ch['old_code']}) → {ch['new_name']} ({ch['code']})", highlight=False
            )
        for ch in changes["renamed"][:50]:
            console.print(f"  Renommée : {ch['old_name']} → {ch['new_name']} ({ch['code']})", highlight=False)
        for ch in changes["population_changed"][:10]:
            console.print(
                f"  Population : {ch['new_name']} ({ch['code']}) {fmt_int(ch['old_population_municipale'])} → "
                f"{fmt_int(ch['new_population_municipale'])}",
                highlight=False,
            )
    if result["written"]:
        console.print(f"Instantané écrit dans {result['snapshot']} ; chargez-le avec « barometre registry load ».")
    else:
        console.print("Essai à blanc : rien n'a été écrit.")
