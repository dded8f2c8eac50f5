from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "barometre.apps.projects"
    label = "projects"
    verbose_name = "Projets data et IA"
