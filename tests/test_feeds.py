"""Atom feeds: content, order, cap, categories; unchanged feeds untouched; atomic replacement."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from lxml import etree

from feeds.build import FeedConfig, Topic, build_feeds, load_config, topics_of
from feeds.files import write_atomically
from processors.database import ArticleStore
from tests.test_store import article


@pytest.fixture
def store(tmp_path):
    store = ArticleStore(f"sqlite:///{tmp_path / 'news.db'}")
    yield store
    store.close()


def fill(store: ArticleStore, count: int) -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for number in range(count):
        store.save(
            replace(
                article(),
                url=f"http://www.qzwb.com/{number}",
                id=f"tag:qzwb.com,2026:qzwb/{number}",
                title=f"第{number}篇",
                published=start + timedelta(hours=number),
            ),
            now=start,
        )


def test_feed_is_valid_atom_newest_first_with_categories(store, tmp_path) -> None:
    fill(store, 3)
    build_feeds(store, {Topic("all"), Topic("city", "泉州")}, tmp_path / "feeds", "http://feeds.example/")
    feed = feedparser.parse((tmp_path / "feeds" / "city" / "泉州.xml").read_bytes())
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["第2篇", "第1篇", "第0篇"]
    entry = feed.entries[0]
    assert entry.id == "tag:qzwb.com,2026:qzwb/2"
    assert {tag.term for tag in entry.tags} >= {
        "泉州",
        "厦门",
        "southwest-fujian-coordinated-development-zone",
    }
    assert feed.feed.links[0].href == "http://feeds.example/city/%E6%B3%89%E5%B7%9E.xml"


def test_initiative_feed_is_titled_with_the_initiative_name(store, tmp_path) -> None:
    fill(store, 1)
    topic = Topic("initiative", "southwest-fujian-coordinated-development-zone")
    build_feeds(store, {topic}, tmp_path, "http://feeds.example/")
    feed = feedparser.parse((tmp_path / "initiative" / f"{topic.value}.xml").read_bytes())
    assert "闽西南协同发展区" in feed.feed.title


def test_feed_is_capped(store, tmp_path) -> None:
    fill(store, 5)
    config = replace(load_config(), max_entries=3)
    build_feeds(store, {Topic("all")}, tmp_path, "http://feeds.example/", config)
    assert len(feedparser.parse((tmp_path / "all.xml").read_bytes()).entries) == 3


def test_unchanged_feed_is_not_rewritten(store, tmp_path) -> None:
    fill(store, 2)
    assert build_feeds(store, {Topic("all")}, tmp_path, "http://feeds.example/") == {
        tmp_path / "all.xml": True
    }
    assert build_feeds(store, {Topic("all")}, tmp_path, "http://feeds.example/") == {
        tmp_path / "all.xml": False
    }


def test_article_topics_include_every_tag_kind_with_a_feed() -> None:
    config: FeedConfig = load_config()
    tags = {("city", "泉州"), ("county", "晋江"), ("initiative", "belt-and-road")}
    assert topics_of(tags, config) == {
        Topic("all"),
        Topic("city", "泉州"),
        Topic("initiative", "belt-and-road"),
    }


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path) -> None:
    path = tmp_path / "all.xml"
    write_atomically(path, b"old")

    with pytest.raises(TypeError):
        write_atomically(path, object())  # type: ignore[arg-type]
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["all.xml"]


def test_opml_index_lists_every_feed(store, tmp_path) -> None:
    fill(store, 1)
    topics = {
        Topic("all"),
        Topic("city", "泉州"),
        Topic("initiative", "southwest-fujian-coordinated-development-zone"),
    }
    build_feeds(store, topics, tmp_path, "http://feeds.example/")
    outlines = etree.parse(str(tmp_path / "feeds.opml")).findall(".//outline")
    assert {outline.get("xmlUrl") for outline in outlines} == {
        "http://feeds.example/all.xml",
        "http://feeds.example/city/%E6%B3%89%E5%B7%9E.xml",
        "http://feeds.example/initiative/southwest-fujian-coordinated-development-zone.xml",
    }
    assert "地方新闻 · 泉州" in {outline.get("title") for outline in outlines}
