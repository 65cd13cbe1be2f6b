"""The tags an article is filed under, as every package names them: kinds, values and readable names.

The tagger decides which values exist (the gazetteer's places, the initiative catalogue, the site
catalogue); the feeds read them through a :class:`TagVocabulary` to check the topics a user defines,
to label categories and to group cities by province. The two meet through the
``FEEDS_TAG_VOCABULARY`` setting, never by importing each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from core.items import Article

TAG_KINDS = ("site", "city", "county", "province", "initiative")


def tags_by_kind(article: Article) -> dict[str, list[str]]:
    """The tag values *article* is filed under (its site, places and initiatives), by kind in the
    order of :data:`TAG_KINDS`."""
    return {
        "site": [article.site],
        "city": article.cities,
        "county": article.counties,
        "province": article.provinces,
        "initiative": [initiative["id"] for initiative in article.initiatives],
    }


@dataclass(frozen=True)
class TagVocabulary:
    values: Mapping[str, frozenset[str]]
    """Every value each kind of tag can take (``city`` → {泉州, 厦门, …})."""
    names: Mapping[tuple[str, str], str] = field(default_factory=dict)
    """Readable names where they differ from the value: (``site``, ``qzwb``) → 泉州网, an initiative's
    id → its zh-Hans name."""
    province_of: Mapping[str, str] = field(default_factory=dict)
    """The province each city lies in (泉州 → 福建)."""

    def knows(self, kind: str, value: str) -> bool:
        return value in self.values.get(kind, ())

    def name(self, kind: str, value: str) -> str:
        return self.names.get((kind, value), value)
