from django.apps import AppConfig


class EditionsConfig(AppConfig):
    name = "barometre.apps.editions"
    label = "editions"
    verbose_name = "Éditions du baromètre"
