"""Cleaning: turn an article as a page object read it into the finished article.

One pure function, :func:`clean_article`, used by the pipeline, `scrapy extract` and the tests:
pinyin annotations and control characters go, boilerplate lines go (rules in
``data/boilerplate.yaml``), meta lines become fields, bylines become ``reporters`` (the byline
stays in its paragraph), mojibake is flagged in ``quality``, and a simplified copy of the text is
kept for tagging and search while ``body`` keeps the script it was published in.
"""

from __future__ import annotations

import html
from dataclasses import replace

from scrapy.crawler import Crawler

from core.bylines import DATELINE
from core.chinese import to_simplified
from core.dates import parse_datetime
from core.items import Article
from core.sites import load_sites
from processors.boilerplate import Meta, Rules, load_rules
from processors.bylines import (
    STANDALONE_BYLINE,
    author_field_names,
    bylines,
    dateline_date,
    dateline_outlet,
)
from processors.normalize import has_mojibake, normalize_line, normalize_lines

MIN_PARAGRAPH = 30
SENTENCE_ENDS = ("。", "！", "？", "”", "」", ".", "!", "?")
MAX_TITLE_LENGTH = 60
TITLE_ENDS = ("。", "！", "？", "!", "?", "；", ";", "：", ":", "，", ",")


def is_paragraph(line: str) -> bool:
    """A line of running text, not a headline or a byline left at the top of a page's text."""
    return len(line) >= MIN_PARAGRAPH or line.endswith(SENTENCE_ENDS)


def looks_like_title(line: str, rules: Rules) -> bool:
    """A headline: short, no sentence punctuation at its end, no dateline, byline or meta label."""
    simplified = to_simplified(line)
    return (
        0 < len(line) <= MAX_TITLE_LENGTH
        and not line.endswith(TITLE_ENDS)
        and DATELINE.match(simplified) is None
        and STANDALONE_BYLINE.match(simplified) is None
        and rules.parse_meta(line) is None
        and rules.match(simplified) is None
    )


def split_body(lines: list[tuple[str, str]], rules: Rules) -> tuple[list[tuple[str, str]], Meta]:
    """(text lines, meta read from meta lines) of normalised (line, simplified line) pairs.

    Meta lines fill fields. Once a paragraph of text has been kept, a meta line (责任编辑, 来源)
    or an ``ends`` rule closes the article; before that, they are only dropped.
    """
    kept: list[tuple[str, str]] = []
    meta = Meta()
    started = False
    for line, simplified in lines:
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
        kept.append((line, simplified))
        started = started or is_paragraph(line)
    return kept, meta


def simplified_lines(lines: list[str]) -> list[str]:
    """Each line in simplified Chinese: one OpenCC call for them all (a call per line costs more)."""
    converted = to_simplified("\n".join(lines)).split("\n")
    return converted if len(converted) == len(lines) else [to_simplified(line) for line in lines]


def _merge_meta(into: Meta, new: Meta) -> None:
    into.outlet = into.outlet or new.outlet
    into.original_title = into.original_title or new.original_title
    into.published = into.published or new.published
    into.reporters.extend(new.reporters)
    into.editors.extend(new.editors)


def clean_article(article: Article, default_outlet: str | None = None, rules: Rules | None = None) -> Article:
    """The cleaned copy of *article*, whose ``body`` holds the raw lines its page object read.

    An article with no title (a plain text) takes its first line as the title when that line looks
    like a headline.
    """
    rules = rules or load_rules()
    raw_title = article.title or ""
    quality = list(article.quality)
    if has_mojibake(raw_title) or has_mojibake(article.body):
        quality.append("mojibake")

    lines = normalize_lines(article.body)
    if not raw_title and len(lines) > 1 and looks_like_title(lines[0], rules):
        raw_title, lines = lines[0], lines[1:]
    kept_pairs, meta = split_body(list(zip(lines, simplified_lines(lines), strict=True)), rules)
    reporters, byline_outlets, standalone = bylines([simplified for _, simplified in kept_pairs])
    first_line = kept_pairs[0][1] if kept_pairs else ""
    kept_pairs = [pair for index, pair in enumerate(kept_pairs) if index not in standalone]
    kept = [line for line, _ in kept_pairs]

    title = normalize_line(raw_title) or None
    original_title = normalize_line(meta.original_title or "") or None
    if title is None:
        title = original_title

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
        published = dateline_date(first_line, article.body)
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
        modified=parse_datetime(article.modified_raw),
        outlet=outlet,
        reporters=_unique(_names([*article.reporters, *meta.reporters]) + reporters),
        editors=_unique(_names([*article.editors, *meta.editors])),
        body=body,
        body_html=paragraphs_html(kept),
        body_simplified="\n".join(
            [to_simplified(title or ""), *(simplified for _, simplified in kept_pairs)]
        ),
        quality=_unique(quality),
    )


def paragraphs_html(lines: list[str]) -> str:
    """The ``body_html`` of an article's lines: one ``<p>`` each, the text escaped."""
    return "".join(f"<p>{html.escape(line, quote=False)}</p>\n" for line in lines)


def _names(fields: list[str]) -> list[str]:
    """The people named in author or editor fields (``记者 张三 通讯员 李四`` → 张三), simplified;
    the fields are normalised as the body is (``責(zé)任編輯:唐秀敏`` → 唐秀敏)."""
    return [name for raw in fields for name in author_field_names(to_simplified(normalize_line(raw)))]


def _simplified_or_none(text: str | None) -> str | None:
    text = normalize_line(text or "")
    return to_simplified(text) if text else None


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


class CleanPipeline:
    """Item pipeline: cleans each article; drops (and counts) one with no text left.

    Settings: ``SITES_FILES`` (each site's default outlet), ``BOILERPLATE_FILES`` (rules of your
    own, added to ``data/boilerplate.yaml``).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.sites = load_sites(crawler.settings.getlist("SITES_FILES"))
        self.rules = load_rules(crawler.settings.getlist("BOILERPLATE_FILES"))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CleanPipeline:
        return cls(crawler)

    def process_item(self, item: Article) -> Article:
        site = self.sites.get(item.site)
        cleaned = clean_article(item, default_outlet=site.outlet if site else None, rules=self.rules)
        for flag in cleaned.quality:
            self.stats.inc_value(f"clean/quality/{flag}")
        return cleaned
