"""Console URLs (every page needs a signed-in staff account, see ``access``)."""

from django.urls import path

from barometre.apps.console import views

app_name = "console"

urlpatterns = [
    path("", views.home, name="home"),
    path("connexion/", views.signin, name="login"),
    path("deconnexion/", views.signout, name="logout"),
    path("editions/nouvelle/", views.edition_new, name="edition_new"),
    path("editions/<int:year>/", views.edition, name="edition"),
    path("editions/<int:year>/actions/<str:kind>/", views.action, name="action"),
    path("editions/<int:year>/echantillon/", views.sample, name="sample"),
    path("editions/<int:year>/contacts/", views.contacts_page, name="contacts"),
    path("editions/<int:year>/envoyer/", views.send, name="send"),
    path("editions/<int:year>/relances-programmees/", views.schedule, name="schedule"),
    path("editions/<int:year>/suivi/", views.monitor, name="monitor"),
    path("editions/<int:year>/reponses/", views.responses, name="responses"),
    path("editions/<int:year>/reponses/<str:code>/", views.response_detail, name="response"),
    path("travaux/<int:pk>/", views.job, name="job"),
    path("travaux/<int:pk>/etat/", views.job_status, name="job_status"),
    path("modeles/<str:kind>/<str:lang>/", views.templates_page, name="templates"),
    path("journal/", views.audit_log, name="audit"),
    path("comptes/", views.users, name="users"),
    path("guide/", views.guide, name="guide"),
]
