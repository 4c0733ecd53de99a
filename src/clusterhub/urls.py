from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from clusterhub.common.health import healthz
from clusterhub.followup.views import orga as followup_orga

# One login for the whole site: the admin's own form would sidestep allauth's rate limits, so
# it sends people to the allauth login (and refuses logged-in people who are not staff).
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("account/api-tokens/", include(("clusterhub.api.web_urls", "api_tokens"))),
    path("account/my-data/", include(("clusterhub.privacy.urls", "privacy"))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("clusterhub.api.urls")),
    path(
        "orga/events/<slug:slug>/",
        include(("clusterhub.registration.urls.orga", "orga_registration")),
    ),
    path(
        "orga/events/<slug:slug>/matchmaking/",
        include(("clusterhub.matchmaking.urls.orga", "orga_matchmaking")),
    ),
    path(
        "orga/events/<slug:slug>/followup/",
        include(("clusterhub.followup.urls.orga", "orga_followup")),
    ),
    path(
        "orga/events/<slug:slug>/report/",
        include(("clusterhub.reports.urls.orga", "orga_report")),
    ),
    path("orga/partnerships/", followup_orga.cluster_partnerships, name="cluster_partnerships"),
    path(
        "orga/clusters/<slug:slug>/kpis/", followup_orga.cluster_dashboard, name="cluster_dashboard"
    ),
    path(
        "orga/clusters/<slug:slug>/kpis.<str:fmt>",
        followup_orga.cluster_dashboard_export,
        name="cluster_dashboard_export",
    ),
    path("orga/", include(("clusterhub.events.urls.orga", "orga"))),
    path("calendar/", include(("clusterhub.registration.urls.calendar", "calendar"))),
    path(
        "events/<slug:slug>/matchmaking/",
        include(("clusterhub.matchmaking.urls.portal", "matchmaking")),
    ),
    path("events/<slug:slug>/followup/", include(("clusterhub.followup.urls.portal", "followup"))),
    path("events/<slug:slug>/report/", include(("clusterhub.reports.urls.public", "report"))),
    path("events/<slug:slug>/", include(("clusterhub.registration.urls.portal", "portal"))),
    path("", include(("clusterhub.events.urls.public", "public"))),
]
