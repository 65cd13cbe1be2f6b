"""One test per tagging rule, each on a real-looking sentence."""

from __future__ import annotations

import json
from pathlib import Path

import jieba
import jieba.analyse
import pytest

from core.chinese import to_simplified
from core.data import packaged
from processors.tagging import Tagger
from processors.tagging.catalogue import load_catalogue
from processors.tagging.gazetteer import load_gazetteer
from processors.tagging.segment import ALL_HAN, LONGEST_WORD, Boundaries, cut_han


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger.default()


def places(tagger: Tagger, text: str, title: str | None = None) -> tuple[list[str], list[str], list[str]]:
    result = tagger.tag(title, text)
    return sorted(result.cities), sorted(result.counties), sorted(result.provinces)


def initiative_ids(tagger: Tagger, text: str) -> list[str]:
    return sorted(i["id"] for i in tagger.tag(None, text).initiatives)


# -- the gazetteer -------------------------------------------------------------------------------


def test_gazetteer_is_complete() -> None:
    gazetteer = load_gazetteer(packaged("places"))
    levels = [d.level for d in gazetteer.divisions.values()]
    assert levels.count("province") == 34
    assert levels.count("prefecture") >= 333
    assert levels.count("county") >= 2800
    quanzhou = gazetteer.divisions["350500"]
    assert (quanzhou.name, quanzhou.short_name, quanzhou.parent_code) == ("泉州市", "泉州", "350000")
    assert gazetteer.divisions["350505"].short_name == "泉港"
    assert gazetteer.divisions["350582"].parent_code == "350500"


def test_short_names_drop_suffixes_and_ethnic_groups() -> None:
    divisions = load_gazetteer(packaged("places")).divisions
    assert divisions["222400"].short_name == "延边"  # 延边朝鲜族自治州
    assert divisions["150000"].short_name == "内蒙古"
    assert divisions["540000"].short_name == "西藏"
    assert divisions["130133"].short_name == ""  # 赵县: a one-character stem stands alone nowhere


def test_county_rolls_up_to_city_and_province(tagger: Tagger) -> None:
    assert places(tagger, "晋江市举行民营企业招商大会。") == (["泉州"], ["晋江"], ["福建"])


def test_renamed_district_keeps_its_former_name(tagger: Tagger) -> None:
    assert places(tagger, "福州市长乐区召开项目推进会。") == (["福州"], ["长乐"], ["福建"])
    assert places(tagger, "2016年，长乐市召开项目推进会。") == (["福州"], ["长乐"], ["福建"])


def test_former_names_roll_up_to_todays_unit(tagger: Tagger) -> None:
    assert places(tagger, "襄樊市举办首届家庭文化节。")[0] == ["襄阳"]  # renamed in 2010
    assert places(tagger, "伊克昭盟的羊绒产量居全国首位。")[0] == ["鄂尔多斯"]
    assert places(tagger, "莱芜市钢铁产业转型升级。") == (["济南"], ["莱芜"], ["山东"])  # merged in 2019


def test_gazetteer_is_the_2023_table_with_its_former_names() -> None:
    gazetteer = load_gazetteer(packaged("places"))
    assert gazetteer.divisions["540600"].name == "那曲市"  # 那曲地区 until 2017
    assert gazetteer.divisions["130502"].name == "襄都区"  # 邢台 桥东区 until 2020
    assert "371200" not in gazetteer.divisions  # 莱芜市, merged into 济南 in 2019
    assert not any(d.name.endswith("开发区") for d in gazetteer.divisions.values())  # statistical zones
    former = {f.name: f.code for f in gazetteer.former_names}
    assert former["襄樊市"] == "420600"
    assert former["长乐市"] == "350112"
    assert "上甘岭区" not in former  # retired: the battle, far more often than the district


def test_autonomous_prefectures_and_areas_by_short_name_with_their_suffix(tagger: Tagger) -> None:
    assert places(tagger, "黔东南州启动乡村旅游季。")[0] == ["黔东南"]
    assert places(tagger, "和田地区的红枣丰收。")[0] == ["和田"]
    assert places(tagger, "恩施州各县市加快建设。")[0] == ["恩施"]
    assert places(tagger, "香港地区的一家商场发生火灾。")[0] == ["香港"]
    assert places(tagger, "信阳地区的茶农忙着采茶。")[0] == ["信阳"]  # 1998: today 信阳市


