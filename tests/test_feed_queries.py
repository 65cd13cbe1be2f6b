"""Readers' queries answered by the feed server in process: a feed is parsed once per version, and a
query not seen before is answered from the parsed feed until the file changes."""

from __future__ import annotations

from unittest import mock
from urllib.parse import quote

from lxml import etree
from twisted.web.test.requesthelper import DummyRequest

from feeds import serve as serve_module
from feeds.formats import FeedDocument
from feeds.serve import FeedServer
from storage.store import ArticleStore
from tests.test_feeds import builder, fill


def titles(server: FeedServer, query: str) -> list[str]:
    request = DummyRequest([b"all.xml"])
    request.uri = b"/all.xml?" + query.encode()
    body = server.answer(request, [b"all.xml"])
    assert request.responseCode in (None, 200), body
    return [title.text for title in etree.fromstring(body).iter("{http://www.w3.org/2005/Atom}title")][1:]


def test_new_queries_are_answered_from_the_parsed_feed_until_the_file_changes(tmp_path) -> None:
    store = ArticleStore(f"sqlite:///{tmp_path / 'news.db'}")
    fill(store, 3)
    feeds = builder(tmp_path / "feeds")
    feeds.build(store)
    server = FeedServer(tmp_path / "feeds")
    with mock.patch.object(serve_module, "FeedDocument", wraps=FeedDocument) as parse:
        assert titles(server, "filter=" + quote("第") + "&limit=1") == ["第2篇"]
        assert titles(server, "filter=" + quote("第[01]")) == ["第1篇", "第0篇"]
        assert titles(server, "filterout=" + quote("第1")) == ["第2篇", "第0篇"]
        assert parse.call_count == 1
        fill(store, 1, first=3)
        feeds.build(store)
        assert titles(server, "filter=" + quote("第") + "&limit=2") == ["第3篇", "第2篇"]
        assert parse.call_count == 2
    store.close()


def test_an_answer_not_cached_opens_its_feed_once(tmp_path) -> None:
    store = ArticleStore(f"sqlite:///{tmp_path / 'news.db'}")
    fill(store, 2)
    builder(tmp_path / "feeds").build(store)
    store.close()
    server = FeedServer(tmp_path / "feeds")
    with mock.patch.object(FeedServer, "open", autospec=True, side_effect=FeedServer.open) as opened:
        assert titles(server, "filter=" + quote("第1")) == ["第1篇"]
    assert [call.args[1] for call in opened.call_args_list].count("all.xml") == 1  # and index.json
