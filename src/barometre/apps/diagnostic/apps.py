from django.apps import AppConfig


class DiagnosticConfig(AppConfig):
    name = "barometre.apps.diagnostic"
    label = "diagnostic"
    verbose_name = "Diagnostic des collectivités"