def test_municipalities_and_sars_are_provinces_and_cities(tagger: Tagger) -> None:
    assert places(tagger, "上海举行第六届进博会。") == (["上海"], [], ["上海"])
    assert places(tagger, "香港与澳门签署合作协议。") == (["澳门", "香港"], [], ["澳门", "香港"])
    assert places(tagger, "北京朝阳区开展垃圾分类。") == (["北京"], ["朝阳"], ["北京"])


# -- word boundaries -----------------------------------------------------------------------------


def test_province_then_its_own_city_whatever_the_segmentation(tagger: Tagger) -> None:
    # jieba's dictionary holds 山西太原 and 辽宁沈阳 as words, and 南昌人: the cities are inside them
    assert places(tagger, "他是山西太原人。") == (["太原"], [], ["山西"])
    assert places(tagger, "辽宁沈阳的企业参加了展会。") == (["沈阳"], [], ["辽宁"])
    assert places(tagger, "我的同学是江西南昌人。") == (["南昌"], [], ["江西"])


SEEDS = Path(__file__).parent / "data" / "seeds"


def test_boundaries_are_jiebas_own(tagger: Tagger) -> None:
    """The dictionary look-up and the stretches segmented alone cut exactly where jieba (HMM off)
    cuts the whole text: every Han token of it is a word, nothing that starts or ends inside one is
    (place names are Han; jieba glues letters and digits by rules of its own; longer words are not
    looked for)."""
    for path in sorted(SEEDS.glob("*.txt")):
        text = to_simplified(path.read_text(encoding="utf-8"))
        boundaries = Boundaries(text)
        start = 0
        for token in jieba.cut(text, HMM=False):
            end = start + len(token)
            if ALL_HAN.fullmatch(token) and len(token) <= LONGEST_WORD:
                assert boundaries.is_word(start, end), (path.name, token)
                for inside in range(start + 1, end):
                    assert not boundaries.is_word(start, inside), (path.name, token, inside)
                    assert not boundaries.is_word(inside, end), (path.name, token, inside)
            start = end


def test_a_run_of_han_is_cut_as_jieba_cuts_it(tagger: Tagger) -> None:
    for run in ("上海口岸查获一批走私冻品", "江西南昌人", "泉州市委书记主持召开会议", "中华人民共和国"):
        spans = [(a, b) for a, b in cut_han(run)]
        tokens = [run[a:b] for a, b in spans]
        assert tokens == jieba.lcut(run, HMM=False)


def test_village_word_after_a_name_is_a_village(tagger: Tagger) -> None:
    assert places(tagger, "地质队在天津蓟县山区常州沟发现了古老的岩层。") == (["天津"], ["蓟州"], ["天津"])


def test_no_match_inside_a_longer_word(tagger: Tagger) -> None:
    assert places(tagger, "上海口岸查获一批走私冻品。") == (["上海"], [], ["上海"])  # no 海口
    assert places(tagger, "这种做法正在普通化。") == ([], [], [])  # no 通化
    assert places(tagger, "坚持强产业、兴城市双轮驱动。") == ([], [], [])  # no 兴城市


def test_traditional_text_is_normalised_first(tagger: Tagger) -> None:
    assert places(tagger, "會議在瀋陽召開。") == (["沈阳"], [], ["辽宁"])


def test_user_dictionary_is_in_the_global_tokenizer(tagger: Tagger) -> None:
    assert "泉港区" in jieba.lcut("泉港区召开会议")
    keywords = jieba.analyse.extract_tags("推进辽宁沿海经济带建设，辽宁沿海经济带六城市", topK=3)
    assert "辽宁沿海经济带" in keywords


def test_place_inside_an_initiative_name_counts(tagger: Tagger) -> None:
    assert places(tagger, "推动厦漳泉都市圈建设。") == (["厦门", "泉州", "漳州"], [], ["福建"])
    assert places(tagger, "海南自由贸易港建设提速。") == ([], [], ["海南"])


