"""``barometre serve``: the production server (gunicorn + whitenoise)."""

from __future__ import annotations

import os

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="Address to bind."),
        port: int = typer.Option(8000, "--port", help="Port to bind."),
        workers: int = typer.Option(3, "--workers", help="Gunicorn worker processes."),
        threads: int = typer.Option(4, "--threads", help="Threads per worker."),
    ) -> None:
        """Serve the web application with gunicorn (static files by whitenoise)."""
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
        """Run a Django management command (migrate, createsuperuser, ...)."""
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "barometre.web.settings")
        from django.core.management import execute_from_command_line

        execute_from_command_line(["barometre manage", *ctx.args])
