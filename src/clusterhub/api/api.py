"""The API object: version 1, its routers and its error handlers."""

from ninja import NinjaAPI
from ninja.operation import Operation

from clusterhub.api.endpoints import events, outcomes, people, registrations
from clusterhub.api.errors import register_error_handlers


class ClusterhubAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # Short, stable ids for generated clients ("session_list", not the module path);
        # view function names are unique across the routers.
        return operation.view_func.__name__


api = ClusterhubAPI(
    title="clusterhub API",
    version="1",
    urls_namespace="api",
    description=(
        "Read the programme of published events, and (with a personal token or a session) "
        "the registrations of events you organise. Errors have the body "
        '`{"code": ..., "message": ..., "details": ...}`. See docs/api.md.'
    ),
)
register_error_handlers(api)
api.add_router("/events", events.router)
api.add_router("/events", registrations.router)
api.add_router("/events", "clusterhub.api.endpoints.writes.router")
api.add_router("/events", people.router)
api.add_router("/events", outcomes.router)
