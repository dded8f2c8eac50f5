"""``barometre serve``: the production server (gunicorn + whitenoise)."""

from __future__ import annotations

import os

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="Adresse d'écoute."),
        port: int = typer.Option(8000, "--port", help="Port d'écoute."),
        workers: int = typer.Option(3, "--workers", help="Processus gunicorn."),
        threads: int = typer.Option(4, "--threads", help="Fils d'exécution par processus."),
    ) -> None:
        """Sert l'application web avec gunicorn (fichiers statiques servis par whitenoise)."""
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "barometre.web.settings")
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

        class _App(WSGIApplication):
            def __init__(self) -> None:
                import sys

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
