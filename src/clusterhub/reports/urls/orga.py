"""The organiser's report pages, under /orga/events/<slug>/report/ (namespace `orga_report`)."""

from django.urls import path

from clusterhub.reports.views import orga

urlpatterns = [
    path("", orga.edit, name="edit"),
    path("preview/", orga.preview, name="preview"),
    path("publish/", orga.publish, name="publish"),
    path("highlights.pdf", orga.pdf, name="pdf"),
]
