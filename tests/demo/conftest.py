import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

PASSWORD_LINE = re.compile(r"as (?P<email>\S+@oslocancercluster\.demo) with password (?P<pw>\S+)")


def run_load_demo(**options) -> str:
    out = StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


def passwords(output: str) -> dict[str, str]:
    return {m["email"]: m["pw"] for m in PASSWORD_LINE.finditer(output)}


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker) -> str:
    """One `load_demo` run (small population) shared by a module's tests: loaded in an outer
    transaction that each test's own transaction nests in, and rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield run_load_demo(participants=20)
        transaction.set_rollback(True)
