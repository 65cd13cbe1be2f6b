"""Saved pages without ``--site`` or ``--url``: the site is read from the page itself, and the
generic extractor takes the headline, not the site's slogan banner, for the title."""

from __future__ import annotations

import re

import pytest
import yaml

from core.sites import load_sites
from crawler.commands._documents import extract_document
from crawler.mirror import DEFAULT_ROOT
from crawler.pages.base import response_from_bytes, to_item_now
from crawler.pages.generic import GenericArticlePage
from crawler.pages.rules import page_identity
from tests.conftest import DATA

EXPECTED = DATA / "mirror_expected"
PINYIN = re.compile(r"(?<=[\u3400-\u9fff])\([a-zA-Züāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ]+\)")


def mirror_articles(site: str | None = None) -> list[tuple[str, str, dict]]:
    """(site, real URL, expected fields) of every mirror article page that has expectations."""
    cases = []
    for path in sorted(EXPECTED.glob("*.yaml")):
        if site is not None and path.stem != site:
            continue
        for url, expected in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            if (DEFAULT_ROOT / path.stem / re.sub(r"^https?://", "", url)).exists():
                cases.append((path.stem, url, expected))
    return cases


def saved_page(site: str, url: str) -> bytes:
    return (DEFAULT_ROOT / site / re.sub(r"^https?://", "", url)).read_bytes()


@pytest.mark.parametrize(("site", "url", "expected"), mirror_articles("qzwb"), ids=lambda v: str(v)[-12:])
def test_qzwb_page_without_site_or_url_is_read_by_its_page_object(site: str, url: str, expected: dict):
    article = extract_document(saved_page(site, url))
    assert article.extractor == "qzwb"
    assert article.title in (expected["title"], expected["title_clean"])
    first = PINYIN.sub("", article.body.split("\n")[0])
    assert first.startswith(expected["body_first"][:8])
    assert article.url == ""  # the page names no address: none is made up
    assert article.id.startswith("text/")


@pytest.mark.parametrize(("site", "url", "expected"), mirror_articles(), ids=lambda v: str(v)[-16:])
def test_every_mirror_page_without_site_or_url_gets_its_headline(site: str, url: str, expected: dict) -> None:
    """Sites without a page object of their own go through the generic extractor."""
    article = extract_document(saved_page(site, url))
    assert article.title in (expected["title"], expected["title_clean"])


SITES = load_sites()
PAGE = """<html><head><title>惠安雕艺亮相文博会_泉州网</title>{head}</head><body>
<div class="logo"><img src="http://www.qzwb.com/logo.gif"></div>
<ul><li><a href="http://news.qzwb.com/gb/node/node_538.htm">泉州</a></li>
<li><a href="http://www.xmnn.cn/">厦门</a></li><li><a href="http://www.fjsen.com/">福建</a></li></ul>
</body></html>"""


def test_a_page_naming_its_address_is_of_that_site_and_has_that_url() -> None:
    url = "http://www.qzwb.com/gb/content/2017-11/06/content_5745318.htm"
    site, own = page_identity(PAGE.format(head=f'<link rel="canonical" href="{url}">'), SITES)
    assert (site.key, own) == ("qzwb", url)
    site, own = page_identity(PAGE.format(head=f'<meta property="og:url" content="{url}">'), SITES)
    assert (site.key, own) == ("qzwb", url)


def test_a_page_naming_no_address_is_of_the_site_its_own_links_point_to() -> None:
    site, own = page_identity(PAGE.format(head=""), SITES)
    assert (site.key, own) == ("qzwb", None)


def test_a_page_linking_each_site_once_is_of_none() -> None:
    domains = ("qzwb.com", "xmnn.cn", "fjsen.com", "mnw.cn")
    links = "".join(f'<a href="http://www.{domain}/">x</a>' for domain in domains)
    assert page_identity(f"<html><body>{links}</body></html>", SITES) == (None, None)


def test_canonical_article_url_gives_the_sites_own_id() -> None:
    page = saved_page("qzwb", "http://www.qzwb.com/gb/content/2017-11/06/content_5745318.htm")
    canonical = b'<link rel="canonical" href="http://www.qzwb.com/gb/content/2017-11/06/content_5745318.htm">'
    article = extract_document(page.replace(b"<head>", b"<head>" + canonical, 1))
    assert (article.id, article.url) == ("qzwb/5745318", canonical.split(b'"')[3].decode())


BANNER_PAGE = """<html><head><title>海丝先行区建设扎实推进 外贸稳中提质_示例网</title></head><body>
<div class="top">示例省重点新闻网站 中共示例市委主办主管</div>
<div>广告：0595-22500139 22500300</div>
<ul><li>首页</li><li><a href="/a">本地</a></li><li><a href="/b">要闻</a></li><li>财经</li></ul>
<div>您当前的位置：<a href="/">示例网</a> &gt; <a href="/n">本地新闻</a></div>
<div><ul><li>海丝先行区建设扎实推进 外贸稳中提质</li><li>2024-09-12 09:00 来源：示例晚报</li></ul>
<div><p>示例网讯 今年以来，本市深入推进海丝先行区建设，外贸进出口总值同比增长，
结构持续优化，民营企业进出口占比进一步提高。</p>
<p>海关数据显示，一般贸易方式进出口保持增长，对共建“一带一路”国家进出口增势良好，跨境电商等新业态发展迅速。</p>
<p>下一步，本市将继续优化营商环境，支持企业开拓多元市场，推动外贸稳规模、优结构。</p></div></div>
</body></html>"""


def test_generic_title_is_the_headline_not_the_banner_and_the_text_starts_after_it() -> None:
    raw = to_item_now(GenericArticlePage(response_from_bytes(BANNER_PAGE.encode())))
    assert raw.title == "海丝先行区建设扎实推进 外贸稳中提质"
    assert raw.body_lines[0].startswith("示例网讯")
