"""The participant pages and the check-in desk work on a phone-sized screen, and keyboard focus is
visible. Layout itself is checked by the browser journey (tests/e2e, 390 x 844); here the pieces it
relies on are held in place: the viewport, the table wrappers, the style rules."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

import clusterhub
from tests.factories import RegistrationFactory, SignUpFactory, UserFactory

SOURCE = Path(clusterhub.__file__).resolve().parent
SITE_CSS = (SOURCE / "static/clusterhub/site.css").read_text()
PARTICIPANT_TEMPLATES = sorted(
    path
    for folder in (
        "registration/templates/registration/portal", "matchmaking/templates/matchmaking/portal",
        "followup/templates/followup/portal", "privacy/templates/privacy",
    )
    for path in (SOURCE / folder).glob("*.html")
    if path.name != "badge_pdf.html"  # printed on paper, not shown on a screen
)  # fmt: skip
TABLE = re.compile(r"<table\b[^>]*>", re.IGNORECASE)
WRAPPER = re.compile(r"""<div class="(?:overflow-auto|table-scroll)">\s*$""")


def test_every_page_sets_the_viewport_to_the_device_width():
    base = (SOURCE / "templates/base.html").read_text()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in base


def test_every_table_on_a_participant_page_scrolls_in_its_own_box():
    assert len(PARTICIPANT_TEMPLATES) > 10
    unwrapped = []
    for path in PARTICIPANT_TEMPLATES:
        text = path.read_text()
        for table in TABLE.finditer(text):
            if 'class="figures"' not in table.group() and not WRAPPER.search(text[: table.start()]):
                line = text.count("\n", 0, table.start()) + 1
                unwrapped.append(f"{path.relative_to(SOURCE)}:{line}")
    assert unwrapped == []


def test_the_wrappers_scroll_sideways_and_bare_tables_scroll_on_small_screens():
    assert re.search(r"\.overflow-auto, \.table-scroll \{ overflow-x: auto;", SITE_CSS)
    small = SITE_CSS[SITE_CSS.index("@media (max-width: 576px)") :]
    assert "table:not(.figures) { display: block; overflow-x: auto;" in small


def test_the_check_in_desk_stacks_its_field_and_buttons_at_full_width_on_a_phone():
    small = SITE_CSS[SITE_CSS.index("@media (max-width: 576px)") :]
    assert 'body .checkin-main [role="group"] { flex-direction: column; }' in small
    assert "body .checkin-main button { width: 100%;" in small
    desk = (SOURCE / "registration/templates/registration/orga/checkin.html").read_text()
    assert 'class="checkin-main"' in desk
    assert '<div role="group">' in desk


def test_keyboard_focus_draws_a_thick_outline_on_links_buttons_and_fields():
    rule = re.search(
        r"(:is\([^)]*\)):focus-visible \{\s*outline: 3px solid [^;]+;\s*outline-offset: 2px;",
        SITE_CSS,
    )
    assert rule
    for element in ("a", "button", "input", "select", "textarea", "summary"):
        assert re.search(rf"[(\s]{element}[,)]", rule.group(1)), element


@pytest.mark.django_db
def test_my_registration_page_wraps_its_sign_up_table(client, event):
    user = UserFactory()
    registration = RegistrationFactory(event=event, person__user=user, person__email=user.email)
    SignUpFactory(registration=registration, session__title="Training module 1")
    client.force_login(user)

    text = client.get(reverse("portal:me", args=[event.slug])).content.decode()

    signups = text[text.index('id="signups"') :]
    assert re.search(r'<div class="overflow-auto">\s*<table class="striped">', signups)
    assert "Training module 1" in signups
