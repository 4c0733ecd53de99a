"""Organiser follow-up pages, under /orga/events/<slug>/followup/ (namespace `orga_followup`)."""

from django.urls import path

from clusterhub.followup.views import orga, orga_exports

urlpatterns = [
    path("partnerships/", orga.partnerships, name="partnerships"),
    path("partnerships/new/", orga.partnership_new, name="partnership_new"),
    path("partnerships/<int:pk>/", orga.partnership_edit, name="partnership"),
    path("surveys/", orga.surveys, name="surveys"),
    path("surveys/<int:pk>/", orga.survey, name="survey"),
    path("reminders/", orga.reminders, name="reminders"),
    path("dashboard/", orga.dashboard, name="dashboard"),
    path("kpis.<str:fmt>", orga.dashboard_export, name="dashboard_export"),
    path("exports/", orga_exports.exports, name="exports"),
    path("exports/signups.<str:fmt>", orga_exports.signups, name="export_signups"),
    path("exports/profiles.<str:fmt>", orga_exports.profiles, name="export_profiles"),
    path("exports/meetings.<str:fmt>", orga_exports.meetings, name="export_meetings"),
    path("exports/outcomes.<str:fmt>", orga_exports.outcomes, name="export_outcomes"),
    path("exports/partnerships.<str:fmt>", orga_exports.partnerships, name="export_partnerships"),
]
