from django.shortcuts import render

from clusterhub.events.selectors import events_published


def home(request):
    return render(request, "events/public/home.html", {"events": events_published()})