# -- shared names --------------------------------------------------------------------------------


def test_shared_name_alone_is_left_out(tagger: Tagger) -> None:
    assert places(tagger, "鼓楼区举行招商大会。") == ([], [], [])
    assert places(tagger, "朝阳区开展垃圾分类。") == ([], [], [])


def test_shared_name_resolved_from_parent_or_other_places(tagger: Tagger) -> None:
    assert places(tagger, "福州市鼓楼区举行招商大会。") == (["福州"], ["鼓楼"], ["福建"])
    assert places(tagger, "鼓楼区举行招商大会，南京市委书记出席。") == (["南京"], ["鼓楼"], ["江苏"])


def test_preferred_sense_of_province_names(tagger: Tagger) -> None:
    assert places(tagger, "天津、河北两地签署合作协议。") == (["天津"], [], ["天津", "河北"])
    assert places(tagger, "吉林举行冰雪节。") == ([], [], ["吉林"])


# -- abbreviations and regions ----------------------------------------------------------------


def test_abbreviations_expand_to_their_cities(tagger: Tagger) -> None:
    assert places(tagger, "厦漳泉三地联合招商。") == (["厦门", "泉州", "漳州"], [], ["福建"])
    assert places(tagger, "泉三高端装备产业园开工。") == (["三明", "泉州"], [], ["福建"])
    assert places(tagger, "厦明经济合作区签约。") == (["三明", "厦门"], [], ["福建"])


def test_regions_are_not_cities(tagger: Tagger) -> None:
    text = "举办粤港澳专场招商推介、东南亚专场招商推介、长三角方向的专场招商推介。"
    assert places(tagger, text) == ([], [], [])


# -- institutions, brands, people --------------------------------------------------------------


def test_place_in_an_institution_name_counts(tagger: Tagger) -> None:
    assert places(tagger, "南昌市工商局查处一起案件。") == (["南昌"], [], ["江西"])
    assert places(tagger, "北京大学发布研究报告。") == (["北京"], [], ["北京"])


def test_brands_times_and_roads_are_no_places(tagger: Tagger) -> None:
    assert places(tagger, "长城汽车发布新款越野车。") == ([], [], [])
    assert places(tagger, "宁德时代发布新电池。") == ([], [], [])
    assert places(tagger, "北京时间今晚八点开幕。") == ([], [], [])
    assert places(tagger, "游客在上海南京路步行街购物。") == ([], [], [])


def test_person_name_is_no_place(tagger: Tagger) -> None:
    assert places(tagger, "漳州市委书记邵玉龙表示，要加快发展。") == (["漳州"], [], ["福建"])  # 玉龙县


def test_common_words_need_strong_evidence(tagger: Tagger) -> None:
    assert places(tagger, "牢固树立绿水青山就是金山银山的理念。") == ([], [], [])
    assert places(tagger, "公安机关依法处理，公安干警到场。") == ([], [], [])
    assert places(tagger, "荆州公安县举行招商会。") == (["荆州"], ["公安"], ["湖北"])


def test_county_named_once_in_passing_is_left_out(tagger: Tagger) -> None:
    assert places(tagger, "推进龙龙铁路龙岩至武平段建设。") == (["龙岩"], [], ["福建"])
    assert places(tagger, "武平县召开项目推进会。") == (["龙岩"], ["武平"], ["福建"])
    assert places(tagger, "晋江、石狮两地企业签约。") == (["泉州"], ["晋江", "石狮"], ["福建"])


# -- evidence and salience --------------------------------------------------------------------


def test_evidence_counts_surface_forms(tagger: Tagger) -> None:
    result = tagger.tag(None, "泉州市召开会议。泉州将加快发展，泉州港扩建。")
    assert result.evidence["泉州"] == {"泉州市": 1, "泉州": 2}


def test_primary_city_title_first(tagger: Tagger) -> None:
    result = tagger.tag("厦门举行投洽会", "福州、福州、福州三地…厦门代表团参加。")
    assert result.primary_city == "厦门"


