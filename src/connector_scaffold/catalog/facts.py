"""What each catalog entry was checked against: facts from the source's public API reference, each with its URL.

A catalog file carries `facts:` beside the spec, for the source (auth, pagination, rate limit) and for every entity
(its default filters and its change timestamp). They are data, not comments, so a test can hold every entry to them
and `scaffold list` can show where each came from. A fact that could not be confirmed in the reference says so
(`confirmed: false`) instead of being guessed.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from connector_scaffold.catalog import catalog_file
from connector_scaffold.errors import ScaffoldError

Topic = Literal["auth", "pagination", "rate_limit", "base_url", "default_filter", "timestamp", "records", "scope"]

SOURCE_TOPICS: tuple[Topic, ...] = ("auth", "pagination", "rate_limit")
ENTITY_TOPICS: tuple[Topic, ...] = ("default_filter", "timestamp")


class Fact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    about: Topic
    fact: str = Field(min_length=10)
    url: str
    confirmed: bool = True

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith("https://") or " " in value:
            raise ValueError(f"url {value!r} must be an https:// link to the reference")
        return value


class CatalogFacts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: tuple[Fact, ...]
    entities: dict[str, tuple[Fact, ...]]

    def missing(self) -> list[str]:
        """`source: rate_limit`, `entity issue: timestamp`, ...: the required topics no fact covers."""
        gaps = [f"source: {topic}" for topic in SOURCE_TOPICS if topic not in {f.about for f in self.source}]
        for name, facts in self.entities.items():
            covered = {f.about for f in facts}
            gaps += [f"entity {name}: {topic}" for topic in ENTITY_TOPICS if topic not in covered]
        return gaps

    def references(self) -> list[str]:
        """Every reference URL the entry cites, in order of first citation."""
        every = [f.url for f in self.source] + [f.url for facts in self.entities.values() for f in facts]
        return list(dict.fromkeys(every))


def catalog_facts(name: str) -> CatalogFacts:
    """The facts of one catalog entry; a ScaffoldError names the entry and the field when they are malformed."""
    data = catalog_file(name)
    if data is None:
        raise ScaffoldError(f"{name!r} is not in the catalog")
    raw: dict[str, Any] = {
        "source": data.get("facts") or [],
        "entities": {str(e.get("name")): e.get("facts") or [] for e in data.get("entities", [])},
    }
    try:
        return CatalogFacts.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ScaffoldError(f"catalog {name}: facts {where}: {first['msg']}") from None
