from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from clusterhub.events.selectors import events_for_organiser


@login_required
def dashboard(request):
    return render(
        request, "events/orga/dashboard.html", {"events": events_for_organiser(user=request.user)}
    )
