"""crawler.generic.metadata: title, 来源, reporters, editors."""

from __future__ import annotations

from crawler.generic.clean_tree import parse_html
from crawler.generic.metadata import (
    find_editors,
    find_outlet,
    find_reporters,
    find_title,
    title_from_lines,
    title_segments,
)
from crawler.generic.text_lines import text_lines


def test_heading_matching_the_title_tag_wins_over_the_logo():
    markup = "<title>泉州召开会议_泉州新闻_泉州网</title><body><h1>泉州网</h1><h2>泉州召开会议</h2></body>"
    assert find_title(parse_html(markup)) == "泉州召开会议"


def test_title_tag_first_segment_without_headings():
    assert find_title(parse_html("<title>泉州召开会议 - 泉州网</title><body></body>")) == "泉州召开会议"


def test_title_segments():
    assert title_segments("标题_频道_网站") == ["标题", "频道", "网站"]
    assert title_segments("标题|网站") == ["标题", "网站"]
    assert title_segments("COVID-19 疫情通报-泉州网") == ["COVID-19 疫情通报", "泉州网"]


def test_short_heading_contained_in_title():
    assert find_title(parse_html("<title>金锺国 - 维基百科</title><body><h1>金锺国</h1></body>")) == "金锺国"


def test_title_from_the_page_when_the_title_tag_is_a_site_name():
    paragraph = "会议强调要抓好落实，确保各项任务按期完成。" * 5
    markup = f"<body><p>欢迎访问本站</p><p><b>犬儒病(上)</b></p><p>{paragraph}</p></body>"
    lines = text_lines(parse_html(markup))
    assert title_from_lines(lines, 2, "显示") == "犬儒病(上)"


def test_outlet():
    assert find_outlet(["2022-02-13 09:57 来源：泉州网 作者：张三"]) == "泉州网"
    assert find_outlet(["来源:中国新闻网"]) == "中国新闻网"
    assert find_outlet(['来源： size="20"']) is None


def test_reporters_from_bylines():
    assert find_reporters(parse_html("<p/>"), ["（记者 王建宏 张文攀）"]) == ["王建宏", "张文攀"]
    assert find_reporters(parse_html("<p/>"), ["本报记者 王燕平、方云凤"]) == ["王燕平", "方云凤"]
    assert find_reporters(parse_html("<p/>"), ["新京报记者 彭冲 山东冠县报道"]) == ["彭冲"]


def test_reporter_words_in_prose_are_not_bylines():
    assert find_reporters(parse_html("<p/>"), ["记者却看到了另外一番景致。", "作者本人观点"]) == []


def test_reporter_from_meta_author():
    markup = '<meta name="author" content="张三">'
    assert find_reporters(parse_html(markup), []) == ["张三"]
    assert find_reporters(parse_html('<meta name="author" content="https://x.com/a">'), []) == []


def test_editors():
    assert find_editors(["责任编辑：孙重远"]) == ["孙重远"]
    assert find_editors(["【编辑:刘欢】"]) == ["刘欢"]


def test_correspondents_are_not_reporters():
    assert find_reporters(parse_html("<html></html>"), ["本报讯 记者 张三 通讯员 李四"]) == ["张三"]
