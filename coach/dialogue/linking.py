"""Entity linking: which catalogue entries a message mentions.

Exact names first (ids, titles, aliases; longest match wins), then fuzzy
matching of names (rapidfuzz) for typos. A name that fits several entries is
reported as ambiguous so the coach asks instead of guessing. Vector matching
through the retriever is the policy's last resort (it offers choices).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from coach.dialogue.extract import COUNTRY_NAMES
from knowledge.schema import Catalogue

_WORD = re.compile(r"[a-z0-9]+(?:[.+#-][a-z0-9]+)*[+#]*")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "it",
        "its",
        "this",
        "that",
        "them",
        "they",
        "and",
        "or",
        "of",
        "for",
        "to",
        "in",
        "on",
        "at",
        "is",
        "are",
        "be",
        "do",
        "does",
        "i",
        "me",
        "my",
        "you",
        "your",
        "what",
        "which",
        "how",
        "much",
        "long",
        "can",
        "with",
        "about",
        "from",
        "by",
        "as",
        "not",
        "no",
        "yes",
        "one",
        "two",
    ]
)
_MAX_NGRAM = 10

_COUNTRY_WORDS = frozenset(w for name in COUNTRY_NAMES for w in name.split())
#: Words of the questions themselves: what is left after them names a subject.
_QUESTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "for",
        "to",
        "in",
        "on",
        "at",
        "is",
        "are",
        "be",
        "do",
        "does",
        "did",
        "i",
        "me",
        "my",
        "you",
        "your",
        "we",
        "what",
        "which",
        "how",
        "much",
        "many",
        "long",
        "take",
        "takes",
        "taking",
        "cost",
        "costs",
        "price",
        "fee",
        "fees",
        "pay",
        "it",
        "its",
        "this",
        "that",
        "tell",
        "about",
        "more",
        "info",
        "information",
        "details",
        "detail",
        "please",
        "can",
        "could",
        "would",
        "will",
        "should",
        "there",
        "any",
        "learn",
        "teach",
        "cover",
        "covers",
        "content",
        "outcomes",
        "skills",
        "prerequisites",
        "prerequisite",
        "requirements",
        "need",
        "needed",
        "before",
        "stack",
        "stacks",
        "into",
        "towards",
        "count",
        "counts",
        "lead",
        "leads",
        "offer",
        "offers",
        "who",
        "provider",
        "accredited",
        "accreditation",
        "recognised",
        "recognized",
        "recognition",
        "endorsed",
        "employers",
        "expire",
        "expires",
        "expiry",
        "valid",
        "credit",
        "credits",
        "transfer",
        "level",
        "eqf",
        "again",
        "also",
        "so",
        "ok",
        "and",
        "then",
        "hours",
        "weeks",
        "time",
        "duration",
        "workload",
        "does",
        "get",
        "with",
        "compare",
        "versus",
        "vs",
        "it's",
        "whats",
        "what's",
    ]
)


def content_words(text: str) -> list[str]:
    """The words of a message that could name something: not question words, not places."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return [w for w in words if w not in _QUESTION_WORDS and w not in _COUNTRY_WORDS]


def normalise(text: str) -> str:
    """Lower-case words joined by single spaces (punctuation dropped)."""
    return " ".join(_WORD.findall(text.lower()))


@dataclass(frozen=True)
class Mention:
    """A catalogue entry a message names; ``how`` is ``exact`` or ``fuzzy``."""

    id: str
    kind: str
    title: str
    how: str
    score: float
    start: int = 0  # token position, for the order of mention


@dataclass(frozen=True)
class Links:
    """What a message names: unambiguous mentions, and groups it could mean."""

    mentions: tuple[Mention, ...] = ()
    ambiguous: tuple[tuple[Mention, ...], ...] = ()

    def of_kind(self, *kinds: str) -> tuple[Mention, ...]:
        return tuple(m for m in self.mentions if m.kind in kinds)


@dataclass
class _Name:
    ids: list[tuple[str, str]] = field(default_factory=list)  # (id, kind)


