"""One rule of the cleaning layer per test, on real sentences from the seeds and the target sites."""

from __future__ import annotations

import pytest

from core.items import Article
from processors.boilerplate import load_rules
from processors.bylines import bylines, dateline_date, dateline_outlet, parse_byline
from processors.clean import clean_article
from processors.normalize import has_mojibake, normalize_line, normalize_lines, strip_pinyin_annotations


def clean(*lines: str, title: str | None = "标题") -> Article:
    return clean_article(Article(url="", site="generic", title=title, body="\n".join(lines)))


def test_pinyin_annotation_after_a_character_is_removed() -> None:
    assert strip_pinyin_annotations("海絲先行區(qū)藍(lán)圖") == "海絲先行區藍圖"


def test_pinyin_like_debris_of_mojibake_stays() -> None:
    assert strip_pinyin_annotations("勇?lián)?dāng)做主力") == "勇?lián)?dāng)做主力"


def test_parentheses_that_are_not_pinyin_stay() -> None:
    assert strip_pinyin_annotations("僑港澳臺(在外泉商)及文旅") == "僑港澳臺(在外泉商)及文旅"
    assert strip_pinyin_annotations("国广国际在线网络(北京)有限公司") == "国广国际在线网络(北京)有限公司"


def test_control_characters_and_odd_spaces_go() -> None:
    assert normalize_line("\u3000\u30008月1日,\u200b会议\x07召开。\xa0") == "8月1日,会议召开。"


def test_whole_text_normalisation_drops_empty_lines() -> None:
    assert normalize_lines("標題(tí)\r\n\n\u3000 正文\x07第一段。 \n  ") == ["標題", "正文第一段。"]


def test_mojibake_is_found() -> None:
    assert has_mojibake("請?jiān)?0日內進行")
    assert has_mojibake("借鑒“廈明山??叼B(yǎng)卡”做法")
    assert has_mojibake("壞\ufffd字")
    assert not has_mojibake("想爆料?請登錄《陽光連線》")


def test_copyright_statement_ends_the_article() -> None:
    article = clean(
        "正文第一段。", "1、本網站所登載之內容,不論原創或轉載,皆以傳播傳遞信息為主。", "正文之后的残余。"
    )
    assert article.body == "正文第一段。"


def test_editor_line_becomes_editors_and_ends_the_article() -> None:
    article = clean("正文。", "責任編輯:唐秀敏", "- 泉州舉行兩條新開辟“絲路”航線首航儀式2023-02-16")
    assert article.body == "正文。"
    assert article.editors == ["唐秀敏"]


def test_editor_line_in_brackets_is_an_editor_line() -> None:
    article = clean("正文第一段。", "（责任编辑：王晓东）", "相关新闻")
    assert article.body == "正文第一段。"
    assert article.editors == ["王晓东"]


def test_related_news_lines_with_dates_are_dropped() -> None:
    rules = load_rules()
    assert rules.match("- 泉州至金门“小三通”今起恢复通航2023-02-12").kind == "related-news"
    assert rules.match("已有0人发表了评论").kind == "comment-counter"
    assert rules.match("- 进入视频频道最新视频").kind == "channel-navigation"


def test_advertisement_after_source_line_is_gone() -> None:
    article = clean("正文。", "來源:濟寧新聞網", "想爆料?請登錄《陽光連線》、撥打新聞熱線0531-66661234")
    assert article.body == "正文。"
    assert article.outlet == "济宁新闻网"


def test_meta_line_fills_date_outlet_and_editors() -> None:
    article = clean(
        "2018-08-02 08:41:21  |  來源:遼寧日報  |  編輯:李靜   |  責編:董健雄", "  8月1日,會議召開。"
    )
    assert article.published.isoformat() == "2018-08-02T08:41:21+08:00"
    assert article.outlet == "辽宁日报"
    assert article.editors == ["李静", "董健雄"]
    assert article.body == "8月1日,會議召開。"


def test_original_title_is_kept_in_its_script_and_serves_as_title() -> None:
    article = clean(
        "原標題:加快新舊動能轉換", "濟寧新聞網訊(濟寧臺 吳鐘亮) 8月29日上午,會議召開。", title=None
    )
    assert article.title == article.original_title == "加快新舊動能轉換"
    assert article.reporters == ["吴钟亮"]


