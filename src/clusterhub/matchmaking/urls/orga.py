"""Organiser matchmaking pages, under /orga/events/<slug>/matchmaking/ (namespace
`orga_matchmaking`). Every view receives the event's `slug`."""

from django.urls import path

from clusterhub.matchmaking.views import orga, orga_import, orga_meetings

M = "meetings/"

urlpatterns = [
    path("", orga.overview, name="overview"),
    path("settings/", orga.settings, name="settings"),
    path("runs/", orga.run_start, name="run_start"),
    path("runs/<int:pk>/progress/", orga.run_progress, name="run_progress"),
    path("import/", orga_import.participant_import, name="participant_import"),
    path(M, orga_meetings.meetings, name="meetings"),
    path(M + "setup/<int:session_pk>/", orga_meetings.networking_setup, name="networking_setup"),
    path(M + "runs/", orga_meetings.schedule_start, name="schedule_start"),
    path(M + "runs/<int:pk>/progress/", orga_meetings.schedule_progress, name="schedule_progress"),
    path(M + "publish/", orga_meetings.meetings_publish, name="meetings_publish"),
    path(M + "table-plan.pdf", orga_meetings.table_plan_pdf, name="table_plan_pdf"),
    path(M + "schedules.pdf", orga_meetings.schedules_pdf, name="schedules_pdf"),
    path(M + "<int:pk>/", orga_meetings.meeting_detail, name="meeting"),
    path(M + "<int:pk>/lock/", orga_meetings.meeting_lock, name="meeting_lock"),
    path(M + "<int:pk>/cancel/", orga_meetings.meeting_cancel, name="meeting_cancel"),
]
