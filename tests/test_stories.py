"""Syndicated copies are one story, independent reports of one event are not: the likeness measure,
the store's linking (SQLite and PostgreSQL, two writers at once), the feeds' one entry per story, and
crawls of the mirrors. Which mirror articles are copies and which are hard negatives:
``tests/data/mirror_expected`` (``story``, ``original``, ``same_event_as``), via tests/mirror_stories.py."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import pytest
from scrapy.settings import Settings
from sqlalchemy import delete

from core.similarity import SAME_STORY, band_keys, jaccard, normalized, shingles, signature
from feeds.build import FeedBuilder
from feeds.topics import load_config
from processors.vocabulary import tag_vocabulary
from storage import store as store_module
from storage.schema import ArticleRow, StoryBandRow
from storage.store import ArticleStore
from storage.stories import WINDOW, StoryKey, link
from tests.conftest import Workspace
from tests.mirror_stories import MirrorArticle, copy_pairs, hard_negatives, mirror_articles

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
COPIES = copy_pairs()
NEGATIVES = hard_negatives()
SEED_004 = (
    "http://liaoning.lnd.com.cn/system/2018/08/02/029988415.shtml",
    ("http://ln.cri.cn/20180802/7e56ad69-807b-6439-49e1-0fc782d6ad62.html"),
)


def pair_id(pair: tuple[MirrorArticle, MirrorArticle]) -> str:
    return f"{pair[0].article.id}+{pair[1].article.id}"


def likeness(pair: tuple[MirrorArticle, MirrorArticle]) -> float:
    first, second = (shingles(normalized_body(found)) for found in pair)
    return jaccard(first, second)


def normalized_body(found: MirrorArticle) -> str:
    return found.article.body_simplified.partition("\n")[2]


def save(store: ArticleStore, found: MirrorArticle, now: datetime = NOW):
    return store.save(found.article, now, own_outlet=found.own_outlet)


# -- the measure ------------------------------------------------------------------------------------


def test_texts_are_compared_on_letters_digits_and_han_only() -> None:
    assert normalized("２０２３年，济宁　市 “春风行动” ABC!") == "2023年济宁市春风行动abc"


def test_a_text_too_short_to_tell_has_no_shingles() -> None:
    assert shingles("济宁市召开会议") == frozenset()
    assert jaccard(frozenset(), frozenset({"a"})) == 0.0


def test_the_mirrors_hold_the_pairs_the_tests_rely_on() -> None:
    assert len(COPIES) >= 6 and len(NEGATIVES) >= 3
    titles = {pair[0].article.title == pair[1].article.title for pair in COPIES}
    assert titles == {True, False}  # copies with the original's headline and with an edited one


@pytest.mark.parametrize("pair", COPIES, ids=pair_id)
def test_a_copy_is_alike_its_original(pair) -> None:
    assert likeness(pair) >= SAME_STORY
    keys = [set(band_keys(signature(shingles(normalized_body(found))))) for found in pair]
    assert keys[0] & keys[1]  # LSH finds it


@pytest.mark.parametrize("pair", NEGATIVES, ids=pair_id)
def test_two_reports_of_one_event_are_not_alike(pair) -> None:
    assert likeness(pair) < SAME_STORY / 2


def test_band_keys_do_not_change_between_versions() -> None:
    """The keys stored by earlier crawls must still match: the MinHash seed, scheme and banding are fixed."""
    keys = band_keys(signature(shingles("国际在线辽宁报道：今天沈阳市召开机器人产业发展大会，" * 3)))
    assert len(keys) == 37
    assert keys[:2] == [-8114521544698503650, -873403503921143949]


# -- the store --------------------------------------------------------------------------------------


@pytest.mark.parametrize("pair", COPIES, ids=pair_id)
def test_a_copy_joins_its_originals_story_whichever_comes_first(store: ArticleStore, pair) -> None:
    original, copy = pair
    first = save(store, copy)
    second = save(store, original, NOW + timedelta(hours=1))
    assert first.story == second.story == copy.article.id  # the first stored names the story
    story = store.stories([copy.article.id])[copy.article.id]
    assert [stored.article.id for stored in story.articles] == [original.article.id, copy.article.id]
    assert story.updated == NOW + timedelta(hours=1)  # the copy joining changed the story


@pytest.mark.parametrize("pair", NEGATIVES, ids=pair_id)
def test_two_reports_of_one_event_stay_two_stories(store: ArticleStore, pair) -> None:
    assert [save(store, found).story for found in pair] == [found.article.id for found in pair]
    assert store.story_heads(found.article.id for found in pair) == {}


def test_every_mirror_article_stored_makes_exactly_the_expected_stories(store: ArticleStore) -> None:
    articles = list(mirror_articles().values())
    stories = {found.story: set() for found in articles}
    for found in articles:
        stories[found.story].add(save(store, found).story)
    assert all(len(ids) == 1 for ids in stories.values())
    assert len({next(iter(ids)) for ids in stories.values()}) == len(stories)


def test_a_copy_arriving_or_edited_makes_its_originals_feeds_stale(store: ArticleStore) -> None:
    original, copy = (mirror_articles()[url] for url in SEED_004)
    save(store, original)
    store.mark_built(store.topics())
    save(store, copy)
    stale = {(topic.kind, topic.value) for topic in store.topics(stale_only=True)}
    assert {("site", "lnd"), ("site", "cri"), ("all", "")} <= stale
    store.mark_built(store.topics())
    edited = replace(copy.article, body=copy.article.body + "\n（完）")
    assert store.save(edited, NOW + timedelta(hours=1)).result == "updated"
    assert {(topic.kind, topic.value) for topic in store.topics(stale_only=True)} == {
        ("site", "lnd"),
        ("site", "cri"),
        ("all", ""),
    }


def test_the_story_key_is_computed_for_a_new_article_only(store: ArticleStore, monkeypatch) -> None:
    """A known article fetched again (``REFETCH_KNOWN``), unchanged or edited, pays no MinHash."""
    keyed = []
    key_of = StoryKey.of
    monkeypatch.setattr(StoryKey, "of", lambda article, own: keyed.append(article.id) or key_of(article, own))
    found = next(iter(mirror_articles().values()))
    edited = replace(found.article, body=found.article.body + "\n（完）")
    outcomes = [
        store.save(article, own_outlet=found.own_outlet) for article in (found.article, found.article, edited)
    ]
    assert [outcome.result for outcome in outcomes] == ["new", "unchanged", "updated"]
    assert keyed == [found.article.id]


def test_copies_are_looked_for_in_the_window_only(store: ArticleStore) -> None:
    original, copy = (mirror_articles()[url] for url in SEED_004)
    save(store, original)
    assert save(store, copy, NOW + WINDOW + timedelta(minutes=1)).story == copy.article.id
    with store.transaction() as session:  # the old article's band keys are gone: the index stays a window
        assert {row.article_id for row in session.query(StoryBandRow)} == {copy.article.id}


def test_a_story_keeps_its_id_when_its_first_article_is_pruned(store: ArticleStore) -> None:
    original, copy = (mirror_articles()[url] for url in SEED_004)
    save(store, original)
    save(store, copy, NOW + timedelta(hours=1))
    with store.transaction(writes=True) as session:  # as retention deletes it: the database cascades
        session.execute(delete(ArticleRow).where(ArticleRow.id == original.article.id))
    assert store.story_heads([copy.article.id])[copy.article.id][0] == original.article.id
    story = store.stories([original.article.id])[original.article.id]
    assert [stored.article.id for stored in story.articles] == [copy.article.id]
    with store.transaction() as session:
        assert {row.article_id for row in session.query(StoryBandRow)} == {copy.article.id}


def test_a_copy_stored_while_its_original_is_being_linked_joins_its_story(
    store: ArticleStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two crawl processes, each with a store of its own, store two copies at once: the second
    waits for the first's transaction (lookup and insert are one, under the write lock)."""
    original, copy = (mirror_articles()[url] for url in SEED_004)
    linked, go_on = threading.Event(), threading.Event()

    def link_and_wait(*args):
        result = link(*args)
        if not linked.is_set():
            linked.set()
            go_on.wait(30)
        return result

    monkeypatch.setattr(store_module, "link", link_and_wait)
    other = ArticleStore(store.engine.url.render_as_string(hide_password=False))
    try:
        with ThreadPoolExecutor(2) as pool:
            first = pool.submit(save, store, original)
            assert linked.wait(30)
            second = pool.submit(save, other, copy)
            time.sleep(0.5)  # the second writer reaches the lock before the first commits
            go_on.set()
        assert second.result().story == first.result().story == original.article.id
    finally:
        other.close()


