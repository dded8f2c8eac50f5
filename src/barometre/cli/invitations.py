"""``barometre invitations``: secret links that open one authority's response.

Tokens are printed once, when created; only their keyed hash is stored.
"""

from __future__ import annotations

import typer

from barometre.cli.common import (
    OutputFormat,
    TableFormat,
    err_console,
    print_csv,
    print_json,
    print_table,
    run_guarded,
    setup_django,
)

HELP = "Liens d'invitation des collectivités (secrets, affichés une seule fois)."
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
COLUMNS = ("authority", "name", "url", "token", "expires_at")


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=HELP, no_args_is_help=True)
    app.add_typer(sub, name="invitations")

    @sub.command("create")
    def create(
        edition: int = typer.Option(..., "--edition", "-e", help="Année de l'édition."),
        authority: list[str] = typer.Option([], "--authority", "-a", help="Code de la collectivité (répétable)."),
        sample: bool = typer.Option(False, "--sample", help="Toutes les collectivités de l'échantillon de l'édition."),
        base_url: str = typer.Option(DEFAULT_BASE_URL, "--base-url", help="Adresse du site pour construire les liens."),
        replace: bool = typer.Option(
            False, "--replace", help="Remplace les liens existants (les anciens sont révoqués)."
        ),
        fmt: TableFormat = typer.Option(TableFormat.json, "--format", help="json, csv ou text."),
    ) -> None:
        """Crée un lien secret par collectivité (ligne : authority, url, token). Le jeton n'est affiché qu'ici."""

        def run() -> None:
            if bool(authority) == sample:
                raise typer.BadParameter("indiquez soit --authority CODE, soit --sample")
            setup_django()
            from django.urls import reverse

            from barometre.apps.editions.models import Edition
            from barometre.apps.portal import services
            from barometre.apps.registry.models import Authority
            from barometre.core.errors import EditionError, NotFound

            ed = Edition.objects.filter(year=edition).first()
            if ed is None:
                ed, summary = services.ensure_open_edition(edition)
                err_console.print(f"Édition {edition} : {summary}", highlight=False)
            ed = services.open_edition(edition)
            if sample:
                authorities = list(Authority.objects.filter(pk__in=ed.sample.values("authority")).order_by("code"))
                if not authorities:
                    raise EditionError(
                        f"édition {edition} : pas d'échantillon ; utilisez --authority CODE ou tirez l'échantillon"
                    )
            else:
                found = {a.code: a for a in Authority.objects.filter(code__in=authority)}
                unknown = [c for c in authority if c not in found]
                if unknown:
                    raise NotFound(f"collectivité inconnue : {', '.join(unknown)}")
                authorities = [found[c] for c in dict.fromkeys(authority)]
            rows = []
            skipped = []
            root = base_url.rstrip("/")
            expires = services.closing_datetime(ed)
            for a in authorities:
                invited = services.invite(ed, a, replace=replace)
                if invited.token is None:
                    skipped.append(a.code)
                    continue
                rows.append(
                    {
                        "authority": a.code,
                        "name": a.name,
                        "url": root + reverse("portal:home", kwargs={"token": invited.token}),
                        "token": invited.token,
                        "expires_at": expires.isoformat() if expires else None,
                    }
                )
            if fmt is TableFormat.json:
                print_json(rows)
            elif fmt is TableFormat.csv:
                print_csv(rows, COLUMNS, verbatim=("token", "url"))
            else:
                print_table(rows, COLUMNS, title=f"Liens de l'édition {edition} (affichés une seule fois)")
            err_console.print(
                f"{len(rows)} lien(s) créé(s), {len(skipped)} collectivité(s) déjà invitée(s) laissée(s) telles quelles"
                + (" (--replace pour remplacer leur lien)" if skipped else ""),
                highlight=False,
            )

        run_guarded(run)

    @sub.command("revoke")
    def revoke(
        code: str = typer.Argument(..., help="Code de la collectivité."),
        edition: int | None = typer.Option(None, "--edition", "-e", help="Seulement cette édition."),
        fmt: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text ou json."),
    ) -> None:
        """Révoque les liens (principal et délégations) d'une collectivité. Idempotent."""

        def run() -> None:
            setup_django()
            from barometre.apps.editions.lifecycle import get_edition
            from barometre.apps.portal import services
            from barometre.apps.registry.models import Authority
            from barometre.core.errors import NotFound

            if not Authority.objects.filter(code=code).exists():
                raise NotFound(f"collectivité inconnue : {code}")
            ed = get_edition(edition) if edition is not None else None
            n = services.revoke_links(code, ed)
            if fmt is OutputFormat.json:
                print_json({"authority": code, "revoked": n})
            else:
                err_console.print(f"{code} : {n} lien(s) révoqué(s)", highlight=False)

        run_guarded(run)

    @sub.command("list")
    def list_(
        edition: int = typer.Option(..., "--edition", "-e", help="Année de l'édition."),
        fmt: TableFormat = typer.Option(TableFormat.text, "--format", help="text, json ou csv."),
    ) -> None:
        """Liste les liens d'une édition (préfixe public seulement, jamais le jeton)."""

        def run() -> None:
            setup_django()
            from django.utils import timezone

            from barometre.apps.editions.lifecycle import get_edition
            from barometre.apps.portal.models import Invitation

            ed = get_edition(edition)
            now = timezone.now()
            rows = []
            for inv in (
                Invitation.objects.filter(response__edition=ed)
                .select_related("response__authority")
                .order_by("response__authority__code", "created_at")
            ):
                if inv.revoked_at:
                    state = "révoqué"
                elif inv.expires_at and inv.expires_at <= now:
                    state = "expiré"
                else:
                    state = "actif"
                rows.append(
                    {
                        "authority": inv.response.authority.code,
                        "prefix": inv.prefix,
                        "section": inv.section or "(principal)",
                        "label": inv.label,
                        "state": state,
                        "response_status": inv.response.status,
                        "created_at": inv.created_at.isoformat(),
                        "expires_at": inv.expires_at.isoformat() if inv.expires_at else None,
                    }
                )
            cols = ("authority", "prefix", "section", "label", "state", "response_status", "created_at", "expires_at")
            if fmt is TableFormat.json:
                print_json(rows)
            elif fmt is TableFormat.csv:
                print_csv(rows, cols, verbatim=("prefix",))
            else:
                print_table(rows, cols)

        run_guarded(run)
