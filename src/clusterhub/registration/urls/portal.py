"""Participant pages of an event, under /events/<slug>/ (namespace `portal`). These URLs are
tried before the public pages of the same prefix, so none of them may shadow one."""

from django.urls import path

from clusterhub.registration.views import portal

urlpatterns = [
    path("register/", portal.register, name="register"),
    path("me/", portal.me, name="me"),
    path("me/cancel/", portal.cancel, name="cancel"),
    path("me/sessions/<int:session_pk>/signup/", portal.signup, name="signup"),
    path("me/signups/<int:pk>/cancel/", portal.signup_cancel, name="signup_cancel"),
    path("me/calendar/reset/", portal.calendar_reset, name="calendar_reset"),
    path("me/badge.pdf", portal.badge, name="badge"),
    path("sessions/<int:session_pk>/signup-box/", portal.signup_box, name="signup_box"),
]
