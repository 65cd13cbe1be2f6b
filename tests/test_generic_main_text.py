"""crawler.generic.main_text: which lines are the article."""

from __future__ import annotations

from crawler.generic.clean_tree import clean_tree, parse_html
from crawler.generic.main_text import best_span, drop_header, find_main_text, is_section_break, line_value
from crawler.generic.text_lines import Line, text_lines

PARAGRAPH = "泉州市今天召开会议，部署今年的重点工作，会议强调要抓好落实，确保各项任务按期完成。"


def main_lines(markup: str) -> list[str]:
    return [line.text for line in find_main_text(text_lines(clean_tree(parse_html(markup)))).lines]


def line(text: str, link_chars: int = 0) -> Line:
    chars = len("".join(text.split()))
    return Line(text, chars, link_chars)


def test_prose_is_worth_its_length():
    assert line_value(line(PARAGRAPH)) == len(PARAGRAPH)


def test_link_lines_cost():
    assert line_value(line("·某地召开会议部署工作", link_chars=11)) < 0


def test_short_unpunctuated_lines_cost_a_little():
    assert -10 < line_value(line("首页")) < 0


def test_section_breaks():
    assert is_section_break(line("责任编辑：张三"))
    assert is_section_break(line("【相关新闻】"))
    assert is_section_break(line("上一篇：某某新闻"))
    assert is_section_break(line("Copyright © 2022 泉州网 版权所有"))
    assert not is_section_break(line("他说，要把经验分享到各地，" + PARAGRAPH))
    prose = "播客在使用音乐时，一定要获得版权所有者或制作人的许可。" + PARAGRAPH * 3
    assert not is_section_break(line(prose))


def test_best_span_is_the_maximum_subarray():
    assert best_span([-5, 10, -2, 10, -30, 8]) == (1, 4)
    assert best_span([-1, -2]) == (0, 0)


def test_menus_and_related_links_around_the_text_are_dropped():
    markup = (
        "<body><div><a href='/'>首页</a> <a href='/n'>新闻</a></div>"
        f"<div class='text'><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></div>"
        "<ul><li><a href='/1'>·另一条新闻的标题很长很长</a></li>"
        "<li><a href='/2'>·又一条新闻标题</a></li></ul>"
        "</body>"
    )
    assert main_lines(markup) == [PARAGRAPH, PARAGRAPH]


def test_subheads_and_captions_between_paragraphs_stay():
    markup = f"<body><p>{PARAGRAPH}</p><p>图为会议现场</p><p>一、总体要求</p><p>{PARAGRAPH}</p></body>"
    assert main_lines(markup) == [PARAGRAPH, "图为会议现场", "一、总体要求", PARAGRAPH]


def test_br_separated_text_in_a_table_cell():
    markup = f"<body><table><tr><td>导航</td><td>{PARAGRAPH}<br>{PARAGRAPH}</td></tr></table></body>"
    assert main_lines(markup) == [PARAGRAPH, PARAGRAPH]


def test_text_stops_at_the_editor_line():
    markup = f"<body><p>{PARAGRAPH}</p><p>责任编辑：李四</p><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></body>"
    assert main_lines(markup) == [PARAGRAPH, PARAGRAPH]


def test_text_stops_at_a_repeated_headline():
    markup = f"<body><h1>泉州召开会议</h1><p>{PARAGRAPH}</p><h1>泉州召开会议</h1><p>{PARAGRAPH}</p></body>"
    assert len(main_lines(markup)) == 1


def test_drop_header_removes_title_and_dated_byline():
    markup = (
        f"<body><div><h1>泉州召开会议</h1><div>2022-02-13 09:57 来源：泉州网</div>"
        f"<p>本报记者 张三</p><p>{PARAGRAPH}</p></div></body>"
    )
    main = find_main_text(text_lines(clean_tree(parse_html(markup))))
    kept = drop_header(main, "泉州召开会议")
    assert [line.text for line in kept.lines] == ["本报记者 张三", PARAGRAPH]
    assert kept.start == 2


def test_empty_page_has_no_text():
    assert main_lines("<body></body>") == []
