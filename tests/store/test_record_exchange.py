"""``record_exchange``: one chat turn's state and messages saved together, on every store."""

from __future__ import annotations

import pytest

from coach.store import UnknownLearnerError
from coach.store.ports import Store


def test_exchange_saves_state_and_both_turns_in_order(store: Store) -> None:
    learner = store.create_learner()
    store.record_exchange(
        learner,
        "dialogue",
        {"turns": 1},
        [("learner", "hello", None), ("coach", "Hi!", "greeting")],
    )
    assert store.get_state(learner, "dialogue") == {"turns": 1}
    store.record_exchange(
        learner, "dialogue", {"turns": 2}, [("learner", "help", None), ("coach", "I can", "help")]
    )
    assert store.get_state(learner, "dialogue") == {"turns": 2}
    turns = store.recent_turns(learner, 10)
    assert [(t.role, t.text, t.intent) for t in turns] == [
        ("learner", "hello", None),
        ("coach", "Hi!", "greeting"),
        ("learner", "help", None),
        ("coach", "I can", "help"),
    ]
    assert turns[0].id < turns[1].id < turns[2].id < turns[3].id
    exported = store.export_learner(learner)
    assert exported["state"]["dialogue"] == {"turns": 2}


def test_exchange_keeps_other_state_keys(store: Store) -> None:
    learner = store.create_learner()
    store.put_state(learner, "profile", {"python": 3})
    store.record_exchange(learner, "dialogue", {"turns": 1}, [("learner", "hi", None)])
    assert store.get_state(learner, "profile") == {"python": 3}


def test_exchange_for_an_unknown_or_erased_learner_writes_nothing(store: Store) -> None:
    with pytest.raises(UnknownLearnerError):
        store.record_exchange("lrn_missing", "dialogue", {}, [("learner", "hi", None)])
    learner = store.create_learner()
    store.record_exchange(learner, "dialogue", {"turns": 1}, [("learner", "hi", None)])
    store.erase_learner(learner)
    with pytest.raises(UnknownLearnerError):
        store.record_exchange(learner, "dialogue", {"turns": 2}, [("learner", "again", None)])
    assert store.get_state(learner, "dialogue") is None
    assert store.recent_turns(learner) == []


def test_exchange_refuses_bad_keys_and_roles(store: Store) -> None:
    learner = store.create_learner()
    with pytest.raises(ValueError, match="state key"):
        store.record_exchange(learner, "Bad Key!", {}, [("learner", "hi", None)])
    with pytest.raises(ValueError, match="role"):
        store.record_exchange(learner, "dialogue", {}, [("robot", "hi", None)])  # type: ignore[list-item]
    assert store.recent_turns(learner) == []