class EntityLinker:
    """Links names in text to credentials, qualifications, roles and providers."""

    def __init__(self, catalogue: Catalogue, *, fuzzy_cutoff: float = 87.0) -> None:
        self._catalogue = catalogue
        self._names: dict[str, _Name] = {}
        self._titles: dict[str, str] = {}
        tables: Sequence[tuple[str, dict[str, tuple[str, tuple[str, ...]]]]] = (
            ("credential", {c.id: (c.title, c.aliases) for c in catalogue.credentials.values()}),
            (
                "qualification",
                {q.id: (q.title, q.aliases) for q in catalogue.qualifications.values()},
            ),
            ("role", {r.id: (r.title, r.aliases) for r in catalogue.roles.values()}),
            ("provider", {p.id: (p.name, ()) for p in catalogue.providers.values()}),
        )
        for kind, entries in tables:
            for entry_id, (title, aliases) in entries.items():
                self._titles[entry_id] = title
                for name in (entry_id, title, *aliases):
                    key = normalise(name)
                    if key and key not in _STOP:
                        slot = self._names.setdefault(key, _Name())
                        if (entry_id, kind) not in slot.ids:
                            slot.ids.append((entry_id, kind))
        # Fuzzy matching only over names long enough to be distinctive.
        self._fuzzy_names = [n for n in self._names if len(n) >= 8]
        self._fuzzy_cutoff = fuzzy_cutoff
        self._name_words = _NameWords(self._fuzzy_names)
        self._vocabulary = _vocabulary(catalogue)
        self._vocabulary_list = sorted(self._vocabulary)

    def title(self, entry_id: str) -> str:
        return self._titles.get(entry_id, entry_id)

    def kind(self, entry_id: str) -> str | None:
        for table, kind in (
            (self._catalogue.credentials, "credential"),
            (self._catalogue.qualifications, "qualification"),
            (self._catalogue.roles, "role"),
            (self._catalogue.providers, "provider"),
        ):
            if entry_id in table:
                return kind
        return None

    def _mentions(self, key: str, how: str, score: float, start: int) -> tuple[Mention, ...]:
        return tuple(
            Mention(id=i, kind=k, title=self._titles[i], how=how, score=score, start=start)
            for i, k in self._names[key].ids
        )

    def link(self, text: str, *, fuzzy: bool = True) -> Links:
        """Exact names (longest first, no overlaps), else fuzzy ones."""
        tokens = normalise(text).split()
        taken = [False] * len(tokens)
        mentions: list[Mention] = []
        ambiguous: list[tuple[Mention, ...]] = []
        for size in range(min(_MAX_NGRAM, len(tokens)), 0, -1):
            for start in range(len(tokens) - size + 1):
                if any(taken[start : start + size]):
                    continue
                key = " ".join(tokens[start : start + size])
                if key not in self._names:
                    continue
                found = self._mentions(key, "exact", 100.0, start)
                for index in range(start, start + size):
                    taken[index] = True
                if len(found) == 1:
                    mentions.append(found[0])
                else:
                    ambiguous.append(found)
        if mentions or ambiguous or not fuzzy:
            return _ordered(mentions, ambiguous)
        return self._fuzzy(" ".join(tokens))

    def _fuzzy(self, text: str) -> Links:
        # Only the words that could name something are matched: question words and
        # places never do, and a shorter query keeps a 10,000-entry catalogue fast.
        query = " ".join(content_words(text))
        if len(query) < 6 or not self._fuzzy_names:
            return Links()
        # A name matched inside a longer phrase must match it word by word: "ecg diploma"
        # is not in "underwater basket weaving diploma" though the tail of it looks alike.
        # That rule is applied first, through an index of the names' words, so the costly
        # partial-ratio scoring runs over the few names it leaves, not over every name.
        words = query.split()
        candidates = self._name_words.all_words_near(words)
        phrases = [name for name in candidates if _is_phrase(name)]
        hits = [
            (name, score)
            for name, score, _ in process.extract(
                query,
                phrases,
                scorer=fuzz.partial_ratio,
                score_cutoff=self._fuzzy_cutoff,
                limit=4,
            )
        ]
        hits.extend(self._one_word_hits([n for n in candidates if not _is_phrase(n)], words))
        if not hits:
            return Links()
        hits.sort(key=lambda hit: -hit[1])
        best = hits[0][1]
        close = [name for name, score in hits[:4] if score >= best - 2.0]
        found: list[Mention] = []
        for name in close:
            for mention in self._mentions(name, "fuzzy", best, 0):
                if all(m.id != mention.id for m in found):
                    found.append(mention)
        if len(found) == 1:
            return Links(mentions=(found[0],))
        return Links(ambiguous=(tuple(found),))

    def _one_word_hits(self, names: Sequence[str], words: Sequence[str]) -> list[tuple[str, float]]:
        """One-word names misspelt as a whole query word, not found inside a longer word
        ("microcontrollers" does not name "controller") nor as another form of a word
        ("controlled" is not a typo of "controller")."""
        hits = []
        for name in names:
            scores = [fuzz.ratio(word, name) for word in words if not _other_form_of(word, name)]
            best = max(scores, default=0.0)
            if best >= self._fuzzy_cutoff:
                hits.append((name, best))
        return hits

    def unknown_words(self, text: str) -> tuple[list[str], list[str]]:
        """The naming words of ``text`` and those of them that appear nowhere in the
        catalogue (no title, alias, description, skill or provider has them, even misspelt)."""
        words = [
            w
            for w in content_words(text)
            if len(w) > 2 and not w.isdigit() and w not in _GENERIC_WORDS
        ]
        unknown = []
        for word in words:
            if word in self._vocabulary:
                continue
            near = process.extractOne(
                word, self._vocabulary_list, scorer=fuzz.ratio, score_cutoff=_WORD_CUTOFF
            )
            if near is None:
                unknown.append(word)
        return words, unknown

    def names_something_absent(self, text: str) -> bool:
        """Whether ``text`` names a subject the catalogue does not have: at least half of
        its naming words are unknown to the catalogue."""
        words, unknown = self.unknown_words(text)
        return bool(unknown) and 3 * len(unknown) >= len(words)


