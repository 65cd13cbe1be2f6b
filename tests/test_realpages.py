"""Each spider's link extraction on its site's real front page (tests/data/realpages/, see PROVENANCE.md).

A front page is the messiest list a spider meets: navigation, advertisements, other sites of the
same group, service pages. What the spider takes for articles is counted against the article-URL
pattern, and every link that looks like an article (a long number or a uuid in its file name) is
either taken, or off the spider's hosts, or one this test names with the reason it is not an article.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from core.sites import load_sites
from crawler.mirror import DEFAULT_ROOT
from crawler.spiders.links import list_links, page_links
from tests.conftest import DATA

SITES = load_sites()
REAL = DATA / "realpages"

# spider: (snapshot, the URL it was saved from, article links found, on-site article-shaped links
# that are deliberately not taken)
FRONT_PAGES = {
    "qzwb": ("qzwb.com", "http://www.qzwb.com/", 167, r"/node_\d+\.htm|//bbs\.qzwb\.com/|/mnwhw/content/"),
    "mnw": ("mnw.cn", "http://www.mnw.cn/", 190, None),
    "iqilu": ("iqilu.com", "http://www.iqilu.com/", 24, r"news\.iqilu\.com/(?:other|china|guoji)/"),
    "jnnews": ("jnnews.tv", "http://www.jnnews.tv/", 169, None),
    "cri": ("cri.cn", "http://www.cri.cn/", 0, None),
    "lnd": ("lnd.com.cn", "http://www.lnd.com.cn/", 0, r"/node_\d+\.htm$|/htm/[\d-]+/\d+/content_\d+\.htm$"),
    "xmnn": ("xmnn.cn", "http://www.xmnn.cn/", 173, None),
    "fjsen": ("fjsen.com", "http://www.fjsen.com/", 294, r"/node_\d+\.htm$|//www\.fjsen\.com/"),
}
"""Not taken, and why: qzwb channel lists, forum threads and the 闽南文化网 sub-site; iqilu's footer
service pages (news.iqilu.com/other/…) and its national and world news, outside the 济宁 channel;
lnd's node_N channels and its older htm/YYYY-MM/DD/content_N form (sites.md gives /system/…);
fjsen's channel lists and the sections and topics on www.fjsen.com, outside the configured pattern."""
ARTICLE_SHAPE = re.compile(r"/[^/]*(?:\d{5,}|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})[^/]*\.s?html?$")
LND_CHANNELS = {  # sites.md's lists: liaoning.lnd.com.cn/{jrln,szyw,msrd,shxw}/, news.lnd.com.cn/xwyw/
    *(f"http://liaoning.lnd.com.cn/{channel}/index.shtml" for channel in ("jrln", "szyw", "msrd", "shxw")),
    "http://news.lnd.com.cn/xwyw/index.shtml",
}


def front_page(path: Path, url: str) -> HtmlResponse:
    return HtmlResponse(url=url, body=path.read_bytes(), encoding="utf-8")


@pytest.fixture(params=sorted(FRONT_PAGES), scope="module")
def extracted(request: pytest.FixtureRequest):
    key = request.param
    name, url, _, _ = FRONT_PAGES[key]
    response = front_page(REAL / f"{name}.html", url)
    return key, page_links(response), list_links(SITES[key], response)


def test_article_links_are_counted_against_the_pattern(extracted) -> None:
    key, _, links = extracted
    site = SITES[key]
    assert len(links.articles) == FRONT_PAGES[key][2]
    assert len(set(links.articles)) == len(links.articles)
    assert all(site.owns(url) and site.article_url.match(url) for url in links.articles)


def test_no_navigation_list_or_advertisement_link_is_taken_for_an_article(extracted) -> None:
    key, _, links = extracted
    site = SITES[key]
    for url in links.articles:
        assert not site.is_list_page(url), url
        assert not url.endswith(("/", ".js")) and "?" not in url and "redirect" not in url, url
    assert not set(links.articles) & set(links.channels)


def test_every_article_shaped_link_is_taken_off_site_or_excused(extracted) -> None:
    key, all_links, links = extracted
    site, excused = SITES[key], FRONT_PAGES[key][3]
    taken = set(links.articles)
    for url in all_links:
        if not ARTICLE_SHAPE.search(url) or url in taken:
            continue
        assert not site.owns(url) or (excused and re.search(excused, url)), f"{key} missed {url}"


def test_off_site_links_shaped_like_articles_are_not_taken() -> None:
    """cri.cn's front page is full of news.cri.cn/YYYYMMDD/<uuid>.html: the same shape as ln.cri.cn's."""
    name, url, _, _ = FRONT_PAGES["cri"]
    response = front_page(REAL / f"{name}.html", url)
    shaped = [link for link in page_links(response) if ARTICLE_SHAPE.search(link)]
    assert len(shaped) > 200
    assert list_links(SITES["cri"], response).articles == []


def test_lnd_front_page_leads_to_the_channels_sites_md_lists_and_to_no_article() -> None:
    lnd = SITES["lnd"]
    real = list_links(lnd, front_page(REAL / "lnd.com.cn.html", "http://www.lnd.com.cn/"))
    assert real.articles == [] and real.next_pages == []
    assert set(real.channels) <= LND_CHANNELS  # its node_N.htm channels are not followed
    mirror_page = DEFAULT_ROOT / "lnd" / "www.lnd.com.cn" / "index.html"
    mirrored = list_links(lnd, front_page(mirror_page, "http://www.lnd.com.cn/"))
    assert set(mirrored.channels) == LND_CHANNELS
    assert set(lnd.start_urls) == {"http://www.lnd.com.cn/", *LND_CHANNELS}
    assert all(lnd.owns(url) for url in mirrored.articles) and not set(mirrored.articles) & LND_CHANNELS
