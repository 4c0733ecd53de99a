"""The project's URLs with the public report mounted at /events/<slug>/report/ (namespace
`report`) when src/clusterhub/urls.py does not mount it yet, so the tests run either way."""

from django.urls import include, path

from clusterhub import urls as project

REPORT = path("events/<slug:slug>/report/", include(("clusterhub.reports.urls.public", "report")))
mounted = any(getattr(p, "namespace", None) == "report" for p in project.urlpatterns)
urlpatterns = project.urlpatterns if mounted else [REPORT, *project.urlpatterns]
