"""Respondent portal URLs. Every URL carries the secret token of a link."""

from django.urls import path

from barometre.apps.portal import views

app_name = "portal"

urlpatterns = [
    path("<str:token>/", views.home, name="home"),
    path("<str:token>/section/<slug:section_id>/", views.section, name="section"),
    path("<str:token>/enregistrer/", views.autosave, name="autosave"),
    path("<str:token>/recapitulatif/", views.summary, name="summary"),
    path("<str:token>/envoyer/", views.submit, name="submit"),
    path("<str:token>/accuse-de-reception.pdf", views.receipt, name="receipt"),
    path("<str:token>/resultats/", views.results, name="results"),
    path("<str:token>/diagnostic/", views.diagnostic, name="diagnostic"),
    path("<str:token>/diagnostic.pdf", views.diagnostic_pdf, name="diagnostic_pdf"),
    path("<str:token>/delegations/", views.delegations, name="delegations"),
    path("<str:token>/delegations/<int:delegation_id>/revoquer/", views.revoke_delegation, name="revoke_delegation"),
]
