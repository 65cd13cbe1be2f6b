"""Atom feeds: every topic kind and custom topics, entries as readers need them, ids, only stale feeds
rebuilt and only new entries rendered, the catalogue and the OPML file, atomic replacement."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock

import feedparser
import pytest
from lxml import etree
from scrapy.settings import Settings

from core.dates import SHANGHAI
from core.files import FileBatch, write_atomically
from feeds import build as build_module
from feeds.build import FeedBuilder, build_feeds, load_config
from feeds.catalog import read_catalogue
from feeds.entries import is_traditional, render_entry, sanitize, summary
from feeds.topics import TopicError, check_topics, custom_topic
from processors.vocabulary import tag_vocabulary
from storage.store import ArticleStore, StoredArticle
from tests.feeds_checks import assert_valid_atom, feed_files
from tests.tag_uri import is_tag_uri
from tests.test_store import article

BASE = "http://feeds.example/"
VOCABULARY = tag_vocabulary(Settings())


@pytest.fixture
def store(tmp_path):
    store = ArticleStore(f"sqlite:///{tmp_path / 'news.db'}")
    yield store
    store.close()


def builder(out_dir: Path, **changes) -> FeedBuilder:
    return FeedBuilder(out_dir, BASE, load_config(), vocabulary=VOCABULARY, **changes)


def fill(store: ArticleStore, count: int, first: int = 0, **changes) -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for number in range(first, first + count):
        store.save(
            replace(
                article(),
                url=f"http://www.qzwb.com/{number}",
                id=f"qzwb/{number}",
                title=f"第{number}篇",
                published=start + timedelta(hours=number),
                **changes,
            ),
            now=start + timedelta(days=400),
        )


def parse(path: Path) -> feedparser.FeedParserDict:
    return assert_valid_atom(path.read_bytes(), str(path))


def test_feed_is_valid_atom_newest_first_with_labelled_categories(store, tmp_path) -> None:
    fill(store, 3)
    builder(tmp_path).build(store)
    feed = parse(tmp_path / "city" / "泉州.xml")
    assert [entry.title for entry in feed.entries] == ["第2篇", "第1篇", "第0篇"]
    labels = {(tag.scheme.rsplit("/", 1)[1], tag.term, tag.label) for tag in feed.entries[0].tags}
    assert labels >= {
        ("site", "qzwb", "泉州网"),
        ("city", "泉州", "泉州"),
        ("city", "厦门", "厦门"),
        ("initiative", "southwest-fujian-coordinated-development-zone", "闽西南协同发展区"),
    }
    assert feed.feed.links[0].href == "http://feeds.example/city/%E6%B3%89%E5%B7%9E.xml"
    assert feed.feed.subtitle == "提到泉州的最新地方新闻"
    alternate = [link.href for link in feed.feed.links if link.rel == "alternate"]
    assert alternate == ["http://feeds.example/city/%E6%B3%89%E5%B7%9E.html"]


def test_every_kind_of_topic_has_its_feed_and_the_old_urls_keep_working(store, tmp_path) -> None:
    fill(store, 1, provinces=["福建"])
    builder(tmp_path).build(store)
    for path in (
        "all.xml",
        "city/泉州.xml",
        "initiative/southwest-fujian-coordinated-development-zone.xml",
        "province/福建.xml",
        "site/qzwb.xml",
    ):
        assert len(parse(tmp_path / path).entries) == 1, path
    assert parse(tmp_path / "site" / "qzwb.xml").feed.title == "地方新闻 · 泉州网"
    assert (
        "闽西南协同发展区"
        in parse(tmp_path / "initiative/southwest-fujian-coordinated-development-zone.xml").feed.title
    )


def test_entry_updated_is_the_source_time_not_the_crawl_time(store, tmp_path) -> None:
    fill(store, 1)
    builder(tmp_path).build(store)
    (entry,) = parse(tmp_path / "all.xml").entries
    assert entry.updated == entry.published == "2024-01-01T08:00:00+08:00"


def test_an_edit_found_on_a_recrawl_moves_updated_to_that_moment(store, tmp_path) -> None:
    fill(store, 1)
    edited_at = datetime(2025, 6, 1, 12, tzinfo=UTC)
    store.save(replace(article(), url="http://www.qzwb.com/0", id="qzwb/0", title="改过的标题",
                       published=datetime(2024, 1, 1, tzinfo=UTC)), now=edited_at)  # fmt: skip
    builder(tmp_path).build(store)
    feed = parse(tmp_path / "all.xml")
    assert feed.entries[0].title == "改过的标题"
    assert feed.entries[0].updated == "2025-06-01T20:00:00+08:00"
    assert feed.feed.updated == "2025-06-01T20:00:00+08:00"


def test_a_modified_time_the_site_gives_is_the_entry_updated(store, tmp_path) -> None:
    modified = datetime(2024, 3, 1, 9, 30, tzinfo=SHANGHAI)
    store.save(article(modified=modified), now=datetime(2025, 1, 1, tzinfo=UTC))
    builder(tmp_path).build(store)
    assert parse(tmp_path / "all.xml").entries[0].updated == "2024-03-01T09:30:00+08:00"


def test_entry_has_summary_sanitised_html_authors_and_the_original_link(store, tmp_path) -> None:
    body_html = (
        '<p onclick="steal()">第一段。<a href="../10/x.htm">相关</a><img src="/pic/1.jpg"></p>'
        '<script>alert(1)</script><style>p{}</style><iframe src="http://evil.example/"></iframe>'
        '<p><a href="javascript:alert(2)">点我</a></p>'
    )
    store.save(article(body="第一段。第二段说了更多的话。", body_html=body_html, reporters=["张三"]))
    builder(tmp_path).build(store)
    (entry,) = parse(tmp_path / "all.xml").entries
    content = entry.content[0].value
    for banned in ("<script", "<style", "<iframe", "onclick", "javascript:", "alert"):
        assert banned not in content
    assert 'href="http://www.qzwb.com/gb/content/2021-01/10/x.htm"' in content
    assert 'src="http://www.qzwb.com/pic/1.jpg"' in content
    assert entry.summary == "第一段。第二段说了更多的话。"
    assert entry.link == article().url
    assert [author.name for author in entry.authors] == ["张三"]


def test_summary_is_whole_first_sentences() -> None:
    body = "第一句话说了一件事。" * 3 + "\n" + "第二段。" * 40
    assert summary(body, limit=40) == "第一句话说了一件事。" * 3 + "第二段。" * 2
    assert summary("没有句号的很长一段" * 30, limit=40).endswith("…")


def test_sanitize_keeps_paragraphs_and_text() -> None:
    assert (
        sanitize("<p>一&amp;二 &lt;三&gt;</p>", "http://x.example/a/b.htm") == "<p>一&amp;二 &lt;三&gt;</p>"
    )


def test_an_entry_in_traditional_script_says_so(store, tmp_path) -> None:
    store.save(
        article(title="攜手為新時代新福建建設貢獻更大力量", body="閩西南協同發展區聯席會議在泉州舉行。")
    )
    builder(tmp_path).build(store)
    data = (tmp_path / "all.xml").read_bytes()
    entry = etree.fromstring(data).find("{http://www.w3.org/2005/Atom}entry")
    assert entry.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-Hant"
    assert parse(tmp_path / "all.xml").feed.language == "zh-CN"
    assert is_traditional("攜手為新時代") and not is_traditional("携手为新时代") and not is_traditional("abc")


def test_script_is_told_from_the_beginning_of_the_text() -> None:
    simplified = "携手为新时代新福建建设贡献更大力量。" * 20
    assert not is_traditional(simplified + "\n引文：「攜手為新時代新福建建設貢獻更大力量」" * 5)
    assert is_traditional("攜手為新時代新福建建設貢獻更大力量。" * 20 + "\n" + simplified)


def test_an_entry_escapes_its_text_and_drops_what_xml_cannot_carry() -> None:
    hostile = "A&B <i>\"引号\"</i> ]]> '单'\r\n\t"
    stored = StoredArticle(
        article(
            title=hostile + "\x00\x1b\ufffe标题",
            reporters=["张\x07三"],
            body="正文。",
            body_html="<p>正文&amp;\x0c。</p>",
        ),
        first_seen=datetime(2024, 1, 1, tzinfo=UTC),
        updated=datetime(2024, 1, 1, tzinfo=UTC),
    )
    fragment = render_entry(
        stored, "tag:feeds.example,2026-01-01:qzwb/1", lambda kind, value: hostile + value
    )
    feed = etree.fromstring(b'<feed xmlns="http://www.w3.org/2005/Atom">' + fragment + b"</feed>")
    atom = "{http://www.w3.org/2005/Atom}"
    entry = feed.find(atom + "entry")
    assert entry.findtext(atom + "title") == hostile + "标题"
    assert entry.findtext(f"{atom}author/{atom}name") == "张三"
    assert entry.findtext(atom + "content") == "<p>正文&amp;。</p>"
    city = entry.find(f"{atom}category[@term='泉州']")
    assert city.get("label") == hostile + "泉州"
    assert city.get("scheme").endswith("/tags/city")


def test_summary_reads_only_as_far_as_it_needs() -> None:
    long_sentence = "这一句很长" * 40 + "。"
    assert summary(long_sentence[:100] + "\n" + long_sentence[100:] + "\n后面的句子。") == (
        long_sentence[:119] + "…"
    )
    assert summary("短句。\n" + long_sentence + "\n" + "后面。" * 100) == "短句。"
    assert summary("第一句。\n\n  第二句。  \n第三句。") == "第一句。第二句。第三句。"


def test_ids_are_ascii_tag_uris_under_the_deployers_authority(store, tmp_path) -> None:
    fill(store, 1)
    build_feeds(store, tmp_path, BASE)
    feed = parse(tmp_path / "city" / "泉州.xml")
    entry_id, feed_id = feed.entries[0].id, feed.feed.id
    assert is_tag_uri(entry_id) and is_tag_uri(feed_id)
    assert entry_id.startswith("tag:feeds.example,20") and entry_id.endswith(":qzwb/0")
    assert feed_id.endswith(":feeds/city/%E6%B3%89%E5%B7%9E")
    assert "qzwb.com" not in entry_id


def test_ids_never_change_when_the_served_url_does(store, tmp_path) -> None:
    fill(store, 1)
    build_feeds(store, tmp_path / "a", BASE)
    build_feeds(store, tmp_path / "b", "https://news.elsewhere.example/feeds/", every=True)
    first, second = (parse(tmp_path / d / "all.xml") for d in "ab")
    assert first.entries[0].id == second.entries[0].id and first.feed.id == second.feed.id
    assert second.feed.links[0].href.startswith("https://news.elsewhere.example/feeds/")


def test_an_authority_that_no_tag_uri_can_carry_is_refused(store, tmp_path) -> None:
    fill(store, 1)
    with pytest.raises(ValueError, match="FEED_ID_AUTHORITY"):
        build_feeds(store, tmp_path, "http://[::1]:8080/")
    build_feeds(store, tmp_path, "http://[::1]:8080/", authority="news.example.org")
    assert parse(tmp_path / "all.xml").feed.id.startswith("tag:news.example.org,")


def test_feed_is_capped(store, tmp_path) -> None:
    fill(store, 5)
    build_feeds(store, tmp_path, BASE, replace(load_config(), max_entries=3))
    assert len(parse(tmp_path / "all.xml").entries) == 3


def test_only_the_feeds_behind_the_store_are_rebuilt(store, tmp_path) -> None:
    fill(store, 2)
    feeds = builder(tmp_path)
    first = set(feeds.build(store))
    assert {tmp_path / "all.xml", tmp_path / "city" / "泉州.xml", tmp_path / "site" / "qzwb.xml"} <= first
    assert feeds.build(store) == {}
    store.save(
        replace(article(), url="http://x/9", id="other/9", site="other", cities=["漳州"], initiatives=[])
    )
    assert feeds.build(store) == {
        tmp_path / "all.xml": True,
        tmp_path / "city" / "漳州.xml": True,
        tmp_path / "site" / "other.xml": True,
    }


def test_a_rebuild_renders_only_the_entries_it_lacks(store, tmp_path) -> None:
    fill(store, 5)
    builder(tmp_path).build(store)
    fill(store, 1, first=5)
    with mock.patch.object(build_module, "render_story", wraps=build_module.render_story) as render:
        builder(tmp_path).build(store)
    assert render.call_count == 1
    assert [entry.title for entry in parse(tmp_path / "all.xml").entries][:2] == ["第5篇", "第4篇"]


def test_a_change_of_configuration_rebuilds_every_feed_from_scratch(store, tmp_path) -> None:
    fill(store, 2)
    builder(tmp_path).build(store)
    retitled = replace(load_config(), author="另一个作者")
    with mock.patch.object(build_module, "render_story", wraps=build_module.render_story) as render:
        written = FeedBuilder(tmp_path, BASE, retitled, vocabulary=VOCABULARY).build(store)
    assert render.call_count == 2 and all(written.values())


def test_unchanged_feed_is_not_rewritten(store, tmp_path) -> None:
    fill(store, 2)
    assert builder(tmp_path).build(store)[tmp_path / "all.xml"] is True
    assert builder(tmp_path).build(store, every=True)[tmp_path / "all.xml"] is False


def test_feeds_left_unbuilt_by_a_crash_are_built_next_time(tmp_path) -> None:
    """Articles stored, then the process dies before the feeds are built: the next build heals it."""
    url = f"sqlite:///{tmp_path / 'news.db'}"
    crashed = ArticleStore(url)
    fill(crashed, 2)
    crashed.close()
    later = ArticleStore(url)
    try:
        assert tmp_path / "feeds" / "city" / "泉州.xml" in build_feeds(later, tmp_path / "feeds", BASE)
    finally:
        later.close()
    assert len(parse(tmp_path / "feeds" / "all.xml").entries) == 2


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path) -> None:
    path = tmp_path / "all.xml"
    write_atomically(path, b"old")

    with pytest.raises(TypeError):
        write_atomically(path, object())  # type: ignore[arg-type]
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["all.xml"]


def test_a_batch_replaces_its_files_together_or_not_at_all(tmp_path) -> None:
    kept = tmp_path / "a.xml"
    write_atomically(kept, b"old")
    with pytest.raises(RuntimeError), FileBatch() as files:
        files.write_if_changed(kept, b"new")
        raise RuntimeError("the build failed")
    blocked = tmp_path / "not-a-folder"
    blocked.write_bytes(b"")
    with pytest.raises(OSError), FileBatch() as files:
        files.write_if_changed(kept, b"new")
        files.write_if_changed(blocked / "b.xml", b"cannot be written")
        for number in range(2 * FileBatch.IN_FLIGHT):
            files.write_if_changed(tmp_path / f"{number}.xml", b"new")
    assert kept.read_bytes() == b"old"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.xml", "not-a-folder"]
    with FileBatch() as files:
        for number in range(2 * FileBatch.IN_FLIGHT):
            assert files.write_if_changed(tmp_path / "more" / f"{number}.xml", str(number).encode())
        assert not files.write_if_changed(kept, b"old")
    assert [(tmp_path / "more" / f"{n}.xml").read_bytes() for n in range(2 * FileBatch.IN_FLIGHT)] == [
        str(n).encode() for n in range(2 * FileBatch.IN_FLIGHT)
    ]
    assert not [path for path in tmp_path.rglob("*") if path.name.endswith(".tmp")]


# -- custom topics ------------------------------------------------------------------------------

TOPICS = {
    "quanzhou-msr": {
        "title": "泉州 · 海丝",
        "include": {"cities": ["泉州"], "initiatives": ["maritime-silk-road-pilot-zone"]},
    },
    "fujian-minus-xiamen": {
        "title": "福建，不含厦门",
        "include": {"provinces": "福建"},
        "exclude": {"cities": ["厦门"]},
    },
    "jining-sites": {
        "title": "济宁网站的新旧动能转换",
        "include": {"sites": ["jnnews"], "initiatives": ["old-new-growth-driver-conversion"]},
    },
    "keyword": {"title": "石材", "include": {"keywords": ["石材"]}, "exclude": {"keywords": ["广告"]}},
}


def custom_config(*names: str):
    topics = {name: custom_topic(name, TOPICS[name], "test") for name in names}
    return replace(load_config(), custom=topics)


MSR = {"id": "maritime-silk-road-pilot-zone", "name": "21世纪海上丝绸之路先行区"}
GROWTH = {"id": "old-new-growth-driver-conversion", "name": "新旧动能转换"}


def save_all(store: ArticleStore) -> None:
    rows = [
        ("qzwb", "1", ["泉州"], ["福建"], [MSR], "泉州海丝先行区"),
        ("qzwb", "2", ["泉州"], ["福建"], [], "泉州石材产业"),
        ("qzwb", "3", ["厦门", "泉州"], ["福建"], [MSR], "厦门和泉州"),
        ("jnnews", "4", ["济宁"], ["山东"], [GROWTH], "济宁新旧动能转换"),
        ("iqilu", "5", ["济宁"], ["山东"], [GROWTH], "齐鲁网转载济宁新旧动能转换"),
        ("qzwb", "6", ["泉州"], ["福建"], [], "石材广告"),
    ]
    for number, (site, key, cities, provinces, initiatives, title) in enumerate(rows):
        store.save(
            article(
                url=f"http://{site}.example/{key}", id=f"{site}/{key}", site=site, title=title, body=title,
                body_simplified=title, cities=cities, provinces=provinces, initiatives=initiatives,
                published=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=number),
            )
        )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "titles"),
    [
        ("quanzhou-msr", ["厦门和泉州", "泉州海丝先行区"]),
        ("fujian-minus-xiamen", ["石材广告", "泉州石材产业", "泉州海丝先行区"]),
        ("jining-sites", ["济宁新旧动能转换"]),
        ("keyword", ["泉州石材产业"]),
    ],
)
def test_custom_topics_combine_tags_and_keywords(store, tmp_path, name, titles) -> None:
    save_all(store)
    FeedBuilder(tmp_path, BASE, custom_config(name), vocabulary=VOCABULARY).build(store)
    feed = parse(tmp_path / "topic" / f"{name}.xml")
    assert [entry.title for entry in feed.entries] == titles
    assert feed.feed.title == TOPICS[name]["title"]


def test_a_custom_topic_is_rebuilt_when_a_topic_it_draws_on_changes(store, tmp_path) -> None:
    save_all(store)
    feeds = FeedBuilder(tmp_path, BASE, custom_config("quanzhou-msr"), vocabulary=VOCABULARY)
    feeds.build(store)
    store.save(
        article(url="http://jnnews.example/9", id="jnnews/9", site="jnnews", cities=["济宁"], initiatives=[])
    )
    assert tmp_path / "topic" / "quanzhou-msr.xml" not in feeds.build(store)
    store.save(
        article(
            url="http://qzwb.example/9",
            id="qzwb/9",
            title="泉州新闻",
            cities=["泉州"],
            initiatives=[MSR],
            published=datetime(2025, 1, 1, tzinfo=UTC),
        )
    )
    assert feeds.build(store)[tmp_path / "topic" / "quanzhou-msr.xml"] is True
    assert parse(tmp_path / "topic" / "quanzhou-msr.xml").entries[0].title == "泉州新闻"


def test_a_valid_topic_with_no_articles_yet_is_an_empty_feed(store, tmp_path) -> None:
    fill(store, 1)
    FeedBuilder(tmp_path, BASE, custom_config("jining-sites"), vocabulary=VOCABULARY).build(store)
    assert parse(tmp_path / "topic" / "jining-sites.xml").entries == []


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"title": "x", "include": {"cities": ["火星"]}}, "unknown city '火星'"),
        ({"title": "x", "include": {"counties": ["不存在县"]}}, "unknown county '不存在县'"),
        ({"title": "x", "include": {"provinces": ["福建省份"]}}, "unknown province '福建省份'"),
        ({"title": "x", "exclude": {"initiatives": ["海丝先行区"]}},
         "unknown initiative '海丝先行区' (initiatives are named by id)"),
        ({"title": "x", "include": {"sites": ["nosuchsite"]}}, "unknown site 'nosuchsite'"),
    ],
)  # fmt: skip
def test_a_custom_topic_naming_something_unknown_is_refused_by_name(entry, message) -> None:
    config = replace(load_config(), custom={"mine": custom_topic("mine", entry, "mine.yaml")})
    with pytest.raises(
        TopicError, match="topic 'mine': .*" + message.replace("(", r"\(").replace(")", r"\)")
    ):
        check_topics(config, VOCABULARY)


@pytest.mark.parametrize(
    ("name", "entry", "message"),
    [
        ("Bad Name", {"title": "x"}, "lower-case"),
        ("ok", {"title": "x", "include": {"towns": ["x"]}}, "unknown key 'towns'"),
        ("ok", {"title": "x", "include": {"cities": []}}, "expected a name or a list"),
        ("ok", {"include": {"cities": ["泉州"]}}, "title"),
    ],
)
def test_a_malformed_custom_topic_says_what_is_wrong(name, entry, message) -> None:
    with pytest.raises(TopicError, match=message):
        custom_topic(name, entry, "mine.yaml")


def test_the_packaged_topics_name_only_known_things() -> None:
    check_topics(load_config(), VOCABULARY)


# -- catalogue and OPML ------------------------------------------------------------------------


def test_opml_lists_every_feed_grouped_with_cities_by_province(store, tmp_path) -> None:
    fill(store, 1, provinces=["福建"])
    builder(tmp_path).build(store)
    opml = etree.parse(str(tmp_path / "feeds.opml"))
    urls = {outline.get("xmlUrl") for outline in opml.iterfind(".//outline[@xmlUrl]")}
    assert urls == {BASE + path.relative_to(tmp_path).as_posix().replace("泉州", "%E6%B3%89%E5%B7%9E")
                    .replace("厦门", "%E5%8E%A6%E9%97%A8").replace("福建", "%E7%A6%8F%E5%BB%BA")
                    for path in feed_files(tmp_path)}  # fmt: skip
    fujian = opml.find(".//outline[@text='城市']/outline[@text='福建']")
    assert {o.get("title") for o in fujian} == {"地方新闻 · 泉州", "地方新闻 · 厦门"}
    assert [o.get("text") for o in opml.find("body")] == [
        "全部",
        "城市",
        "省份",
        "倡议与战略",
        "网站",
        "自定义",
    ]


def test_opml_is_rewritten_only_when_the_set_of_feeds_changes(store, tmp_path) -> None:
    fill(store, 1)
    builder(tmp_path).build(store)
    opml = tmp_path / "feeds.opml"
    before = opml.stat().st_mtime_ns
    fill(store, 1, first=1)
    builder(tmp_path).build(store)
    assert opml.stat().st_mtime_ns == before
    store.save(replace(article(), url="http://x/9", id="qzwb/9", cities=["漳州"], initiatives=[]))
    builder(tmp_path).build(store)
    assert "%E6%BC%B3%E5%B7%9E" in opml.read_text(encoding="utf-8")


def test_catalogue_counts_articles_and_says_how_long_readers_may_cache(store, tmp_path) -> None:
    fill(store, 3)
    store.save(replace(article(), url="http://x/9", id="slow/9", site="slow", initiatives=[]))
    builder(tmp_path, intervals={"qzwb": 600}, default_interval=3600).build(store)
    catalogue = read_catalogue(tmp_path)
    assert catalogue["all.xml"].articles == 4 and catalogue["all.xml"].max_age == 600
    assert catalogue["site/slow.xml"].max_age == 3600
    assert catalogue["city/泉州.xml"].newest_title == "第2篇"


def test_an_initiative_counts_its_articles_per_day(store, tmp_path) -> None:
    today = datetime.now(SHANGHAI).replace(hour=9, minute=0, second=0, microsecond=0)
    for number in range(3):
        store.save(
            replace(
                article(),
                url=f"http://x/{number}",
                id=f"qzwb/{number}",
                published=today - timedelta(days=number // 2),
            )
        )
    builder(tmp_path).build(store)
    daily = read_catalogue(tmp_path)["initiative/southwest-fujian-coordinated-development-zone.xml"].daily
    assert daily == {(today - timedelta(days=1)).date().isoformat(): 1, today.date().isoformat(): 2}
