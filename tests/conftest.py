import os

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from tests.factories import EventFactory, MembershipFactory

# Property tests are reproducible by default (the same examples on every run, no deadline on a
# busy 2-core machine); HYPOTHESIS_PROFILE=explore draws new random examples each run.
hypothesis_settings.register_profile("default", derandomize=True, deadline=None)
hypothesis_settings.register_profile("explore", deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    # Factories set a password for every user and the production hasher spends ~0.3 s on
    # each. Tests check that passwords work, not how strong their hashes are.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _english_by_default():
    # A request with Accept-Language leaves its language active in the thread; every test
    # starts in the default language so messages compare as written.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # The database cache table is part of a real install (`make run` creates it).
    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)


@pytest.fixture
def event(db):
    return EventFactory()


@pytest.fixture
def organiser(event):
    """A user on the organiser team of `event`'s host cluster."""
    return MembershipFactory(cluster=event.cluster).user
