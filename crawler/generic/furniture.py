"""Page furniture told by its words: the lines of a page that are never article text.

Two kinds, both judged on one line at a time, whatever the site:

- **section breaks**, walls the article never runs across: the heading of a related-reading block
  (相关阅读, 推荐阅读, 大家都在看…), 上一篇 / 下一篇, the editor's line (责任编辑, 责编, 编辑…), a
  pager (上一页 1 2 3 下一页), comment prompts, copyright lines;
- **furniture lines**, which may sit anywhere, even between paragraphs, and are dropped wherever
  they are: toolbars and share bars (打印 关闭 收藏, 字体：大 中 小, 分享到 微信 微博 QQ空间),
  app and QR-code prompts (下载客户端, 扫一扫在手机打开当前页), reading counters (已被阅读178次),
  an ad's label (广告), 展开全文.

The markup's side of furniture (class and id names, ``<nav>``, hidden blocks) is
``crawler.generic.clean_tree``'s.
"""

from __future__ import annotations

import re

from crawler.generic.text_lines import Line

SECTION_BREAK_MAX_CHARS = 60
"""Longer lines are prose that happens to start with such a word."""
_SENTENCE_END = re.compile(r"[。！？]")

_HEADINGS = (
    "相关阅读|相關閱讀|相关新闻|相關新聞|相关报道|相關報道|相关链接|相关文章|相关推荐|相关专题|相关稿件|"
    "相关视频|相关图集|延伸阅读|扩展阅读|拓展阅读|推荐阅读|精彩推荐|编辑推荐|今日推荐|为你推荐|为您推荐|"
    "热点推荐|热门推荐|热门文章|热文推荐|热点新闻|热点排行|阅读排行|点击排行|新闻排行|排行榜|猜你喜欢|"
    "你可能感兴趣|您可能感兴趣|你可能还喜欢|你可能也喜欢|大家都在看|往期回顾|往期精彩|往期推荐|更多精彩|"
    "作者简介|关于作者|该作者文章|作者其他文章|"
    "网友评论|发表评论|我要评论|评论列表|最新评论|热门评论|全部评论|网友跟帖|参与评论|查看评论|"
    "已有\\s*\\d+\\s*人(?:参与|发表|评论)"
)
HEADINGS = re.compile(rf"^\W{{0,3}}(?:{_HEADINGS})")
"""Headings of what follows an article: related reading, the author's other pieces, comments.
A line that ends a sentence is prose starting with such a word (排行榜显示，…。), not one."""
_NEIGHBOURS = "上一篇|下一篇|上一条|下一条|[上下]篇\\s*[:：]"
NEIGHBOURS = re.compile(rf"^\W{{0,3}}(?:{_NEIGHBOURS})")
NEIGHBOURS_MAX_CHARS = 120
"""上一篇 / 下一篇 lines name two headlines and can be long."""
_NOTICES = "版权声明|免责声明|反侵权公告|特别声明|声明\\s*[:：]|分享到|分享至|打印本页|关闭窗口"
_EDITOR = r"(?:值班编辑|编辑|編輯|审核|審核|审校|校对|校對|终审|初审|复审|编审|监制)\s*[:：]"
SECTION_BREAKS = re.compile(rf"^\W{{0,3}}(?:{_NOTICES}|{_EDITOR})|(?:责任编辑|責任編輯|责编|責編)\s*[:：]")
"""Notices, the share bar's label and the editor's line (责任编辑 anywhere in a short line)."""

_PAGE_WORD = r"上一页|下一页|上页|下页|首页|尾页|末页|前页|后页|第\s*\d+\s*页|共\s*\d+\s*页"
PAGER = re.compile(rf"(?:{_PAGE_WORD}|\d|[\W_])+")
"""A pager: page words, numbers and brackets only (``12下一页``, ``第1页/共1页 << 上一页 | 下一页 >>``)."""
_PAGER_SIGN = re.compile(
    r"上一?页|下一?页|前页|后页|第\s*\d+\s*页|共\s*\d+\s*页|[\[【]\s*\d+\s*[\]】].*[\[【]\s*\d+\s*[\]】]"
)

COPYRIGHT = re.compile(
    r"©|ICP[备証证]|公网安备|all rights reserved|copyright|版权所有|版權所有|版权(?:均)?[属归]"
    r"|未经.{0,10}(?:授权|许可|同意).{0,10}(?:转载|使用|复制)",
    re.IGNORECASE,
)
COPYRIGHT_MAX_CHARS = 200
"""Copyright lines can be long; a longer line mentioning 版权所有 is prose about copyright."""

