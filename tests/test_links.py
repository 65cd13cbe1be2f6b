"""crawler.spiders.links on the mirrors' list pages: articles, the next page, channels, and what is left."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from core.sites import load_sites
from crawler.mirror import DEFAULT_ROOT
from crawler.spiders.links import list_links

SITES = load_sites()


def links_of(site: str, path: str, url: str):
    response = HtmlResponse(url=url, body=(DEFAULT_ROOT / site / path).read_bytes(), encoding="utf-8")
    return list_links(SITES[site], response)


@pytest.mark.parametrize(
    ("site", "path", "url", "next_page"),
    [
        ("mnw", "www.mnw.cn/quanzhou/news/index.html", "https://www.mnw.cn/quanzhou/news/",
         "https://www.mnw.cn/quanzhou/news/index-2.html"),
        ("iqilu", "jining.iqilu.com/jnyaowen/index.shtml", "http://jining.iqilu.com/jnyaowen/",
         "http://jining.iqilu.com/jnyaowen/list_2301_2.shtml"),
        ("jnnews", "www.jnnews.tv/news/jnxw.shtml", "http://www.jnnews.tv/news/jnxw.shtml",
         "http://www.jnnews.tv/news/jnxw_2.shtml"),
        ("cri", "ln.cri.cn/news/index.html", "http://ln.cri.cn/news/", "http://ln.cri.cn/news/index_2.html"),
        ("lnd", "liaoning.lnd.com.cn/jrln/index.shtml", "http://liaoning.lnd.com.cn/jrln/index.shtml",
         "http://liaoning.lnd.com.cn/jrln/index_1.shtml"),
        ("xmnn", "news.xmnn.cn/xmxw/index.shtml", "https://news.xmnn.cn/xmxw/", "https://news.xmnn.cn/xmxw/index_1.shtml"),
    ],
)  # fmt: skip
def test_a_list_page_gives_its_articles_and_its_next_page(
    site: str, path: str, url: str, next_page: str
) -> None:
    links = links_of(site, path, url)
    assert links.next_pages == [next_page]
    assert links.channels == []
    assert links.articles and all(SITES[site].article_number(article) for article in links.articles)


def test_the_last_page_whose_next_arrow_points_to_itself_has_no_next_page() -> None:
    url = "http://jining.iqilu.com/jnyaowen/list_2301_3.shtml"
    assert links_of("iqilu", "jining.iqilu.com/jnyaowen/list_2301_3.shtml", url).next_pages == []


def test_advertisements_and_other_sites_in_a_list_are_not_articles() -> None:
    links = links_of("mnw", "www.mnw.cn/quanzhou/news/index.html", "https://www.mnw.cn/quanzhou/news/")
    assert not [url for url in links.articles if "mnw.cn" not in url or "gaodun" in url]
    assert all(url.startswith(("http://www.mnw.cn/", "https://www.mnw.cn/")) for url in links.articles)


def test_footer_service_pages_shaped_like_articles_are_not_articles() -> None:
    links = links_of(
        "iqilu", "jining.iqilu.com/jnminsheng/index.shtml", "http://jining.iqilu.com/jnminsheng/"
    )
    assert not [url for url in links.articles if "/other/" in url]