def test_original_title_is_kept_when_the_title_repeats_it() -> None:
    article = clean("原标题:两岸青年同台比拼", "本报讯 昨日,大赛落幕。", title="两岸青年同台比拼")
    assert article.title == article.original_title == "两岸青年同台比拼"
    assert article.body == "本报讯 昨日,大赛落幕。"


def test_bylines_stay_in_their_paragraph() -> None:
    article = clean("閩南網2月17日訊(閩南網記者 陳玉玲)16日,會議召開。", "會議結束。(記者 楊忠厚 明紹庚)")
    assert article.body.startswith("閩南網2月17日訊(閩南網記者 陳玉玲)")
    assert article.body.endswith("(記者 楊忠厚 明紹庚)")
    assert article.reporters == ["陈玉玲", "杨忠厚", "明绍庚"]


def test_joint_byline_names_two_outlets() -> None:
    names, outlets = parse_byline("厦门日报记者 蔡镇金 泉州晚报记者 陈林森")
    assert names == ["蔡镇金", "陈林森"]
    assert outlets == ["厦门日报", "泉州晚报"]


def test_correspondents_are_not_reporters() -> None:
    assert parse_byline("记者 吴清河 通讯员 王建国")[0] == ["吴清河"]


def test_byline_glued_to_its_role() -> None:
    assert bylines(["泉州网-泉州晚报讯 (记者郑意凡)22日,泉州召开会议。"])[0] == ["郑意凡"]


def test_standalone_byline_line_is_a_byline_not_text() -> None:
    article = clean("本报记者 王海涛", "会议今日召开。")
    assert article.body == "会议今日召开。"
    assert article.reporters == ["王海涛"]


@pytest.mark.parametrize(
    ("line", "reporters"),
    [
        ("文/图 本网记者 林小燕", ["林小燕"]),  # a credit (text and pictures by) before the byline
        ("（泉州网记者 黄志明 通讯员 李建国）", ["黄志明"]),  # an outlet glued to the role
        ("闪电新闻记者 王磊 菏泽报道", ["王磊"]),  # no brackets, and where it was reported from
    ],
)
def test_byline_only_lines_with_credits_outlets_or_places_are_bylines(
    line: str, reporters: list[str]
) -> None:
    article = clean("会议今日召开。", line)
    assert article.body == "会议今日召开。"
    assert article.reporters == reporters


def test_dateline_ending_in_baodao_with_its_byline() -> None:
    article = clean("国际在线浙江报道（记者 李明）：昨日，杭州举行招聘会。")
    assert article.reporters == ["李明"]
    assert bylines(["据新华社报道，昨日会议召开。"])[0] == []  # 报道 without a byline is prose


def test_author_and_editor_fields_may_carry_their_label_and_annotations() -> None:
    article = clean_article(
        Article(
            url="",
            site="generic",
            title="标题",
            body="正文。",
            reporters=["作者：张小军"],
            editors=["責(zé)任編輯:王小明", "责编：李华 陈静"],
        )
    )
    assert article.reporters == ["张小军"]
    assert article.editors == ["王小明", "李华", "陈静"]


def test_dateline_names_the_outlet() -> None:
    assert dateline_outlet("泉州网-泉州晚报讯 (记者郑意凡)22日") == "泉州晚报"
    assert dateline_outlet("闽南网2月17日讯(闽南网记者 陈玉玲)") == "闽南网"
    assert dateline_outlet("本报讯（记者 蔡晓丹）昨日") is None


def test_dateline_date_takes_its_year_from_the_page() -> None:
    date = dateline_date("闽南网2月17日讯(闽南网记者 陈玉玲)16日", "- 新闻2023-02-16\n- 新闻2023-02-09")
    assert date.isoformat() == "2023-02-17T00:00:00+08:00"
    assert dateline_date("闽南网12月30日讯 会议", "- 新闻2024-01-02").year == 2023


def test_body_html_is_the_cleaned_paragraphs_escaped() -> None:
    article = clean("第一段<script>alert(1)</script>。", "責任編輯:唐秀敏")
    assert article.body_html == "<p>第一段&lt;script&gt;alert(1)&lt;/script&gt;。</p>\n"
