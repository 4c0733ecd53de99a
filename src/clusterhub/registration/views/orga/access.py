"""The two permissions of registration's back office (both checked on the event)."""

from clusterhub.events.views.orga.access import event_view, form_data

MANAGE = "registration.manage_registrations"  # owners and organisers of the host cluster
CHECK_IN = "registration.check_in"  # the whole team, check-in staff included

__all__ = ["CHECK_IN", "MANAGE", "event_view", "form_data"]
