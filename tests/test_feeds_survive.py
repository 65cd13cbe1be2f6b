"""Feeds that survive bad articles and killed builds: text XML can carry, capped entries, one failed
feed among written ones, stale temporary files removed, missing feed files rebuilt (issue 11)."""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import replace
from types import SimpleNamespace
from unittest import mock

import pytest
from lxml import etree

from core.files import exclusive_writer, stale_temporaries, temporary_beside
from core.xml import xml_safe
from feeds import build as build_module
from feeds.catalog import OPML_FILE, read_catalogue
from feeds.entries import TRUNCATED
from feeds.extension import FeedsOnCrawlEnd
from storage.store import ArticleStore
from tests.feeds_checks import feed_files
from tests.test_feeds import builder, fill, parse
from tests.test_store import article


@pytest.fixture
def store(tmp_path):
    store = ArticleStore(f"sqlite:///{tmp_path / 'news.db'}")
    yield store
    store.close()


FORBIDDEN = "\x00\x08\x0b\x0c\x1b\x7f\x85\x9f\ud800\udfff\ufffe\uffff"


@pytest.mark.parametrize("character", list(FORBIDDEN))
def test_xml_safe_removes_every_character_xml_forbids(character) -> None:
    assert xml_safe(f"泉{character}州") == "泉州"


@pytest.mark.parametrize(
    "reference", ["&#xFFFE;", "&#xffff;", "&#65534;", "&#0;", "&#x1B;", "&#xD800;", "&#x110000;", "&#x85;"]
)
def test_xml_safe_removes_character_references_to_them(reference) -> None:
    assert xml_safe(f"泉{reference}州") == "泉州"


def test_xml_safe_keeps_what_xml_allows() -> None:
    text = "泉州\t晋江\n厦门\r &amp; &#x6CC9; &#27849; 😀 \ufffd \ufdd0 &#x1F600;"
    assert xml_safe(text) == text


def bad_article(number: int, **changes):
    return replace(
        article(),
        url=f"http://www.qzwb.com/{number}",
        id=f"qzwb/{number}",
        title="坏\ufffe标题&#xFFFE;\x85",
        body="正文\ufffe&#xFFFE;\x00。\ud800" + "\n第二段。",
        body_html="<p>正文\ufffe&#xFFFE;&#65535;\x01。</p><p>第二段。</p>",
        **changes,
    )


def test_an_article_holding_what_xml_forbids_is_in_every_feed_and_every_feed_parses(store, tmp_path) -> None:
    fill(store, 2)
    store.save(replace(bad_article(99), body="正文\ufffe&#xFFFE;\x00。\n第二段。"))
    built = builder(tmp_path).build(store)
    assert not built.failed
    for path in feed_files(tmp_path):
        parse(path)
    feed = parse(tmp_path / "city" / "泉州.xml")
    bad = next(entry for entry in feed.entries if entry.id.endswith("qzwb/99"))
    assert bad.title == "坏标题"
    assert "FFFE" not in bad.summary and "FFFE" not in bad.content[0].value
    etree.parse(str(tmp_path / OPML_FILE))


def test_a_20_mb_article_is_capped_in_its_entries_and_every_feed_and_the_opml_are_written(
    store, tmp_path
) -> None:
    fill(store, 2)
    huge = "长" * 20_000_000
    store.save(
        replace(
            bad_article(99),
            title="标" * 5_000_000,
            body=huge,
            body_html="<p>第一段。</p>" + f"<p>{huge}</p>",
        )
    )
    built = builder(tmp_path, entry_max_chars=10_000).build(store)
    assert not built.failed and built
    for path in feed_files(tmp_path):
        assert path.stat().st_size < 200_000
        parse(path)
    feed = parse(tmp_path / "all.xml")
    entry = next(entry for entry in feed.entries if entry.id.endswith("qzwb/99"))
    content = entry.content[0].value
    assert content.startswith("<p>第一段。</p>") and TRUNCATED in content
    assert 'href="http://www.qzwb.com/99"' in content
    assert len(entry.title) <= 200
    etree.parse(str(tmp_path / OPML_FILE))
    assert "all.xml" in read_catalogue(tmp_path)


def test_a_long_entry_is_cut_at_a_paragraph_end_near_the_limit(store, tmp_path) -> None:
    paragraphs = "".join(f"<p>第{number}段。</p>" for number in range(2000))
    store.save(replace(article(), body_html=paragraphs))
    builder(tmp_path, entry_max_chars=1_000).build(store)
    content = parse(tmp_path / "all.xml").entries[0].content[0].value
    assert TRUNCATED in content
    assert content.split("<p><a")[0].endswith("段。</p>")
    assert 500 < len(content) < 1_200


def test_an_article_stored_cut_short_says_so_in_its_entry(store, tmp_path) -> None:
    store.save(replace(article(), body_html="<p>第一页。</p>", truncated=True))
    store.save(replace(bad_article(98), title="完整", body="全文。", body_html="<p>全文。</p>"))
    builder(tmp_path).build(store)
    entries = {entry.title: entry.content[0].value for entry in parse(tmp_path / "all.xml").entries}
    short = entries.pop("完整")
    (cut,) = entries.values()
    assert cut.startswith("<p>第一页。</p>") and TRUNCATED in cut
    assert TRUNCATED not in short


