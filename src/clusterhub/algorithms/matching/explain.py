"""Reasons for a whole block of pairs at once: the texts of `reasons.reasons_for`, with every
lookup (the first shared concept, word stem or tag, the phrases that name it, objectives,
wishes, borders, sectors) done with arrays for all pairs together; only the sentences are put
together pair by pair.

`reasons_for` stays the readable definition; tests check that both give the same reasons.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .features import Population
from .lexicon import LABELS, STEM
from .objectives import objective_reason
from .reasons import COUNTRIES, SECTORS, kind_of
from .text import analyse, runs

NEEDS, OFFERS, INTERESTS, ANY = 0, 1, 2, 3
# Largest (sides × people × items) answered by a boolean table rather than binary search.
MEMBER_TABLE = 50_000_000


class _Sets:
    """Per side and person, a set of items (concepts, word stems or tags), each with the first
    phrase naming it. Items are numbered in sorted order, so the first shared item found is the
    smallest, as min() in reasons_for."""

    def __init__(
        self, n: int, sides: int, where: tuple[np.ndarray, np.ndarray, np.ndarray],
        items: list[Sequence[str]],
    ) -> None:  # fmt: skip
        """`where` = (side, person, phrase) of each phrase occurrence, in each person's phrase
        order; `items[phrase]` the items the phrase names."""
        side, person, phrase = where
        names = sorted({x for found in items for x in found})
        number = {name: k for k, name in enumerate(names)}
        self.names, self.n, self.size = names, n, max(1, len(names))
        lengths = np.asarray([len(found) for found in items], dtype=np.int64)
        flat = np.asarray([number[x] for found in items for x in found], dtype=np.int64)
        per = lengths[phrase]
        at = runs(np.concatenate([[0], np.cumsum(lengths)[:-1]])[phrase], per)
        keys = (np.repeat(side, per) * n + np.repeat(person, per)) * self.size + flat[at]
        # Sorted unique keys: each (side, person) is a run of ascending item numbers; the
        # first occurrence of a key is the first phrase naming the item.
        self.keys, first = np.unique(keys, return_index=True)
        self.phrase = np.repeat(phrase, per)[first]
        starts = np.arange(sides * n + 1, dtype=np.int64) * self.size
        self.bounds = np.searchsorted(self.keys, starts)
        # For few items (concepts, tags) a membership table answers most lookups at once.
        self.member: np.ndarray | None = None
        if sides * n * self.size <= MEMBER_TABLE:
            self.member = np.zeros(sides * n * self.size, dtype=bool)
            self.member[self.keys] = True

    def first_common(
        self, side_a: int, side_b: int, rows: np.ndarray, cols: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per pair (rows[p], cols[p]): the smallest item in both side_a of the row and side_b
        of the column (-1 if none), and the phrases naming it on each side."""
        if len(self.keys) == 0:
            none = np.full(len(rows), -1, dtype=np.int64)
            return none, none.copy(), none.copy()
        lo = self.bounds[side_a * self.n + rows]
        count = self.bounds[side_a * self.n + rows + 1] - lo
        pair = np.repeat(np.arange(len(rows)), count)
        at = runs(lo, count)  # the positions of each pair's items, all pairs in one array
        items = self.keys[at] % self.size
        wanted = (side_b * self.n + cols[pair]) * self.size + items
        if self.member is not None:
            hit = self.member[wanted]
        else:
            found = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
            hit = self.keys[found] == wanted
        pair, at, items, wanted = pair[hit], at[hit], items[hit], wanted[hit]
        first_pair, first = np.unique(pair, return_index=True)  # ascending items per pair
        item = np.full(len(rows), -1, dtype=np.int64)
        mine = np.zeros(len(rows), dtype=np.int64)
        theirs = np.zeros(len(rows), dtype=np.int64)
        item[first_pair] = items[first]
        mine[first_pair] = self.phrase[at[first]]
        theirs[first_pair] = self.phrase[np.searchsorted(self.keys, wanted[first])]
        return item, mine, theirs


