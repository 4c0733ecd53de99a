"""The organiser back office, mounted at /orga/ under the namespace "orga"."""

from django.urls import path

from clusterhub.events.views.orga import (
    events,
    people,
    programme_import,
    rooms,
    sessions,
    timetable,
)

E = "events/<slug:slug>/"

urlpatterns = [
    path("", events.dashboard, name="dashboard"),
    path("events/new/", events.event_create, name="event_create"),
    path(E, events.event_overview, name="event"),
    path(E + "edit/", events.event_edit, name="event_edit"),
    path(E + "publish/", events.event_publish, name="event_publish"),
    path(E + "unpublish/", events.event_unpublish, name="event_unpublish"),
    path(E + "rooms/", rooms.rooms, name="rooms"),
    path(E + "rooms/new/", rooms.room_create, name="room_create"),
    path(E + "rooms/<int:pk>/edit/", rooms.room_edit, name="room_edit"),
    path(E + "rooms/<int:pk>/delete/", rooms.room_delete, name="room_delete"),
    path(E + "sessions/", sessions.sessions, name="sessions"),
    path(E + "sessions/new/", sessions.session_create, name="session_create"),
    path(
        E + "sessions/import/",
        programme_import.programme_import_view,
        name="programme_import",
    ),
    path(E + "sessions/<int:pk>/edit/", sessions.session_edit, name="session_edit"),
    path(E + "sessions/<int:pk>/delete/", sessions.session_delete, name="session_delete"),
    path(E + "sessions/<int:pk>/people/add/", people.session_role_add, name="session_role_add"),
    path(
        E + "sessions/<int:pk>/people/new/",
        people.session_person_create,
        name="session_person_create",
    ),
    path(
        E + "sessions/<int:pk>/people/<int:role_pk>/remove/",
        people.session_role_remove,
        name="session_role_remove",
    ),
    path(E + "people/search/", people.person_search, name="person_search"),
    path(E + "timetable/", timetable.timetable, name="timetable"),
    path(E + "timetable/progress/", timetable.timetable_progress, name="timetable_progress"),
    path(E + "timetable/propose/", timetable.timetable_propose, name="timetable_propose"),
    path(E + "timetable/accept/", timetable.timetable_accept, name="timetable_accept"),
    path(E + "timetable/sessions/<int:pk>/pin/", timetable.timetable_pin, name="timetable_pin"),
    path(E + "timetable/rules/add/", timetable.timetable_rule_add, name="timetable_rule_add"),
    path(
        E + "timetable/rules/<int:pk>/delete/",
        timetable.timetable_rule_delete,
        name="timetable_rule_delete",
    ),
    path(
        E + "timetable/availability/add/",
        timetable.timetable_availability_add,
        name="timetable_availability_add",
    ),
    path(
        E + "timetable/availability/<int:pk>/delete/",
        timetable.timetable_availability_delete,
        name="timetable_availability_delete",
    ),
]
