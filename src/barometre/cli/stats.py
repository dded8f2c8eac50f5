"""``barometre stats``: survey estimates (numbers identical to R ``survey``), Fay–Herriot (R ``sae``)."""

from __future__ import annotations

from pathlib import Path

import typer

from barometre.cli.common import FormatOption, OutputFormat, print_json, print_table, run_guarded


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="Estimations d'enquête (moyennes, totaux, quantiles, ratios).", no_args_is_help=True)

    @sub.command("estimate")
    def estimate(
        case: Path = typer.Argument(..., help="Fichier JSON de cas (données, plan, ajustement, requêtes)."),
        fmt: OutputFormat = FormatOption,
    ) -> None:
        """Calcule les estimations demandées par un fichier de cas."""

        def go() -> None:
            from barometre.core.stats.frame import run_case

            rows = run_case(case)
            if fmt == OutputFormat.json:
                print_json({"results": rows})
            else:
                cols = [
                    "request_index",
                    "statistic",
                    "variable",
                    "level_of_factor",
                    "domain_value",
                    "estimate",
                    "se",
                    "ci_low",
                    "ci_high",
                ]
                print_table(rows, cols, title=f"Estimations : {case.name}")

        run_guarded(go)

    @sub.command("fh")
    def fh(
        case: Path = typer.Argument(..., help="Fichier JSON de cas Fay–Herriot (méthode, données, covariables)."),
        fmt: OutputFormat = FormatOption,
    ) -> None:
        """Ajuste un modèle de Fay–Herriot (REML, ML ou FH) : EBLUP, EQM, coefficients (comme R sae)."""

        def go() -> None:
            from barometre.core.sae.case import run_fh_case

            result = run_fh_case(case)
            if fmt == OutputFormat.json:
                print_json(result)
            else:
                rows = [
                    {"area": i + 1, "eblup": e, "mse": m}
                    for i, (e, m) in enumerate(zip(result["eblup"], result["mse"], strict=True))
                ]
                print_table(rows, ["area", "eblup", "mse"], title=f"Fay–Herriot : {case.name}")
                print_table(
                    [{k: result[k] for k in ("refvar", "loglike", "aic", "bic")}],
                    ["refvar", "loglike", "aic", "bic"],
                    title="Ajustement",
                )

        run_guarded(go)

    app.add_typer(sub, name="stats")
