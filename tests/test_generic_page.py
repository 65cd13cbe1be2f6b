"""crawler.pages.generic.GenericArticlePage: the page-object contract over a whole small page."""

from __future__ import annotations

from web_poet import HttpResponse

from core.dates import parse_datetime
from crawler.pages.base import RawArticle, response_from_bytes, to_item_now
from crawler.pages.generic import GenericArticlePage

PARAGRAPH = "泉州市今天召开会议，部署今年的重点工作，会议强调要抓好落实，确保各项任务按期完成。"

PAGE = f"""<html><head><meta charset="gbk"><title>泉州召开重点工作会议_泉州新闻_泉州网</title></head>
<body>
<div class="nav"><a href="/">首页</a> <a href="/news">新闻</a> <a href="/city">城市</a></div>
<div class="main">
  <h1>泉州召开重点工作会议</h1>
  <div class="info">2022-02-13 09:57 来源：泉州晚报 作者：张三</div>
  <div class="content"><p>{PARAGRAPH}</p><p>一、总体要求</p><p>{PARAGRAPH}</p></div>
  <div class="editor">责任编辑：李四</div>
  <div class="share">分享到：微信 微博</div>
</div>
<ul class="list"><li><a href="/a/1">·另一条新闻（2021-01-01）</a></li><li><a href="/a/2">·又一条</a></li></ul>
<div class="footer">Copyright © 2022 泉州网 版权所有</div>
</body></html>"""


def page(body: bytes = PAGE.encode("gb18030")) -> RawArticle:
    return to_item_now(GenericArticlePage(response_from_bytes(body, "http://www.example.cn/news/a.html")))


def test_fields():
    raw = page()
    assert raw.title == "泉州召开重点工作会议"
    assert parse_datetime(raw.published_raw).isoformat() == "2022-02-13T09:57:00+08:00"
    assert raw.outlet == "泉州晚报"
    assert raw.reporters == ["张三"]
    assert raw.editors == ["李四"]
    assert raw.body_lines == [PARAGRAPH, "一、总体要求", PARAGRAPH]
    assert raw.extractor == "generic"


def test_built_from_a_response_as_spiders_do():
    response = HttpResponse(url="http://www.example.cn/a.html", body=PAGE.encode("utf-8"), encoding="utf-8")
    assert GenericArticlePage(response).body_lines[0] == PARAGRAPH


def test_undeclared_gbk_bytes_are_decoded():
    body = PAGE.replace('<meta charset="gbk">', "").encode("gb18030")
    assert page(body).title == "泉州召开重点工作会议"


def test_empty_page():
    raw = page(b"")
    assert raw.body_lines == []
    assert raw.published_raw is None
