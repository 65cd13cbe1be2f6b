"""Cleaning: turn an article as a page object read it into the finished article.

One pure function, :func:`clean_article`, used by the pipeline, `scrapy extract` and the tests:
pinyin annotations and control characters go, boilerplate lines go (rules in
``data/boilerplate.yaml``), meta lines become fields, bylines become ``reporters`` (the byline
stays in its paragraph), mojibake is flagged in ``quality``, and a simplified copy of the text is
kept for tagging and search while ``body`` keeps the script it was published in.
"""

from __future__ import annotations

import html
import logging
from dataclasses import replace

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.dates import parse_datetime
from crawler.items import Article
from crawler.sites import load_sites
from processors.boilerplate import Meta, Rules, load_rules
from processors.bylines import author_field_names, bylines, dateline_date, dateline_outlet
from processors.chinese import to_simplified
from processors.normalize import find_mojibake, normalize_line

logger = logging.getLogger(__name__)

MIN_PARAGRAPH = 30
SENTENCE_ENDS = ("。", "！", "？", "”", "」", ".", "!", "?")


def is_paragraph(line: str) -> bool:
    """A line of running text, not a headline or a byline left at the top of a page's text."""
    return len(line) >= MIN_PARAGRAPH or line.endswith(SENTENCE_ENDS)


def split_body(lines: list[str], rules: Rules) -> tuple[list[str], Meta]:
    """(text lines, meta read from meta lines) of normalised *lines*.

    Meta lines fill fields. Once a paragraph of text has been kept, a meta line (责任编辑, 来源)
    or an ``ends`` rule closes the article; before that, they are only dropped.
    """
    kept: list[str] = []
    meta = Meta()
    started = False
    for line in lines:
        simplified = to_simplified(line)
        rule = rules.match(simplified)
        if rule is not None:
            if rule.ends and started:
                break
            continue
        line_meta = rules.parse_meta(line)
        if line_meta is not None:
            _merge_meta(meta, line_meta)
            if started and (line_meta.editors or line_meta.outlet):
                break
            continue
        kept.append(line)
        started = started or is_paragraph(line)
    return kept, meta


def _merge_meta(into: Meta, new: Meta) -> None:
    into.outlet = into.outlet or new.outlet
    into.original_title = into.original_title or new.original_title
    into.published = into.published or new.published
    into.reporters.extend(new.reporters)
    into.editors.extend(new.editors)


def clean_article(article: Article, default_outlet: str | None = None) -> Article:
    """The cleaned copy of *article*, whose ``body`` holds the raw lines its page object read."""
    rules = load_rules()
    raw_lines = article.body.split("\n")
    raw_title = article.title or ""
    quality = list(article.quality)
    if find_mojibake("\n".join([raw_title, *raw_lines])):
        quality.append("mojibake")

    lines = [line for line in map(normalize_line, raw_lines) if line]
    kept, meta = split_body(lines, rules)
    simplified_lines = [to_simplified(line) for line in kept]
    reporters, byline_outlets, standalone = bylines(simplified_lines)
    kept = [line for index, line in enumerate(kept) if index not in standalone]

    title = normalize_line(raw_title) or None
    original_title = normalize_line(meta.original_title or "") or None
    if title is None:
        title = original_title
    elif original_title == title:
        original_title = None

    first_line = simplified_lines[0] if simplified_lines else ""
    outlet = (
        _simplified_or_none(article.outlet)
        or _simplified_or_none(meta.outlet)
        or dateline_outlet(first_line)
        or (" / ".join(byline_outlets) if byline_outlets else None)
        or default_outlet
    )
    published_raw = article.published_raw or meta.published
    published = parse_datetime(published_raw)
    if published is None and first_line:
        published = dateline_date(first_line, to_simplified(article.body))
        if published is not None:
            quality.append("date_from_dateline")
    if published is None:
        quality.append("no_date")
    if not kept:
        quality.append("empty_body")
    if title is None:
        quality.append("no_title")

    body = "\n".join(kept)
    return replace(
        article,
        title=title,
        original_title=original_title,
        published=published,
        published_raw=published_raw,
        outlet=outlet,
        reporters=_unique(
            [name for raw in article.reporters for name in author_field_names(to_simplified(raw))]
            + [name for raw in meta.reporters for name in author_field_names(to_simplified(raw))]
            + reporters
        ),
        editors=_unique(
            [
                name
                for raw in [*article.editors, *meta.editors]
                for name in author_field_names(to_simplified(raw))
            ]
        ),
        body=body,
        body_html="".join(f"<p>{html.escape(line, quote=False)}</p>\n" for line in kept),
        body_simplified=to_simplified(f"{title or ''}\n{body}"),
        quality=_unique(quality),
    )


def _simplified_or_none(text: str | None) -> str | None:
    text = normalize_line(text or "")
    return to_simplified(text) if text else None


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


class CleanPipeline:
    """Item pipeline: cleans each article; drops (and counts) one with no text left."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CleanPipeline:
        return cls(crawler)

    def process_item(self, item: Article) -> Article:
        site = load_sites().get(item.site)
        cleaned = clean_article(item, default_outlet=site.outlet if site else None)
        for flag in cleaned.quality:
            self.stats.inc_value(f"clean/quality/{flag}")
        if not cleaned.body:
            self.stats.inc_value("clean/dropped_empty")
            raise DropItem(f"no article text left after cleaning: {item.url}")
        return cleaned
