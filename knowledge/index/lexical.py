"""The lexical ranker: BM25 (bm25s) over the documents, built in memory.

Tokens are lower-cased words without stop words, stemmed with the Snowball
English stemmer (PyStemmer) so "certificates" finds "certificate" and
"accredited" finds "accreditation". Currency names become the codes the
documents use ("euros" finds "EUR"). A query word whose stem is missing from
the vocabulary is replaced by the closest word the documents use, as written:
within one edit (a letter dropped, added, replaced, or two swapped), two for
words of nine letters or more; among equally close words the most common wins.
So "desing" finds "design" and "managment" finds "management", which matching
stems would miss ("desing" stems to "dese"). A word of an English dictionary
(pyspellchecker's word list) is a word, not a typo, even where the catalogue never
uses it: "watch" is not corrected to "match". Title and aliases are repeated in
the indexed text to weigh them above the description.
"""

from __future__ import annotations

import functools
import re
import threading
from collections import Counter
from collections.abc import Sequence

import bm25s
import numpy as np
import numpy.typing as npt
import Stemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA
from spellchecker import SpellChecker

from knowledge.index.documents import IndexDocument
from knowledge.schema.common import CURRENCY_WORDS

_WORD = re.compile(r"[a-z0-9]+")
_WORD_ANY_CASE = re.compile(r"[A-Za-z0-9]+")
_STOP_WORDS = (
    "a an and are as at be by can do does for from has have how i in into is it its "
    "me my of on or our than that the their them then there these this those to us "
    "was we what when where which who why will with you your want need find show "
    "any some about course courses"
)
_STOP = frozenset(_STOP_WORDS.split())
#: Shortest word that is spelling-corrected, and the length from which two edits are.
_CORRECTED_FROM = 4
_TWO_EDITS_FROM = 9
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


@functools.cache
def _dictionary() -> frozenset[str]:
    """English words in use, from pyspellchecker's frequency list (loaded once, 0.3 s)."""
    return frozenset(SpellChecker(language="en", distance=1).word_frequency.keys())


def _words(text: str) -> list[str]:
    """Lower-cased words without stop words, currency names as codes: unstemmed."""
    return [
        _CURRENCY_CODES.get(word, word) for word in _WORD.findall(text.lower()) if word not in _STOP
    ]


def tokenize(text: str) -> list[str]:
    """Lower-cased, stop-word-free, stemmed word tokens."""
    return _stem_words(_words(text))


class LexicalIndex:
    """BM25 scores of every document for a query, with an optional row mask."""

    def __init__(self, docs: Sequence[IndexDocument]) -> None:
        written = [
            _words(" ".join([doc.title, doc.title, *doc.aliases, *doc.aliases, doc.text]))
            for doc in docs
        ]
        self._bm25 = bm25s.BM25()
        self._size = len(docs)
        if self._size:
            self._bm25.index([_stem_words(words) for words in written], show_progress=False)
        self._vocab: dict[str, int] = dict(self._bm25.vocab_dict) if self._size else {}
        # Corrections are looked up among the words as written, by how many documents
        # use each (the likelier of two equally close words).
        frequency = Counter(w for words in written for w in set(words) if not w.isdigit())
        self._frequency: dict[str, int] = dict(frequency)
        self._written = list(frequency)
        # Fuzzy matching scans the whole vocabulary: remember each word's answer.
        self._corrections: dict[str, str | None] = {}
        _dictionary()  # loaded here (once per process), not in the first learner's query

    def query_tokens(self, query: str) -> list[str]:
        """The query's tokens mapped onto the vocabulary (misspellings corrected)."""
        tokens: list[str] = []
        for _, known in self._known_words(query):
            if known is not None:
                tokens.append(known)
        return tokens

    def spelled(self, text: str) -> str:
        """``text`` with each word the documents never write replaced by its spelling
        correction, when it has one ("managment" shares its stem with "management" but
        is still misspelt); everything else as it was."""
        return _WORD_ANY_CASE.sub(lambda m: self._fixed(m.group(0)) or m.group(0), text)

    def corrections(self, text: str) -> list[tuple[str, str]]:
        """The ``(typed, read)`` pairs ``spelled`` replaces in ``text``, in order."""
        pairs = ((m.group(0), self._fixed(m.group(0))) for m in _WORD_ANY_CASE.finditer(text))
        return [(typed, read) for typed, read in pairs if read is not None]

    def _fixed(self, word: str) -> str | None:
        """The spelling correction of one word the documents never write, if any."""
        lower = word.lower()
        if lower in self._frequency or lower in _STOP or not self._misspelt(lower):
            return None
        return self._correct(lower)

    def _known_words(self, text: str) -> list[tuple[str, str | None]]:
        """Each word of ``text`` (stemmed) with its vocabulary token: its stem, or the
        stem of its spelling correction (words of four letters or more, not numbers);
        None when it has neither."""
        words = _words(text)
        out: list[tuple[str, str | None]] = []
        for word, stem in zip(words, _stem_words(words), strict=True):
            known: str | None = stem if stem in self._vocab else None
            if known is None and self._misspelt(word):
                corrected = self._correct(word)
                known = None if corrected is None else _stem_words([corrected])[0]
            out.append((stem, known))
        return out

    @staticmethod
    def _misspelt(word: str) -> bool:
        """Whether a word missing from the catalogue may be a typo worth correcting:
        long enough, not a number or a currency, not a word of the dictionary."""
        return (
            len(word) >= _CORRECTED_FROM
            and not word.isdigit()
            and word not in _CURRENCY_CODES
            and word not in _dictionary()
        )

    def _correct(self, word: str) -> str | None:
        """The closest word the documents use, as written (see the module docstring)."""
        known = self._corrections.get(word, _UNKNOWN)  # one lookup: safe across threads
        if known is not _UNKNOWN:
            return known if isinstance(known, str) else None
        edits = 2 if len(word) >= _TWO_EDITS_FROM else 1
        near = process.extract(
            word, self._written, scorer=OSA.distance, score_cutoff=edits, limit=None
        )
        corrected = None
        if near:
            best = min(near, key=lambda hit: (hit[1], -self._frequency[hit[0]], hit[0]))
            corrected = best[0]
        if len(self._corrections) >= _CORRECTIONS_KEPT:
            self._corrections.clear()
        self._corrections[word] = corrected
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
        words = [
            known for stem, known in self._known_words(text) if len(stem) > 1 and not stem.isdigit()
        ]
        if not words or not self._size:
            return 0.0
        rarest = float(np.log1p(self._size))
        found = np.zeros(self._size, dtype=np.float32)
        total = 0.0
        for known in words:
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
