"""Permission predicates for registration. Organisers manage registrations; check-in staff
check people in; a participant acts on their own registration only."""

import rules

from clusterhub.events.rules import is_event_organiser, is_event_team_member


@rules.predicate
def is_own_registration(user, registration) -> bool:
    return (
        registration is not None
        and getattr(user, "is_authenticated", False)
        and registration.person.user_id == user.pk
    )


rules.add_perm("registration.manage_registrations", is_event_organiser)  # object: event
rules.add_perm("registration.check_in", is_event_team_member)  # object: event
rules.add_perm("registration.change_own_registration", is_own_registration)
