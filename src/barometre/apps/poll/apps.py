from django.apps import AppConfig


class PollConfig(AppConfig):
    name = "barometre.apps.poll"
    label = "poll"
    verbose_name = "Sondage auprès des Français"
