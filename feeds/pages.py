"""The web pages the feed server shows: the index of every feed, a page per feed, and its 404 page.

Plain HTML and CSS drawn on the server (charts are inline SVG): nothing needs JavaScript, and the
layout fits a phone (one column below 40em, no horizontal scroll at 375 px). The index's head lists
every feed as ``<link rel="alternate">`` so a reader given the page's URL finds them (Atom
autodiscovery).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import date, timedelta

from core.xml import xml_safe
from feeds.catalog import OPML_FILE, FeedInfo, feed_url, grouped
from feeds.entries import XML_LANG
from feeds.formats import Entry

STYLE = """
*{box-sizing:border-box}
body{margin:0 auto;max-width:60em;padding:1em;color:#1b1b1b;
font:16px/1.5 system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;background:#fff;overflow-wrap:anywhere}
a{color:#0b57d0}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin:1.2em 0 .4em;border-bottom:1px solid #ddd}
h3{font-size:1em;margin:.8em 0 .2em;color:#555}
.feeds{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(17em,1fr));gap:.5em}
.feeds li{border:1px solid #e3e3e3;border-radius:6px;padding:.5em .7em}
.count{color:#666;font-size:.85em}.newest{display:block;font-size:.85em;color:#444}
.subscribe{font-size:.85em;margin-right:.6em}
.latest{padding-left:1.2em}.latest li{margin:.3em 0}
.tag{display:inline-block;font-size:.75em;background:#eef3fd;border-radius:3px;padding:0 .35em;
margin:0 .2em 0 0;text-decoration:none}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(16em,1fr));gap:.8em}
.chart svg{width:100%;height:auto;display:block;background:#fafafa}
.chart figcaption{font-size:.85em}
.entry{border-bottom:1px solid #eee;padding:.6em 0}.entry p{margin:.2em 0}
.meta{font-size:.85em;color:#666}
@media (max-width:40em){body{padding:.6em}.feeds{grid-template-columns:1fr}}
"""
CHART_WIDTH, CHART_HEIGHT = 300, 60


def escape(text: str) -> str:
    """*text* for a page: what XML forbids removed (:func:`core.xml.xml_safe`), markup escaped."""
    return html.escape(xml_safe(text))


def page(title: str, body: str, head: str = "") -> bytes:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style>{head}</head>"
        f"<body>{body}</body></html>\n"
    ).encode()


def href(base: str, path: str) -> str:
    return escape(feed_url(base, path))


def autodiscovery(feed: FeedInfo, base: str) -> str:
    """The ``<link rel="alternate">`` by which a reader given a page finds *feed*."""
    return (
        f'<link rel="alternate" type="application/atom+xml" title="{escape(feed.title)}" '
        f'href="{href(base, feed.path)}">'
    )


def subscribe_links(feed: FeedInfo, base: str) -> str:
    return (
        f'<a class="subscribe" href="{href(base, feed.path)}">订阅 Atom</a>'
        f'<a class="subscribe" href="{href(base, feed.stem + ".rss")}">RSS</a>'
        f'<a class="subscribe" href="{href(base, feed.stem + ".json")}">JSON</a>'
    )


def tag_links(entry: Entry, base: str, feeds: dict[tuple[str, str], FeedInfo]) -> str:
    links = []
    for kind, term, label in entry.categories:
        feed = feeds.get((kind, term))
        target = f' href="{href(base, feed.stem + ".html")}"' if feed else ""
        links.append(f'<a class="tag"{target}>{escape(label)}</a>')
    return "".join(links)


def daily_chart(title: str, daily: dict[str, int], today: date, days: int = 30) -> str:
    """An inline SVG bar chart of articles per day over the *days* up to *today*."""
    counts = [daily.get((today - timedelta(days=back)).isoformat(), 0) for back in range(days - 1, -1, -1)]
    top = max(counts) or 1
    width = CHART_WIDTH / days
    bars = "".join(
        f'<rect x="{i * width:.1f}" y="{CHART_HEIGHT - count / top * (CHART_HEIGHT - 4):.1f}" '
        f'width="{width - 1:.1f}" height="{count / top * (CHART_HEIGHT - 4):.1f}" fill="#0b57d0">'
        f"<title>{(today - timedelta(days=days - 1 - i)).isoformat()}: {count}</title></rect>"
        for i, count in enumerate(counts)
        if count
    )
    return (
        f'<svg viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" role="img" aria-label="{escape(title)}：'
        f'最近{days}天每天的文章数，共{sum(counts)}篇">'
        f'<line x1="0" y1="{CHART_HEIGHT - 0.5}" x2="{CHART_WIDTH}" y2="{CHART_HEIGHT - 0.5}" stroke="#999"/>'
        f"{bars}</svg>"
    )


def index_page(feeds: list[FeedInfo], latest: Iterable[Entry], base: str, today: date) -> bytes:
    """The web index: every feed (grouped, with its count, newest headline and subscribe links), the
    OPML link, the latest articles with their tags, and a chart per initiative."""
    by_topic = {(feed.kind, feed.value): feed for feed in feeds}
    head = "".join(
        autodiscovery(feed, base) for feed in sorted(feeds, key=lambda f: (f.path != "all.xml", f.path))
    )
    sections = []
    for group, subgroups in grouped(feeds):
        parts = [f"<h2>{escape(group)}</h2>"]
        for subgroup, members in subgroups:
            if subgroup:
                parts.append(f"<h3>{escape(subgroup)}</h3>")
            parts.append('<ul class="feeds">' + "".join(feed_item(feed, base) for feed in members) + "</ul>")
        sections.append("".join(parts))
    articles = "".join(
        f'<li><a href="{escape(entry.link)}">{escape(entry.title)}</a> '
        f'<span class="meta">{escape(entry.text("published")[:10])}</span><br>'
        f"{tag_links(entry, base, by_topic)}</li>"
        for entry in latest
    )
    charts = "".join(
        f'<figure class="chart"><figcaption><a href="{href(base, feed.stem + ".html")}">'
        f"{escape(feed.title)}</a></figcaption>{daily_chart(feed.title, feed.daily, today)}</figure>"
        for feed in sorted(feeds, key=lambda f: f.title)
        if feed.kind == "initiative"
    )
    body = (
        "<header><h1>地方新闻 · 订阅源</h1>"
        f"<p>{len(feeds)} 个订阅源（Atom；每个也有 RSS 和 JSON Feed）。"
        f'<a href="{href(base, OPML_FILE)}">OPML：一次订阅全部</a></p></header>'
        f'<h2>最新文章</h2><ol class="latest">{articles or "<li>还没有文章</li>"}</ol>'
        + (f'<h2>倡议与战略：最近30天每天的文章数</h2><div class="charts">{charts}</div>' if charts else "")
        + "".join(sections)
    )
    return page("地方新闻 · 订阅源", body, head)


def feed_item(feed: FeedInfo, base: str) -> str:
    newest = f'<span class="newest">最新：{escape(feed.newest_title)}</span>' if feed.newest_title else ""
    return (
        f'<li><a href="{href(base, feed.stem + ".html")}">{escape(feed.title)}</a> '
        f'<span class="count">{feed.articles} 篇</span>{newest}{subscribe_links(feed, base)}</li>'
    )


def feed_page(feed: FeedInfo, entries: list[Entry], base: str) -> bytes:
    """One feed's entries as a page, with its subscribe links (and autodiscovery of the feed)."""
    items = "".join(
        f'<article class="entry"{lang(entry)}><h3><a href="{escape(entry.link)}">'
        f"{escape(entry.title)}</a></h3>"
        f'<p class="meta">{escape(entry.text("published")[:16].replace("T", " "))} · '
        f"{escape('、'.join(entry.authors))}</p>"
        f"<p>{escape(entry.text('summary'))}</p>"
        f"<p>{tag_links(entry, base, {})}</p></article>"
        for entry in entries
    )
    body = (
        f'<p><a href="{escape(base)}">← 全部订阅源</a></p><h1>{escape(feed.title)}</h1>'
        f"<p>{escape(feed.subtitle)}</p>"
        f'<p class="count">{feed.articles} 篇 · {subscribe_links(feed, base)}</p>'
        + (items or "<p>这个订阅源还没有文章。</p>")
    )
    return page(feed.title, body, autodiscovery(feed, base))


def lang(entry: Entry) -> str:
    value = entry.element.get(XML_LANG)
    return f' lang="{escape(value)}"' if value else ""


def not_found_page(base: str) -> bytes:
    return page(
        "404 · 没有这个订阅源",
        f'<h1>404 · 没有这个订阅源</h1><p>这里没有这个地址。全部订阅源在<a href="{escape(base)}">首页</a>，'
        f'或者导入 <a href="{href(base, OPML_FILE)}">OPML</a>。</p>',
    )