_TOOL_WORDS = (
    r"分享(?:到|至)?|一键分享|转发|转载|打印(?:本页|本稿|本文|文章)?|关闭(?:窗口|本页)?|"
    r"(?:加入|已)?收藏(?:本文|本页)?|(?:字体|字号)\s*[:：]?\s*[大中小](?:\s*[大中小]){1,2}|[大中小]字号|"
    r"放大|缩小|默认|推荐(?:给朋友|本文)?|(?:我要)?纠错|我要\W{0,2}揪\W{0,2}错|我来说两句|评论|(?:复制|拷贝)(?:链接|网址)|"
    r"微信(?:好友)?|朋友圈|(?:新浪|腾讯|人民)?微博|QQ(?:空间|好友)?|豆瓣|人人网|开心网|百度贴吧|今日头条|抖音|"
    r"Facebook|Twitter|LinkedIn|WhatsApp|Telegram|E-?mail|邮件|"
    r"扫一扫|手机(?:看|阅读|浏览|版)|返回(?:顶部|首页|列表)?|回到顶部|页面功能|点赞|赞|举报|"
    r"发(?:送)?给朋友|订阅|广告|展开(?:阅读)?全文|阅读全文|查看全文|更多|查看更多|more|"
    r"关注|已关注|粉丝|获赞|文章|总阅读|阅读|阅读量|浏览|评论数"
)
TOOLBAR = re.compile(rf"(?:{_TOOL_WORDS}|\d|[\W_])+", re.IGNORECASE)
"""A line of buttons: share targets, print / close / bookmark, font size, an ad's label, counts."""
_TOOL_WORD = re.compile(_TOOL_WORDS, re.IGNORECASE)
TOOLBAR_MAX_CHARS = 80

APP_PROMPT = re.compile(
    r"^\W{0,3}(?:点击|立即|马上|免费|请)?(?:下载|打开|安装).{0,15}(?:客户端|APP|应用程序)"
    r"|(?:客户端|APP)\s*(?:下载|内打开|阅读)\W*$"
    r"|^\W{0,3}(?:扫描|扫码|扫一扫|长按|微信扫).{0,15}(?:二维码|关注|下载|打开|阅读|分享|手机)"
    r"|二维码\W*$"
    r"|关注.{0,12}(?:公众号|微信号|服务号|视频号|官方微博|官方微信|抖音号)"
    r"|^\W{0,3}更多.{0,12}(?:关注|访问|登录|下载)"
    r"|^\W{0,3}(?:点击|点此)(?:查看|进入|阅读|播放|这里|此处)"
    r"|订阅.{0,10}(?:新闻信|邮件|电子报)|每日新闻信",
    re.IGNORECASE,
)
"""Invitations to install an app, scan a QR code, follow an account or click through."""
PROMPT_MAX_CHARS = 40
COUNTER = re.compile(
    r"已被(?:阅读|浏览|点击|访问)\s*\d+\s*次|(?:阅读|浏览|点击|访问)(?:次数|量|数|统计)\s*[:：]"
    r"|(?:阅读|浏览|点击)\s*[(（]\s*\d*\s*[)）]|trackback",
    re.IGNORECASE,
)
"""Reading counters and blog trackback notes."""
COUNTER_MAX_CHARS = 100
FURNITURE_START = re.compile(
    r"^[【\[]?(更多|查看更多|more|打印|关闭|返回顶部|扫一扫|收藏|点赞)", re.IGNORECASE
)
"""Words that start a furniture line (a "more" link, a toolbar) but may start a sentence too."""


def is_section_break(line: Line) -> bool:
    """A line the article text never runs across: 责任编辑, 相关新闻, 上一篇, a pager, copyright lines…"""
    text = line.text
    if line.chars <= SECTION_BREAK_MAX_CHARS and (
        SECTION_BREAKS.search(text)
        or (HEADINGS.search(text) and not _SENTENCE_END.search(text))
        or (PAGER.fullmatch(text) and _PAGER_SIGN.search(text))
    ):
        return True
    if line.chars <= NEIGHBOURS_MAX_CHARS and NEIGHBOURS.search(text):
        return True
    return (
        line.chars <= COPYRIGHT_MAX_CHARS
        and bool(COPYRIGHT.search(text))
        and (line.chars <= SECTION_BREAK_MAX_CHARS or "版权所有" not in text)
    )


def is_furniture(line: Line) -> bool:
    """A line that is never article text wherever it stands: a toolbar or share bar, an app or QR
    prompt, a reading counter."""
    text = line.text
    if line.chars <= TOOLBAR_MAX_CHARS and TOOLBAR.fullmatch(text) and _TOOL_WORD.search(text):
        return True
    if _SENTENCE_END.search(text):
        return False
    return (line.chars <= PROMPT_MAX_CHARS and bool(APP_PROMPT.search(text))) or (
        line.chars <= COUNTER_MAX_CHARS and bool(COUNTER.search(text))
    )


def starts_with_furniture(line: Line) -> bool:
    """A short line starting like furniture (更多…, 打印…): costly in the text, but not dropped."""
    return line.chars <= SECTION_BREAK_MAX_CHARS and bool(FURNITURE_START.search(line.text))
