from django.urls import path

from barometre.apps.public import explorer, notes, opendata_views, views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("methodologie/", views.methodology, name="methodology"),
    path("mentions-legales/", views.legal, name="legal"),
    path("resultats/", explorer.index, name="explorer"),
    path("notes/", notes.index, name="notes"),
    path("note/<int:year>/", notes.note, name="note"),
    path("note/<int:year>/<path:path>", notes.note_file, name="note_file"),
    path("donnees-ouvertes/", opendata_views.index, name="opendata"),
    path("donnees-ouvertes/<int:year>/<str:filename>", opendata_views.download, name="opendata_file"),
    path("donnees-ouvertes/sondage/<int:year>/<str:filename>", opendata_views.poll_download, name="opendata_poll_file"),
    path("resultats/sondage/<int:year>/", explorer.poll_page, name="poll"),
    path("resultats/<slug:indicator_id>/", explorer.indicator_page, name="indicator"),
    path("resultats/<slug:indicator_id>/donnees.csv", explorer.indicator_csv, name="indicator_csv"),
    path("resultats/<slug:indicator_id>/graphique.svg", explorer.indicator_svg, name="indicator_svg"),
    path("resultats/<slug:indicator_id>/graphique.png", explorer.indicator_png, name="indicator_png"),
]
