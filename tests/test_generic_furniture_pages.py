"""Page furniture around and inside real articles: ``tests/data/furniture/``, one small page a case.

Each file holds a block of page furniture copied from a real page (the dev set's pages, the real
front pages, the mirrors' pages) with a few paragraphs of article text marked ``data-body``; its
name says what it shows, its opening comment where it comes from. The generic extractor's text must
be exactly the marked paragraphs, in order: feedparser's way of pinning behaviour, many tiny
fixtures each named after what it shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.generic.clean_tree import parse_html
from crawler.pages.base import response_from_bytes, to_item_now
from crawler.pages.generic import GenericArticlePage

FIXTURES = Path(__file__).parent / "data" / "furniture"
CASES = sorted(FIXTURES.glob("*.html"))


def marked_body(page: bytes) -> list[str]:
    root = parse_html(page.decode("utf-8"))
    return [" ".join(element.text_content().split()) for element in root.xpath("//*[@data-body]")]


def test_there_are_cases():
    assert len(CASES) >= 20


@pytest.mark.parametrize("path", CASES, ids=[path.stem for path in CASES])
def test_only_the_article_text_is_kept(path: Path):
    page = path.read_bytes()
    raw = to_item_now(GenericArticlePage(response_from_bytes(page, f"http://furniture.invalid/{path.name}")))
    assert raw.body_lines == marked_body(page)


def extract(name: str):
    page = (FIXTURES / f"{name}.html").read_bytes()
    return to_item_now(GenericArticlePage(response_from_bytes(page, f"http://furniture.invalid/{name}.html")))


def test_bylines_and_editor_lines_left_out_of_the_text_are_still_read():
    zebian = extract("editor_line_zebian_share_prompt_app_box")
    assert (zebian.reporters, zebian.editors) == (["葛灵丹"], ["萧潇", "张妍"])
    sohu = extract("editor_line_back_link_platform_notice_read_count")
    assert (sohu.reporters, sohu.editors) == (["彭冲"], ["刘欢"])
