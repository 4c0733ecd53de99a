import re

from clusterhub.reports import services
from clusterhub.reports.rendering import report_html


def _figure(html: str, key: str) -> str:
    return re.search(rf'data-figure="{key}"><dt>[^<]*</dt><dd>([^<]*)</dd>', html).group(1)


def test_report_html_is_one_document_with_the_words_the_figures_and_the_charts(world, organiser):
    event = world.event
    services.report_update(event=event, actor=organiser, introduction="People gathered.")
    services.session_highlight_set(
        event=event, session=world.part_two, key_messages="Partnerships are essential.",
        actor=organiser,
    )  # fmt: skip
    html = report_html(event)
    assert html.startswith("<!doctype html>")
    assert "<title>Highlights from Oslo Deep Dive Days 2025</title>" in html
    assert "People gathered." in html
    assert "Partnerships are essential." in html
    assert "Ketil Widerberg" in html
    assert "Coffee break" not in html
    figures = {k: _figure(html, k) for k in ("participants", "meetings_held", "partnerships")}
    assert figures == {"participants": "5", "meetings_held": "2", "partnerships": "1"}
    assert html.count("<svg ") == 5  # type, country, meetings, who met whom, satisfaction
    assert "Pilot of remote monitoring" in html
    assert re.search(r"<(link|img|script)\b", html) is None  # nothing to fetch


def test_report_html_has_no_duplicate_ids(world):
    ids = re.findall(r'\bid="([^"]+)"', report_html(world.event))
    assert len(ids) == len(set(ids))


def test_report_html_shows_nothing_private(world):
    html = report_html(world.event)
    absent = world.people[5].person  # registered, never came, met nobody
    for private in (
        "Secret comment about pricing",  # a meeting feedback comment
        "Confidential budget details", "Call the CFO on Monday",  # partnership internals
        world.people[0].person.email, world.people[0].person.last_name, absent.last_name,
    ):  # fmt: skip
        assert private not in html


def test_partnerships_can_be_counted_without_being_named(world, organiser):
    services.report_update(event=world.event, actor=organiser, list_partnerships=False)
    html = report_html(world.event)
    assert "Pilot of remote monitoring" not in html
    assert _figure(html, "partnerships") == "1"


def test_report_html_of_an_empty_event_says_so(event):
    html = report_html(event)
    assert "Nobody has registered yet." in html
    assert "No 1:1 meetings were arranged" in html
    assert "No partnership has been recorded yet." in html
    assert "<svg " not in html
