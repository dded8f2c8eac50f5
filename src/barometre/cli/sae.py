"""``barometre sae estimate``: small-area estimates (Fay–Herriot) by département or région."""

from __future__ import annotations

import typer

from barometre.cli.common import FormatOption, OutputFormat, console, print_json, print_table, setup_django

sae_app = typer.Typer(help="Estimations par petits domaines (modèle de Fay–Herriot) par département ou région.")

#: Columns of every output row (the issue's contract), then the diagnostics (JSON only).
COLUMNS = ["area", "direct", "direct_se", "eblup", "mse", "cv", "n", "method"]
EXTRA = ["name", "direct_reason", "shrinkage", "std_residual", "direct_vs_model", "variance_source"]


@sae_app.command("estimate")
def estimate(
    edition: int = typer.Option(..., "--edition", "-e"),
    indicator: str = typer.Option(..., "--indicator", "-i", help="Identifiant de l'indicateur."),
    level: str = typer.Option("departement", "--level", help="departement ou region."),
    fmt: OutputFormat = FormatOption,
) -> None:
    """Estimation directe et estimation par modèle (EBLUP ou synthétique) de chaque aire, avec EQM et CV."""
    setup_django()
    from barometre.apps.editions import smallarea

    result = smallarea.estimate(edition, indicator, level)
    rows = [{c: getattr(r, c) for c in COLUMNS + EXTRA} for r in result.rows]
    label = "données simulées" if result.simulated else ""
    if fmt is OutputFormat.json:
        print_json(
            {
                "edition": edition,
                "indicator": indicator,
                "level": result.level,
                "simulated": result.simulated,
                "label": label,
                "unit": "percent (eblup, direct, direct_se); percent² (mse); ratio (cv)",
                "model": result.check.to_dict(),
                "rows": rows,
            }
        )
        return
    title = f"{indicator} par {level}, édition {edition}" + (" (données simulées)" if label else "")
    shown = [{k: round(v, 3 if k == "cv" else 1) if isinstance(v, float) else v for k, v in r.items()} for r in rows]
    print_table(shown, ["area", "name", *COLUMNS[1:]], title=title)
    c = result.check
    console.print(
        f"Modèle {c.method} sur {c.areas_fitted} aires : σ²ᵤ = {c.refvar:.2f}"
        + (" (tronquée à 0)" if c.refvar_truncated else "")
        + f", log-vraisemblance {c.loglike:.2f}, AIC {c.aic:.2f}, BIC {c.bic:.2f}, "
        f"{len(c.contradictions)} aire(s) où direct et modèle divergent au-delà de 1,96"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(sae_app, name="sae")
