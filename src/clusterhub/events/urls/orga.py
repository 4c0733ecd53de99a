from django.urls import path

from clusterhub.events.views import orga

urlpatterns = [
    path("", orga.dashboard, name="dashboard"),
]
