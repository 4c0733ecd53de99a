"""A participant's published meetings as items of their agenda and calendar feed (registered
with `registration.agenda` in `MatchmakingConfig.ready`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from clusterhub.matchmaking.reasons_i18n import reason_translate
from clusterhub.matchmaking.selectors import meetings_for_registration
from clusterhub.registration.agenda import AgendaItem
from clusterhub.registration.models import Registration


def meeting_agenda_items(registration: Registration) -> list[AgendaItem]:
    """Published meetings only: drafts are the organiser's work in progress. One query."""
    items = []
    for meeting in meetings_for_registration(registration=registration):
        other = meeting.b if meeting.a_id == registration.pk else meeting.a
        organisation = other.person.organisation
        who = other.person.full_name + (f" ({organisation.name})" if organisation else "")
        room = meeting.session.room
        where = _("table %(table)d") % {"table": meeting.table}
        items.append(
            AgendaItem(
                uid=f"meeting-{meeting.pk}@clusterhub",
                title=_("1:1 meeting with %(who)s") % {"who": who},
                start=meeting.start,
                end=meeting.end,
                location=f"{room.name}, {where}" if room else where,
                description="\n".join(reason_translate(r) for r in meeting.why),
                url=reverse("matchmaking:meetings", args=[meeting.event.slug]),
                changed=meeting.updated_at,
            )
        )
    return items
