"""Public pages, mounted at the site root under the namespace `public` (a contract: other
apps and the README link to these names)."""

from django.urls import path

from clusterhub.events.views import public

urlpatterns = [
    path("", public.home, name="home"),
    path("events/<slug:slug>/", public.event_home, name="event"),
    path("events/<slug:slug>/programme/", public.programme, name="programme"),
    path("events/<slug:slug>/programme.ics", public.programme_ical, name="programme_ical"),
    path("events/<slug:slug>/sessions/<int:pk>/", public.session_detail, name="session"),
    path("events/<slug:slug>/speakers/", public.speakers, name="speakers"),
    path("events/<slug:slug>/organisations/", public.organisations, name="organisations"),
]
