"""Shares, diversity indices and keyed counts: the arithmetic every KPI section shares."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from .outputs import Counts, Diversity


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when whole is 0."""
    return part / whole if whole else None


def diversity(counts: Iterable[int]) -> Diversity:
    """Gini–Simpson, Shannon, Pielou's evenness and the effective number of categories of a
    population given by its category counts (zeros are ignored)."""
    present = [c for c in counts if c > 0]
    n = sum(present)
    if n == 0:
        return Diversity(richness=0, simpson=0.0, shannon=0.0, evenness=None, effective_number=0.0)
    ps = [c / n for c in present]
    # max(…, 0.0) drops the -0.0 (and tiny negatives from rounding) of a single category.
    simpson = max(1.0 - math.fsum(p * p for p in ps), 0.0)
    shannon = max(-math.fsum(p * math.log(p) for p in ps), 0.0)
    richness = len(present)
    evenness = min(shannon / math.log(richness), 1.0) if richness > 1 else None
    return Diversity(
        richness=richness,
        simpson=simpson,
        shannon=shannon,
        evenness=evenness,
        effective_number=math.exp(shannon),
    )


def keyed(keys: Sequence[str], counts: Mapping[str, int]) -> Counts:
    """Counts for `keys` in their order, zeros included."""
    return tuple((key, counts.get(key, 0)) for key in keys)


def by_frequency(counts: Mapping[str, int]) -> Counts:
    """Non-zero counts, largest first, ties by key: the same order whatever the input order."""
    return tuple(sorted(((k, c) for k, c in counts.items() if c), key=lambda kc: (-kc[1], kc[0])))


def add(parts: Iterable[Counts]) -> Counter[str]:
    """The sum of several `Counts`, key by key."""
    total: Counter[str] = Counter()
    for counts in parts:
        for key, count in counts:
            total[key] += count
    return total


def key_order(parts: Iterable[Counts], fallback: Sequence[str]) -> list[str]:
    """Keys in order of first appearance across `parts` (all parts normally share one
    vocabulary); `fallback` when there are no parts."""
    keys: dict[str, None] = {}
    for counts in parts:
        keys.update((key, None) for key, _ in counts)
    return list(keys) or list(fallback)
