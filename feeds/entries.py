"""One stored article as an Atom entry: what a reader shows of it.

An entry is rendered once and kept as its bytes: a feed is its header and the rendered entries of
its newest articles, so a rebuild renders only the articles it has not rendered before
(``feeds.build``). It is written from a fixed layout, every text and attribute escaped: the bytes
lxml writes for the same element (as feedgen's ``FeedEntry`` did) at a fraction of the cost, less
the characters XML cannot carry. The entry says when the article last changed at its source
(``updated``), carries a plain-text ``summary`` (its first sentences), the article as sanitised
HTML (``nh3``: no script, style, iframe, event attribute or ``javascript:`` URL; relative links made
absolute against the article's URL), its authors and its tags as schemed categories whose term is
the stable tag value and whose label the readable name. An article in traditional script says so:
``xml:lang="zh-Hant"``. A very long article is cut in its entry (``FEED_ENTRY_MAX_CHARS``, at a
paragraph's end where one is near) and says so, with a link to the whole text, as does an article
stored cut short (``truncated``: too long to store whole, or pages that could not be read); its
title is cut likewise.
A story published on several sites is one entry: its original's, with every copy listed after the
text and linked as ``rel="related"``.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import lru_cache
from html import escape, unescape

import nh3

from core.chinese import to_simplified
from core.dates import SHANGHAI
from core.tags import tags_by_kind
from core.xml import xml_safe
from storage.store import StoredArticle, Story

CATEGORY_SCHEME = "https://regional-news-monitor.invalid/tags/"
"""Each category's scheme is this plus its kind (``…/tags/city``); the term is the tag value."""
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SUMMARY_CHARS = 120
"""A summary is whole sentences up to about this many characters (cut with … past 1.5 times it)."""
SENTENCE_END = re.compile(r"(?<=[。！？!?；;])")
TRADITIONAL_SHARE = 0.05
"""An article is in traditional script when OpenCC t2s changes at least this share of the Han
characters of its title and first ``TRADITIONAL_SAMPLE`` characters."""
TRADITIONAL_SAMPLE = 300
HAN = re.compile("[\u4e00-\u9fff]")
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
ENTRY_MAX_CHARS = 50_000
"""The default of ``FEED_ENTRY_MAX_CHARS``: an entry's content (HTML) is cut near here."""
TITLE_MAX_CHARS = 200
TRUNCATED = "…（全文见原文）"


def summary(body: str, limit: int = SUMMARY_CHARS) -> str:
    """The first sentences of *body* (plain text, one paragraph a line), about *limit* characters."""
    longest = limit * 3 // 2
    lines, size = [], 0
    for line in body.splitlines():
        lines.append(line.strip())
        size += len(lines[-1])
        if size > longest:
            break  # what follows cannot change the result: a sentence running past here is too long
    out = ""
    for sentence in SENTENCE_END.split("".join(lines)):
        if out and len(out) + len(sentence) > limit:
            break
        out += sentence
    out = out.strip()
    return out if len(out) <= longest else out[: limit - 1] + "…"


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
    """Whether *text* is written in traditional characters: OpenCC t2s changes enough of the Han
    characters of its beginning (an article keeps one script throughout)."""
    sample = text[:TRADITIONAL_SAMPLE]
    simplified = to_simplified(sample)
    if simplified == sample:
        return False
    changed = sum(map(operator.ne, sample, simplified))
    return changed >= max(2, TRADITIONAL_SHARE * len(HAN.findall(sample)))


