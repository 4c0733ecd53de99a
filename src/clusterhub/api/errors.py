"""One error body for every API failure: `{"code": ..., "message": ..., "details": ...}`.

`code` is stable and meant for programs; `message` is translated and meant for people;
`details` carries field errors (422, or a service's ValidationError) and is null otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

if TYPE_CHECKING:
    from ninja import NinjaAPI

CODES_BY_STATUS = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    422: "validation_error",
    429: "throttled",
}


class ApiError(HttpError):
    """An HTTP error with a stable code (`raise ApiError(404, "not_found", _("..."))`)."""

    def __init__(self, status_code: int, code: str, message: Any, details: Any = None) -> None:
        super().__init__(status_code, str(message))
        self.code = code
        self.details = details


def error_body(code: str, message: Any, details: Any = None) -> dict[str, Any]:
    return {"code": code, "message": str(message), "details": details}


def error_response(status: int, code: str, message: Any, details: Any = None) -> JsonResponse:
    """The error body as a response, for places outside ninja (405, unknown paths)."""
    return JsonResponse(error_body(code, message, details), status=status)


def _validation_details(exc: NinjaValidationError) -> list[dict[str, Any]]:
    # Pydantic's entries carry the rejected input and exception objects; keep the parts that
    # serialise and say what went wrong where.
    return [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type", "")}
        for e in exc.errors
    ]


def _django_validation(exc: DjangoValidationError) -> tuple[str, str, Any]:
    details: dict[str, list[dict[str, str]]] | list[dict[str, str]]
    errors = exc.error_list if not hasattr(exc, "error_dict") else None
    if errors is None:
        details = {
            field: [{"code": e.code or "invalid", "message": " ".join(e.messages)} for e in errs]
            for field, errs in exc.error_dict.items()
        }
        first = next(iter(exc.error_dict.values()))[0]
    else:
        details = [{"code": e.code or "invalid", "message": " ".join(e.messages)} for e in errors]
        first = errors[0]
    return first.code or "invalid", " ".join(first.messages), details


def register_error_handlers(api: NinjaAPI) -> None:
    """Replace ninja's `{"detail": ...}` bodies with the error body."""

    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        response = api.create_response(request, body, status=status)
        if status == 401:
            response["WWW-Authenticate"] = "Bearer"
        return response

    def on_api_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, exc.status_code, error_body(exc.code, exc.message, exc.details))

    def on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        code = CODES_BY_STATUS.get(exc.status_code, "error")
        return respond(request, exc.status_code, error_body(code, exc.message))

    def on_authentication(request: HttpRequest, exc: Any) -> HttpResponse:
        message = exc.message if exc.message != "Unauthorized" else _("Authentication required.")
        return respond(request, 401, error_body("not_authenticated", message))

    def on_404(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, 404, error_body("not_found", _("Not found.")))

    def on_denied(request: HttpRequest, exc: Any) -> HttpResponse:
        message = _("You do not have permission to do this.")
        return respond(request, 403, error_body("permission_denied", message))

    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        body = error_body(
            "validation_error", _("The request is not valid."), _validation_details(exc)
        )
        return respond(request, 422, body)

    def on_service_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        code, message, details = _django_validation(exc)
        return respond(request, 400, error_body(code, message, details))

    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(AuthenticationError, on_authentication)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(PermissionDenied, on_denied)
    api.add_exception_handler(NinjaValidationError, on_validation)
    api.add_exception_handler(DjangoValidationError, on_service_validation)
