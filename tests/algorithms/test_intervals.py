from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from clusterhub.algorithms.intervals import overlaps

T0 = datetime(2025, 12, 3, tzinfo=UTC)
minutes = st.integers(min_value=0, max_value=24 * 60)
lengths = st.integers(min_value=1, max_value=8 * 60)


def test_overlaps_examples():
    h = timedelta(hours=1)
    assert overlaps(T0, T0 + h, T0 + h / 2, T0 + 2 * h)
    assert not overlaps(T0, T0 + h, T0 + h, T0 + 2 * h)  # back to back
    assert overlaps(T0, T0 + 3 * h, T0 + h, T0 + 2 * h)  # containment


@given(minutes, lengths, minutes, lengths)
def test_overlaps_is_symmetric_and_matches_minute_sets(a, la, b, lb):
    a0, a1 = T0 + timedelta(minutes=a), T0 + timedelta(minutes=a + la)
    b0, b1 = T0 + timedelta(minutes=b), T0 + timedelta(minutes=b + lb)
    shared = set(range(a, a + la)) & set(range(b, b + lb))
    assert overlaps(a0, a1, b0, b1) == overlaps(b0, b1, a0, a1) == bool(shared)
