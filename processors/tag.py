"""Item pipeline: tags each cleaned article with cities, counties, provinces, initiatives and keywords.

Runs after ``processors.clean.CleanPipeline``: it reads only the cleaned title and body (through
``body_simplified``), so removed boilerplate can never produce a tag. How tags are found:
``processors/tagging/``; the data: ``data/places/`` and ``data/initiatives.yaml``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.items import Article
from processors.tagging import Tagger

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings


def apply_tags(item: Article, tagger: Tagger) -> Article:
    """*item* with its tag fields filled from its title and body."""
    result = tagger.tag(item.title, item.body, simplified=item.body_simplified or None)
    item.cities = result.cities
    item.counties = result.counties
    item.provinces = result.provinces
    item.primary_city = result.primary_city
    item.initiatives = result.initiatives
    item.keywords = result.keywords
    item.tag_evidence = result.evidence
    return item


def tagger_from_settings(settings: BaseSettings) -> Tagger:
    """The process-wide tagger for these settings: ``PLACES_DIR`` (a gazetteer folder of your own in
    the format of ``data/places/``; default: the packaged one), ``INITIATIVES_FILES`` (catalogues
    merged over ``data/initiatives.yaml``), ``TAG_EXACT_KEYWORDS`` (use ``jieba.analyse.extract_tags``
    itself for keywords: slower)."""
    return Tagger.default(
        settings.get("PLACES_DIR") or None,
        settings.getlist("INITIATIVES_FILES"),
        exact_keywords=settings.getbool("TAG_EXACT_KEYWORDS"),
    )


class TagPipeline:
    """Item pipeline: the tag fields of each cleaned article (settings: :func:`tagger_from_settings`)."""

    def __init__(self, tagger: Tagger, stats=None) -> None:
        self.tagger = tagger
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TagPipeline:
        return cls(tagger_from_settings(crawler.settings), crawler.stats)

    def process_item(self, item: Article) -> Article:
        apply_tags(item, self.tagger)
        if self.stats is not None:
            self.stats.inc_value("tag/articles")
            if not item.cities:
                self.stats.inc_value("tag/no_city")
        return item
