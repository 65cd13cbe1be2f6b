"""crawler.generic.pubdate: which date is the publication date."""

from __future__ import annotations

from datetime import date

from core.dates import parse_datetime
from crawler.generic.clean_tree import clean_tree, parse_html
from crawler.generic.main_text import find_main_text
from crawler.generic.pubdate import dates_in, find_date, meta_date, url_date
from crawler.generic.text_lines import text_lines

PARAGRAPH = "泉州市今天召开会议，部署今年的重点工作，会议强调要抓好落实，确保各项任务按期完成。" * 2


def day(text: str | None) -> date | None:
    parsed = parse_datetime(text)
    return parsed.date() if parsed else None


def page_date(markup: str, url: str | None = None) -> str | None:
    root = parse_html(markup)
    meta = meta_date(root)
    lines = text_lines(clean_tree(root))
    main = find_main_text(lines)
    return find_date(meta, lines, None, (main.start, main.stop), url)


def test_meta_published_time():
    markup = '<head><meta property="article:published_time" content="2022-02-13T09:57:00+08:00"></head>'
    assert day(meta_date(parse_html(markup))) == date(2022, 2, 13)


def test_meta_pubdate_chinese_government_style():
    assert day(meta_date(parse_html('<meta name="PubDate" content="2022-02-11 09:52">'))) == date(2022, 2, 11)


def test_iso_time_in_utc_is_read_in_shanghai_time():
    [found] = dates_in("2022-02-12T23:30:00Z")
    assert found.value.isoformat() == "2022-02-13T07:30:00+08:00"
    assert parse_datetime(found) == found.value
    assert day(found) == date(2022, 2, 13)


def test_time_element():
    markup = '<body><time datetime="2021-05-04">May</time></body>'
    assert day(meta_date(parse_html(markup))) == date(2021, 5, 4)


def test_us_date_with_am_pm_is_month_first():
    [found] = dates_in("发布日期： 9/17/2004 5:54:13 AM")
    assert found == "2004-09-17 05:54:13"


def test_chinese_date_is_kept_as_written():
    assert dates_in("2018年03月20日 10:22 来源：济宁新闻网") == ["2018年03月20日 10:22"]


def test_impossible_dates_are_skipped():
    assert dates_in("2022-13-45") == []


def test_url_dates():
    assert url_date("http://www.example.cn/news/2022-02/13/content_1.htm") == "2022-02-13"
    assert url_date("http://www.example.gov.cn/xxgk/202202/t20220213_123.html") == "2022-02-13"
    assert url_date("http://www.example.cn/2022/0213/c1-2.html") == "2022-02-13"
    assert url_date("http://www.example.cn/content_5219051.htm") is None


def test_byline_date_beats_dates_in_related_news():
    markup = (
        "<body><h1>泉州召开会议</h1><div>2022-02-13 09:57 来源：泉州网</div>"
        f"<p>{PARAGRAPH}</p><p>{PARAGRAPH}</p>"
        "<ul><li><a href='/1'>·旧闻（2021-01-01）</a></li></ul></body>"
    )
    assert day(page_date(markup)) == date(2022, 2, 13)


def test_dates_told_inside_the_story_are_not_the_publication_date():
    markup = f"<body><p>2019年5月1日，{PARAGRAPH}</p><p>{PARAGRAPH}</p></body>"
    assert page_date(markup) is None


def test_blog_date_after_the_text():
    markup = f"<body><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p><p>张三 发表于 2005-9-15 11:46:00</p></body>"
    assert day(page_date(markup)) == date(2005, 9, 15)


def test_url_date_when_the_page_shows_none():
    markup = f"<body><p>{PARAGRAPH}</p></body>"
    assert day(page_date(markup, "http://x.cn/2020/1126/a.html")) == date(2020, 11, 26)


def test_government_document_date_beats_the_web_posting_date():
    markup = (
        '<head><meta name="PubDate" content="2022-01-28 00:00:00"></head><body>'
        "<table><tr><td>成文日期：</td><td>2022年01月27日</td><td>发布日期：</td><td>2022年01月28日</td></tr></table>"
        f"<h1>关于做好春节期间工作的通知</h1><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></body>"
    )
    assert day(page_date(markup)) == date(2022, 1, 27)
