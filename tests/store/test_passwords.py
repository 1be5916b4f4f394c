"""Account passwords are stored as argon2id hashes and checked without raising."""

from __future__ import annotations

import pytest

from coach.store import MemoryStore
from coach.store.passwords import check_password, hash_password, needs_rehash


def test_a_password_hash_checks_only_the_right_password() -> None:
    hashed = hash_password("correct horse battery")
    assert hashed.startswith("$argon2id$")
    assert "correct horse" not in hashed
    assert check_password(hashed, "correct horse battery")
    assert not check_password(hashed, "correct horse batterY")
    assert not check_password("not a hash", "correct horse battery")
    assert not check_password(hashed, "x" * 5000)
    assert not needs_rehash(hashed)


def test_passwords_out_of_bounds_are_refused() -> None:
    with pytest.raises(ValueError, match="characters"):
        hash_password("short")
    with pytest.raises(ValueError, match="characters"):
        hash_password("y" * 2000)


def test_an_account_keeps_the_hash_not_the_password() -> None:
    store = MemoryStore()
    learner = store.create_learner()
    store.create_account(learner, "dana", hash_password("a long passphrase"))
    account = store.account("dana")
    assert account is not None
    assert check_password(account.password_hash, "a long passphrase")
