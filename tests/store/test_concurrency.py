"""Several workers at once (threads here; processes share the same code path):
one learner per identity, one first delivery per update id, one record per badge."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from coach.store.sql import SqlStore
from tests.store.conftest import RecordFactory

WORKERS = 8


def test_concurrent_first_contacts_map_an_identity_to_one_learner(sql_store: SqlStore) -> None:
    with ThreadPoolExecutor(WORKERS) as pool:
        learners = list(
            pool.map(lambda _: sql_store.learner_for_identity("telegram", "555"), range(WORKERS))
        )
    assert len(set(learners)) == 1
    with sql_store.engine.connect() as connection:
        count = connection.exec_driver_sql("SELECT count(*) FROM learners").scalar()
    assert count == 1  # the losers' learners were rolled back with their identity


def test_concurrent_deliveries_of_one_update_are_processed_once(sql_store: SqlStore) -> None:
    with ThreadPoolExecutor(WORKERS) as pool:
        firsts = list(pool.map(lambda _: sql_store.mark_processed("telegram", "9"), range(WORKERS)))
    assert firsts.count(True) == 1


def test_concurrent_imports_of_the_same_bytes_store_one_record(
    sql_store: SqlStore, make_record: RecordFactory
) -> None:
    learner = sql_store.create_learner()
    record = make_record(data=b"the same badge")
    with ThreadPoolExecutor(WORKERS) as pool:
        ids = list(pool.map(lambda _: sql_store.add_credential(learner, record).id, range(WORKERS)))
    assert len(set(ids)) == 1
    assert len(sql_store.list_credentials(learner)) == 1
