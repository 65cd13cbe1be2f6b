"""Page objects beyond their web-poet fixtures (tests/fixtures/<page object>/<case>/, collected by
web-poet's pytest plugin): every site's fixtures agree with its mirror's hand-made expectations
(tests/data/mirror_expected/<site>.yaml), the rules pick each site's page object by URL, and the
generic extractor takes over when a site's selectors miss.

The fixtures of mirror pages are written by ``scrapy savefixture`` against ``scrapy mirror``; each
site's ``changed-layout-generic-fallback`` is one of its mirror pages with the container of the text
renamed (a redesign), saved in the same format with ``web_poet.testing.Fixture.save``.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
import yaml
from web_poet.testing import Fixture

from core.dates import parse_datetime
from core.items import Article
from core.sites import load_sites
from crawler.pages.base import ArticlePage, RawArticle
from crawler.pages.cri import CriArticlePage
from crawler.pages.generic import GenericArticlePage
from crawler.pages.html import fragment_paragraphs
from crawler.pages.iqilu import IqiluArticlePage
from crawler.pages.jnnews import JnnewsArticlePage
from crawler.pages.lnd import LndArticlePage
from crawler.pages.mnw import MnwArticlePage
from crawler.pages.qzwb import QzwbArticlePage
from crawler.pages.rules import page_object_for
from crawler.pages.xmnn import XmnnArticlePage
from crawler.spiders.news import article_from_raw
from processors.clean import clean_article
from tests.conftest import DATA

FIXTURES = Path(__file__).parent / "fixtures"
PAGE_OBJECTS: dict[str, type[ArticlePage]] = {
    "qzwb": QzwbArticlePage,
    "mnw": MnwArticlePage,
    "iqilu": IqiluArticlePage,
    "jnnews": JnnewsArticlePage,
    "cri": CriArticlePage,
    "lnd": LndArticlePage,
    "xmnn": XmnnArticlePage,
}
CHANGED_LAYOUT = "changed-layout-generic-fallback"
SITES = load_sites()


@cache
def expected(site: str) -> dict[str, dict]:
    return yaml.safe_load((DATA / "mirror_expected" / f"{site}.yaml").read_text(encoding="utf-8"))


def folder_of(page_object: type[ArticlePage]) -> Path:
    return FIXTURES / f"{page_object.__module__}.{page_object.__qualname__}"


@cache
def fixtures(site: str) -> dict[str, Path]:
    """The site's fixture folders by the URL of the page each saved (the changed layout aside)."""
    page_object = PAGE_OBJECTS[site]
    folders = (path for path in folder_of(page_object).iterdir() if path.name != CHANGED_LAYOUT)
    return {str(Fixture(path).get_page(page_object).response.url): path for path in folders}


def saved(folder: Path) -> dict:
    return Fixture(folder).get_expected_output()


def pages_of(site: str, url: str) -> list[dict]:
    """What the page object saved for each page of the article at *url*, following its next pages
    as the spider does (a next link back to a page already read ends the article)."""
    pages: list[dict] = []
    while url and url not in [page["url"] for page in pages]:
        pages.append(saved(fixtures(site)[url]))
        url = pages[-1]["next_page_url"]
    return pages


def cleaned(site: str, pages: list[dict]) -> Article:
    raw = RawArticle(**pages[0])
    raw = replace(raw, body_lines=[line for page in pages for line in page["body_lines"]])
    return clean_article(article_from_raw(raw, SITES[site], len(pages)), default_outlet=SITES[site].outlet)


CASES = [(site, url) for site in PAGE_OBJECTS for url in sorted(expected(site))]


