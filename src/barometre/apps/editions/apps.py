from django.apps import AppConfig


class EditionsConfig(AppConfig):
    name = "barometre.apps.editions"
    label = "editions"
    verbose_name = "Éditions du baromètre"

    def ready(self) -> None:
        from barometre.apps.editions import signals  # noqa: F401  (connects the receivers)
