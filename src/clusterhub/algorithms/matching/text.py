"""Offline text features: normalisation, word + character n-gram TF-IDF, lexicon concepts."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

from .lexicon import concepts_in

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


class _Counter:
    """Sparse count matrix builder with a deterministic vocabulary (first appearance order)."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.indices: list[int] = []
        self.indptr: list[int] = [0]

    def ids(self, features: list[str]) -> list[int]:
        vocab = self.vocab
        return [vocab.setdefault(f, len(vocab)) for f in features]

    def add(self, ids: list[int]) -> None:
        self.indices.extend(ids)
        self.indptr.append(len(self.indices))

    def matrix(self) -> sp.csr_matrix:
        indices = np.asarray(self.indices, dtype=np.int32)
        m = sp.csr_matrix(
            (np.ones(len(indices), dtype=np.float32), indices, np.asarray(self.indptr)),
            shape=(len(self.indptr) - 1, max(1, len(self.vocab))),
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
    m.data = (1.0 + np.log(m.data)) * idf[m.indices]
    m.eliminate_zeros()
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ m, dtype=np.float32)


@lru_cache(maxsize=262_144)
def analyse(phrase: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(words, content words, concept ids) of a phrase; cached because phrases repeat."""
    ws = words_of(phrase)
    return ws, tuple(content_words(ws)), tuple(concepts_in(ws))


def side_matrices(
    docs: Sequence[Sequence[str]], *, concepts: bool, weights: tuple[float, float, float]
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Per document, the weighted [word, char] TF-IDF block and the weighted concept block.

    A document is a list of phrases. With block weights a² + b² + c² = 1, the dot product of two
    rows is the weighted mean of the three cosines, so it stays in [0, 1].
    """
    words = _Counter()
    chars = _Counter()
    cons = _Counter()
    features: dict[str, tuple[list[int], list[int], list[int]]] = {}
    for doc in docs:
        wf: list[int] = []
        cf: list[int] = []
        kf: list[int] = []
        for phrase in doc:
            feats = features.get(phrase)
            if feats is None:
                _ws, cw, found = analyse(phrase)
                pw = [*cw, *(f"{a} {b}" for a, b in itertools.pairwise(cw))]
                pc = [g for w in cw for g in _char_grams(w)]
                feats = features[phrase] = (
                    words.ids(pw),
                    chars.ids(pc),
                    cons.ids(list(found)),
                )
            wf.extend(feats[0])
            cf.extend(feats[1])
            if concepts:
                kf.extend(feats[2])
        words.add(wf)
        chars.add(cf)
        cons.add(kf)
    a, b, c = weights
    text = sp.hstack([a * tfidf(words.matrix()), b * tfidf(chars.matrix())], format="csr")
    concept = c * tfidf(cons.matrix()) if concepts else sp.csr_matrix((len(docs), 1))
    return sp.csr_matrix(text, dtype=np.float32), sp.csr_matrix(concept, dtype=np.float32)


def dense_sides(text: sp.csr_matrix, concept: sp.csr_matrix, *, dims: int, seed: int) -> np.ndarray:
    """Dense float32 rows: the concept block kept exactly, the word/char block reduced to `dims`
    by a seeded Gaussian random projection (dot products preserved in expectation; the error of a
    cosine is about 1/sqrt(dims) times the block weight)."""
    rng = np.random.default_rng(seed)
    proj = rng.standard_normal((text.shape[1], dims), dtype=np.float32) / np.float32(np.sqrt(dims))
    return np.hstack([np.asarray(text @ proj, dtype=np.float32), concept.toarray()])
