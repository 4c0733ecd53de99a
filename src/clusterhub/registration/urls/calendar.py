"""Secret personal calendar feeds, /calendar/<token>.ics (namespace `calendar`)."""

from django.urls import path

from clusterhub.registration.views import calendar

urlpatterns = [
    path("<str:token>.ics", calendar.agenda, name="agenda"),
]
