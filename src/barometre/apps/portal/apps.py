from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "barometre.apps.portal"
    label = "portal"
    verbose_name = "Portail des répondants"
