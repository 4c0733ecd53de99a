from django.urls import path

from clusterhub.events.views import public

urlpatterns = [
    path("", public.home, name="home"),
]
