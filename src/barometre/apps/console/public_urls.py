"""The opt-out link of reminder e-mails (public: the signed token is the only key)."""

from django.urls import path

from barometre.apps.console import public_views

urlpatterns = [path("arret/<str:token>/", public_views.optout, name="optout")]
