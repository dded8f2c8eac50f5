from django.urls import path

from barometre.apps.diagnostic import views

app_name = "diagnostic"

urlpatterns = [
    path("", views.search, name="search"),
    path("<str:code>/", views.authority, name="authority"),
]
