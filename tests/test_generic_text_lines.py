"""crawler.generic.text_lines: the page as lines in reading order."""

from __future__ import annotations

from crawler.generic.clean_tree import parse_html
from crawler.generic.text_lines import text_lines


def lines_of(markup: str) -> list[str]:
    return [line.text for line in text_lines(parse_html(markup))]


def test_paragraphs_are_lines():
    assert lines_of("<body><p>第一段。</p><p>第二段。</p></body>") == ["第一段。", "第二段。"]


def test_br_separates_lines_within_one_block():
    assert lines_of("<body><td>第一行。<br>第二行。<br/><br/>第三行。</td></body>") == [
        "第一行。",
        "第二行。",
        "第三行。",
    ]


def test_inline_tags_do_not_break_lines():
    assert lines_of("<body><p>甲<b>乙</b><span>丙</span>丁</p></body>") == ["甲乙丙丁"]


def test_text_after_a_nested_block_is_its_own_line():
    assert lines_of("<body><div>前言<div>内层</div>后记</div></body>") == ["前言", "内层", "后记"]


def test_whitespace_is_collapsed_and_ideographic_indent_stripped():
    assert lines_of("<body><p>\u3000\u3000正文  开始\n 了。</p></body>") == ["正文 开始 了。"]


def test_link_characters_are_counted():
    [line] = text_lines(parse_html("<body><p>看<a href='/x'>相关新闻</a></p></body>"))
    assert (line.chars, line.link_chars) == (5, 4)


def test_heading_lines_are_marked():
    lines = text_lines(parse_html("<body><h1>标题</h1><p>正文。</p></body>"))
    assert [line.heading for line in lines] == [True, False]
