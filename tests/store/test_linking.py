"""Linking a verified badge to the catalogue credential it proves."""

from __future__ import annotations

from coach.wallet.linking import link_badge, link_result
from coach.wallet.result import AchievementSummary, Party, VerificationResult
from knowledge.schema import Catalogue
from tests.store.conftest import ISSUER_DID, TEAMWORK_ACHIEVEMENT

EXAMPLE_CORP = Party(id=ISSUER_DID, name="Example Corp")


def test_exact_achievement_id_from_the_providers_issuer_links_with_full_confidence(
    catalogue: Catalogue,
) -> None:
    link = link_badge(
        catalogue, EXAMPLE_CORP, AchievementSummary(id=TEAMWORK_ACHIEVEMENT + "/", name="x")
    )
    assert link is not None
    assert (link.credential_id, link.method, link.confidence) == (
        "cred.teamwork",
        "achievement_id",
        1.0,
    )
    assert link.evidence["issuer_matches"] is True
    assert link.evidence["achievement_id"] == TEAMWORK_ACHIEVEMENT + "/"


def test_achievement_id_from_a_stranger_links_with_low_confidence(catalogue: Catalogue) -> None:
    stranger = Party(id="did:key:z6MkStranger", name="Someone")
    link = link_badge(catalogue, stranger, AchievementSummary(id=TEAMWORK_ACHIEVEMENT))
    assert link is not None
    assert link.credential_id == "cred.teamwork"
    assert link.confidence == 0.6
    assert link.evidence["issuer_matches"] is False


def test_alignment_url_links_to_the_credential_with_that_url(catalogue: Catalogue) -> None:
    achievement = AchievementSummary(
        id="https://elsewhere.example/a/9",
        name="Something else",
        alignments=("https://1edtech.edu/achievements/1",),
    )
    link = link_badge(catalogue, Party(name="Example University"), achievement)
    assert link is not None
    assert (link.credential_id, link.method) == ("cred.text-analysis", "alignment")


def test_known_issuer_and_a_close_title_link_by_name(catalogue: Catalogue) -> None:
    link = link_badge(catalogue, EXAMPLE_CORP, AchievementSummary(name="leadership  ESSENTIALS"))
    assert link is not None
    assert (link.credential_id, link.method) == ("cred.leadership", "issuer_and_name")
    assert link.evidence["name_score"] >= 85
    assert 0.7 < link.confidence <= 0.9


def test_known_issuer_with_a_title_it_does_not_offer_links_nothing(catalogue: Catalogue) -> None:
    assert (
        link_badge(catalogue, EXAMPLE_CORP, AchievementSummary(name="Underwater Welding")) is None
    )


def test_issuer_name_and_title_alone_link_only_when_both_are_close(catalogue: Catalogue) -> None:
    near = link_badge(
        catalogue, Party(name="Example University"), AchievementSummary(name="Data Analysis Basics")
    )
    assert near is not None
    assert (near.credential_id, near.method) == ("cred.data-basics", "issuer_name_and_name")
    assert near.confidence <= 0.6
    wrong_issuer = link_badge(
        catalogue, Party(name="Other Academy"), AchievementSummary(name="Data Analysis Basics")
    )
    assert wrong_issuer is None


def test_badges_without_an_achievement_link_nothing(catalogue: Catalogue) -> None:
    assert link_badge(catalogue, EXAMPLE_CORP, None) is None
    assert link_badge(catalogue, None, AchievementSummary()) is None


def test_a_bundle_links_through_its_first_linkable_part(catalogue: Catalogue) -> None:
    part = VerificationResult(
        status="valid",
        format="ob3-data-integrity",
        issuer=EXAMPLE_CORP,
        achievement=AchievementSummary(id=TEAMWORK_ACHIEVEMENT),
    )
    bundle = VerificationResult(status="valid", format="clr2", parts=(part,))
    link = link_result(catalogue, bundle)
    assert link is not None
    assert link.credential_id == "cred.teamwork"