# -- the feeds --------------------------------------------------------------------------------------


def test_a_story_is_one_entry_listing_every_copy_under_an_id_that_never_changes(
    store: ArticleStore, tmp_path: Path
) -> None:
    original, copy = (mirror_articles()[url] for url in SEED_004)
    vocabulary = tag_vocabulary(Settings())
    builder = FeedBuilder(tmp_path, "http://feeds.example/", load_config(), vocabulary=vocabulary)
    save(store, original)
    builder.build(store)
    (before,) = feedparser.parse((tmp_path / "all.xml").read_bytes()).entries
    save(store, copy, NOW + timedelta(hours=2))
    builder.build(store)
    for feed in ("all.xml", "site/lnd.xml", "site/cri.xml"):
        (entry,) = feedparser.parse((tmp_path / feed).read_bytes()).entries
        assert entry.id == before.id
        assert entry.link == original.article.url
        assert [link.href for link in entry.links if link.rel == "related"] == [copy.article.url]
        assert "北国网" in entry.content[0].value and "国际在线 辽宁频道" in entry.content[0].value
        assert copy.article.url in entry.content[0].value
        assert entry.updated > before.updated


def test_a_feed_full_of_copies_is_read_further_to_show_as_many_stories(
    store: ArticleStore, tmp_path: Path
) -> None:
    """A feed of two entries whose two newest articles are one story shows that story and the next."""
    original, copy = (mirror_articles()[url] for url in SEED_004)
    older = min(
        (
            found
            for found in mirror_articles().values()
            if found.article.published < original.article.published
        ),
        key=lambda found: found.article.published,
    )
    vocabulary = tag_vocabulary(Settings())
    config = replace(load_config(), max_entries=2)
    builder = FeedBuilder(tmp_path, "http://feeds.example/", config, vocabulary=vocabulary)
    for found in (older, original, copy):
        save(store, found)
    builder.build(store)
    entries = feedparser.parse((tmp_path / "all.xml").read_bytes()).entries
    assert [entry.link for entry in entries] == [original.article.url, older.article.url]