_WORD_CUTOFF = 85.0
#: Everyday words of questions that name nothing, whether or not the catalogue uses them.
_GENERIC_WORDS = frozenset(
    [
        "thing",
        "things",
        "something",
        "anything",
        "stuff",
        "course",
        "courses",
        "programme",
        "program",
        "class",
        "accept",
        "accepts",
        "accepted",
        "give",
        "gives",
        "good",
        "best",
        "whole",
        "kind",
        "sort",
        "type",
    ]
)


def _is_phrase(name: str) -> bool:
    """Names of several words, ids included ("cred-kestrel-kubernetes")."""
    return " " in name or "-" in name


#: Word endings of inflection and derivation, longest first.
_ENDINGS = ("ings", "ers", "ing", "ion", "ed", "er", "es", "s")


def _stem(word: str) -> tuple[str, str]:
    # Deliberately shallower than Snowball, which stems the typo "controlers" to
    # "control" as well, and so could not tell it from "controlled".
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)], ending
    return word, ""


def _other_form_of(word: str, name: str) -> bool:
    """Whether ``word`` is a different form of ``name``'s word, not a typo of it: the
    same stem with another ending ("controlled" beside "controller"). Plurals of the
    name ("pentesters") are the name."""
    if word == name or word in (name + "s", name + "es"):
        return False
    word_stem, word_ending = _stem(word)
    name_stem, name_ending = _stem(name)
    return word_stem == name_stem and word_ending != name_ending


def _vocabulary(catalogue: Catalogue) -> frozenset[str]:
    """Every word the catalogue's names and descriptions use."""
    texts: list[str] = []
    for group in (catalogue.credentials, catalogue.qualifications, catalogue.roles):
        for entry in group.values():
            texts.extend((entry.id, entry.title, *entry.aliases, entry.description or ""))
    for provider in catalogue.providers.values():
        texts.extend((provider.id, provider.name, provider.description or ""))
    for skill in catalogue.skills.values():
        texts.extend((skill.id, skill.name, skill.description or ""))
    for credential in catalogue.credentials.values():
        texts.extend(str(outcome) for outcome in credential.learning_outcomes)
    return frozenset(w for text in texts for w in re.findall(r"[a-z0-9]+", text.lower()))


#: How close (rapidfuzz ratio) a query word must be to each word of a fuzzily matched name.
_NAME_WORD_CUTOFF = _WORD_CUTOFF - 10
#: Query words whose close name words are remembered.
_NEAR_CACHE_SIZE = 4096


class _NameWords:
    """The words of the fuzzy-matchable names, indexed once, to find the names whose every
    word has a close (typo-tolerant) word in a query without scanning all names in Python."""

    def __init__(self, names: Sequence[str]) -> None:
        self._names = list(names)
        ids: dict[str, int] = {}
        flat: list[int] = []
        starts: list[int] = []
        for name in self._names:
            starts.append(len(flat))
            flat.extend(ids.setdefault(word, len(ids)) for word in dict.fromkeys(name.split()))
        self._vocabulary = list(ids)
        self._flat = np.asarray(flat, dtype=np.int64)
        self._starts = np.asarray(starts, dtype=np.int64)
        # Learners reuse words far more than whole messages; a word's close name words
        # are computed once (a bounded cache: cleared when full).
        self._near_cache: dict[str, np.ndarray[Any, np.dtype[np.intp]]] = {}

    def _near(self, word: str) -> np.ndarray[Any, np.dtype[np.intp]]:
        """Indices of the name words within the cutoff of ``word``."""
        found = self._near_cache.get(word)
        if found is None:
            scores = process.cdist(
                [word], self._vocabulary, scorer=fuzz.ratio, score_cutoff=_NAME_WORD_CUTOFF
            )
            found = np.flatnonzero(scores[0] > 0)
            if len(self._near_cache) >= _NEAR_CACHE_SIZE:
                self._near_cache.clear()
            self._near_cache[word] = found
        return found

    def all_words_near(self, query_words: Sequence[str]) -> list[str]:
        """The names each of whose words is within the cutoff of some query word."""
        if not self._names or not query_words or not self._vocabulary:
            return []
        near = np.zeros(len(self._vocabulary), dtype=bool)
        for word in dict.fromkeys(query_words):
            near[self._near(word)] = True
        if not near.any():
            return []
        every = np.logical_and.reduceat(near[self._flat], self._starts)
        return [self._names[i] for i in np.flatnonzero(every)]


def _ordered(mentions: list[Mention], ambiguous: list[tuple[Mention, ...]]) -> Links:
    return Links(
        mentions=tuple(sorted(mentions, key=lambda m: m.start)),
        ambiguous=tuple(sorted(ambiguous, key=lambda g: g[0].start)),
    )
