"""Every store port method behaves the same on the fake, SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from coach.store import StoreConflictError, UnknownLearnerError
from coach.store.ports import Store, token_hash
from tests.store.conftest import RecordFactory


def test_create_learner_gives_distinct_random_ids(store: Store) -> None:
    ids = {store.create_learner() for _ in range(5)}
    assert len(ids) == 5
    for learner_id in ids:
        assert re.fullmatch(r"lrn_[A-Za-z0-9_-]{22}", learner_id)
        assert store.learner_exists(learner_id)
    assert not store.learner_exists("lrn_nobody")


def test_ensure_learner_creates_once_and_refuses_bad_ids(store: Store) -> None:
    store.ensure_learner("alice")
    store.ensure_learner("alice")
    assert store.learner_exists("alice")
    with pytest.raises(ValueError, match="learner id"):
        store.ensure_learner("alice; drop table learners")


def test_identity_maps_to_one_learner_created_on_first_contact(store: Store) -> None:
    assert store.learner_for_identity("telegram", "42", create=False) is None
    first = store.learner_for_identity("telegram", "42")
    assert first is not None
    assert store.learner_exists(first)
    assert store.learner_for_identity("telegram", "42") == first
    assert store.learner_for_identity("telegram", "42", create=False) == first
    assert store.learner_for_identity("telegram", "43") != first


def test_link_identity_binds_and_moves_an_identity(store: Store) -> None:
    web = store.create_learner()
    store.link_identity(web, "telegram", "7")
    assert store.learner_for_identity("telegram", "7", create=False) == web
    other = store.create_learner()
    store.link_identity(other, "telegram", "7")
    assert store.learner_for_identity("telegram", "7", create=False) == other
    assert [i.external_id for i in store.identities(other)] == ["7"]
    assert store.identities(web) == []
    with pytest.raises(UnknownLearnerError):
        store.link_identity("lrn_missing", "telegram", "8")


def test_state_round_trips_json_and_overwrites(store: Store) -> None:
    learner = store.create_learner()
    assert store.get_state(learner, "dialogue") is None
    value = {"step": 2, "answers": {"python": 3}, "text": "naïve ✓", "none": None}
    store.put_state(learner, "dialogue", value)
    assert store.get_state(learner, "dialogue") == value
    store.put_state(learner, "dialogue", {"step": 3})
    assert store.get_state(learner, "dialogue") == {"step": 3}
    store.put_state(learner, "assessment", {"done": True})
    assert store.get_state(learner, "dialogue") == {"step": 3}


def test_state_writes_for_unknown_learners_and_bad_keys_are_refused(store: Store) -> None:
    with pytest.raises(UnknownLearnerError):
        store.put_state("lrn_missing", "dialogue", {})
    learner = store.create_learner()
    with pytest.raises(ValueError, match="state key"):
        store.put_state(learner, "Bad Key!", {})
    with pytest.raises(ValueError, match="JSON"):
        store.put_state(learner, "dialogue", {"nan": float("nan")})


def test_turns_come_back_oldest_first_limited_to_the_last(store: Store) -> None:
    learner = store.create_learner()
    for index in range(5):
        role = "learner" if index % 2 == 0 else "coach"
        store.append_turn(learner, role, f"message {index}", "chat", {"n": index})
    recent = store.recent_turns(learner, 3)
    assert [t.text for t in recent] == ["message 2", "message 3", "message 4"]
    assert [t.role for t in recent] == ["learner", "coach", "learner"]
    assert recent[0].meta == {"n": 2}
    assert recent[0].intent == "chat"
    assert recent[0].id < recent[1].id < recent[2].id
    assert store.recent_turns(learner, 0) == []
    with pytest.raises(ValueError, match="role"):
        store.append_turn(learner, "system", "x")  # type: ignore[arg-type]


def test_turn_text_with_nul_characters_is_kept_readable(store: Store) -> None:
    learner = store.create_learner()
    turn = store.append_turn(learner, "learner", "before\x00after")
    assert store.recent_turns(learner, 1)[0].text == turn.text == "before\ufffdafter"


def test_plans_are_kept_in_order(store: Store) -> None:
    learner = store.create_learner()
    first = store.save_plan(learner, {"target": "q.one", "steps": []})
    second = store.save_plan(learner, {"target": "q.two", "steps": [{"id": "c"}]})
    plans = store.plans(learner)
    assert [p.plan["target"] for p in plans] == ["q.one", "q.two"]
    assert [p.id for p in plans] == [first.id, second.id]


def test_mark_processed_is_true_only_the_first_time(store: Store) -> None:
    assert store.mark_processed("telegram", "1001") is True
    assert store.mark_processed("telegram", "1001") is False
    assert store.mark_processed("telegram", "1002") is True
    assert store.mark_processed("other", "1001") is True


def test_same_bytes_twice_is_a_no_op_returning_the_first_record(
    store: Store, make_record: RecordFactory
) -> None:
    learner = store.create_learner()
    first = store.add_credential(learner, make_record(credential_id="cred.teamwork"))
    again = store.add_credential(learner, make_record(status="invalid"))
    assert again.id == first.id
    assert again.status == "valid"
    assert len(store.list_credentials(learner)) == 1
    other = store.add_credential(learner, make_record(data=b'{"badge": 2}'))
    assert [r.id for r in store.list_credentials(learner)] == [first.id, other.id]


def test_wallet_record_keeps_the_original_bytes_and_verdict(
    store: Store, make_record: RecordFactory
) -> None:
    learner = store.create_learner()
    data = b"\x89PNG\r\n\x1a\n\x00binary\xff"
    added = store.add_credential(
        learner,
        make_record(
            data=data,
            media_type="image/png",
            credential_id="cred.teamwork",
            link_confidence=1.0,
            link_evidence={"method": "achievement_id"},
            earned_on=dt.date(2025, 1, 9),
            credits=1.5,
        ),
    )
    stored = store.get_credential(learner, added.id)
    assert stored is not None
    assert stored.data == data
    assert stored.size == len(data)
    assert stored.sha256 == added.sha256
    assert len(stored.sha256) == 64
    assert stored.verification["status"] == "valid"
    assert stored.link_evidence == {"method": "achievement_id"}
    assert stored.earned_on == dt.date(2025, 1, 9)
    assert stored.credits == 1.5
    assert stored.verified_at.tzinfo is not None


def test_delete_credential_removes_only_that_record(
    store: Store, make_record: RecordFactory
) -> None:
    learner = store.create_learner()
    keep = store.add_credential(learner, make_record(data=b"1"))
    gone = store.add_credential(learner, make_record(data=b"2"))
    assert store.delete_credential(learner, gone.id) is True
    assert store.delete_credential(learner, gone.id) is False
    assert [r.id for r in store.list_credentials(learner)] == [keep.id]
    assert store.get_credential(learner, gone.id) is None


def test_holdings_list_linked_records_verified_only_when_valid(
    store: Store, make_record: RecordFactory
) -> None:
    learner = store.create_learner()
    valid = store.add_credential(
        learner, make_record(data=b"a", credential_id="cred.a", earned_on=dt.date(2025, 5, 1))
    )
    store.add_credential(learner, make_record(data=b"b", credential_id="cred.b", status="invalid"))
    store.add_credential(learner, make_record(data=b"c", credential_id=None))
    holdings = {h.credential_id: h for h in store.holdings(learner)}
    assert set(holdings) == {"cred.a", "cred.b"}
    assert holdings["cred.a"].verified is True
    assert holdings["cred.a"].wallet_record == valid.id
    assert holdings["cred.a"].earned_on == dt.date(2025, 5, 1)
    assert holdings["cred.b"].verified is False


def test_wallet_writes_for_unknown_learners_are_refused(
    store: Store, make_record: RecordFactory
) -> None:
    with pytest.raises(UnknownLearnerError):
        store.add_credential("lrn_missing", make_record())
    assert store.list_credentials("lrn_missing") == []
    assert store.holdings("lrn_missing") == []


def test_sessions_resolve_until_revoked_or_expired(store: Store) -> None:
    learner = store.create_learner()
    token = store.create_session(learner)
    assert len(token) >= 43  # 256 bits, url-safe base64
    assert store.learner_for_session(token) == learner
    assert store.learner_for_session(token + "x") is None
    store.revoke_session(token)
    assert store.learner_for_session(token) is None
    short = store.create_session(learner, ttl=dt.timedelta(microseconds=1))
    assert store.learner_for_session(short) is None
    with pytest.raises(UnknownLearnerError):
        store.create_session("lrn_missing")


def test_accounts_are_unique_case_insensitive(store: Store) -> None:
    learner = store.create_learner()
    account = store.create_account(learner, " Alice ", "$argon2id$hash")
    assert account.username == "alice"
    found = store.account("ALICE")
    assert found is not None
    assert found.learner_id == learner
    assert found.password_hash == "$argon2id$hash"
    assert store.account("bob") is None
    with pytest.raises(StoreConflictError, match="taken"):
        store.create_account(store.create_learner(), "alice", "other")


def test_sql_store_keeps_only_a_hash_of_session_tokens(sql_store: object) -> None:
    from sqlalchemy import select

    from coach.store.models import SessionRow
    from coach.store.sql import SqlStore

    assert isinstance(sql_store, SqlStore)
    learner = sql_store.create_learner()
    token = sql_store.create_session(learner)
    with sql_store.engine.connect() as connection:
        stored = connection.execute(select(SessionRow.token_hash)).scalars().all()
    assert stored == [token_hash(token)]
    assert token not in stored


def test_ping_answers_when_the_database_is_up(store: Store) -> None:
    assert store.ping() is True