# -- crawls -----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_crawled_copies_are_one_entry_each_and_hard_negatives_two(workspace: Workspace) -> None:
    """cri, then iqilu and jnnews at once (two processes storing copies of each other), then lnd."""
    at_once = ("cri", "iqilu", "jnnews")
    with ThreadPoolExecutor(len(at_once)) as pool:
        first = dict(zip(at_once, pool.map(workspace.crawl, at_once, at_once), strict=True))
    last = workspace.crawl("lnd", "lnd")
    crawled = {"cri", "iqilu", "jnnews", "lnd"}
    articles = [found for found in mirror_articles().values() if found.article.site in crawled]
    stories = {found.story for found in articles}
    copies = [found for found in articles if not found.original]
    assert sum(stats.get("stories/copies", 0) for stats in (*first.values(), last)) == len(copies)
    entries = feedparser.parse((workspace.feeds_dir / "all.xml").read_bytes()).entries
    assert len(entries) == len(stories)
    by_link = {entry.link: entry for entry in entries}
    original, copy = (mirror_articles()[url] for url in SEED_004)
    assert by_link[original.article.url].id.endswith(":" + copy.article.id)  # cri's copy was stored first
    for original, copy in COPIES:
        if original.article.site in crawled:
            entry = by_link[original.article.url]
            assert [link.href for link in entry.links if link.rel == "related"] == [copy.article.url]
    for pair in NEGATIVES:
        if {found.article.site for found in pair} <= crawled:
            assert all(found.article.url in by_link for found in pair)
