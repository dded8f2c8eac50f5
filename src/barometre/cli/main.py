"""Entry point of the ``barometre`` command.

Each command group lives in its own module and is registered here.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
from typing import Any

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from barometre.core.errors import BarometreError

# one BLAS thread unless told otherwise, set before numpy loads (nothing above imports it): the
# engine's matrices are small (hundreds of rows), and a multithreaded BLAS only spins on them:
# about 2.5 s of CPU out of 7 for `indicators compute` on the demo; the numbers are the same
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

#: Commands registered on first use, in the order ``--help`` lists them: name → (module of
#: ``barometre.cli``, one-line help). ``barometre --help`` imports none of these modules, and running
#: a command imports only its own module (so ``questionnaire validate`` never loads the statistics
#: stack). ``tests/cli/test_cli_startup.py`` checks each line against the command's own help.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("serve", "Sert l'application web avec gunicorn (fichiers statiques servis par whitenoise)."),
    "manage": ("serve", "Lance une commande d'administration Django (migrate, createsuperuser…)."),
    "backup": (
        "backup",
        "Sauvegarde la base, la clé des liens des répondants et les fichiers générés (notes, données ouvertes).",
    ),
    "restore": (
        "backup",
        "Restaure une sauvegarde dans une base et un dossier de données vides (même version du schéma).",
    ),
    "demo": ("demo", "Prépare le site de démonstration (idempotent) : registre, éditions simulées, indicateurs."),
    "csirt": ("diagnostic", "CSIRT régional de la collectivité : coordonnées, ouvert maintenant ?, recours sinon."),
    "diagnostic": (
        "diagnostic",
        "Diagnostic personnel d'une collectivité : obligations légales, scores de maturité, plan d'action cyber.",
    ),
    "edition": ("edition", "Éditions du baromètre : cycle de vie, échantillon, pondération, simulation."),
    "indicators": ("indicators", "Indicateurs : calcul pondéré et comparaison avec les valeurs publiées."),
    "invitations": ("invitations", "Liens d'invitation des collectivités (secrets, affichés une seule fois)."),
    "mutualisation": (
        "mutualisation",
        "Vue mutualisation d'une intercommunalité, d'un département ou d'un opérateur public (OPSN).",
    ),
    "opendata": ("opendata", "Données ouvertes : agrégats en CSV, Parquet et JSON avec datapackage.json."),
    "poll": ("poll", "Sondage auprès des Français : ouverture, simulation, import, pondération, estimations."),
    "projects": ("projects", "Catalogue des projets data et IA des collectivités, projets similaires."),
    "questionnaire": (
        "questionnaire",
        "Questionnaires : valider, comparer deux éditions, exporter et importer (XLSForm).",
    ),
    "registry": (
        "registry",
        "Registre des collectivités (base de sondage) : chargement, mise à jour, consultation.",
    ),
    "report": ("report", "Note de conjoncture d'une édition : HTML autonome, PDF A4 et figures."),
    "responses": (
        "responses",
        "Réponses des collectivités : réouverture, export, contrôle de cohérence, effacement des noms.",
    ),
    "sae": ("sae", "Estimations par petits domaines (modèle de Fay–Herriot) par département ou région."),
    "stats": ("stats", "Estimations d'enquête (moyennes, totaux, quantiles, ratios)."),
    "users": ("users", "Comptes de la console des analystes (rôles admin, analyst, viewer)."),
    "contacts": ("contacts", "Contacts des collectivités pour les invitations et relances."),
}


#: Modules that add commands to other modules' groups, and the modules whose groups they extend:
#: loading one of those loads them all, the extension last.
EXTENSIONS: dict[str, tuple[str, ...]] = {"fieldwork": ("edition", "invitations", "responses")}


def load_commands(module_name: str) -> dict[str, Any]:
    """The click commands that ``barometre.cli.<module_name>`` registers (imported on first use), with
    what the :data:`EXTENSIONS` of its groups add to them."""
    names = [module_name]
    for extension, extended in EXTENSIONS.items():
        if module_name in extended:
            names = [*extended, extension]
    holder = typer.Typer()
    for name in names:
        importlib.import_module(f"barometre.cli.{name}").register(holder)
    _guard(holder)
    return dict(typer.main.get_group(holder).commands)


class _LazyGroup(TyperGroup):
    """Lists every command from :data:`LAZY_COMMANDS` and imports a command's module only to run it."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in LAZY_COMMANDS if n not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in LAZY_COMMANDS:
            # What --help lists: the name and its line, without importing the module.
            text = LAZY_COMMANDS[cmd_name][1]
            command = TyperCommand(cmd_name, help=text, short_help=text)
        return command

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else None
        if name in LAZY_COMMANDS and name not in self.commands:
            for loaded_name, command in load_commands(LAZY_COMMANDS[name][0]).items():
                self.add_command(command, loaded_name)
        return super().resolve_command(ctx, args)


app = typer.Typer(
    name="barometre",
    help="Baromètre : data, IA et cybersécurité des collectivités territoriales.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=_LazyGroup,
    rich_markup_mode=None,  # plain help: rich's help formatter alone costs more than the rest of start-up
)


@app.callback()
def _root() -> None:
    """Baromètre : data, IA et cybersécurité des collectivités territoriales."""


def _guard(typer_app: typer.Typer) -> None:
    """Wrap every command so an expected error is one line on stderr and exit status 2.

    Done on the callbacks themselves so that it holds however the command is
    invoked (console script, ``python -m barometre``, typer's test runner).
    """
    for info in typer_app.registered_commands:
        callback = info.callback
        if callback is None or getattr(callback, "_guarded", False):
            continue

        @functools.wraps(callback)
        def guarded(*args: Any, __callback: Any = callback, **kwargs: Any) -> Any:
            try:
                return __callback(*args, **kwargs)
            except BarometreError as exc:
                from barometre.cli.common import fail

                raise fail(str(exc)) from None

        guarded._guarded = True  # type: ignore[attr-defined]
        info.callback = guarded
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _guard(group.typer_instance)


def main() -> None:
    try:
        app()
    except BarometreError as exc:
        from barometre.cli.common import err_console, safe

        err_console.print(f"[red]erreur[/red] : {safe(exc)}", highlight=False, soft_wrap=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
