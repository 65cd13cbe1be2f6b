"""crawler.generic.furniture: which lines are page furniture, on lines of our own.

The same blocks as found on real pages are in ``tests/data/furniture/`` (test_generic_furniture_pages).
"""

from __future__ import annotations

import pytest

from crawler.generic.furniture import is_furniture, is_section_break, starts_with_furniture
from crawler.generic.text_lines import Line

PARAGRAPH = "泉州市今天召开会议，部署今年的重点工作，会议强调要抓好落实，确保各项任务按期完成。"


def line(text: str, link_chars: int = 0) -> Line:
    return Line(text, len("".join(text.split())), link_chars)


@pytest.mark.parametrize(
    "text",
    [
        "责任编辑：张三",
        "【相关新闻】",
        "上一篇：某某新闻",
        "Copyright © 2022 泉州网 版权所有",
        "(责编：王五、赵六)",
        "【编辑:刘七】 返回首页",
        "本文来源：泉州网 责任编辑：张三_NQ5",
        "审核：李四",
        "大家都在看",
        "为你推荐",
        "已有0人发表了评论",
        "上一篇：泉州市召开全市重点项目建设推进会 下一篇：晋江市召开民营经济发展大会部署全年工作",
        "上一页 1 2 3 下一页",
        "12下一页",
        "第1页/共2页 << 上一页 | 下一页 >>",
        "[1] [2] [3]",
        "凡本网注明来源的作品，版权均属本网所有，未经授权不得转载。",
    ],
)
def test_section_breaks(text: str):
    assert is_section_break(line(text))


@pytest.mark.parametrize(
    "text",
    [
        "他说，要把经验分享到各地，" + PARAGRAPH,
        "播客在使用音乐时，一定要获得版权所有者或制作人的许可。" + PARAGRAPH * 3,
        "排行榜显示，泉州的三家企业进入前十。",
        "已有3人被依法刑事拘留。",
        "编辑部的同事们连夜赶稿。",
        "首页",
        "第一部分 总体要求",
        "2022",
    ],
)
def test_prose_and_labels_are_no_section_breaks(text: str):
    assert not is_section_break(line(text))


@pytest.mark.parametrize(
    "text",
    [
        "打印 关闭 收藏",
        "【字体：大 中 小】",
        "小字号",
        "分享到： 微信 微博 QQ空间",
        "【打印本稿】【推荐】【关闭】",
        "广告",
        "阅读 (1234)",
        "展开全文",
        "下载泉州通客户端，看更多本地新闻",
        "泉州通APP下载",
        "扫一扫在手机打开当前页",
        "扫描二维码关注泉州网",
        "泉州网二维码",
        "欢迎关注泉州网微信公众号",
        "更多精彩内容请继续关注泉州网",
        "点击查看大图",
        "(本文已被阅读178次)",
        "浏览次数：321",
        "本文引用地址(Trackback): http://blog.example.cn/tb.php?id=1",
    ],
)
def test_furniture_lines(text: str):
    assert is_furniture(line(text))


@pytest.mark.parametrize(
    "text",
    [
        PARAGRAPH,
        "市民可下载“泉州通”客户端办理业务。",
        "二维码支付已覆盖全市菜市场。",
        "该应用下载量突破百万。",
        "更多的市民选择绿色出行。",
        "打开新局面",
        "—— 2022 ——",
    ],
)
def test_prose_and_headings_are_no_furniture(text: str):
    assert not is_furniture(line(text))


def test_furniture_starts_cost_but_are_no_furniture():
    assert starts_with_furniture(line("更多>>"))
    assert starts_with_furniture(line("更多的市民选择绿色出行"))
    assert not is_furniture(line("更多的市民选择绿色出行"))
