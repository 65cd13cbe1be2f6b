"""`scrapy tag [--url URL] [--site SPIDER] [--jsonl] FILE...`: tags of saved pages or texts, with evidence."""

from __future__ import annotations

import argparse
from typing import Any

from scrapy.commands import ScrapyCommand

from crawler.commands._documents import DocumentCommand, extract_document, settings_documents
from processors.tag import tagger_from_settings
from processors.tagging import Tagger


def tag_document(
    data: bytes, tagger: Tagger, url: str | None = None, site: str | None = None, **documents: Any
) -> dict[str, Any]:
    """Clean *data* like the crawl does (*documents*: see ``extract_document``), then tag the
    cleaned title and body."""
    article = extract_document(data, url=url, site=site, **documents)
    result = tagger.tag(article.title, article.body, simplified=article.body_simplified or None)
    return {"title": article.title, "truncated": article.truncated, **result.to_dict()}


class Command(DocumentCommand, ScrapyCommand):
    def short_desc(self) -> str:
        return "Print the city, county, province and initiative tags of pages or texts, with evidence"

    def long_desc(self) -> str:
        return (
            "Clean each file as the crawl does (boilerplate removed), then print one JSON object per "
            "file: cities, counties, provinces (zh-Hans short names), primary_city, initiatives (id, "
            "name and the surface forms matched with their counts), keywords and the evidence of each "
            "place tag. '-' reads standard input. An unreadable file gives an object with an 'error'."
        )

    def process(self, data: bytes, opts: argparse.Namespace) -> dict[str, Any]:
        assert self.settings is not None
        tagger = tagger_from_settings(self.settings)
        return tag_document(data, tagger, opts.url, opts.site, **settings_documents(self.settings))
