"""The list of feeds a build wrote (``index.json`` in ``FEEDS_DIR``), and the OPML file made from it.

The build writes the catalogue after the feeds; the server serves exactly the feeds it lists (and
their other formats and pages), shows them on the web index, and reads ``Cache-Control`` from it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from itertools import groupby
from pathlib import Path
from urllib.parse import quote

from lxml import etree

from core.files import FileBatch
from core.xml import xml_safe

CATALOGUE_FILE = "index.json"
OPML_FILE = "feeds.opml"
MONITOR_KIND = "monitor"
"""The kind of the feeds the monitor writes itself (its health feed), not the build."""
OPML_TITLE = "地方新闻 regional-news-monitor feeds"
GROUP_ORDER = ("全部", "城市", "省份", "倡议与战略", "网站", "自定义")
"""The order of the groups in the OPML file and on the web index; others follow, by name."""


@dataclass(frozen=True)
class FeedInfo:
    """One feed as the build wrote it."""

    path: str
    """Its Atom file under ``FEEDS_DIR`` (``city/泉州.xml``)."""
    kind: str
    value: str
    title: str
    subtitle: str
    group: str
    """The heading it is listed under (城市); cities are further grouped by their province."""
    subgroup: str = ""
    articles: int = 0
    """How many stored articles the topic holds (a custom topic: how many its feed shows)."""
    entries: int = 0
    updated: str = ""
    newest_title: str = ""
    max_age: int = 1800
    """Seconds a reader may keep the feed: the shortest crawl interval of the sites in it."""
    daily: dict[str, int] = field(default_factory=dict)
    """Articles per day (ISO date → count) over the last days, for an initiative's chart."""

    @property
    def stem(self) -> str:
        """The path without ``.xml``: ``.rss``, ``.json`` and ``.html`` stand beside it."""
        return self.path.removesuffix(".xml")


def read_catalogue(feeds_dir: Path) -> dict[str, FeedInfo] | None:
    """The feeds of the last build in *feeds_dir* by path; None if there is no readable catalogue."""
    return read_catalogue_with_base(feeds_dir)[1]


def read_catalogue_with_base(feeds_dir: Path) -> tuple[str | None, dict[str, FeedInfo] | None]:
    """The base URL the last build in *feeds_dir* wrote its links with, and its feeds by path."""
    try:
        data = json.loads((feeds_dir / CATALOGUE_FILE).read_bytes())
        return data["base_url"], {item["path"]: FeedInfo(**item) for item in data["feeds"]}
    except (OSError, ValueError, KeyError, TypeError):
        return None, None


def catalogue_bytes(feeds: dict[str, FeedInfo], base_url: str) -> bytes:
    data = {"base_url": base_url, "feeds": [asdict(feeds[path]) for path in sorted(feeds)]}
    return json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True).encode("utf-8")


def write_catalogue(files: FileBatch, feeds_dir: Path, feeds: dict[str, FeedInfo], base_url: str) -> None:
    """Stage the catalogue of *feeds* and the OPML file made from it in *feeds_dir* (each rewritten
    only when its bytes change)."""
    files.write_if_changed(feeds_dir / CATALOGUE_FILE, catalogue_bytes(feeds, base_url))
    files.write_if_changed(feeds_dir / OPML_FILE, render_opml(list(feeds.values()), base_url))


def group_key(feed: FeedInfo) -> tuple[int, str, str, str]:
    rank = GROUP_ORDER.index(feed.group) if feed.group in GROUP_ORDER else len(GROUP_ORDER)
    return rank, feed.group, feed.subgroup, feed.title


def grouped(feeds: list[FeedInfo]) -> list[tuple[str, list[tuple[str, list[FeedInfo]]]]]:
    """*feeds* as [(group, [(subgroup, feeds)])], in the order readers see them."""
    ordered = sorted(feeds, key=group_key)
    return [
        (group, [(sub, list(items)) for sub, items in groupby(members, key=lambda f: f.subgroup)])
        for group, members in groupby(ordered, key=lambda f: f.group)
    ]


def feed_url(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + "/" + quote(path)


def render_opml(feeds: list[FeedInfo], base_url: str) -> bytes:
    """An OPML 2.0 list of *feeds* grouped as on the web index (cities by province), so a reader
    subscribes to them all in one import."""
    opml = etree.Element("opml", version="2.0")
    head = etree.SubElement(opml, "head")
    etree.SubElement(head, "title").text = OPML_TITLE
    body = etree.SubElement(opml, "body")
    for group, subgroups in grouped(feeds):
        group_outline = etree.SubElement(body, "outline", text=xml_safe(group), title=xml_safe(group))
        for subgroup, members in subgroups:
            parent = (
                etree.SubElement(group_outline, "outline", text=xml_safe(subgroup))
                if subgroup
                else group_outline
            )
            for feed in members:
                etree.SubElement(
                    parent,
                    "outline",
                    type="rss",
                    text=xml_safe(feed.title),
                    title=xml_safe(feed.title),
                    xmlUrl=feed_url(base_url, feed.path),
                    htmlUrl=feed_url(base_url, feed.stem + ".html"),
                )
    return etree.tostring(opml, xml_declaration=True, encoding="UTF-8", pretty_print=True)
