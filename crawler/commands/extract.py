"""`scrapy extract [--url URL] [--site SPIDER] [--jsonl] FILE...`: saved pages or texts → article JSON."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from scrapy.commands import ScrapyCommand

from core.items import Article
from crawler.commands._documents import DocumentCommand, extract_document, settings_documents

OUTPUT_FIELDS = (
    "url", "id", "title", "original_title", "published", "published_raw", "outlet", "reporters", "editors",
    "body", "body_html", "body_simplified", "quality", "extractor", "site",
    "truncated",
)  # fmt: skip


def article_json(article: Article) -> dict[str, Any]:
    data = {key: value for key, value in asdict(article).items() if key in OUTPUT_FIELDS}
    data["published"] = article.published.isoformat() if article.published else None
    return data


class Command(DocumentCommand, ScrapyCommand):
    def short_desc(self) -> str:
        return "Extract and clean articles from saved pages or plain-text files"

    def long_desc(self) -> str:
        return (
            "Print one JSON object per input file: title, published (ISO 8601, +08:00), outlet, "
            "reporters, editors, body (one paragraph per line), body_html, quality flags and the "
            "extractor used. Pages and texts are told apart by content; '-' reads standard input. "
            "The page object is chosen by --site, else by --url, else the generic extractor is used."
        )

    def process(self, data: bytes, opts: argparse.Namespace) -> dict[str, Any]:
        assert self.settings is not None
        article = extract_document(data, url=opts.url, site=opts.site, **settings_documents(self.settings))
        return article_json(article)
