"""The 泉州网 page object on saved pages of the mirror: raw fields, paging, generic fallback."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from scrapy.http import HtmlResponse

from crawler.dates import parse_datetime
from crawler.encoding import decode_html
from crawler.extraction import page_raw_article
from crawler.mirror import DEFAULT_ROOT, mirror_path
from crawler.pages.qzwb import QzwbArticlePage
from crawler.sites import load_sites
from tests.conftest import DATA

EXPECTED = yaml.safe_load((DATA / "mirror_expected" / "qzwb.yaml").read_text(encoding="utf-8"))


def saved_page(url: str, root: Path = DEFAULT_ROOT) -> HtmlResponse:
    text, _ = decode_html((root / "qzwb" / mirror_path(url)).read_bytes())
    return HtmlResponse(url=url, body=text.encode("utf-8"), encoding="utf-8")


@pytest.mark.parametrize("url", sorted(EXPECTED))
def test_raw_fields(url: str) -> None:
    expected = EXPECTED[url]
    raw = QzwbArticlePage(saved_page(url)).to_raw()
    assert raw.title == expected["title"]
    assert parse_datetime(raw.published_raw).isoformat() == expected["published"]
    assert raw.body_lines
    if expected["pages"] == 1:
        assert raw.next_page_url is None
        assert len(raw.body_lines) == expected["paragraphs"]
    else:
        assert raw.next_page_url == url.replace(".htm", "_2.htm")


def test_copyright_after_the_content_marker_is_not_body() -> None:
    url = next(url for url, expected in EXPECTED.items() if expected["seed"] == "000")
    raw = QzwbArticlePage(saved_page(url)).to_raw()
    assert not any("本網站所登載" in line for line in raw.body_lines)


def test_empty_author_span_gives_no_reporter() -> None:
    url = next(url for url, expected in EXPECTED.items() if expected["seed"] == "001")
    assert QzwbArticlePage(saved_page(url)).reporters() == []


def test_generic_extractor_takes_over_when_selectors_find_nothing() -> None:
    body = "".join(
        f"<p>泉州市今年推进第{n}批重点项目建设，全市上下齐心协力，确保项目按期完成。</p>" for n in range(8)
    )
    page = (
        "<html><head><title>新版页面_泉州网</title></head>"
        f"<body><div class='main'><h1>新版页面</h1>{body}</div></body></html>"
    )
    response = HtmlResponse(
        url="http://www.qzwb.com/gb/content/2025-01/01/content_1.htm", body=page.encode(), encoding="utf-8"
    )
    raw = page_raw_article(response, load_sites()["qzwb"])
    assert raw.extractor == "generic"
    assert "generic_extraction" in raw.quality
    assert len(raw.body_lines) >= 6
