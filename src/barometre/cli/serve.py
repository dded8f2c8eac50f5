"""``barometre serve``: the production server (gunicorn + whitenoise)."""

from __future__ import annotations

import os
import sys

import typer


def run_system_checks() -> None:
    """Django's system checks, ``--deploy`` ones included when a public host is allowed;
    an error stops here (exit status 2, the checks' messages on stderr)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    from barometre.web.checks import public_hosts

    try:
        call_command("check", deploy=bool(public_hosts()), fail_level="ERROR")
    except SystemCheckError as exc:
        sys.stderr.write(f"{exc}\nbarometre serve : démarrage refusé (voir les erreurs ci-dessus).\n")
        raise typer.Exit(2) from None


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="Adresse d'écoute."),
        port: int = typer.Option(8000, "--port", help="Port d'écoute."),
        workers: int = typer.Option(3, "--workers", help="Processus gunicorn."),
        threads: int = typer.Option(4, "--threads", help="Fils d'exécution par processus."),
    ) -> None:
        """Sert l'application web avec gunicorn (fichiers statiques servis par whitenoise).

        Lance d'abord les vérifications de Django (celles de déploiement aussi pour un hôte
        public) et refuse de démarrer sur une erreur."""
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "barometre.web.settings")
        run_system_checks()
        from gunicorn.app.wsgiapp import WSGIApplication

        argv = [
            "gunicorn",
            "barometre.web.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--preload",
            "--logger-class",
            "barometre.web.gunicorn_logging.MaskingLogger",
            "--access-logfile",
            "-",
            # The access log never contains query strings or paths with tokens:
            # tokens live in the path, so log only method, status and timing.
            "--access-logformat",
            '%(h)s "%(m)s" %(s)s %(B)s %(M)sms',
        ]

        class _App(WSGIApplication):  # type: ignore[misc]
            def __init__(self) -> None:
                sys.argv = argv
                super().__init__("%(prog)s [OPTIONS] [APP_MODULE]", prog="gunicorn")

        _App().run()

    @app.command(
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    )
    def manage(ctx: typer.Context) -> None:
        """Lance une commande d'administration Django (migrate, createsuperuser…)."""
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "barometre.web.settings")
        from django.core.management import execute_from_command_line

        execute_from_command_line(["barometre manage", *ctx.args])