def test_primary_city_dateline_then_frequency(tagger: Tagger) -> None:
    assert tagger.tag(None, "泉州网讯 昨日，厦门、厦门、厦门的企业来访。").primary_city == "泉州"
    assert tagger.tag(None, "昨日，泉州与厦门、厦门的企业签约。").primary_city == "厦门"


def test_keywords_are_eight_and_use_our_dictionary(tagger: Tagger) -> None:
    text = "辽宁沿海经济带六城市书记市长联席会议召开。辽宁沿海经济带建设要抓好规划协同、产业协同。" * 2
    keywords = tagger.tag(None, text).keywords
    assert len(keywords) == 8
    assert "辽宁沿海经济带" in keywords


# -- initiatives --------------------------------------------------------------------------------


def test_initiatives_in_traditional_and_quoted_forms(tagger: Tagger) -> None:
    text = "融入福建“海絲”核心區建設，推動泉州“海絲”先行區建設，銜接“十三五”規劃，深化“放管服”改革。"
    assert initiative_ids(tagger, text) == [
        "13th-five-year-plan", "fangguanfu-reform", "fujian-msr-core-zone", "maritime-silk-road-pilot-zone",
    ]  # fmt: skip


def test_free_trade_zone_of_a_province(tagger: Tagger) -> None:
    result = tagger.tag(None, "以遼寧自貿試驗區建設為重點。")
    assert [i["id"] for i in result.initiatives] == ["pilot-free-trade-zone"]
    assert result.provinces == ["辽宁"]


def test_context_alias_needs_its_region(tagger: Tagger) -> None:
    assert initiative_ids(tagger, "推动沿海经济带建设。") == []
    assert initiative_ids(tagger, "辽宁推动沿海经济带建设。") == ["liaoning-coastal-economic-belt"]


def test_catalogue_holds_gold_ids_and_forty_more() -> None:
    catalogue = load_catalogue()
    gold = json.loads((Path(__file__).parent / "data" / "seeds" / "gold.json").read_text(encoding="utf-8"))
    gold_ids = set(gold["initiative_ids"])
    ids = {i.id for i in catalogue}
    assert gold_ids <= ids
    assert len(ids - gold_ids) >= 40
    assert all(i.name and i.name_hant for i in catalogue)


def test_adding_an_initiative_is_a_data_edit(tmp_path: Path) -> None:
    """An initiative of the user's own, in a file of INITIATIVES_FILES, beside the packaged ones."""
    extra = tmp_path / "initiatives.yaml"
    extra.write_text(
        "- id: test-ocean-ranch\n  name: 海洋牧场示范区\n"
        "  name_hant: 海洋牧場示範區\n  aliases: [海洋牧场]\n",
        encoding="utf-8",
    )
    tagger = Tagger(initiatives_files=[extra])
    assert [i["id"] for i in tagger.tag(None, "建设海洋牧場。").initiatives] == ["test-ocean-ranch"]
    assert initiative_ids(tagger, "推进新旧动能转换。") == ["old-new-growth-driver-conversion"]


# -- places that are not what they look like (found on the mirror's articles) --------------------


def test_person_in_a_byline_is_no_place(tagger: Tagger) -> None:
    text = "本报讯（记者 吴清河 通讯员 黄南石）走进南安水头镇的石材园区，机器轰鸣。南安市石材产业持续升级。"
    assert places(tagger, text) == (["泉州"], ["南安"], ["福建"])


def test_town_named_like_a_distant_county_is_no_county(tagger: Tagger) -> None:
    text = (
        "通水仪式在晋江龙湖镇和金门田埔水库两地同时举行。随着启动按钮按下，龙湖水源经加压泵站输送进管道。"
        "大陆段取水自晋江龙湖，海底管道长约16公里。"
    )
    cities, counties, _ = places(tagger, text)
    assert "汕头" not in cities and "龙湖" not in counties
    assert "泉州" in cities and "晋江" in counties


def test_common_word_in_the_title_is_no_place(tagger: Tagger) -> None:
    result = tagger.tag(
        "厦漳泉三市签署都市圈交通一体化合作协议", "厦门、漳州、泉州三市签署合作协议，推进都市圈交通一体化。"
    )
    assert "甘南" not in result.cities and "合作" not in result.counties


