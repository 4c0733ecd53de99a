from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "orga/events/<slug:slug>/",
        include(("clusterhub.registration.urls.orga", "orga_registration")),
    ),
    path(
        "orga/events/<slug:slug>/matchmaking/",
        include(("clusterhub.matchmaking.urls.orga", "orga_matchmaking")),
    ),
    path("orga/", include(("clusterhub.events.urls.orga", "orga"))),
    path("calendar/", include(("clusterhub.registration.urls.calendar", "calendar"))),
    path(
        "events/<slug:slug>/matchmaking/",
        include(("clusterhub.matchmaking.urls.portal", "matchmaking")),
    ),
    path("events/<slug:slug>/", include(("clusterhub.registration.urls.portal", "portal"))),
    path("", include(("clusterhub.events.urls.public", "public"))),
]
