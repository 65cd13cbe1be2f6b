"""Atom feeds: content, order, cap, categories, ids; only stale feeds rebuilt; atomic replacement."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from lxml import etree

from core.files import write_atomically
from feeds.build import build_feeds, load_config
from storage.store import ArticleStore
from tests.tag_uri import is_tag_uri
from tests.test_store import article


@pytest.fixture
def store(tmp_path):
    store = ArticleStore(f"sqlite:///{tmp_path / 'news.db'}")
    yield store
    store.close()


def fill(store: ArticleStore, count: int, first: int = 0) -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for number in range(first, first + count):
        store.save(
            replace(
                article(),
                url=f"http://www.qzwb.com/{number}",
                id=f"qzwb/{number}",
                title=f"第{number}篇",
                published=start + timedelta(hours=number),
            ),
            now=start,
        )


BASE = "http://feeds.example/"


def test_feed_is_valid_atom_newest_first_with_categories(store, tmp_path) -> None:
    fill(store, 3)
    build_feeds(store, tmp_path / "feeds", BASE)
    feed = feedparser.parse((tmp_path / "feeds" / "city" / "泉州.xml").read_bytes())
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["第2篇", "第1篇", "第0篇"]
    assert {tag.term for tag in feed.entries[0].tags} >= {
        "泉州",
        "厦门",
        "southwest-fujian-coordinated-development-zone",
    }
    assert feed.feed.links[0].href == "http://feeds.example/city/%E6%B3%89%E5%B7%9E.xml"


def test_ids_are_ascii_tag_uris_under_the_deployers_authority(store, tmp_path) -> None:
    fill(store, 1)
    build_feeds(store, tmp_path, BASE)
    feed = feedparser.parse((tmp_path / "city" / "泉州.xml").read_bytes())
    entry_id, feed_id = feed.entries[0].id, feed.feed.id
    assert is_tag_uri(entry_id) and is_tag_uri(feed_id)
    assert entry_id.startswith("tag:feeds.example,20") and entry_id.endswith(":qzwb/0")
    assert feed_id.endswith(":feeds/city/%E6%B3%89%E5%B7%9E")
    assert "qzwb.com" not in entry_id


def test_ids_never_change_when_the_served_url_does(store, tmp_path) -> None:
    fill(store, 1)
    build_feeds(store, tmp_path / "a", BASE)
    build_feeds(store, tmp_path / "b", "https://news.elsewhere.example/feeds/", every=True)
    first, second = (feedparser.parse((tmp_path / d / "all.xml").read_bytes()) for d in "ab")
    assert first.entries[0].id == second.entries[0].id and first.feed.id == second.feed.id
    assert second.feed.links[0].href.startswith("https://news.elsewhere.example/feeds/")


def test_an_authority_that_no_tag_uri_can_carry_is_refused(store, tmp_path) -> None:
    fill(store, 1)
    with pytest.raises(ValueError, match="FEED_ID_AUTHORITY"):
        build_feeds(store, tmp_path, "http://[::1]:8080/")
    build_feeds(store, tmp_path, "http://[::1]:8080/", authority="news.example.org")
    assert feedparser.parse((tmp_path / "all.xml").read_bytes()).feed.id.startswith("tag:news.example.org,")


def test_initiative_feed_is_titled_with_the_initiative_name(store, tmp_path) -> None:
    fill(store, 1)
    build_feeds(store, tmp_path, BASE)
    path = tmp_path / "initiative" / "southwest-fujian-coordinated-development-zone.xml"
    assert "闽西南协同发展区" in feedparser.parse(path.read_bytes()).feed.title


def test_feed_is_capped(store, tmp_path) -> None:
    fill(store, 5)
    build_feeds(store, tmp_path, BASE, replace(load_config(), max_entries=3))
    assert len(feedparser.parse((tmp_path / "all.xml").read_bytes()).entries) == 3


def test_only_the_feeds_behind_the_store_are_rebuilt(store, tmp_path) -> None:
    fill(store, 2)
    assert set(build_feeds(store, tmp_path, BASE)) == {
        tmp_path / "all.xml",
        tmp_path / "city" / "泉州.xml",
        tmp_path / "city" / "厦门.xml",
        tmp_path / "initiative" / "southwest-fujian-coordinated-development-zone.xml",
    }
    assert build_feeds(store, tmp_path, BASE) == {}
    store.save(replace(article(), url="http://x/9", id="other/9", cities=["漳州"], initiatives=[]))
    assert build_feeds(store, tmp_path, BASE) == {
        tmp_path / "all.xml": True,
        tmp_path / "city" / "漳州.xml": True,
    }


def test_unchanged_feed_is_not_rewritten(store, tmp_path) -> None:
    fill(store, 2)
    assert build_feeds(store, tmp_path, BASE)[tmp_path / "all.xml"] is True
    assert build_feeds(store, tmp_path, BASE, every=True)[tmp_path / "all.xml"] is False


def test_feeds_left_unbuilt_by_a_crash_are_built_next_time(tmp_path) -> None:
    """Articles stored, then the process dies before the feeds are built: the next build heals it."""
    url = f"sqlite:///{tmp_path / 'news.db'}"
    crashed = ArticleStore(url)
    fill(crashed, 2)
    crashed.close()
    later = ArticleStore(url)
    try:
        assert tmp_path / "feeds" / "city" / "泉州.xml" in build_feeds(later, tmp_path / "feeds", BASE)
    finally:
        later.close()
    assert len(feedparser.parse((tmp_path / "feeds" / "all.xml").read_bytes()).entries) == 2


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path) -> None:
    path = tmp_path / "all.xml"
    write_atomically(path, b"old")

    with pytest.raises(TypeError):
        write_atomically(path, object())  # type: ignore[arg-type]
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["all.xml"]


def test_opml_index_lists_every_feed(store, tmp_path) -> None:
    fill(store, 1)
    build_feeds(store, tmp_path, BASE)
    outlines = etree.parse(str(tmp_path / "feeds.opml")).findall(".//outline")
    assert {outline.get("xmlUrl") for outline in outlines} == {
        "http://feeds.example/all.xml",
        "http://feeds.example/city/%E6%B3%89%E5%B7%9E.xml",
        "http://feeds.example/city/%E5%8E%A6%E9%97%A8.xml",
        "http://feeds.example/initiative/southwest-fujian-coordinated-development-zone.xml",
    }
    assert "地方新闻 · 泉州" in {outline.get("title") for outline in outlines}
