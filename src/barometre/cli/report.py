"""``barometre report …``: the note de conjoncture (HTML, PDF, figures) of an edition."""

from __future__ import annotations

import enum
from pathlib import Path

import typer

from barometre.cli.common import FormatOption, OutputFormat, console, print_json, run_guarded, setup_django
from barometre.core.errors import ReportError

report_app = typer.Typer(help="Note de conjoncture d'une édition : HTML autonome, PDF A4 et figures.")


class Lang(enum.StrEnum):
    fr = "fr"
    en = "en"


def build_note(
    year: int, lang: str, out: Path, *, pdf: bool = True, editorial: Path | None = None
) -> dict[str, object]:
    """Read the edition from the database (``apps.editions.reporting.report_input``) and build the note.

    Returns a summary (files and seconds per stage). Needs Django set up.
    """
    try:
        from barometre.apps.editions.reporting import report_input
    except ModuleNotFoundError as exc:  # the Django side is not there yet
        if exc.name != "barometre.apps.editions.reporting":
            raise
        raise ReportError(f"lecture de l'édition impossible : module {exc.name} absent") from None
    from barometre.core.report import build_report

    data = report_input(year, lang, editorial)
    result = build_report(data, out, pdf=pdf)
    return {
        "edition": year,
        "lang": lang,
        "simulated": data.edition.simulated,
        "out_dir": str(result.out_dir),
        "html": str(result.html),
        "pdf": str(result.pdf) if result.pdf else None,
        "figures": len(result.figures),
        "editorial": bool(data.editorial),
        "timings": {k: round(v, 3) for k, v in result.timings.items()},
    }


@report_app.command("build")
def build(
    edition: int = typer.Option(..., "--edition", "-e", help="Année de l'édition."),
    lang: Lang = typer.Option(Lang.fr, "--lang", help="Langue de la note (fr ou en)."),
    out: Path = typer.Option(..., "--out", "-o", help="Dossier de sortie (index.html, note.pdf, figures/)."),
    no_pdf: bool = typer.Option(False, "--no-pdf", help="Ne produit pas le PDF (plus rapide)."),
    editorial: Path | None = typer.Option(
        None,
        "--editorial",
        help="Texte des auteurs (Markdown avec en-tête) : éditorial, enseignements, exemples, recommandations. "
        "Par défaut : data/editorials/editorial-<édition>-<langue>.md s'il existe.",
    ),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Construit la note de conjoncture : index.html, note.pdf et figures/ (SVG, PNG, CSV)."""

    def go() -> None:
        setup_django()
        summary = build_note(edition, lang.value, out, pdf=not no_pdf, editorial=editorial)
        if fmt is OutputFormat.json:
            print_json(summary)
            return
        console.print(f"Note {edition} ({lang.value}) écrite dans {summary['out_dir']}")
        console.print(f"  HTML : {summary['html']}")
        if summary["pdf"]:
            console.print(f"  PDF : {summary['pdf']}")
        console.print(f"  figures : {summary['figures']} fichiers")
        timings = summary["timings"]
        assert isinstance(timings, dict)
        console.print("  durées : " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))

    run_guarded(go)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
