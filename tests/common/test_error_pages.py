"""The project's own 404, 403 and 500 pages: in the site layout, in the visitor's language."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from clusterhub.directory.models import ClusterRole
from tests.factories import EventFactory, MembershipFactory

NOT_YOURS = (
    "You may not open this page. If you need it, ask an owner of the cluster that runs the event."
)
NOTHING_HERE = (
    "There is nothing at this address. It may have moved, or the event may not be published yet."
)


@pytest.mark.parametrize("language", ["en", "nb", "uk"])
def test_404_page_renders_in_the_site_layout_in_any_language(client, db, language):
    response = client.get("/events/no-such-event/", HTTP_ACCEPT_LANGUAGE=language)

    text = response.content.decode()
    assert response.status_code == 404
    assert [t.name for t in response.templates][:2] == ["404.html", "base.html"]
    assert f'<html lang="{language}">' in text
    with translation.override(language):  # Django's own catalogue has this one, ours the rest
        assert f"<h1>{translation.gettext('Page not found')}</h1>" in text
        assert translation.gettext(NOTHING_HERE) in text
    if language != "en":
        assert NOTHING_HERE not in text


def test_403_page_renders_in_the_site_layout(client, db):
    event = EventFactory()
    client.force_login(MembershipFactory(cluster=event.cluster, role=ClusterRole.CHECKIN).user)

    response = client.get(reverse("orga:event_edit", args=[event.slug]), HTTP_ACCEPT_LANGUAGE="nb")

    assert response.status_code == 403
    assert [t.name for t in response.templates][:2] == ["403.html", "base.html"]
    page = response.content.decode()
    with translation.override("nb"):
        assert translation.gettext(NOT_YOURS) in page
    assert NOT_YOURS not in page


def test_500_page_renders_without_the_request_context(db):
    # Django renders 500.html with no context processors: no user, no request, no messages.
    response = server_error(RequestFactory().get("/"))

    text = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in text
    assert "clusterhub" in text  # the site layout
