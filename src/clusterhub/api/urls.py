"""URLs under /api/v1/: ninja's own, each wrapped so that a wrong method (405) and ninja's bare
root (404) answer with the error body too, and a catch-all so that an unknown address under
the API is a JSON 404 (only for addresses ending in a slash, so APPEND_SLASH still works)."""

from __future__ import annotations

from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from clusterhub.api.api import api
from clusterhub.api.errors import error_response


def _with_error_body(view):
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404:  # ninja's root view, outside its exception handlers
            return error_response(404, "not_found", _("Not found."))
        if response.status_code == 405:
            allowed = response.get("Allow", "")
            out = error_response(
                405, "method_not_allowed", _("Method not allowed."), {"allowed": allowed}
            )
            out["Allow"] = allowed
            return out
        return response

    return wrapped


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return error_response(404, "not_found", _("Not found."))


def _patterns() -> list:
    patterns, _app_name, _namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _with_error_body(pattern.callback)
    return [*patterns, re_path(r"^(?P<rest>(?:.*/)?)$", not_found)]


urlpatterns = _patterns()
app_name = "api"
