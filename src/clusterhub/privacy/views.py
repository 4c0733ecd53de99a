"""The "my data" page (/account/my-data/, namespace `privacy`): what the platform holds
about me and the consents I gave, a download of all of it as JSON, and the erasure of it
(asked for twice: the page, then my email address typed). Login required; each user sees
only their own data."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from clusterhub.privacy import services
from clusterhub.privacy.forms import EraseConfirmForm
from clusterhub.registration.models import ConsentRecord, Registration


@never_cache
@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    registrations = (
        Registration.objects.filter(person__user=request.user)
        .select_related("event", "ticket_type")
        .order_by("-created_at", "-pk")
    )
    records = (
        ConsentRecord.objects.filter(registration__person__user=request.user)
        .select_related("registration__event")
        .order_by("-at", "-pk")
    )
    return render(
        request,
        "privacy/my_data.html",
        {
            "registrations": registrations,
            "records": records,
            "refusal": services.erasure_refusal_for(request.user),  # type: ignore[arg-type]
        },
    )


@never_cache
@login_required
@require_GET
def my_data_download(request: HttpRequest) -> HttpResponse:
    data = services.my_data_export(user=request.user, actor=request.user)  # type: ignore[arg-type]
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    day = timezone.localdate()
    response["Content-Disposition"] = (
        f'attachment; filename="clusterhub-my-data-{day:%Y-%m-%d}.json"'
    )
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest) -> HttpResponse:
    user = request.user
    refusal = services.erasure_refusal_for(user)  # type: ignore[arg-type]
    if refusal is not None:
        messages.error(request, " ".join(refusal.messages))
        return redirect("privacy:my_data")
    form = EraseConfirmForm(request.POST or None, user=user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        services.user_erase(user=user, actor=user, reason="self_service")  # type: ignore[arg-type]
        logout(request)
        messages.success(request, _("Your personal data has been erased and your account deleted."))
        return redirect("public:home")
    status = 400 if request.method == "POST" else 200
    return render(request, "privacy/erase.html", {"form": form}, status=status)
