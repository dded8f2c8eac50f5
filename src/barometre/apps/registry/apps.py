from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "barometre.apps.registry"
    label = "registry"
    verbose_name = "Registre des collectivités"
