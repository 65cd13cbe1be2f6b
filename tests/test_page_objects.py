"""Page objects beyond their web-poet fixtures (tests/fixtures/<page object>/<case>/, collected by
web-poet's pytest plugin): the fixtures agree with the mirror's hand-made expectations, the rules
pick each site's page object by URL, and the generic extractor takes over when selectors miss."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from web_poet.testing import Fixture

from core.dates import parse_datetime
from crawler.pages.generic import GenericArticlePage
from crawler.pages.qzwb import QzwbArticlePage
from crawler.pages.rules import page_object_for
from tests.conftest import DATA

FIXTURES = Path(__file__).parent / "fixtures"
QZWB = FIXTURES / "crawler.pages.qzwb.QzwbArticlePage"
EXPECTED = yaml.safe_load((DATA / "mirror_expected" / "qzwb.yaml").read_text(encoding="utf-8"))


def saved(folder: Path) -> dict:
    fixture = Fixture(folder)
    return {**fixture.get_expected_output(), "url": fixture.get_page(QzwbArticlePage).response.url}


def fixture_for(url: str) -> Path:
    number = url.rsplit("_", 1)[1].removesuffix(".htm")
    (folder,) = [f for f in QZWB.iterdir() if f.name.split("-")[0] == f"content_{number}"]
    return folder


@pytest.mark.parametrize("url", sorted(EXPECTED))
def test_every_mirror_article_has_a_fixture_that_agrees_with_its_expectations(url: str) -> None:
    expected, output = EXPECTED[url], saved(fixture_for(url))
    assert output["title"] == expected["title"]
    assert parse_datetime(output["published_raw"]).isoformat() == expected["published"]
    assert output["extractor"] == "qzwb" and output["quality"] == []
    if expected["pages"] == 1:
        assert output["next_page_url"] is None
        assert len(output["body_lines"]) == expected["paragraphs"]
    else:
        assert output["next_page_url"] == url.replace(".htm", "_2.htm")


def test_copyright_after_the_content_marker_is_not_body() -> None:
    output = saved(fixture_for(next(url for url, e in EXPECTED.items() if e["seed"] == "000")))
    assert not any("本網站所登載" in line for line in output["body_lines"])


def test_a_changed_layout_is_read_by_the_generic_extractor_and_flagged() -> None:
    output = saved(QZWB / "changed-layout-generic-fallback")
    assert output["extractor"] == "generic" and output["quality"] == ["generic_extraction"]
    assert len(output["body_lines"]) == 8


@pytest.mark.parametrize(
    ("url", "page_object"),
    [
        ("http://www.qzwb.com/gb/content/2015-10/23/content_5213417.htm", QzwbArticlePage),
        ("http://news.qzwb.com/anything.htm", QzwbArticlePage),
        ("http://www.example.cn/news/1.html", GenericArticlePage),
        ("http://qzwb.com.example.cn/gb/content/1.htm", GenericArticlePage),
    ],
)
def test_rules_pick_the_page_object_by_url(url: str, page_object: type) -> None:
    assert page_object_for(url) is page_object
