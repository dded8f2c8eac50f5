from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "barometre.apps.public"
    label = "public"
    verbose_name = "Site public"

    def ready(self) -> None:
        from barometre.web import checks  # noqa: F401  (registers the checks)
