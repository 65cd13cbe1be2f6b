"""What every feed the project writes must be: valid against RFC 4287's RELAX NG grammar, and read by
feedparser without complaint (``bozo``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import feedparser
from lxml import etree

from tests.conftest import DATA


@cache
def atom_grammar() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(DATA / "schemas" / "atom.rng")))


def assert_valid_atom(data: bytes, name: str = "feed") -> feedparser.FeedParserDict:
    grammar = atom_grammar()
    assert grammar.validate(etree.fromstring(data)), f"{name}: {grammar.error_log.last_error}"
    parsed = feedparser.parse(data)
    assert not parsed.bozo, f"{name}: {parsed.get('bozo_exception')}"
    return parsed


def feed_files(feeds_dir: Path) -> list[Path]:
    return sorted(feeds_dir.rglob("*.xml"))
