"""The lexical ranker: BM25 (bm25s) over the documents, built in memory.

Tokens are lower-cased words without stop words, stemmed with the Snowball
English stemmer (PyStemmer) so "certificates" finds "certificate" and
"accredited" finds "accreditation". Currency names become the codes the
documents use ("euros" finds "EUR"). A query word missing
from the vocabulary is replaced by its closest vocabulary word when that is
near enough (rapidfuzz), so small misspellings still match. Title and aliases
are repeated in the indexed text to weigh them above the description.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence

import bm25s
import numpy as np
import numpy.typing as npt
import Stemmer
from rapidfuzz import fuzz, process

from knowledge.index.documents import IndexDocument
from knowledge.schema.common import CURRENCY_WORDS

_WORD = re.compile(r"[a-z0-9]+")
_STOP_WORDS = (
    "a an and are as at be by can do does for from has have how i in into is it its "
    "me my of on or our than that the their them then there these this those to us "
    "was we what when where which who why will with you your want need find show "
    "any some about course courses"
)
_STOP = frozenset(_STOP_WORDS.split())
_FUZZY_CUTOFF = 84.0
_CORRECTIONS_KEPT = 4096
_UNKNOWN = object()
# Currency names as the codes documents carry, in the tokens' lower case.
_CURRENCY_CODES = {word: code.lower() for word, code in CURRENCY_WORDS.items()}
# Snowball stemmers keep per-call buffers: one per thread, never shared.
_stemmers = threading.local()


def _stem_words(words: list[str]) -> list[str]:
    stemmer = getattr(_stemmers, "english", None)
    if stemmer is None:
        stemmer = _stemmers.english = Stemmer.Stemmer("english")
    stems: list[str] = stemmer.stemWords(words)
    return stems


def tokenize(text: str) -> list[str]:
    """Lower-cased, stop-word-free, stemmed word tokens."""
    words = [
        _CURRENCY_CODES.get(word, word) for word in _WORD.findall(text.lower()) if word not in _STOP
    ]
    return _stem_words(words)


class LexicalIndex:
    """BM25 scores of every document for a query, with an optional row mask."""

    def __init__(self, docs: Sequence[IndexDocument]) -> None:
        corpus = [
            tokenize(" ".join([doc.title, doc.title, *doc.aliases, *doc.aliases, doc.text]))
            for doc in docs
        ]
        self._bm25 = bm25s.BM25()
        self._size = len(docs)
        if self._size:
            self._bm25.index(corpus, show_progress=False)
        self._vocab: dict[str, int] = dict(self._bm25.vocab_dict) if self._size else {}
        self._words = [w for w in self._vocab if not w.isdigit()]
        # Fuzzy matching scans the whole vocabulary: remember each word's answer.
        self._corrections: dict[str, str | None] = {}

    def query_tokens(self, query: str) -> list[str]:
        """The query's tokens mapped onto the vocabulary (misspellings corrected)."""
        tokens: list[str] = []
        for token in tokenize(query):
            known = self._known(token)
            if known is not None:
                tokens.append(known)
        return tokens

    def _known(self, token: str) -> str | None:
        """``token`` as a vocabulary word: itself, or its spelling correction (words of
        four letters or more, not numbers); None when it has neither."""
        if token in self._vocab:
            return token
        if len(token) >= 4 and not token.isdigit() and self._words:
            return self._correct(token)
        return None

    def _correct(self, token: str) -> str | None:
        known = self._corrections.get(token, _UNKNOWN)  # one lookup: safe across threads
        if known is not _UNKNOWN:
            return known if isinstance(known, str) else None
        match = process.extractOne(
            token, self._words, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF
        )
        corrected = match[0] if match is not None else None
        if len(self._corrections) >= _CORRECTIONS_KEPT:
            self._corrections.clear()
        self._corrections[token] = corrected
        return corrected

    def scores(
        self, query: str, mask: npt.NDArray[np.bool_] | None = None
    ) -> npt.NDArray[np.float32]:
        """One BM25 score per document (0 when nothing matches or ``mask`` excludes it)."""
        tokens = self.query_tokens(query)
        if not tokens or not self._size:
            return np.zeros(self._size, dtype=np.float32)
        scores = np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)
        if mask is not None:
            scores[~mask] = 0.0
        return scores

    def coverage(self, text: str, mask: npt.NDArray[np.bool_] | None = None) -> float:
        """The largest rarity-weighted share of ``text``'s words one document contains.

        Each word weighs ``log(1 + N / (1 + df))``; a word the vocabulary lacks (even
        after spelling correction) weighs the most, as if no document had it. Numbers
        and one-letter words carry no topic and are left out. 0 when no word is left.
        """
        words = [t for t in tokenize(text) if len(t) > 1 and not t.isdigit()]
        if not words or not self._size:
            return 0.0
        rarest = float(np.log1p(self._size))
        found = np.zeros(self._size, dtype=np.float32)
        total = 0.0
        for word in words:
            known = self._known(word)
            if known is None:
                total += rarest
                continue
            present = np.asarray(self._bm25.get_scores([known])) > 0
            weight = float(np.log1p(self._size / (1 + int(present.sum()))))
            found[present] += weight
            total += weight
        if mask is not None:
            found[~mask] = 0.0
        return float(found.max()) / total if total > 0 else 0.0

    def top(
        self, query: str, k: int, mask: npt.NDArray[np.bool_] | None = None
    ) -> list[tuple[int, float]]:
        """Row numbers and scores of the ``k`` best matches passing ``mask``."""
        scores = self.scores(query, mask)
        positive = np.flatnonzero(scores > 0)
        if positive.size == 0:
            return []
        if positive.size > k:
            part = np.argpartition(-scores[positive], k)[:k]
            positive = positive[part]
        order = positive[np.argsort(-scores[positive], kind="stable")]
        return [(int(row), float(scores[row])) for row in order]
