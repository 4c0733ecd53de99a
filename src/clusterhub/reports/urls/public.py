"""The public highlights report, under /events/<slug>/report/ (namespace `report`)."""

from django.urls import path

from clusterhub.reports.views import public

urlpatterns = [
    path("", public.report_page, name="page"),
    path("highlights.pdf", public.report_pdf, name="pdf"),
]
