import sys

import pytest
import weasyprint
from django.core.exceptions import ValidationError

from clusterhub.registration import services
from clusterhub.registration.badges import (
    BadgeRenderingUnavailable,
    badge_html,
    badge_pdf,
    badge_qr_svg,
    badge_token_for,
)
from clusterhub.registration.models import Registration, RegistrationStatus
from tests.factories import EventFactory, RegistrationFactory, UserFactory
from tests.registration.portal_support import page_text, portal_url, registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def badge_registration(event):
    return RegistrationFactory(
        event=event,
        person__first_name="Olena",
        person__last_name="Коваленко",
        person__organisation__name="Kyiv Biotech",
        ticket_type__name="Speaker",
    )


def test_badge_download_is_my_pdf(client, event):
    registered(client, event)

    response = client.get(portal_url("badge", event))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF")


def test_badge_html_has_name_organisation_ticket_event_and_the_tokens_qr(badge_registration):
    html = badge_html([badge_registration])

    assert "Olena" in html
    assert "Коваленко" in html
    assert "Kyiv Biotech" in html
    assert "Speaker" in html
    assert badge_registration.event.name in html
    assert badge_qr_svg(badge_token_for(badge_registration)) in html
    assert f">{badge_registration.pk}<" not in html


def test_badge_token_reads_back_to_the_registration(event, badge_registration):
    token = badge_token_for(badge_registration)

    assert services.registration_for_badge(event=event, token=token) == badge_registration
    assert not token.startswith(f"{badge_registration.pk}:")  # signed, not a bare id


def _refused(event, token):
    with pytest.raises(ValidationError) as exc:
        services.registration_for_badge(event=event, token=token)
    assert exc.value.code == "bad_badge"


def test_badge_token_altered_by_one_character_is_refused(event, badge_registration):
    token = badge_token_for(badge_registration)
    for i in (0, len(token) // 2, len(token) - 1):
        altered = token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]
        _refused(event, altered)


def test_badge_token_of_another_event_is_refused(event, badge_registration):
    elsewhere = RegistrationFactory(event=EventFactory())
    _refused(event, badge_token_for(elsewhere))
    _refused(elsewhere.event, badge_token_for(badge_registration))


def test_badge_reprinted_with_a_new_nonce_revokes_the_old_one(event, badge_registration):
    old = badge_token_for(badge_registration)
    Registration.objects.filter(pk=badge_registration.pk).update(badge_nonce=1)
    badge_registration.refresh_from_db()

    _refused(event, old)
    assert services.registration_for_badge(event=event, token=badge_token_for(badge_registration))


@pytest.mark.parametrize(("layout", "pages"), [("a6", 5), ("a4", 2)])
def test_badge_pdf_layouts_for_bulk_printing(event, layout, pages):
    registrations = [RegistrationFactory(event=event) for _ in range(5)]

    document = weasyprint.HTML(string=badge_html(registrations, layout=layout)).render()

    assert len(document.pages) == pages
    assert badge_pdf(registrations, layout=layout).startswith(b"%PDF")


def test_badge_of_somebody_else_is_404(client, event, badge_registration):
    client.force_login(UserFactory())
    response = client.get(portal_url("badge", event))
    assert response.status_code == 404
    assert b"Olena" not in response.content


def test_badge_is_404_until_the_registration_is_confirmed(client, event):
    registered(client, event, status=RegistrationStatus.PENDING)
    assert client.get(portal_url("badge", event)).status_code == 404


def test_badge_anonymous_is_sent_to_login(client, event):
    response = client.get(portal_url("badge", event))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_badge_without_weasyprint_is_a_clear_503(client, event, monkeypatch):
    registered(client, event)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as on a machine without Pango

    with pytest.raises(BadgeRenderingUnavailable):
        badge_pdf([])
    response = client.get(portal_url("badge", event))

    assert response.status_code == 503
    assert "Badges cannot be printed right now" in page_text(response)
