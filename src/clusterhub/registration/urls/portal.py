"""Participant pages of an event, under /events/<slug>/ (namespace `portal`)."""

urlpatterns: list = []