def capped(html: str, limit: int, url: str, *, whole: bool = True) -> str:
    """*html* cut to about *limit* characters, at the end of a paragraph in its last half if there is
    one, followed by a line saying so that links to the whole article (nh3 then closes what the cut
    left open). An article stored cut short (*whole* false: ``truncated``) says so too, however short."""
    if len(html) <= limit:
        return html if whole else html + more_link(url)
    end = html.rfind("</p>", limit // 2, limit)
    cut = html[: end + len("</p>")] if end >= 0 else html[:limit]
    return cut + more_link(url)


def more_link(url: str) -> str:
    """The line after a cut text: it links to the whole article."""
    return f'<p><a href="{_escape_attribute(url)}">{TRUNCATED}</a></p>'


def render_story(
    story: Story, entry_id: str, label: Callable[[str, str], str], max_chars: int = ENTRY_MAX_CHARS
) -> bytes:
    """The Atom ``<entry>`` of *story*: its original's, listing its copies (a story of one article:
    that article's entry)."""
    original, *copies = story.articles
    if not copies:
        return render_entry(original, entry_id, label, max_chars)
    return render_entry(original, entry_id, label, max_chars, copies=copies, updated=story.updated)


def copies_html(articles: Sequence[StoredArticle], label: Callable[[str, str], str]) -> str:
    """The list of a story's articles (the original first) that follows its text: site, headline, link."""
    items = "".join(
        f'<li><a href="{escape(stored.article.url)}">{escape(label("site", stored.article.site))}</a>'
        f"：{escape(stored.article.title or '')}{'（原发）' if number == 0 else ''}</li>"
        for number, stored in enumerate(articles)
    )
    return f"<h4>同一报道 {len(articles)} 个来源</h4><ul>{items}</ul>"


def render_entry(
    stored: StoredArticle,
    entry_id: str,
    label: Callable[[str, str], str],
    max_chars: int = ENTRY_MAX_CHARS,
    *,
    copies: Sequence[StoredArticle] = (),
    updated: datetime | None = None,
) -> bytes:
    """The Atom ``<entry>`` of *stored* as UTF-8 bytes (no namespace declaration: it goes in a feed),
    its content cut near *max_chars* characters.

    *label* gives the readable name of a tag (kind, value). *copies*: the other articles of its
    story, linked as ``related`` and listed after the text; *updated*: the story's (default: the
    article's). An article with neither title nor text is a :class:`ValueError`.
    """
    article = stored.article
    title = article.title or article.body[:30]
    if not title:
        raise ValueError("an entry needs a title, and the article has neither title nor text")
    if len(title) > TITLE_MAX_CHARS:
        title = title[: TITLE_MAX_CHARS - 1] + "…"
    sample = f"{article.title or ''}\n{article.body[:TRADITIONAL_SAMPLE]}"
    lang = ' xml:lang="zh-Hant"' if is_traditional(sample) else ""
    content = capped(article.body_html, max_chars, article.url, whole=not article.truncated)
    if copies:
        content += copies_html([stored, *copies], label)
    parts = [
        f"<entry{lang}>\n",
        _element("id", entry_id),
        _element("title", title),
        _element("updated", (updated or stored.updated).astimezone(SHANGHAI).isoformat()),
        *(
            f"  <author>\n  {_element('name', name)}  </author>\n"
            for name in article.reporters or ([article.outlet] if article.outlet else [])
            if name
        ),
        _element("content", sanitize(content, article.url), type="html"),
        _element("link", None, href=article.url),  # no rel: "alternate" is the default
        *(
            _element(
                "link", None, href=copy.article.url, rel="related", title=label("site", copy.article.site)
            )
            for copy in copies
        ),
        _element("summary", summary(article.body)),
        *(
            _category(kind, value, label(kind, value))
            for kind, values in tags_by_kind(article).items()
            for value in values
        ),
        _element("published", (article.published or stored.first_seen).astimezone(SHANGHAI).isoformat()),
        "</entry>\n",
    ]
    return "".join(parts).encode("utf-8")


@lru_cache(maxsize=8192)
def _category(kind: str, value: str, label: str) -> str:
    """A category element: the same few thousand tags recur in every entry."""
    return _element("category", None, term=value, scheme=CATEGORY_SCHEME + kind, label=label or None)


def _element(name: str, text: str | None, **attributes: str | None) -> str:
    """One indented child element as lxml's pretty printer writes it (attributes that are None left out)."""
    attrs = "".join(
        f' {key}="{_escape_attribute(value)}"' for key, value in attributes.items() if value is not None
    )
    if not text:
        return f"  <{name}{attrs}/>\n"
    return f"  <{name}{attrs}>{_escape_text(text)}</{name}>\n"


def _escape_text(text: str) -> str:
    """*text* as XML character data: what XML cannot carry removed (:func:`core.xml.xml_safe`),
    markup characters escaped."""
    return (
        xml_safe(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _escape_attribute(value: str) -> str:
    return _escape_text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def entry_fragments(feed: bytes) -> list[bytes]:
    """The entries of a feed this project wrote, as their bytes, in order."""
    fragments = []
    start = feed.find(ENTRY_START)
    while start >= 0:
        end = feed.find(ENTRY_END, start)
        if end < 0:
            break
        fragments.append(feed[start : end + len(ENTRY_END)])
        start = feed.find(ENTRY_START, end)
    return fragments


def rendered_entries(feed: bytes) -> dict[tuple[str, str], bytes]:
    """The entries of a feed this project wrote, as their bytes, by (id, ``updated`` as written):
    what identifies one rendering of an entry."""
    found = {}
    for fragment in entry_fragments(feed):
        entry_id, updated = FIRST_ID.search(fragment), FIRST_UPDATED.search(fragment)
        if entry_id and updated:
            found[entry_id.group(1).decode(), updated.group(1).decode()] = fragment
    return found


def entry_title(fragment: bytes) -> str:
    """The title of a rendered entry, as text."""
    match = FIRST_TITLE.search(fragment)
    return unescape(match.group(1).decode()) if match else ""
