"""``barometre users``: console accounts (role, password, TOTP second factor)."""

from __future__ import annotations

import enum
import sys

import typer

from barometre.cli.common import OutputFormat, console, err_console, print_json, print_table, run_guarded, setup_django


class RoleName(enum.StrEnum):
    admin = "admin"
    analyst = "analyst"
    viewer = "viewer"


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help="Comptes de la console des analystes (rôles admin, analyst, viewer).", no_args_is_help=True)
    app.add_typer(sub, name="users")

    @sub.command("create")
    def create(
        email: str = typer.Argument(..., help="Adresse e-mail (identifiant de connexion)."),
        role: RoleName = typer.Option(..., "--role", help="admin, analyst ou viewer."),
        password_stdin: bool = typer.Option(
            False, "--password-stdin", help="Lit le mot de passe sur l'entrée standard (sinon il est généré)."
        ),
        fmt: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text ou json."),
    ) -> None:
        """Crée un compte local ; affiche une fois le mot de passe généré et le lien otpauth:// du second facteur."""

        def run() -> None:
            setup_django()
            from barometre.apps.console import accounts

            password = sys.stdin.readline().rstrip("\n") if password_stdin else None
            if password_stdin and not password:
                raise accounts.AccountError("mot de passe vide sur l'entrée standard")
            created = accounts.create_user(email, role.value, password=password)
            accounts.audit(None, "user_create", reason=f"{created.email} ({created.role})", actor="cli")
            data = {
                "email": created.email,
                "role": created.role,
                "password": created.password,
                "totp_uri": created.totp_uri,
            }
            if fmt is OutputFormat.json:
                print_json(data)
                return
            console.print(f"Compte {created.email} créé (rôle {created.role}).", highlight=False)
            if created.password:
                console.print(f"Mot de passe (affiché une seule fois) : {created.password}", highlight=False)
            console.print("Second facteur — à ouvrir dans l'application d'authentification :", highlight=False)
            console.print(created.totp_uri, highlight=False, soft_wrap=True)
            err_console.print("Ces secrets ne seront plus affichés.", highlight=False)

        run_guarded(run)

    @sub.command("list")
    def list_(fmt: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text ou json.")) -> None:
        """Liste les comptes de la console et leur rôle."""

        def run() -> None:
            setup_django()
            from barometre.apps.console import accounts

            rows = accounts.list_users()
            if fmt is OutputFormat.json:
                print_json(rows)
            else:
                print_table(rows, ["email", "role", "active", "last_login"])

        run_guarded(run)
