"""Every user-facing string is translatable: model labels, admin headings and the attributes
screen readers announce. Scoped to the apps this suite owns (common, events) and the project
templates."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.utils.functional import Promise

from clusterhub.directory.models import User

SRC = Path(__file__).resolve().parents[2] / "src" / "clusterhub"


def labelled_fields():
    for app in ("common", "events"):
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.get_fields(include_hidden=False):
                if field.auto_created or (not field.concrete and not field.many_to_many):
                    continue
                yield f"{model.__name__}.{field.name}", field


@pytest.mark.parametrize(("name", "field"), list(labelled_fields()), ids=lambda v: str(v))
def test_model_field_has_a_translatable_label(name, field):
    assert isinstance(field.verbose_name, Promise), f"{name} has no translatable verbose_name"


def test_user_admin_fieldset_titles_are_translatable():
    titles = [title for title, _options in admin.site._registry[User].fieldsets if title]

    assert titles
    assert all(isinstance(title, Promise) for title in titles)


TEMPLATES = sorted(
    [*(SRC / "templates").glob("*.html"), *(SRC / "events" / "templates").rglob("*.html")]
)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_template_accessible_names_are_translated(path):
    plain = re.findall(r'(?:aria-label|title|alt|placeholder)="([^"{]+)"', path.read_text())

    assert plain == []
