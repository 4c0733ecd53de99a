"""Organiser and check-in pages of registration, under /orga/events/<slug>/
(namespace `orga_registration`)."""

urlpatterns: list = []
