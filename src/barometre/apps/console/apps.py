from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "barometre.apps.console"
    label = "console"
    verbose_name = "Console des analystes"
