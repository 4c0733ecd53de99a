"""Offline text features: normalisation, word + character n-gram TF-IDF, lexicon concepts."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from functools import lru_cache
from typing import TypeVar

import numpy as np
import scipy.sparse as sp

from .lexicon import concepts_in

T = TypeVar("T")
R = TypeVar("R")

_NON_WORD = re.compile(r"[^\w\s]+|_")

_EN = "a an and the of for to in on with by from at or our we us my i is are be as that this into"
_EN_PROFILE = "new need needs seek seeking looking offer offers can their"
_NB = "og på til med av en et ei det den de som vi oss vår våre er å fra om ser etter søker tilbyr"
_UK = "і й та в у на з із до для від що ми наш наша наші як або це шукаємо пропонуємо"
STOPWORDS = frozenset(" ".join((_EN, _EN_PROFILE, _NB, _UK)).split())


def normalize(text: str) -> str:
    """Unicode NFKC, lowercase, punctuation to spaces, single spaces."""
    text = unicodedata.normalize("NFKC", text).lower().replace("ʼ", "'").replace("’", "'")
    return " ".join(_NON_WORD.sub(" ", text.replace("'", "")).split())


def words_of(text: str) -> tuple[str, ...]:
    return tuple(normalize(text).split())


def content_words(words: Sequence[str]) -> list[str]:
    return [w for w in words if w not in STOPWORDS and len(w) > 1]


def _char_grams(word: str) -> list[str]:
    padded = f" {word} "
    return [padded[i : i + n] for n in (3, 4, 5) for i in range(len(padded) - n + 1)]


def each(workers: Executor | None, f: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """[f(x) for x in items], on the workers when there are some (numpy releases the GIL)."""
    return list(workers.map(f, items)) if workers else [f(x) for x in items]


def runs(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """starts[k], starts[k] + 1, ..., starts[k] + counts[k] - 1 for every k, in one array."""
    return np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())


class _Vocabulary:
    """Feature ids in first appearance order, and each phrase's ids, concatenated."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.flat: list[int] = []
        self.lengths: list[int] = []

    def add(self, features: list[str]) -> None:
        ids = self.ids
        self.flat.extend([ids.setdefault(f, len(ids)) for f in features])
        self.lengths.append(len(features))

    def counts(self, docs: np.ndarray, phrases: np.ndarray, n: int) -> sp.csr_matrix:
        """Document × feature counts, from the phrase occurrences (docs[k] holds phrases[k])."""
        lengths = np.asarray(self.lengths, dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        per = lengths[phrases]
        # Occurrences come in document order, so their features already form CSR rows.
        indptr = np.concatenate([[0], np.cumsum(np.bincount(docs, weights=per, minlength=n))])
        cols = np.asarray(self.flat, dtype=np.int32)[runs(starts[phrases], per)]
        m = sp.csr_matrix(
            (np.ones(len(cols), dtype=np.float32), cols, indptr.astype(np.int64)),
            shape=(n, max(1, len(self.ids))),
        )
        m.sum_duplicates()
        return m


def tfidf(counts: sp.csr_matrix) -> sp.csr_matrix:
    """Sublinear TF times smooth IDF, features seen in one document dropped, rows L2-normalised."""
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
    idf[df < 2] = 0.0
    m = counts.copy()
    m.data = ((1.0 + np.log(m.data)) * idf[m.indices]).astype(np.float32)
    m.eliminate_zeros()
    row = np.repeat(np.arange(n), np.diff(m.indptr))
    norms = np.sqrt(np.bincount(row, weights=m.data.astype(np.float64) ** 2, minlength=n))
    norms[norms == 0] = 1.0
    m.data *= (1.0 / norms).astype(np.float32)[row]
    return m


@lru_cache(maxsize=262_144)
def analyse(phrase: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(words, content words, concept ids) of a phrase; cached because phrases repeat."""
    ws = words_of(phrase)
    return ws, tuple(content_words(ws)), tuple(concepts_in(ws))


def side_matrices(
    docs: Sequence[Sequence[str]],
    *,
    concepts: bool,
    weights: tuple[float, float, float],
    workers: Executor | None = None,
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Per document, the weighted [word, char] TF-IDF block and the weighted concept block.

    A document is a list of phrases. With block weights a² + b² + c² = 1, the dot product of two
    rows is the weighted mean of the three cosines, so it stays in [0, 1].
    """
    words, chars, cons = _Vocabulary(), _Vocabulary(), _Vocabulary()
    number: dict[str, int] = {}
    occurrences: list[int] = []
    owners: list[int] = []
    for d, doc in enumerate(docs):
        for phrase in doc:
            pid = number.get(phrase)
            if pid is None:
                pid = number[phrase] = len(number)
                _ws, cw, found = analyse(phrase)
                words.add([*cw, *(f"{a} {b}" for a, b in itertools.pairwise(cw))])
                chars.add([g for w in cw for g in _char_grams(w)])
                cons.add(list(found))
            occurrences.append(pid)
            owners.append(d)
    at = np.asarray(occurrences, dtype=np.int64)
    doc_of = np.asarray(owners, dtype=np.int64)
    n = len(docs)

    def weighted(vocabulary: _Vocabulary, weight: float) -> sp.csr_matrix:
        m = tfidf(vocabulary.counts(doc_of, at, n))
        m.data *= np.float32(weight)
        return m

    a, b, c = weights
    blocks = [(chars, b), (words, a), *([(cons, c)] if concepts else [])]
    done = each(workers, lambda vw: weighted(*vw), blocks)
    text = sp.hstack([done[1], done[0]], format="csr", dtype=np.float32)
    concept = done[2] if concepts else sp.csr_matrix((n, 1), dtype=np.float32)
    return text, concept


def dense_sides(
    text: sp.csr_matrix,
    concept: sp.csr_matrix,
    *,
    parts: int,
    dims: int,
    seed: int,
    workers: Executor | None = None,
) -> np.ndarray:
    """Dense float32 rows: the concept block kept exactly, the word/char block reduced to `dims`
    by a seeded Gaussian random projection (dot products preserved in expectation; the error of a
    cosine is about 1/sqrt(dims) times the block weight). The documents are `parts` stacked
    groups of n (needs of everyone, then offers, ...); row i of the result holds person i's
    `parts` side vectors side by side."""
    rng = np.random.default_rng(seed)
    proj = rng.standard_normal((text.shape[1], dims), dtype=np.float32) / np.float32(np.sqrt(dims))
    n = text.shape[0] // parts
    width = dims + concept.shape[1]
    out = np.empty((n, parts, width), dtype=np.float32)

    def fill(p: int) -> None:
        out[:, p, :dims] = text[p * n : (p + 1) * n] @ proj
        out[:, p, dims:] = concept[p * n : (p + 1) * n].toarray()

    each(workers, fill, range(parts))
    return out.reshape(n, parts * width)
