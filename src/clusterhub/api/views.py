"""The account page for one's own personal API tokens, under /account/api-tokens/ (namespace
`api_tokens`): list them, create one (its secret is shown once, in the answer to the POST
that created it, and never stored) and revoke one. Login required; another user's token
answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from clusterhub.api.forms import ApiTokenCreateForm
from clusterhub.api.models import ApiToken
from clusterhub.api.selectors import api_tokens_for_user
from clusterhub.api.services import api_token_revoke


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    created, secret = None, None
    status = 200
    if request.method == "POST":
        form = ApiTokenCreateForm(request.POST, user=request.user)
        result = form.save(actor=request.user) if form.is_valid() else None
        if result is not None:
            # The secret goes into this answer only: a reload (GET) cannot show it again.
            created, secret = result
            form = ApiTokenCreateForm(user=request.user)
        else:
            status = 400
    else:
        form = ApiTokenCreateForm(user=request.user)
    context = {
        "form": form,
        "tokens": api_tokens_for_user(user=request.user).select_related("cluster__organisation"),
        "created": created,
        "secret": secret,
    }
    return render(request, "api/tokens.html", context, status=status)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    try:
        api_token_revoke(token=token, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api_tokens:list")
