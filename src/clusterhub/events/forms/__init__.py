"""Back-office forms. A form cleans what the organiser typed and hands it to a service in
`save(actor=...)`; the service's refusals (ValidationError keyed by field, with a code) come
back onto the form next to the field they concern, and `save` returns None. Forms never write
a model themselves."""

from clusterhub.events.forms.base import ORGANISER_ROLES, RESERVED_SLUGS, ServiceForm
from clusterhub.events.forms.events import EventForm, RoomForm
from clusterhub.events.forms.people import PersonCreateForm, SessionRoleForm
from clusterhub.events.forms.sessions import SessionForm

__all__ = [
    "ORGANISER_ROLES",
    "RESERVED_SLUGS",
    "EventForm",
    "PersonCreateForm",
    "RoomForm",
    "ServiceForm",
    "SessionForm",
    "SessionRoleForm",
]