def test_a_feed_that_cannot_be_written_is_named_and_the_others_are_written(store, tmp_path, caplog) -> None:
    fill(store, 2)
    real = build_module.FeedBuilder.render_feed

    def render_feed(self, topic, *args):
        if topic.kind == "city" and topic.value == "泉州":
            raise ValueError("All strings must be XML compatible")
        return real(self, topic, *args)

    with mock.patch.object(build_module.FeedBuilder, "render_feed", render_feed):
        built = builder(tmp_path).build(store)
    target = tmp_path / "city" / "泉州.xml"
    assert "city/泉州.xml" not in read_catalogue(tmp_path)
    assert list(built.failed) == [target]
    assert "XML compatible" in built.failed[target]
    assert f"feed {target} not written: ValueError: All strings must be XML compatible" in caplog.text
    assert not target.exists()
    assert (tmp_path / "all.xml").exists() and (tmp_path / "city" / "厦门.xml").exists()
    again = builder(tmp_path).build(store)  # the failed feed's topic was not marked built
    assert target in again and not again.failed
    parse(target)
    with mock.patch.object(build_module.FeedBuilder, "render_feed", render_feed):
        built = builder(tmp_path).build(store, every=True)
    assert list(built.failed) == [target]
    assert "city/泉州.xml" in read_catalogue(tmp_path)  # its old file is still there, and listed


def test_an_article_that_will_not_render_is_left_out_and_its_feeds_written(store, tmp_path, caplog) -> None:
    fill(store, 2)
    real = build_module.render_story

    def render_story(story, *args):
        if story.id == "qzwb/1":
            raise RuntimeError("boom")
        return real(story, *args)

    with mock.patch.object(build_module, "render_story", render_story):
        built = builder(tmp_path).build(store)
    assert not built.failed
    assert [entry.title for entry in parse(tmp_path / "all.xml").entries] == ["第0篇"]
    assert "article qzwb/1 left out of the feeds: RuntimeError: boom" in caplog.text


def test_a_build_removes_the_temporary_files_a_killed_build_left(store, tmp_path) -> None:
    fill(store, 1)
    left = [temporary_beside(tmp_path / "all.xml"), temporary_beside(tmp_path / "city" / "泉州.xml")]
    builder(tmp_path).build(store)
    assert not any(path.exists() for path in left)
    assert not list(tmp_path.rglob("*.tmp"))


def test_only_temporary_files_older_than_the_moment_are_stale(tmp_path) -> None:
    old, new = temporary_beside(tmp_path / "a.xml"), temporary_beside(tmp_path / "b" / "c.xml")
    (tmp_path / ".d.xml.keep").write_bytes(b"")
    os.utime(old, (time.time() - 60, time.time() - 60))
    assert stale_temporaries(tmp_path, time.time() - 30) == [old]
    with exclusive_writer(tmp_path):
        assert not old.exists() and not new.exists()
    assert (tmp_path / ".d.xml.keep").exists()


def test_a_missing_feed_file_is_rebuilt_though_the_store_marks_it_built(store, tmp_path) -> None:
    fill(store, 2)
    builder(tmp_path).build(store)
    assert not builder(tmp_path).build(store)
    (tmp_path / "city" / "泉州.xml").unlink()
    (tmp_path / "topic" / "quanzhou-maritime-silk-road.xml").unlink()
    rebuilt = builder(tmp_path).build(store)
    assert set(rebuilt) == {
        tmp_path / "city" / "泉州.xml",
        tmp_path / "topic" / "quanzhou-maritime-silk-road.xml",
    }
    assert len(parse(tmp_path / "city" / "泉州.xml").entries) == 2


def crawl_end(build) -> dict[str, int]:
    """The stats ``FeedsOnCrawlEnd`` sets when the crawl's build does *build*."""

    class Store:
        async def run(self, function):
            return function(None)

    stats: dict[str, int] = {}
    extension = FeedsOnCrawlEnd.__new__(FeedsOnCrawlEnd)
    extension.crawler = SimpleNamespace(stats=SimpleNamespace(set_value=stats.__setitem__))
    extension.builder = SimpleNamespace(build=build, out_dir="feeds", hub=None, rewritten_urls=lambda _: [])
    extension.store = Store()
    asyncio.run(extension.spider_closed())
    return stats


def test_the_crawl_counts_the_feeds_it_could_not_write(tmp_path) -> None:
    built = build_module.Built()
    built[tmp_path / "all.xml"] = True
    built.failed[tmp_path / "city" / "泉州.xml"] = "ValueError: bad"
    assert crawl_end(lambda store: built) == {"feeds/rebuilt": 1, "feeds/rewritten": 1, "feeds/failed": 1}


def test_a_crawl_whose_whole_build_failed_counts_it(caplog) -> None:
    def build(store):
        raise OSError("No space left on device")

    assert crawl_end(build) == {"feeds/failed": 1}
    assert "feed build failed in feeds: OSError: No space left on device" in caplog.text
