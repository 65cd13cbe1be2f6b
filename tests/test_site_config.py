"""The site catalogue as users write it: every entry a spider, bad entries stopped with one line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from core.sites import SiteConfigError, load_sites, site_from_entry
from crawler.pages.rules import check_queries, load_page_object
from tests.conftest import Workspace

GOOD = {
    "name": "示例网",
    "start_urls": ["http://news.example.cn/list/"],
    "list_url": r"^http://news\.example\.cn/list/(?:index_\d+\.html)?$",
    "article_url": r"^http://news\.example\.cn/a/(\d+)\.html$",
}


def entry(**changes) -> dict:
    return {key: value for key, value in {**GOOD, **changes}.items() if value is not None}


@pytest.mark.parametrize(
    ("changes", "key", "problem"),
    [
        ({"titel": "h1"}, "titel", "unknown key"),
        ({"article_url": r"^http://news\.example\.cn/a/(\d+$"}, "article_url", "not a regular expression"),
        ({"start_urls": None}, "start_urls", "missing"),
        ({"start_urls": ["news.example.cn/list/"]}, "start_urls", "not an http(s) URL"),
        ({"selectors": {"headline": "h1"}}, "selectors.headline", "unknown field"),
        ({"interval": "hourly"}, "interval", "expected a whole number of seconds"),
    ],
)
def test_a_bad_entry_is_one_line_naming_file_entry_and_key(changes: dict, key: str, problem: str) -> None:
    with pytest.raises(SiteConfigError) as raised:
        site_from_entry("example", entry(**changes), "mysites.yaml")
    message = str(raised.value)
    assert message.startswith(f"mysites.yaml: site 'example': {key}: {problem}")
    assert "\n" not in message


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"selectors": {"title": "div.cont_head h1["}}, "selectors.title"),
        ({"selectors": {"body": "//div[@id='zoom'"}}, "selectors.body"),
        ({"next_list_page": "#displaypagenum a:contains(下一页"}, "next_list_page"),
    ],
)
def test_a_selector_that_is_neither_css_nor_xpath_is_refused(changes: dict, key: str) -> None:
    site = site_from_entry("example", entry(**changes), "mysites.yaml")
    message = rf"^mysites\.yaml: site 'example': {re.escape(key)}: not a CSS or XPath selector"
    with pytest.raises(SiteConfigError, match=message):
        check_queries(site)


@pytest.mark.parametrize(
    ("page_object", "problem"),
    [("mysite.pages.NoSuchPage", "cannot be loaded"), ("core.sites.Site", "is not an ArticlePage")],
)
def test_a_page_object_that_does_not_load_is_refused(page_object: str, problem: str) -> None:
    site = site_from_entry("example", entry(page_object=page_object), "mysites.yaml")
    with pytest.raises(SiteConfigError, match=rf"^mysites\.yaml: site 'example': page_object: .*{problem}"):
        load_page_object(site)


def test_every_packaged_entry_is_valid_and_its_start_pages_are_on_its_hosts() -> None:
    sites = load_sites()
    assert set(sites) >= {"qzwb", "mnw", "iqilu", "jnnews", "cri", "lnd", "xmnn", "fjsen"}
    for site in sites.values():
        check_queries(site)
        assert all(site.owns(url) for url in site.start_urls), site.key


def test_a_file_of_ones_own_adds_a_site_and_changes_another(tmp_path: Path) -> None:
    mine = tmp_path / "mysites.yaml"
    mine.write_text(yaml.safe_dump({"example": GOOD, "qzwb": {"interval": 600}}, allow_unicode=True))
    sites = load_sites([mine])
    assert sites["example"].outlet == "示例网" and sites["example"].source == str(mine)
    assert sites["qzwb"].interval == 600 and sites["qzwb"].name == "泉州网"


def test_scrapy_list_shows_every_site(workspace: Workspace) -> None:
    spiders = workspace.scrapy("list").stdout.split()
    assert spiders == sorted(["cri", "fjsen", "iqilu", "jnnews", "lnd", "mnw", "qzwb", "xmnn"])


@pytest.mark.slow
@pytest.mark.parametrize(
    ("command", "changes", "key"),
    [
        (("list",), {"startt_urls": ["http://news.example.cn/"]}, "startt_urls"),
        (("list",), {"article_url": "^http://news\\.example\\.cn/a/(\\d+\\.html$"}, "article_url"),
        (("list",), {"start_urls": None}, "start_urls"),
        (("crawl", "example"), {"page_object": "mysite.pages.NoSuchPage"}, "page_object"),
        (("crawl", "qzwb"), {"selectors": {"title": "h1["}}, "selectors.title"),
    ],
)
def test_bad_configuration_stops_scrapy_with_one_line(
    workspace: Workspace, command: tuple[str, ...], changes: dict, key: str
) -> None:
    mine = workspace.root / "mysites.yaml"
    mine.write_text(yaml.safe_dump({"example": entry(**changes)}, allow_unicode=True), encoding="utf-8")
    result = workspace.scrapy(*command, "-s", f"SITES_FILES={mine}", check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == result.stderr.strip().splitlines()[0], result.stderr
    assert result.stderr.startswith(f"site catalogue: {mine}: site 'example': {key}: ")
    assert "Traceback" not in result.stderr + result.stdout
