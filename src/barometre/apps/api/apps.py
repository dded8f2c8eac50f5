from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "barometre.apps.api"
    label = "api"
    verbose_name = "API publique"
