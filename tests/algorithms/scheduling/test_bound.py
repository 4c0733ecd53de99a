"""The b-matching LP solved as a flow on the bipartite double cover has the same optimum as
the LP itself, solved by HiGHS, and a half-integral solution within the capacities."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from clusterhub.algorithms.scheduling.bound import Relaxation

Graph = tuple[list[tuple[int, int]], list[int], list[int], int]


@st.composite
def graphs(draw: st.DrawFn) -> Graph:
    n = draw(st.integers(min_value=2, max_value=9))
    pairs = draw(st.lists(
        st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda e: e[0] < e[1]),
        unique=True, min_size=1, max_size=20,
    ))  # fmt: skip
    b = draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))
    costs = draw(st.lists(st.integers(1, 1000), min_size=len(pairs), max_size=len(pairs)))
    return pairs, b, costs, draw(st.integers(0, 12))


def _lp(pairs: list[tuple[int, int]], b: list[int], costs: list[int], tables: int) -> float:
    rows = np.zeros((len(b) + 1, len(pairs)))
    for k, (u, v) in enumerate(pairs):
        rows[u, k] = rows[v, k] = rows[-1, k] = 1
    res = linprog(-np.array(costs, float), A_ub=rows, b_ub=[*b, tables], bounds=(0, 1),
                  method="highs")  # fmt: skip
    return float(-res.fun)


@settings(max_examples=60, deadline=None)
@given(graph=graphs())
def test_flow_on_the_double_cover_solves_the_b_matching_lp(graph: Graph) -> None:
    pairs, b, costs, tables = graph
    rel = Relaxation(
        requests=np.arange(len(pairs)), ra=np.array([u for u, _ in pairs]),
        rb=np.array([v for _, v in pairs]), b=np.array(b), tables=tables,
        n_requests=len(pairs),
    )  # fmt: skip

    count, y_count = rel.max_count()
    weight, y_weight = rel.max_weight(np.array(costs))

    assert count == pytest.approx(_lp(pairs, b, [1] * len(pairs), tables), abs=1e-6)
    assert weight == pytest.approx(_lp(pairs, b, costs, tables), abs=1e-6)
    for y in (y_count, y_weight):
        assert set(np.unique(y * 2)) <= {0, 1, 2}  # half-integral
        assert y.sum() <= tables
        for p, cap in enumerate(b):
            assert sum(y[k] for k, e in enumerate(pairs) if p in e) <= cap
