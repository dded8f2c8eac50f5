from django.urls import path

from barometre.apps.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.index, name="index"),
    path("carte/", views.region_map, name="map"),
    path("projets.<str:fmt>", views.download, name="download"),
    path("mutualisation/<str:code>/", views.mutualisation_view, name="mutualisation"),
    path("<slug:key>/", views.detail, name="detail"),
]
