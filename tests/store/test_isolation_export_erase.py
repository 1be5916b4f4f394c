"""One learner never reaches another's rows; export is complete; erase leaves nothing."""

from __future__ import annotations

import base64
import datetime as dt
import json

from sqlalchemy import inspect, select, text

from coach.store.ports import Store
from coach.store.sql import SqlStore
from tests.store.conftest import RecordFactory


def _fill(store: Store, learner: str, make_record: RecordFactory, tag: str) -> str:
    """Give ``learner`` something in every table; returns a wallet record id."""
    store.link_identity(learner, "telegram", f"tg-{tag}")
    store.put_state(learner, "dialogue", {"tag": tag})
    store.put_state(learner, "assessment", {"python": 2, "tag": tag})
    store.put_state(learner, "profile", {"skills": {}, "tag": tag})
    store.append_turn(learner, "learner", f"hello from {tag}", "greeting", {"tag": tag})
    store.append_turn(learner, "coach", f"hi {tag}")
    store.save_plan(learner, {"target": f"q.{tag}", "steps": []})
    record = store.add_credential(
        learner,
        make_record(data=f'{{"badge": "{tag}"}}'.encode(), credential_id="cred.teamwork"),
    )
    store.create_session(learner)
    store.create_account(learner, f"user-{tag}", "$argon2id$x")
    return record.id


def test_learner_a_cannot_read_b_through_any_method(
    store: Store, make_record: RecordFactory
) -> None:
    alice, bob = store.create_learner(), store.create_learner()
    _fill(store, alice, make_record, "alice")
    bob_record = _fill(store, bob, make_record, "bob")

    assert store.get_credential(alice, bob_record) is None
    assert store.delete_credential(alice, bob_record) is False
    assert store.get_credential(bob, bob_record) is not None
    assert all(r.learner_id == alice for r in store.list_credentials(alice))
    assert {h.wallet_record for h in store.holdings(alice)}.isdisjoint({bob_record})
    assert store.get_state(alice, "dialogue") == {"tag": "alice"}
    assert all("alice" in t.text for t in store.recent_turns(alice, 10))
    assert [p.plan["target"] for p in store.plans(alice)] == ["q.alice"]
    assert [i.external_id for i in store.identities(alice)] == ["tg-alice"]
    exported = json.dumps(store.export_learner(alice))
    assert "bob" not in exported
    # the same bytes are a separate record for another learner (no cross-learner dedup)
    shared = make_record(data=b"same bytes")
    assert store.add_credential(alice, shared).id != store.add_credential(bob, shared).id


def test_export_holds_the_whole_record(store: Store, make_record: RecordFactory) -> None:
    learner = store.create_learner()
    record_id = _fill(store, learner, make_record, "me")
    png = b"\x89PNG\r\n\x1a\nnot utf8 \xff"
    store.add_credential(learner, make_record(data=png, media_type="image/png"))

    exported = store.export_learner(learner)
    json.dumps(exported)  # JSON-ready as it is
    assert exported["learner_id"] == learner
    assert [i["external_id"] for i in exported["identities"]] == ["tg-me"]
    assert [a["username"] for a in exported["accounts"]] == ["user-me"]
    assert "password_hash" not in json.dumps(exported["accounts"])
    credentials = {c["id"]: c for c in exported["credentials"]}
    first = credentials[record_id]
    assert first["received"] == {"encoding": "utf-8", "content": '{"badge": "me"}'}
    assert first["verification"]["status"] == "valid"
    assert first["credential_id"] == "cred.teamwork"
    binary = next(c for c in exported["credentials"] if c["media_type"] == "image/png")
    assert base64.b64decode(binary["received"]["content"]) == png
    assert exported["assessments"]["assessment"] == {"python": 2, "tag": "me"}
    assert exported["assessments"]["profile"]["tag"] == "me"
    assert [p["plan"]["target"] for p in exported["plans"]] == ["q.me"]
    assert [t["text"] for t in exported["conversation"]] == ["hello from me", "hi me"]
    assert exported["conversation"][0]["intent"] == "greeting"
    assert exported["state"]["dialogue"] == {"tag": "me"}


def test_erase_removes_the_learner_from_every_port(
    store: Store, make_record: RecordFactory
) -> None:
    learner, other = store.create_learner(), store.create_learner()
    _fill(store, learner, make_record, "gone")
    _fill(store, other, make_record, "kept")
    token = store.create_session(learner)

    store.erase_learner(learner)
    store.erase_learner(learner)  # erasing twice is harmless

    assert not store.learner_exists(learner)
    assert store.learner_for_identity("telegram", "tg-gone", create=False) is None
    assert store.learner_for_session(token) is None
    assert store.account("user-gone") is None
    assert store.list_credentials(learner) == []
    assert store.get_state(learner, "dialogue") is None
    assert store.recent_turns(learner, 10) == []
    assert store.plans(learner) == []
    assert store.learner_for_identity("telegram", "tg-kept", create=False) == other
    assert len(store.list_credentials(other)) == 1


def _rows_mentioning(sql: SqlStore, needle: str) -> list[str]:
    """Every row of every table whose text (or bytes) contains ``needle``."""
    found: list[str] = []
    with sql.engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        hit = needle.encode() in bytes(value)
                    else:
                        hit = needle in json.dumps(value, default=str)
                    if hit:
                        found.append(f"{table}: {row}")
    return found


def test_erase_leaves_no_row_mentioning_the_learner(
    sql_store: SqlStore, make_record: RecordFactory
) -> None:
    learner, other = sql_store.create_learner(), sql_store.create_learner()
    _fill(sql_store, learner, make_record, "gone")
    _fill(sql_store, other, make_record, "kept")
    # a badge whose bytes carry the learner id (the coach may be its subject)
    sql_store.add_credential(learner, make_record(data=f'{{"subject": "{learner}"}}'.encode()))
    assert _rows_mentioning(sql_store, learner)

    sql_store.erase_learner(learner)

    assert _rows_mentioning(sql_store, learner) == []
    assert _rows_mentioning(sql_store, "tg-gone") == []
    assert _rows_mentioning(sql_store, "user-gone") == []
    assert _rows_mentioning(sql_store, other)


def test_timestamps_come_back_in_utc(sql_store: SqlStore) -> None:
    learner = sql_store.create_learner()
    turn = sql_store.append_turn(learner, "learner", "hi")
    again = sql_store.recent_turns(learner, 1)[0]
    assert again.at.utcoffset() == dt.timedelta(0)
    assert abs((again.at - turn.at).total_seconds()) < 1
    with sql_store.engine.connect() as connection:
        from coach.store.models import LearnerRow

        assert connection.execute(select(LearnerRow.id)).scalars().all() == [learner]
