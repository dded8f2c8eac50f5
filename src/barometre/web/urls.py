"""URL map. Each app owns its URLs; this file only mounts them."""

from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", include("barometre.apps.api.urls")),
    path("collectivites/", include("barometre.apps.diagnostic.urls")),
    path("repondre/", include("barometre.apps.portal.urls")),
    path("console/oidc/", include("mozilla_django_oidc.urls")),  # ProConnect sign-in (no namespace)
    path("console/", include("barometre.apps.console.urls")),
    path("relances/", include("barometre.apps.console.public_urls")),
    path("projets/", include("barometre.apps.projects.urls")),
    path("", include("barometre.apps.public.urls")),
]

handler404 = "barometre.web.errors.not_found"
handler500 = "barometre.web.errors.server_error"
