"""``barometre questionnaire validate|diff|export|import|show``."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from barometre.cli.common import FormatOption, OutputFormat, console, err_console, print_json, print_table, safe
from barometre.core.errors import BarometreError
from barometre.core.questionnaire.loader import available_editions, check_file, load, load_edition
from barometre.core.questionnaire.schema import Questionnaire, QuestionnaireInvalid

app = typer.Typer(help="Questionnaires : valider, comparer deux éditions, exporter et importer (XLSForm).")


class ExportFormat(StrEnum):
    xlsform = "xlsform"
    yaml = "yaml"


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="questionnaire")


def _error(message: str) -> None:
    err_console.print(f"[red]erreur[/red] : {safe(message)}", highlight=False, soft_wrap=True, markup=True)


def _resolve(ref: str) -> Questionnaire:
    """An edition year (``2025``) or a path to a YAML file."""
    if ref.isdigit() and not Path(ref).exists():
        return load_edition(int(ref))
    return load(ref)


def _guard_load(ref: str) -> Questionnaire:
    try:
        return _resolve(ref)
    except QuestionnaireInvalid as exc:
        for issue in exc.issues:
            err_console.print(str(issue), highlight=False, soft_wrap=True, markup=False)
        raise typer.Exit(1) from None
    except BarometreError as exc:
        _error(str(exc))
        raise typer.Exit(2) from None


@app.command("validate")
def validate(
    files: list[str] = typer.Argument(None, help="Fichiers YAML ou années (défaut : toutes les éditions)."),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Valider des questionnaires ; statut 1 avec chaque erreur (fichier:ligne:colonne: message)."""
    from barometre.core.paths import POLL_QUESTIONNAIRES_DIR
    from barometre.core.questionnaire.loader import edition_path

    targets = files or [str(e) for e in available_editions()]
    paths = [edition_path(int(t)) if t.isdigit() and not Path(t).exists() else Path(t) for t in targets]
    if not files:
        paths += [edition_path(e, POLL_QUESTIONNAIRES_DIR) for e in available_editions(POLL_QUESTIONNAIRES_DIR)]
    all_issues = []
    report = []
    for path in paths:
        issues = check_file(path)
        all_issues.extend(issues)
        report.append({"file": str(path), "ok": not issues, "errors": [str(i) for i in issues]})
        if fmt is OutputFormat.text and not issues:
            console.print(f"{path} : valide", highlight=False)
    if fmt is OutputFormat.json:
        print_json(report)
    for issue in all_issues:
        err_console.print(str(issue), highlight=False, soft_wrap=True, markup=False)
    if all_issues:
        err_console.print(f"{len(all_issues)} erreur(s)", highlight=False)
        raise typer.Exit(1)


@app.command("show")
def show(
    edition: str = typer.Argument(..., help="Année de l'édition ou fichier YAML."),
    lang: str = typer.Option("fr", "--lang", help="Langue des libellés (fr ou en)."),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Afficher les sections et questions d'une édition."""
    qn = _guard_load(edition)
    rows = [
        {
            "section": q.section,
            "id": q.id,
            "type": q.type.value,
            "obligatoire": "oui" if q.required else "",
            "condition": q.relevant.source if q.relevant else "",
            "libellé": q.label.get(lang),
            "alimente": " ".join(q.feeds),
        }
        for q in qn.questions
    ]
    if fmt is OutputFormat.json:
        from barometre.core.questionnaire.writer import to_dict

        print_json(to_dict(qn))
        return
    print_table(rows, title=f"{qn.title.get(lang)} — {len(qn)} questions")


@app.command("diff")
def diff_cmd(
    old: str = typer.Argument(..., help="Édition (année) ou fichier de départ."),
    new: str = typer.Argument(..., help="Édition (année) ou fichier d'arrivée."),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Questions ajoutées, supprimées, reformulées et renommées entre deux éditions."""
    from barometre.core.questionnaire.diff import diff

    d = diff(_guard_load(old), _guard_load(new))
    if fmt is OutputFormat.json:
        print_json(d.as_dict())
        return
    console.print(f"Édition {d.old} → {d.new}", highlight=False)
    for label, ids in (("Ajoutées", d.added), ("Supprimées", d.removed)):
        console.print(f"{label} ({len(ids)}) : {', '.join(ids) or '—'}", highlight=False)
    rows = []
    for c in d.changed:
        rows.append(
            {
                "question": c.new_id if not c.remapped else f"{c.old_id} → {c.new_id}",
                "nature": "renommée" if c.remapped else ("reformulée" if "wording" in c.detected else "modifiée"),
                "changements détectés": ", ".join(c.detected) or "—",
                "déclarés (changes)": ", ".join(c.declared) or "—",
                "non déclarés": ", ".join(c.undeclared) or "",
            }
        )
    if rows:
        print_table(rows, title="Questions modifiées (rupture de série possible)")
    else:
        console.print("Aucune question modifiée.")


@app.command("export")
def export(
    out: Path = typer.Argument(..., help="Fichier de sortie (.xlsx pour XLSForm)."),
    edition: str = typer.Option(..., "--edition", help="Année de l'édition ou fichier YAML."),
    fmt: ExportFormat = typer.Option(ExportFormat.xlsform, "--format", help="xlsform ou yaml."),
) -> None:
    """Exporter une édition en XLSForm (feuilles survey, choices, settings)."""
    qn = _guard_load(edition)
    if fmt is ExportFormat.xlsform:
        from barometre.core.questionnaire.xlsform import export_xlsform

        export_xlsform(qn, out)
    else:
        from barometre.core.questionnaire.writer import dump

        out.write_text(dump(qn), encoding="utf-8")
    console.print(f"{out} écrit ({len(qn)} questions)", highlight=False)


@app.command("import")
def import_cmd(
    form: Path = typer.Argument(..., help="Classeur XLSForm (.xlsx)."),
    out: Path | None = typer.Option(None, "--out", help="Fichier YAML à écrire (défaut : sortie standard)."),
) -> None:
    """Importer un XLSForm en YAML ; statut 1 avec un message par ligne non prise en charge."""
    from barometre.core.questionnaire.xlsform import XLSFormRefused, import_xlsform

    try:
        result = import_xlsform(form)
    except XLSFormRefused as exc:
        for message in exc.messages:
            err_console.print(message, highlight=False, soft_wrap=True, markup=False)
        raise typer.Exit(1) from None
    for warning in result.warnings:
        err_console.print(f"attention : {warning}", highlight=False, soft_wrap=True, markup=False)
    if out is None:
        sys.stdout.write(result.yaml)
    else:
        out.write_text(result.yaml, encoding="utf-8")
        console.print(f"{out} écrit ({len(result.questionnaire)} questions)", highlight=False)
