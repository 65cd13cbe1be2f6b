"""A site described only by configuration (crawler/pages/configured.py): the README's worked example on
a page of its shape, selectors that miss, XPath and CSS, and 东南网 (fjsen) on its mirror pages."""

from __future__ import annotations

import re

import pytest
import yaml

from core.dates import parse_datetime
from core.sites import load_sites, site_from_entry
from crawler.mirror import DEFAULT_ROOT
from crawler.pages.base import response_from_bytes, to_item_now
from crawler.pages.configured import configured_page
from crawler.pages.rules import check_queries
from tests.conftest import REPO

README_EXAMPLE = re.search(r"```yaml\n# mysites.yaml\n(.*?)```", (REPO / "README.md").read_text(), re.S)
PAGE = """<html><head><meta charset="utf-8"><title>湄洲岛妈祖文化旅游节开幕_莆田新闻网</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/news/index.html">新闻</a></div>
<h1 class="title">湄洲岛妈祖文化旅游节开幕</h1>
<div class="info"><span class="time">2024-10-15 09:30</span> <span class="source">来源：湄洲日报</span></div>
<div id="content">
<p>本报讯（记者 林志坚 通讯员 黄海）14日上午，第二十六届湄洲妈祖文化旅游节在湄洲岛开幕。</p>
<p>本届旅游节为期一周，推出祭典、灯会、民俗展演等二十余项活动，两岸青年交流活动贯穿始终。</p>
<p>莆田市有关负责人表示，将以旅游节为契机，推动文旅融合，打造世界妈祖文化中心。</p>
</div>
<div class="editor">责任编辑：陈丽</div>
<div class="page"><span>1</span> <a href="content_123_2.html">下一页</a></div>
<div class="footer">Copyright © 莆田新闻网 版权所有</div>
</body></html>"""
URL = "http://www.ptxw.example.cn/news/2024-10/15/content_123.html"


def example_site(**changes):
    entry = yaml.safe_load(README_EXAMPLE.group(1))["ptxw"]
    return site_from_entry("ptxw", {**entry, **changes}, "mysites.yaml")


def read(site, html: str = PAGE, url: str = URL):
    return to_item_now(configured_page(site)(response=response_from_bytes(html.encode(), url)))


def test_the_readme_example_is_a_valid_site_and_reads_its_page() -> None:
    site = example_site()
    check_queries(site)
    assert site.article_number(URL) == "123"
    raw = read(site)
    assert raw.title == "湄洲岛妈祖文化旅游节开幕"
    assert parse_datetime(raw.published_raw).isoformat() == "2024-10-15T09:30:00+08:00"
    assert raw.outlet == "湄洲日报"
    assert raw.body_lines[0].startswith("本报讯（记者 林志坚") and len(raw.body_lines) == 3
    assert raw.next_page_url == "http://www.ptxw.example.cn/news/2024-10/15/content_123_2.html"
    assert raw.extractor == "ptxw" and raw.quality == []


def test_fields_without_a_selector_come_from_the_generic_extractor_unflagged() -> None:
    raw = read(example_site())
    assert raw.editors == ["陈丽"]  # no selector for editors: the generic extractor's


def test_a_selector_that_finds_nothing_falls_back_and_is_flagged() -> None:
    site = example_site(selectors={"title": "h2.headline", "outlet": "span.from", "body": "div#content"})
    raw = read(site)
    assert raw.title == "湄洲岛妈祖文化旅游节开幕"
    assert raw.quality == ["generic:title", "generic:outlet"]
    assert raw.extractor == "ptxw"


def test_a_body_selector_that_finds_nothing_is_generic_extraction() -> None:
    raw = read(example_site(selectors={"body": "div.article-text"}))
    assert raw.quality == ["generic_extraction"] and raw.extractor == "generic"
    assert len(raw.body_lines) == 3


def test_xpath_selectors_and_labelled_people() -> None:
    selectors = {
        "title": "//h1[@class='title']/text()",
        "body": "//div[@id='content']/p",
        "editors": "(//div[@class='editor'])[1]",
    }
    raw = read(example_site(selectors=selectors))
    assert raw.title == "湄洲岛妈祖文化旅游节开幕"
    assert len(raw.body_lines) == 3
    assert raw.editors == ["陈丽"]
    assert raw.quality == []


@pytest.mark.parametrize(
    "path",
    ["fz.fjsen.com/2017-06/12/content_19814527.htm", "fjnews.fjsen.com/2016-05/20/content_18032906.htm"],
)
def test_fjsen_is_read_by_its_selectors_on_both_layouts(path: str) -> None:
    site = load_sites()["fjsen"]
    html = (DEFAULT_ROOT / "fjsen" / path).read_text(encoding="utf-8")
    raw = read(site, html, f"http://{path}")
    assert raw.extractor == "fjsen" and raw.quality == []
    assert raw.title and raw.published_raw and raw.outlet and raw.reporters and raw.editors
    assert len(raw.body_lines) >= 4


def test_fjsen_entry_is_the_one_its_mirror_readme_drafts() -> None:
    draft = re.search(r"```yaml\n(fjsen:.*?)```", (DEFAULT_ROOT / "fjsen" / "README.md").read_text(), re.S)
    entry = yaml.safe_load(draft.group(1))["fjsen"]
    packaged = yaml.safe_load((REPO / "data" / "sites.yaml").read_text(encoding="utf-8"))["fjsen"]
    assert {key: value for key, value in packaged.items() if key != "domains"} == entry
