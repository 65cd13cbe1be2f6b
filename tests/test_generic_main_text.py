"""crawler.generic.main_text: which lines are the article."""

from __future__ import annotations

from crawler.generic.clean_tree import clean_tree, parse_html
from crawler.generic.main_text import best_span, drop_furniture, drop_header, find_main_text, line_value
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


def test_furniture_between_paragraphs_is_dropped():
    markup = f"<body><p>{PARAGRAPH}</p><p>广告</p><p>{PARAGRAPH}</p><p>打印 关闭</p><p>{PARAGRAPH}</p></body>"
    main = find_main_text(text_lines(clean_tree(parse_html(markup))))
    assert [line.text for line in drop_furniture(main).lines] == [PARAGRAPH] * 3
    assert (main.start, main.stop) == (0, 5)


def test_labels_between_the_header_and_the_text_go_but_bylines_stay():
    markup = (
        f"<body><h1>泉州召开会议</h1><div>2022-02-13 09:57 来源：泉州网</div><div>音频 04:29</div>"
        f"<div>作者：张三</div><div>7 分钟</div><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></body>"
    )
    main = find_main_text(text_lines(clean_tree(parse_html(markup))))
    kept = drop_header(main, "泉州召开会议")
    assert [line.text for line in kept.lines] == ["作者：张三", PARAGRAPH, PARAGRAPH]


def test_a_date_line_after_a_paragraph_is_no_header():
    long_paragraph = PARAGRAPH * 3
    markup = f"<body><p>{long_paragraph}</p><p>2022-02-13 09:57</p><p>{PARAGRAPH}</p></body>"
    main = find_main_text(text_lines(clean_tree(parse_html(markup))))
    assert drop_header(main, None).lines[0].text == long_paragraph


def test_an_undated_site_dateline_is_a_header():
    dateline = "http://www.example.cn 2022年02月13日 09:57 泉州晚报"
    markup = f"<body><h1>泉州召开会议</h1><div>{dateline}</div><p>{PARAGRAPH}</p></body>"
    main = find_main_text(text_lines(clean_tree(parse_html(markup))))
    assert [line.text for line in drop_header(main, "泉州召开会议").lines] == [PARAGRAPH]