def test_foreign_names_that_look_like_places(tagger: Tagger) -> None:
    assert (
        places(tagger, "福山(Francis Fukuyama)在书中指出，历史已经终结。如福山所言，这种解释未免简单。")[0]
        == []
    )
    assert places(tagger, "他常去美国的黄石国家公园，也到过黄石公园的间歇泉。")[0] == []
    assert places(tagger, "烟台市福山区今年新建三所学校。")[1] == ["福山"]


# -- names that are not the Chinese division --------------------------------------------------


def test_place_name_that_is_a_person_is_one_in_the_whole_text(tagger: Tagger) -> None:
    text = "讨论会在吴江主持下进行了三个小时。会后，吴江又与几位同事交谈。"
    assert places(tagger, text) == ([], [], [])
    assert places(tagger, "苏州市吴江区召开会议。吴江的丝绸闻名全国。") == (["苏州"], ["吴江"], ["江苏"])


def test_place_inside_a_foreign_city_is_abroad(tagger: Tagger) -> None:
    assert places(tagger, "她出生在韩国首尔特别市龙山区，后来去了日本。") == ([], [], [])


def test_names_in_a_list_of_foreign_cities_are_abroad_everywhere_in_the_text(tagger: Tagger) -> None:
    text = "巡演途经首尔、釜山、大田和光州。大田站的门票很快售罄。"
    assert places(tagger, text) == ([], [], [])
    text = "巡演第二站：大韩民国 安阳。安阳艺术中心座无虚席。"
    assert places(tagger, text) == ([], [], [])


def test_a_foreign_homonym_in_a_text_about_abroad_is_abroad(tagger: Tagger) -> None:
    text = "他从纽约出发，去美国西部的国家公园旅行。在黄石，他见到了公园的负责人。"
    assert places(tagger, text) == ([], [], [])
    text = "湖北黄石的矿冶工业历史悠久。黄石港区新建了码头，他曾去美国考察。"
    assert places(tagger, text)[0] == ["黄石"]


def test_foreign_name_hides_the_chinese_name_inside_it(tagger: Tagger) -> None:
    assert places(tagger, "他在旧金山和吉隆坡都开了分店。") == ([], [], [])  # no 金山, no 吉隆


# -- evidence for names that are also common words ---------------------------------------------


def test_dateline_is_evidence_for_a_common_word(tagger: Tagger) -> None:
    assert places(tagger, "记者了解到，金桔生意兴隆。", title="新华社海口1月23日电")[0] == []
    text = "新华社海口1月23日电 过年买一盆金桔，是当地人的风俗。"
    assert places(tagger, text, title="金桔迎新春")[0] == ["海口"]
    assert places(tagger, "列强各占了一个海口。")[0] == []  # 海口 = a seaport


def test_whole_prefecture_is_not_quanzhou_county(tagger: Tagger) -> None:
    assert places(tagger, "三年来，全州五千多户贫困户搬出了茅屋。")[0] == []
    assert places(tagger, "桂林市全州县的稻田迎来丰收。")[0] == ["桂林"]


def test_new_common_word_names_need_evidence(tagger: Tagger) -> None:
    assert places(tagger, "只要死得磊落光明，何等光明！")[0] == []  # 深圳 光明区 (2018)
    assert places(tagger, "深圳市光明区建设科学城。")[0] == ["深圳"]


def test_county_after_a_place_of_its_province_is_evidence(tagger: Tagger) -> None:
    # 湘西 (loosely, western Hunan) before 隆回 (邵阳): same province, so 隆回 is meant
    assert places(tagger, "在老家湘西隆回，正月里家家户户放爆竹。")[0] == ["邵阳"]
    # a place of another province: the name is a place inside it (晋江龙湖 is a town, not 汕头)
    assert places(tagger, "晋江市龙湖的侨乡文化") == (["泉州"], ["晋江"], ["福建"])


def test_place_word_after_a_lone_county_is_evidence(tagger: Tagger) -> None:
    assert places(tagger, "一位隆回人在外打工多年。")[0] == ["邵阳"]
    assert places(tagger, "一份隆回的报告在外流传。")[0] == []
