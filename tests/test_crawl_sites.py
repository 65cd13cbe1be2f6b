"""End to end, every site: `scrapy crawl <site>` against the local mirror, twice, and the store and the
feeds it leaves; the seeds on their sites against tests/data/seeds/gold.json, field by field."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import feedparser
import pytest
import yaml

from core.chinese import to_simplified
from core.items import Article
from core.sites import load_sites
from crawler.mirror import DEFAULT_ROOT
from processors.normalize import strip_pinyin_annotations
from storage.store import ArticleStore
from tests.conftest import DATA, Workspace
from tests.tag_uri import is_tag_uri

pytestmark = pytest.mark.slow

SITES = load_sites()
CRAWLED = ["qzwb", "mnw", "iqilu", "jnnews", "cri", "lnd", "xmnn", "fjsen"]
GOLD = {
    seed["file"][:3]: seed
    for seed in json.loads((DATA / "seeds" / "gold.json").read_text(encoding="utf-8"))["seeds"]
}
TAGGING_ERRORS = {  # the mirrors' expected cities are the truth; tagging is issue 12's
    "http://www.mnw.cn/quanzhou/news/1962238.html": "泉州湾跨海通道 tags 通道 (a county of 怀化) and 洛阳江 "
    "(a river of 泉州) tags 洛阳",
}


@cache
def expected(site: str) -> dict[str, dict]:
    return yaml.safe_load((DATA / "mirror_expected" / f"{site}.yaml").read_text(encoding="utf-8"))


@cache
def mirror_headers(site: str) -> list[dict]:
    path = DEFAULT_ROOT / site / "headers.yaml"
    return list((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).values()) if path.exists() else []


@dataclass
class Crawl:
    workspace: Workspace
    first: dict
    second: dict
    stored: dict[str, Article]
    feed_mtimes_after_first: dict[Path, int]


PARALLEL_CRAWLS = 4
"""Crawls run side by side (separate processes and workspaces): most of a crawl is starting Python."""


def crawl_twice(workspace: Workspace, site: str) -> Crawl:
    first = workspace.crawl(site, "first")
    mtimes = {path: path.stat().st_mtime_ns for path in workspace.feeds_dir.rglob("*.xml")}
    second = workspace.crawl(site, "second")
    store = ArticleStore(workspace.database_url)
    try:
        stored = {entry.article.url: entry.article for entry in store.latest(1000)}
    finally:
        store.close()
    return Crawl(workspace, first, second, stored, mtimes)


@pytest.fixture(scope="module")
def crawls(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, mirror_url: str):
    """Every site the selected tests need, each crawled twice from the unchanged mirror into a
    workspace of its own."""
    wanted = sorted(
        {
            item.callspec.params["site"]
            for item in request.session.items
            if getattr(item, "module", None) is request.module
            and "site" in getattr(getattr(item, "callspec", None), "params", {})
        }
    )
    workspaces = {site: Workspace(tmp_path_factory.mktemp(site), mirror_url) for site in wanted}
    with ThreadPoolExecutor(PARALLEL_CRAWLS) as pool:
        done = dict(zip(wanted, pool.map(crawl_twice, workspaces.values(), wanted), strict=True))
    return done.__getitem__


@pytest.mark.parametrize("site", CRAWLED)
def test_first_crawl_stores_every_mirror_article(crawls, site: str) -> None:
    crawl = crawls(site)
    assert set(crawl.stored) == set(expected(site))
    assert crawl.first["store/new"] == len(expected(site))
    assert crawl.first["robotstxt/response_status_count/200"] >= 1
    assert crawl.first.get("log_count/ERROR", 0) == 0
    # nothing but the site's lists and articles is requested: no footer, nav or mobile link (404s)
    prefix = "downloader/response_status_count/"
    assert {key.removeprefix(prefix) for key in crawl.first if key.startswith(prefix)} == {"200"}


@pytest.mark.parametrize(("site", "url"), [(site, url) for site in CRAWLED for url in sorted(expected(site))])
def test_article_fields_match_the_page(crawls, site: str, url: str) -> None:
    article, want = crawls(site).stored[url], expected(site)[url]
    paragraphs = [" ".join(line.split()) for line in article.body.split("\n")]
    assert article.id == f"{site}/{SITES[site].article_number(url)}"
    assert article.title == want["title_clean"]
    assert article.original_title == want.get("original_title")
    assert article.published.isoformat() == want["published"]
    assert article.outlet == want["outlet"]
    assert article.reporters == want["reporters"]
    assert article.editors == want["editors"]
    assert paragraphs[0].startswith(" ".join(want["body_first"].split()))
    assert paragraphs[-1].endswith(" ".join(want["body_last"].split()))
    assert len(paragraphs) == want["paragraphs"]
    assert article.pages == want["pages"]
    assert "\ufffd" not in article.title + article.body
    if url in TAGGING_ERRORS:
        pytest.xfail(TAGGING_ERRORS[url])
    assert set(want["cities"]) <= set(article.cities) <= {*want["cities"], *want.get("cities_allowed", [])}
    if "initiatives" in want:
        found = {initiative["id"] for initiative in article.initiatives}
        allowed = {*want["initiatives"], *want.get("initiatives_allowed", [])}
        assert set(want["initiatives"]) <= found <= allowed


@pytest.mark.parametrize("site", CRAWLED)
def test_charset_headers_that_contradict_the_bytes_are_counted(crawls, site: str) -> None:
    crawl = crawls(site)
    lying = [headers for headers in mirror_headers(site) if "charset=" in headers.get("Content-Type", "")]
    gzipped = [headers for headers in mirror_headers(site) if headers.get("Content-Encoding") == "gzip"]
    assert crawl.first.get("encoding/header_contradicted", 0) == len(lying)
    assert crawl.first.get("httpcompression/response_count", 0) >= len(gzipped)


@pytest.mark.parametrize("site", CRAWLED)
def test_second_crawl_of_an_unchanged_mirror_fetches_no_article_and_hears_304(crawls, site: str) -> None:
    """The list pages are asked for with the validators the first crawl saw (kept in the store):
    the unchanged mirror answers 304, which costs no parsing and leads to no article page."""
    crawl = crawls(site)
    first, second = crawl.first, crawl.second
    article_pages = sum(page["pages"] for page in expected(site).values())
    assert first["spider/article_pages"] == article_pages
    assert "spider/article_pages" not in second and "known_articles/new" not in second
    assert "store/new" not in second and "item_scraped_count" not in second
    list_requests = second["downloader/request_count"] - second.get("robotstxt/request_count", 0)
    assert second["conditional_get/sent"] == list_requests
    assert second["conditional_get/not_modified"] >= 0.9 * list_requests


@pytest.mark.parametrize("site", CRAWLED)
def test_every_feed_parses_and_holds_its_articles(crawls, site: str) -> None:
    crawl = crawls(site)
    feeds = sorted(crawl.workspace.feeds_dir.rglob("*.xml"))
    assert feeds
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        ids = [feed.feed.id, *(entry.id for entry in feed.entries)]
        assert all(is_tag_uri(value) and value.startswith("tag:127.0.0.1,") for value in ids), path
        if path.parent.name == "city":
            city = path.stem
            assert {entry.link for entry in feed.entries} == {
                url for url, article in crawl.stored.items() if city in article.cities
            }
    everything = feedparser.parse((crawl.workspace.feeds_dir / "all.xml").read_bytes())
    assert {entry.link for entry in everything.entries} == set(expected(site))
    published = [entry.published_parsed for entry in everything.entries]
    assert published == sorted(published, reverse=True)


@pytest.mark.parametrize("site", CRAWLED)
def test_second_crawl_rewrites_no_feed(crawls, site: str) -> None:
    for path, mtime in crawls(site).feed_mtimes_after_first.items():
        assert path.stat().st_mtime_ns == mtime, path


@pytest.mark.parametrize("site", ["lnd"])
def test_meta_refresh_to_another_host_is_not_followed_and_the_page_is_kept(crawls, site: str) -> None:
    crawl = crawls(site)
    assert crawl.first["metarefresh/offsite_kept"] == 2
    log = (crawl.workspace.root / "first.log").read_text(encoding="utf-8")
    page = "http://liaoning.lnd.com.cn/system/2020/05/12/030104356.shtml"
    assert f"Not following the meta refresh of {page} off-site to http://epaper.lnrbxmt.com/" in log


# --- the seeds on their sites ---------------------------------------------------------------------

SEED_PAGES = [("qzwb", "000"), ("qzwb", "001"), ("mnw", "002"), ("jnnews", "003"), ("iqilu", "003"),
              ("lnd", "004"), ("cri", "004")]  # fmt: skip
"""Where the mirror page cannot give a gold field as the gold says, the test says why:
- 000, 001 (qzwb): the seed texts give no date (only 22日, 昨日: gold null) and no editor (gold []);
  their mirror pages show a time, an editor and, for 001, 来源 厦门日报 where the gold names the joint
  byline's two outlets (厦门日报 / 泉州晚报). Those fields are checked against the page instead.
