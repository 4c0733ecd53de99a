"""Organiser matchmaking pages, under /orga/events/<slug>/matchmaking/ (namespace
`orga_matchmaking`). Every view receives the event's `slug`."""

from django.urls import path

from clusterhub.matchmaking.views import orga

urlpatterns = [
    path("", orga.overview, name="overview"),
    path("settings/", orga.settings, name="settings"),
    path("runs/", orga.run_start, name="run_start"),
    path("runs/<int:pk>/progress/", orga.run_progress, name="run_progress"),
]
