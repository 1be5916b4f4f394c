"""Badges sent to the coach (real verification), the self-assessment, the plan picture."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from coach.agent import Coach
from coach.dialogue.policy import DialogueEngine
from coach.store import MemoryStore
from coach.wallet.resolver import OfflineResolver
from coach.wallet.result import VerificationResult
from coach.wallet.verify import verify_credential
from knowledge.embedding import HashingEmbedder
from knowledge.schema import Catalogue
from tests.conftest import shared_data
from tests.dialogue.catalogue import INJECTION, TODAY

BADGE = (
    "vc",
    "dcc-vc-test-fixtures",
    "verifiableCredentials",
    "v1",
    "bothSignatureTypes",
    "didKey",
    "legacy-noStatus-noExpiry-basicOBv3.json",
)
NOW = dt.datetime.combine(TODAY, dt.time(12, 0), tzinfo=dt.UTC)


def _verify(data: bytes) -> VerificationResult:
    return verify_credential(data, resolver=OfflineResolver(), now=NOW)


@pytest.fixture
def wallet_coach(catalogue: Catalogue, engine: DialogueEngine, store: MemoryStore) -> Coach:
    return Coach(
        catalogue=catalogue,
        embedder=HashingEmbedder(),
        store=store,
        wallet=store,
        now=lambda: NOW,
        engine=engine,
        verifier=_verify,
    )


def test_a_sent_badge_is_verified_explained_and_kept(wallet_coach: Coach) -> None:
    data = shared_data(*BADGE).read_bytes()
    answer = wallet_coach.respond("pia", "here is my badge", attachments=[data])
    assert answer.intent == "add_badge"
    assert answer.text.startswith("This badge is authentic")
    assert '"Teamwork"' in answer.text
    listing = wallet_coach.respond("pia", "show my wallet")
    assert listing.intent == "wallet"
    assert '"Teamwork": valid' in listing.text
    check = wallet_coach.respond("pia", "is my badge genuine?")
    assert check.intent == "verify_badge"
    assert "authentic" in check.text


def test_injection_in_a_badge_name_and_description_changes_nothing(wallet_coach: Coach) -> None:
    badge = json.loads(shared_data(*BADGE).read_bytes())
    badge["name"] = INJECTION
    badge["credentialSubject"]["achievement"]["name"] = "Teamwork. " + INJECTION
    badge["credentialSubject"]["achievement"]["description"] = INJECTION
    answer = wallet_coach.respond("quinn", "add it", attachments=[json.dumps(badge).encode()])
    assert "NOT authentic" in answer.text  # the edit broke the signature, whatever it says
    own_words = re.sub(r'"[^"]*"', "", answer.text)
    assert "European Commission" not in own_words
    assert "system prompt" not in own_words.lower()
    # The next turn is a normal turn: nothing in the badge steered the coach.
    assert "250 EUR" in wallet_coach.respond("quinn", "how much is SQL Basics?").text


def test_a_file_that_is_not_a_badge_is_refused_plainly(wallet_coach: Coach) -> None:
    answer = wallet_coach.respond("rui", "", attachments=[b"just some text"])
    assert answer.text.startswith("I could not read that file")
    assert wallet_coach.respond("rui", "show my wallet").text.startswith("Your wallet is empty")


def test_assessment_runs_on_quick_replies_and_feeds_the_profile(
    coach: Coach, store: MemoryStore
) -> None:
    coach.respond("sam", "I want to become a data analyst")
    first = coach.respond("sam", "assess my skills")
    assert first.intent == "assess"
    assert "assess:level:2" in {a.payload for a in first.actions}
    coach.respond("sam", "assess:level:2")
    done = coach.respond("sam", "3")
    assert "Data Analyst" in done.text
    profile = store.get_state("sam", "profile")
    assert profile is not None
    assert set(profile["skills"]) == {"sk-sql", "sk-python"}
    assert coach.load_state("sam").assessment is None


def test_other_questions_during_an_assessment_are_answered(coach: Coach) -> None:
    coach.respond("tea", "I want to become a data analyst")
    coach.respond("tea", "assess my skills")
    side = coach.respond("tea", "how much is SQL Basics?")
    assert "250 EUR" in side.text
    back = coach.respond("tea", "assess:level:1")
    assert back.intent == "assess"


def test_a_plan_comes_with_its_pathway_picture(coach: Coach) -> None:
    pytest.importorskip("coach.planner.picture")
    answer = coach.respond("uma", "how do I become a data analyst?")
    assert answer.intent == "plan"
    assert answer.attachments
    assert answer.attachments[0].media_type == "image/png"