- 002 (mnw): the seed has no headline (gold null); the page's reconstructed title is checked instead.
  The gold's date is the day only; the page's day is checked.
- 003 on jnnews, the original: this site shows minutes only, so 14:50:00, not the gold's 14:50:08
  (the time of the iqilu copy); and the original gives no 原标题 (the copy does), so original_title
  is None there.
"""


def seed_lines(seed: dict, key: str) -> list[str]:
    """The non-blank lines of a seed's *key* range (body_lines, boilerplate_lines), annotations removed."""
    text = (DATA / "seeds" / seed["file"]).read_text(encoding="utf-8")
    lines = strip_pinyin_annotations(text).split("\n")
    first, last = seed[key]
    return [" ".join(line.split()) for line in lines[first : last + 1] if line.strip()]


def assert_tags(found: set[str], tags: dict) -> None:
    assert set(tags["required"]) <= found <= {*tags["required"], *tags["allowed"]}


@pytest.mark.parametrize(("site", "seed_id"), SEED_PAGES)
def test_seed_articles_come_out_as_the_gold_says(crawls, site: str, seed_id: str) -> None:
    gold = GOLD[seed_id]
    url, want = next((url, want) for url, want in expected(site).items() if want["seed"] == seed_id)
    article = crawls(site).stored[url]
    body = article.body.split("\n")

    assert article.title == (gold["title"] if gold["title"] else want["title_clean"])
    if gold.get("title_note", "").startswith("given as 原標題") and site != "jnnews":
        assert article.original_title == gold["title"]
    else:
        assert article.original_title is None
    assert body == seed_lines(gold, "body_lines")
    assert body[0].startswith(gold["body_first_chars"])
    assert body[-1].endswith(gold["body_last_chars"])
    if gold["boilerplate_lines"]:
        assert not set(seed_lines(gold, "boilerplate_lines")) & set(body)
    for word in ("责任编辑", "本网站所登载", "已有0人", "想爆料", "版权", "频道推荐"):
        assert word not in to_simplified(article.body)
    assert article.reporters == gold["reporters"]
    assert article.editors == (gold["editors"] if site != "qzwb" else want["editors"])
    assert article.outlet == (gold["outlet"] if seed_id != "001" else want["outlet"])
    if gold["published"] is None:
        assert article.published.isoformat() == want["published"]
    elif site == "jnnews":
        assert article.published.isoformat() == gold["published"].replace("14:50:08", "14:50:00")
    elif "T" in gold["published"]:
        assert article.published.isoformat() == gold["published"]
    else:
        assert article.published.date().isoformat() == gold["published"]
    assert_tags(set(article.cities), gold["cities"])
    assert_tags({initiative["id"] for initiative in article.initiatives}, gold["initiatives"])
