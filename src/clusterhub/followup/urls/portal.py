"""Participant follow-up pages, under /events/<slug>/followup/ (namespace `followup`)."""

from django.urls import path

from clusterhub.followup.views import portal

urlpatterns = [
    path("meetings/<int:pk>/feedback/", portal.feedback, name="feedback"),
    path("partnerships/new/", portal.partnership_new, name="partnership_new"),
    path("surveys/", portal.surveys, name="surveys"),
    path("surveys/<int:pk>/", portal.survey, name="survey"),
]