@pytest.mark.parametrize(("site", "url"), CASES)
def test_every_mirror_article_has_fixtures_that_agree_with_its_expectations(site: str, url: str) -> None:
    want, pages = expected(site)[url], pages_of(site, url)
    first = pages[0]
    assert first["title"] == want["title"]
    assert parse_datetime(first["published_raw"]).isoformat() == want["published"]
    assert all(page["extractor"] == site and page["quality"] == [] for page in pages)
    assert len(pages) == want["pages"]
    article = cleaned(site, pages)
    paragraphs = [" ".join(line.split()) for line in article.body.split("\n")]
    assert article.title == want["title_clean"]
    assert article.outlet == want["outlet"]
    assert article.reporters == want["reporters"]
    assert article.editors == want["editors"]
    assert paragraphs[0].startswith(" ".join(want["body_first"].split()))
    assert paragraphs[-1].endswith(" ".join(want["body_last"].split()))
    assert len(paragraphs) == want["paragraphs"]


@pytest.mark.parametrize("site", PAGE_OBJECTS)
def test_every_fixture_is_a_page_of_a_mirror_article_or_the_changed_layout(site: str) -> None:
    read = {page["url"] for url in expected(site) for page in pages_of(site, url)}
    assert set(fixtures(site)) == read
    assert (folder_of(PAGE_OBJECTS[site]) / CHANGED_LAYOUT).is_dir()


def test_copyright_after_the_content_marker_is_not_body() -> None:
    url = next(url for url, e in expected("qzwb").items() if e["seed"] == "000")
    assert not any("本網站所登載" in line for line in saved(fixtures("qzwb")[url])["body_lines"])


@pytest.mark.parametrize("site", PAGE_OBJECTS)
def test_a_changed_layout_is_read_by_the_generic_extractor_and_flagged(site: str) -> None:
    fixture = Fixture(folder_of(PAGE_OBJECTS[site]) / CHANGED_LAYOUT)
    output = fixture.get_expected_output()
    assert output["extractor"] == "generic" and output["quality"] == ["generic_extraction"]
    url = str(fixture.get_page(PAGE_OBJECTS[site]).response.url)
    if url not in expected(site):  # qzwb's is a page of its own, not a mirror article changed
        assert len(output["body_lines"]) == 8
        return
    want = expected(site)[url]
    article = cleaned(site, [output])
    assert article.title == want["title_clean"]
    assert article.body.split("\n")[0].startswith(want["body_first"].strip())
    assert len(article.body.split("\n")) == want["paragraphs"]


@pytest.mark.parametrize(
    ("url", "page_object"),
    [
        ("http://www.qzwb.com/gb/content/2015-10/23/content_5213417.htm", QzwbArticlePage),
        ("http://news.qzwb.com/anything.htm", QzwbArticlePage),
        ("https://www.mnw.cn/quanzhou/news/2662305.html", MnwArticlePage),
        ("http://jining.iqilu.com/jnyaowen/2017/0830/3668412.shtml", IqiluArticlePage),
        ("http://news.iqilu.com/shandong/kejiaoshehui/20161121/3129846.shtml", IqiluArticlePage),
        ("https://www.jnnews.tv/p/912406.html", JnnewsArticlePage),
        ("https://ln.cri.cn/2021-05-18/57d1b1c4-5d41-038e-2cf8-90eea06193c7.html", CriArticlePage),
        ("http://liaoning.lnd.com.cn/system/2018/08/02/029988415.shtml", LndArticlePage),
        ("https://news.xmnn.cn/xmnn/2019/08/16/100583614.shtml", XmnnArticlePage),
        ("http://www.example.cn/news/1.html", GenericArticlePage),
        ("http://qzwb.com.example.cn/gb/content/1.htm", GenericArticlePage),
    ],
)
def test_rules_pick_the_page_object_by_url(url: str, page_object: type) -> None:
    assert page_object_for(url) is page_object


def test_a_body_of_unclosed_inline_tags_a_thousand_deep_is_read() -> None:
    """CMS output often leaves inline tags open: a body nested 1,200 deep (under the parser's limit)
    is read whole, not lost to Python's recursion limit."""
    fragment = "<p>第一段。</p>" + "<span>" * 1200 + "第二段。<br>第三段。"
    assert fragment_paragraphs(fragment) == ["第一段。", "第二段。", "第三段。"]
