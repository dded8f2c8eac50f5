from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView

from barometre.apps.api import docs, poll, views
from barometre.apps.projects import api as projects_api

app_name = "api"

urlpatterns = [
    path("", views.ApiRoot.as_view(), name="root"),
    path("editions", views.EditionList.as_view(), name="editions"),
    path("editions/<int:year>", views.EditionDetail.as_view(), name="edition"),
    path("indicators", views.IndicatorList.as_view(), name="indicators"),
    path("indicators/<str:indicator_id>", views.IndicatorDetail.as_view(), name="indicator"),
    path("estimates", views.EstimateList.as_view(), name="estimates"),
    path("small-area-estimates", views.SmallAreaEstimateList.as_view(), name="small_area_estimates"),
    path("authorities", views.AuthorityList.as_view(), name="authorities"),
    path("authorities/<str:code>", views.AuthorityDetail.as_view(), name="authority"),
    path("poll/editions", poll.PollEditionList.as_view(), name="poll-editions"),
    path("poll/indicators", poll.PollIndicatorList.as_view(), name="poll-indicators"),
    path("poll/estimates", poll.PollEstimateList.as_view(), name="poll-estimates"),
    path("projects", projects_api.ProjectList.as_view(), name="projects"),
    path("projects/<str:key>", projects_api.ProjectDetail.as_view(), name="project"),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs/", docs.api_docs, name="docs"),
]
