"""End to end: `scrapy crawl qzwb` against the local mirror, the store and the feeds it leaves."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
import yaml

from core.chinese import to_simplified
from processors.normalize import strip_pinyin_annotations
from storage.store import ArticleStore
from tests.conftest import DATA, Workspace
from tests.tag_uri import is_tag_uri

EXPECTED = yaml.safe_load((DATA / "mirror_expected" / "qzwb.yaml").read_text(encoding="utf-8"))
GOLD = {
    seed["file"][:3]: seed
    for seed in json.loads((DATA / "seeds" / "gold.json").read_text(encoding="utf-8"))["seeds"]
}


def seed_lines(seed: dict, key: str) -> list[str]:
    """The non-blank lines of a seed's *key* range (body_lines, boilerplate_lines), annotations removed."""
    text = (DATA / "seeds" / seed["file"]).read_text(encoding="utf-8")
    lines = strip_pinyin_annotations(text).split("\n")
    first, last = seed[key]
    return [" ".join(line.split()) for line in lines[first : last + 1] if line.strip()]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory, mirror_url: str) -> tuple[Workspace, dict, dict]:
    """One workspace crawled twice from the unchanged mirror: (workspace, first stats, second stats)."""
    workspace = Workspace(tmp_path_factory.mktemp("crawl"), mirror_url)
    first = workspace.crawl("qzwb", "first")
    feeds_after_first = {path: path.stat().st_mtime_ns for path in workspace.feeds_dir.rglob("*.xml")}
    second = workspace.crawl("qzwb", "second")
    second["feed_mtimes_before"] = feeds_after_first
    return workspace, first, second


@pytest.fixture(scope="module")
def stored(crawled) -> dict:
    workspace, _, _ = crawled
    store = ArticleStore(workspace.database_url)
    try:
        return {entry.article.url: entry.article for entry in store.latest(1000)}
    finally:
        store.close()


def test_scrapy_list_shows_qzwb(workspace: Workspace) -> None:
    assert "qzwb" in workspace.scrapy("list").stdout.split()


def test_first_crawl_stores_every_mirror_article(crawled, stored) -> None:
    _, first, _ = crawled
    assert set(stored) == set(EXPECTED)
    assert first["store/new"] == len(EXPECTED)
    assert first["robotstxt/response_status_count/200"] >= 1


@pytest.mark.parametrize("url", sorted(EXPECTED))
def test_article_fields_match_the_page(stored, url: str) -> None:
    article, expected = stored[url], EXPECTED[url]
    assert article.title == expected["title_clean"]
    assert article.published.isoformat() == expected["published"]
    assert article.outlet == expected["outlet"]
    assert article.reporters == expected["reporters"]
    assert article.editors == expected["editors"]
    paragraphs = article.body.split("\n")
    assert paragraphs[0].startswith(expected["body_first"])
    assert paragraphs[-1].endswith(expected["body_last"])
    assert len(paragraphs) == expected["paragraphs"]
    assert article.pages == expected["pages"]
    assert set(article.cities) == set(expected["cities"])
    assert article.id == f"qzwb/{url.rsplit('_', 1)[1].removesuffix('.htm')}"


@pytest.mark.parametrize("seed_id", ["000", "001"])
def test_seed_articles_come_out_as_the_gold_says(stored, seed_id: str) -> None:
    gold = GOLD[seed_id]
    url = next(url for url, expected in EXPECTED.items() if expected["seed"] == seed_id)
    article = stored[url]
    body = article.body.split("\n")
    assert article.title == gold["title"]
    assert body == seed_lines(gold, "body_lines")
    assert body[0].startswith(gold["body_first_chars"])
    assert body[-1].endswith(gold["body_last_chars"])
    assert article.reporters == gold["reporters"]
    if gold["boilerplate_lines"]:
        assert not set(seed_lines(gold, "boilerplate_lines")) & set(body)


@pytest.mark.parametrize(
    ("seed_id", "cities"), [("000", {"泉州"}), ("001", {"厦门", "漳州", "泉州", "三明", "龙岩"})]
)
def test_seed_articles_are_tagged_with_their_cities(stored, seed_id: str, cities: set[str]) -> None:
    url = next(url for url, expected in EXPECTED.items() if expected["seed"] == seed_id)
    assert set(stored[url].cities) == cities


@pytest.mark.parametrize(
    ("url", "title", "first_line"),
    [
        (
            "http://www.qzwb.com/gb/content/2016-05/12/content_5400123.htm",
            "南安水头石材产业转型升级 “石头经济”向高端延伸",
            "本报讯（记者 吴清河 通讯员 黄南石）走进南安水头镇的石材企业展厅",
        ),
        (  # gzipped as well: the bytes are judged after decompression
            "http://www.qzwb.com/gb/content/2016-09/20/content_5487265.htm",
            "石狮服装城秋冬订货会开幕 线上线下同步发力",
            "本报讯（记者 蔡晓丹）昨",
        ),
    ],
)
def test_gbk_page_served_with_a_utf8_charset_header_is_decoded_from_its_bytes(
    stored, url: str, title: str, first_line: str
) -> None:
    article = stored[url]
    assert "\ufffd" not in article.body
    assert to_simplified(article.title) == title
    assert to_simplified(article.body).startswith(first_line)


def test_contradicted_headers_are_counted(crawled) -> None:
    _, first, _ = crawled
    assert first["encoding/header_contradicted"] == 2
    assert first["httpcompression/response_count"] >= 1


def test_second_crawl_of_an_unchanged_mirror_requests_list_pages_only(crawled) -> None:
    _, first, second = crawled
    assert first["spider/article_pages"] == len(EXPECTED) + 1  # one article has a second page
    assert "spider/article_pages" not in second
    assert "known_articles/new" not in second
    assert second["known_articles/skipped"] >= len(EXPECTED)
    assert "store/new" not in second and "item_scraped_count" not in second
    assert (
        second["downloader/request_count"]
        == first["downloader/request_count"] - first["spider/article_pages"]
    )


def test_all_articles_feed_has_one_entry_per_article(crawled) -> None:
    workspace, _, _ = crawled
    feed = feedparser.parse((workspace.feeds_dir / "all.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert {entry.link for entry in feed.entries} == set(EXPECTED)
    published = [entry.published_parsed for entry in feed.entries]
    assert published == sorted(published, reverse=True)


def test_city_feeds_hold_their_cities_articles(crawled, stored) -> None:
    workspace, _, _ = crawled
    feed = feedparser.parse((workspace.feeds_dir / "city" / "泉州.xml").read_bytes())
    assert not feed.bozo
    expected = {url for url, article in stored.items() if "泉州" in article.cities}
    assert {entry.link for entry in feed.entries} == expected
    assert all("泉州" in {tag.term for tag in entry.tags} for entry in feed.entries)


def test_second_crawl_rewrites_no_feed(crawled) -> None:
    _, _, second = crawled
    for path, mtime in second["feed_mtimes_before"].items():
        assert Path(path).stat().st_mtime_ns == mtime, path


def test_every_feed_and_entry_id_is_an_ascii_tag_uri_under_the_feeds_host(crawled) -> None:
    workspace, _, _ = crawled
    feeds = sorted(workspace.feeds_dir.rglob("*.xml"))
    assert len(feeds) == 23  # all, 5 cities, 2 provinces, 11 initiatives, 1 site, 3 custom topics
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        ids = [feed.feed.id, *(entry.id for entry in feed.entries)]
        assert all(is_tag_uri(value) and value.startswith("tag:127.0.0.1,") for value in ids), path
        assert not any("qzwb.com" in value for value in ids)
