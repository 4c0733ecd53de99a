"""Organiser and check-in pages of registration, under /orga/events/<slug>/
(namespace `orga_registration`). Every view receives the event's `slug`."""

from django.urls import path

from clusterhub.registration.views.orga import checkin, exports, registrations, setup, signups

R = "registrations/"
S = "signups/<int:pk>/"

urlpatterns = [
    path(R, registrations.registrations, name="registrations"),
    path(R + "<int:pk>/", registrations.registration_detail, name="registration_detail"),
    path(R + "<int:pk>/approve/", registrations.registration_approve, name="registration_approve"),
    path(R + "<int:pk>/reject/", registrations.registration_reject, name="registration_reject"),
    path(R + "<int:pk>/cancel/", registrations.registration_cancel, name="registration_cancel"),
    path(R + "export.csv", exports.registrations_csv, name="registrations_csv"),
    path(R + "export.xlsx", exports.registrations_xlsx, name="registrations_xlsx"),
    path(R + "badges.pdf", exports.badges_pdf, name="badges_pdf"),
    path("registration-settings/", setup.registration_settings, name="settings"),
    path("ticket-types/new/", setup.ticket_type_create, name="ticket_type_create"),
    path("ticket-types/<int:pk>/edit/", setup.ticket_type_edit, name="ticket_type_edit"),
    path("ticket-types/<int:pk>/delete/", setup.ticket_type_delete, name="ticket_type_delete"),
    path("questions/new/", setup.question_create, name="question_create"),
    path("questions/<int:pk>/edit/", setup.question_edit, name="question_edit"),
    path("questions/<int:pk>/delete/", setup.question_delete, name="question_delete"),
    path("signups/", signups.signups, name="signups"),
    path(S, signups.signup_session, name="signup_session"),
    path(S + "capacity/", signups.signup_capacity, name="signup_capacity"),
    path(S + "add/", signups.signup_add, name="signup_add"),
    path(S + "search/", signups.signup_search, name="signup_search"),
    path(S + "<int:signup_pk>/move/", signups.signup_move, name="signup_move"),
    path(S + "<int:signup_pk>/remove/", signups.signup_remove, name="signup_remove"),
    path("checkin/", checkin.checkin, name="checkin"),
    path("checkin/scan/", checkin.checkin_scan, name="checkin_scan"),
    path("checkin/search/", checkin.checkin_search, name="checkin_search"),
    path("checkin/counters/", checkin.checkin_counters, name="checkin_counters"),
]
