"""One stored article as an Atom entry: what a reader shows of it.

An entry is rendered once (feedgen's ``FeedEntry``) and kept as its bytes: a feed is its header and
the rendered entries of its newest articles, so a rebuild renders only the articles it has not
rendered before (``feeds.build``). The entry says when the article last changed at its source
(``updated``), carries a plain-text ``summary`` (its first sentences), the article as sanitised
HTML (``nh3``: no script, style, iframe, event attribute or ``javascript:`` URL; relative links made
absolute against the article's URL), its authors and its tags as schemed categories whose term is
the stable tag value and whose label the readable name. An article in traditional script says so:
``xml:lang="zh-Hant"``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

import nh3
from feedgen.entry import FeedEntry
from lxml import etree

from core.chinese import to_simplified
from core.dates import SHANGHAI
from core.tags import TAG_KINDS
from storage.store import StoredArticle

CATEGORY_SCHEME = "https://regional-news-monitor.invalid/tags/"
"""Each category's scheme is this plus its kind (``…/tags/city``); the term is the tag value."""
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SUMMARY_CHARS = 120
"""A summary is whole sentences up to about this many characters (cut with … past 1.5 times it)."""
SENTENCE_END = re.compile(r"(?<=[。！？!?；;])")
TRADITIONAL_SHARE = 0.05
"""An article is in traditional script when OpenCC t2s changes at least this share of its characters."""
HTML_TAGS = {
    "p", "br", "a", "img", "figure", "figcaption", "strong", "b", "em", "i", "u", "sub", "sup",
    "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "h2", "h3", "h4",
}  # fmt: skip
HTML_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"}}
URL_SCHEMES = {"http", "https", "mailto"}
ENTRY_START, ENTRY_END = b"<entry", b"</entry>\n"
FIRST_ID = re.compile(rb"<id>([^<]*)</id>")
FIRST_UPDATED = re.compile(rb"<updated>([^<]*)</updated>")
FIRST_TITLE = re.compile(rb"<title[^>]*>([^<]*)</title>")


def summary(body: str, limit: int = SUMMARY_CHARS) -> str:
    """The first sentences of *body* (plain text, one paragraph a line), about *limit* characters."""
    text = "".join(line.strip() for line in body.splitlines())
    out = ""
    for sentence in SENTENCE_END.split(text):
        if out and len(out) + len(sentence) > limit:
            break
        out += sentence
    out = out.strip()
    return out if len(out) <= limit * 3 // 2 else out[: limit - 1] + "…"


def sanitize(html: str, base_url: str) -> str:
    """*html* with only harmless markup left and every relative URL resolved against *base_url*."""
    return nh3.clean(
        html,
        tags=HTML_TAGS,
        attributes=HTML_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        url_relative=("rewrite_with_base", base_url),
    )


def is_traditional(text: str) -> bool:
    """Whether *text* is written in traditional characters (OpenCC t2s changes enough of them)."""
    han = sum(1 for char in text if "\u4e00" <= char <= "\u9fff")
    if not han:
        return False
    changed = sum(1 for a, b in zip(text, to_simplified(text), strict=False) if a != b)
    return changed >= max(2, TRADITIONAL_SHARE * han)


def render_entry(stored: StoredArticle, entry_id: str, label: Callable[[str, str], str]) -> bytes:
    """The Atom ``<entry>`` of *stored* as UTF-8 bytes (no namespace declaration: it goes in a feed).

    *label* gives the readable name of a tag (kind, value).
    """
    article = stored.article
    entry = FeedEntry()
    entry.id(entry_id)
    entry.title(article.title or article.body[:30])
    entry.link(href=article.url, rel="alternate")
    entry.published((article.published or stored.first_seen).astimezone(SHANGHAI))
    entry.updated(stored.updated.astimezone(SHANGHAI))
    for name in article.reporters or ([article.outlet] if article.outlet else []):
        entry.author({"name": name})
    entry.summary(summary(article.body))
    entry.content(sanitize(article.body_html, article.url), type="html")
    tags = {
        "site": [article.site],
        "city": article.cities,
        "county": article.counties,
        "province": article.provinces,
        "initiative": [initiative["id"] for initiative in article.initiatives],
    }
    for kind in TAG_KINDS:
        for value in tags[kind]:
            entry.category(term=value, scheme=CATEGORY_SCHEME + kind, label=label(kind, value))
    element = entry.atom_entry()
    if is_traditional(f"{article.title or ''}\n{article.body}"):
        element.set(XML_LANG, "zh-Hant")
    return etree.tostring(element, encoding="UTF-8", pretty_print=True)


def rendered_entries(feed: bytes) -> dict[tuple[str, str], bytes]:
    """The entries of a feed this project wrote, as their bytes, by (id, ``updated`` as written):
    what identifies one rendering of an entry."""
    found = {}
    start = feed.find(ENTRY_START)
    while start >= 0:
        end = feed.find(ENTRY_END, start)
        if end < 0:
            break
        fragment = feed[start : end + len(ENTRY_END)]
        start = feed.find(ENTRY_START, end)
        entry_id, updated = FIRST_ID.search(fragment), FIRST_UPDATED.search(fragment)
        if entry_id and updated:
            found[entry_id.group(1).decode(), updated.group(1).decode()] = fragment
    return found


def entry_title(fragment: bytes) -> str:
    """The title of a rendered entry, as text."""
    match = FIRST_TITLE.search(fragment)
    return unescape(match.group(1).decode()) if match else ""
