"""Skills with proficiency descriptors a learner can recognise in themselves."""

from __future__ import annotations

from pydantic import Field

from knowledge.schema.common import EntryId, Value


class Skill(Value):
    """A skill and its proficiency scale.

    ``levels[i]`` describes level ``i + 1`` as a behaviour ("I can ..."), so a
    learner can place themselves on the scale without jargon.
    """

    id: EntryId
    name: str = Field(min_length=1, max_length=200)
    domain: EntryId
    description: str = Field(default="", max_length=5000)
    levels: tuple[str, ...] = Field(min_length=4, max_length=8)
    depends_on: tuple[EntryId, ...] = Field(
        default=(), description="Foundation skills this one builds on."
    )
    esco_uri: str | None = None
    onet_code: str | None = None

    @property
    def max_level(self) -> int:
        return len(self.levels)