class Explainer:
    """Built once per population; `block` explains many pairs."""

    def __init__(self, pop: Population, *, preferences: bool) -> None:
        self.pop, self.preferences = pop, preferences
        n = pop.n
        number: dict[str, int] = {}
        concepts: list[Sequence[str]] = []
        stems: list[Sequence[str]] = []
        side: list[int] = []
        person: list[int] = []
        phrase: list[int] = []
        for i, p in enumerate(pop.profiles):
            for s, texts in enumerate((p.needs, p.offers, p.interests)):
                for text in texts:
                    pid = number.get(text)
                    if pid is None:
                        pid = number[text] = len(number)
                        _words, content, found = analyse(text)
                        concepts.append(found)
                        stems.append([w[:STEM] for w in content if len(w) >= 4])
                    side.append(s)
                    person.append(i)
                    phrase.append(pid)
        self.phrases = list(number)
        sides, people, phrases = (np.asarray(x, dtype=np.int64) for x in (side, person, phrase))
        anything = np.full_like(sides, ANY)
        self.concepts = _Sets(
            n, 4, (np.concatenate([sides, anything]), np.tile(people, 2), np.tile(phrases, 2)),
            concepts,
        )  # fmt: skip
        said = sides != INTERESTS  # stems come from needs and offers only
        self.stems = _Sets(n, 2, (sides[said], people[said], phrases[said]), stems)
        tags = [(i, t.strip().lower()) for i, p in enumerate(pop.profiles) for t in p.tags]
        tag_people = np.asarray([i for i, _ in tags], dtype=np.int64)
        self.tags = _Sets(
            n, 1, (np.zeros_like(tag_people), tag_people, np.arange(len(tags))),
            [(t,) for _, t in tags],
        )  # fmt: skip
        self.countries = [COUNTRIES.get(p.country.upper(), p.country.upper()) for p in pop.profiles]
        self.sectors = [SECTORS.get(p.org_type, p.org_type) for p in pop.profiles]
        self.kinds = [kind_of(p.org_type) for p in pop.profiles]
        self.labels: list[str | None] = [LABELS[c] for c in self.concepts.names]
        self.objectives: dict[int, str | None] = {}

    def _pairs(
        self, side_a: int, side_b: int, rows: np.ndarray, cols: np.ndarray
    ) -> tuple[list[int], list[int], list[int]]:
        """The concept shared by side_a of the row and side_b of the column, else a word stem:
        (found, phrase of the row, phrase of the column), found = -1 when neither."""
        item, mine, theirs = self.concepts.first_common(side_a, side_b, rows, cols)
        missing = np.flatnonzero(item < 0)
        if len(missing):
            s_item, s_mine, s_theirs = self.stems.first_common(
                side_a, side_b, rows[missing], cols[missing]
            )
            item[missing], mine[missing], theirs[missing] = s_item, s_mine, s_theirs
        return item.tolist(), mine.tolist(), theirs.tolist()

    def _interests(self, rows: np.ndarray, cols: np.ndarray) -> list[str | None]:
        """The first concept in my interests and anything of theirs or the other way round,
        else the first shared tag."""
        a = self.concepts.first_common(INTERESTS, ANY, rows, cols)[0]
        b = self.concepts.first_common(ANY, INTERESTS, rows, cols)[0]
        best = np.where((a >= 0) & ((b < 0) | (a < b)), a, b)
        names: list[str | None] = [*self.labels, None]  # names[-1]: nothing shared
        found = best.tolist()
        missing = np.flatnonzero(best < 0)
        if len(missing):
            tags = self.tags.first_common(0, 0, rows[missing], cols[missing])[0]
            names = [*self.labels, *self.tags.names, None]
            offset = len(self.labels)
            for at, t in zip(missing.tolist(), tags.tolist(), strict=True):
                found[at] = offset + t if t >= 0 else -1
        return [names[c] for c in found]

    def _objective_reasons(self, rows: np.ndarray, cols: np.ndarray) -> list[str | None]:
        codes = self.pop.role_codes
        size = int(codes.max()) + 1
        keys, first, inverse = np.unique(
            codes[rows].astype(np.int64) * size + codes[cols], return_index=True,
            return_inverse=True,
        )  # fmt: skip
        known = self.objectives
        for key, at in zip(keys.tolist(), first.tolist(), strict=True):
            if key not in known:
                i, j = int(rows[at]), int(cols[at])
                known[key] = objective_reason(self.pop.roles[i], self.pop.roles[j])
        reasons = [known[key] for key in keys.tolist()]
        return [reasons[k] for k in inverse.ravel().tolist()]

    def block(
        self, rows: Sequence[int], cols: Sequence[Sequence[int]]
    ) -> list[list[tuple[str, ...]]]:
        """Reasons for each (rows[r], cols[r][m]), at most three, strongest kind first."""
        pop = self.pop
        flat_i = np.asarray(
            [i for i, line in zip(rows, cols, strict=True) for _ in line], dtype=np.int64
        )
        flat_j = np.asarray([j for line in cols for j in line], dtype=np.int64)
        if len(flat_i) == 0:
            return [[] for _ in rows]
        need, need_mine, need_theirs = self._pairs(NEEDS, OFFERS, flat_i, flat_j)
        offer, offer_mine, offer_theirs = self._pairs(OFFERS, NEEDS, flat_i, flat_j)
        objective = self._objective_reasons(flat_i, flat_j)
        interest = self._interests(flat_i, flat_j)
        want_type = want_country = [False] * len(flat_i)
        if self.preferences and pop.pref_types is not None and pop.pref_countries is not None:
            want_type = (pop.pref_types[flat_i, pop.types[flat_j]] > 0).tolist()
            want_country = (pop.pref_countries[flat_i, pop.countries[flat_j]] > 0).tolist()
        other_type = (pop.types[flat_i] != pop.types[flat_j]).tolist()
        other_country = (pop.countries[flat_i] != pop.countries[flat_j]).tolist()
        phrases, countries, sectors, kinds = self.phrases, self.countries, self.sectors, self.kinds
        flat: list[tuple[str, ...]] = []
        for i, j, nd, nm, nt, of, om, ot, why, wt, wc, shared, oc, oty in zip(
            flat_i.tolist(), flat_j.tolist(), need, need_mine, need_theirs, offer, offer_mine,
            offer_theirs, objective, want_type, want_country, interest, other_country,
            other_type, strict=True,
        ):  # fmt: skip
            found: list[str] = []
            if nd >= 0:
                found.append(f"your need “{phrases[nm]}” ↔ their offer “{phrases[nt]}”")
            if of >= 0:
                found.append(f"your offer “{phrases[om]}” ↔ their need “{phrases[ot]}”")
            # At most two reasons so far: each one below is added only while there is room.
            if why and len(found) < 3:
                found.append(why)
            if wt and len(found) < 3:
                found.append(f"they are {kinds[j]}, a type of organisation you want to meet")
            if wc and len(found) < 3:
                found.append(f"they are based in {countries[j]}, a country you asked for")
            if shared and len(found) < 3:
                found.append(f"shared interest: {shared}")
            if oc and not wc and len(found) < 3 and countries[i] and countries[j]:
                found.append(f"crosses borders: {countries[i]} ↔ {countries[j]}")
            if oty and not wt and len(found) < 3:
                found.append(f"different sector: {sectors[i]} ↔ {sectors[j]}")
            flat.append(tuple(found))
        out: list[list[tuple[str, ...]]] = []
        at = 0
        for line in cols:
            out.append(flat[at : at + len(line)])
            at += len(line)
        return out
