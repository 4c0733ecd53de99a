"""Participant matchmaking pages, under /events/<slug>/matchmaking/ (namespace `matchmaking`)."""

from django.urls import path

from clusterhub.matchmaking.views import portal

urlpatterns = [
    path("", portal.home, name="home"),
    path("profile/", portal.profile, name="profile"),
    path("consent/", portal.consent, name="consent"),
    path("people/", portal.people, name="people"),
    path("people/<int:pk>/", portal.person, name="person"),
    path("people/<int:pk>/mark/", portal.mark, name="mark"),
    path("people/<int:pk>/request/", portal.request_send, name="request_send"),
    path("requests/", portal.requests, name="requests"),
    path("requests/<int:pk>/answer/", portal.request_answer, name="request_answer"),
    path("requests/<int:pk>/cancel/", portal.request_cancel, name="request_cancel"),
    path("meetings/", portal.meetings, name="meetings"),
    path("meetings.pdf", portal.meetings_pdf, name="meetings_pdf"),
]
