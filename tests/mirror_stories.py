"""The mirrors' articles as a crawl cleans them, and which of them are one story and which are not.

``tests/data/mirror_expected/<site>.yaml`` gives each mirror article a ``story`` slug (a syndicated
copy shares its original's, with ``original: false``) and, for a hard negative, ``same_event_as``:
the other outlet's independent report of the same event (not the same story). Shared by the story
tests and ``benchmarks/stories.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import combinations
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from core.items import Article
from core.sites import load_sites
from crawler.commands._documents import extract_document
from processors.store import names_own_outlet

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "tests" / "data" / "mirror_expected"


@dataclass(frozen=True)
class MirrorArticle:
    article: Article
    story: str
    original: bool
    same_event_as: str | None

    @property
    def own_outlet(self) -> bool:
        return names_own_outlet(self.article, load_sites().get(self.article.site))


@cache
def mirror_articles() -> dict[str, MirrorArticle]:
    """Every expected mirror article (page 1 of a multi-page one), by URL, extracted and cleaned."""
    sites = load_sites()
    found = {}
    for path in sorted(EXPECTED.glob("*.yaml")):
        site = path.stem
        for url, expected in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            page = ROOT / "mirror" / site / urlsplit(url).hostname / urlsplit(url).path.lstrip("/")
            article = extract_document(page.read_bytes(), url=url, site=site, sites=sites)
            found[url] = MirrorArticle(
                article,
                expected.get("story") or url,
                expected.get("original", True),
                expected.get("same_event_as"),
            )
    return found


def copy_pairs() -> list[tuple[MirrorArticle, MirrorArticle]]:
    """The pairs of articles that are one story (original first)."""
    articles = mirror_articles().values()
    return [(a, b) if a.original else (b, a) for a, b in combinations(articles, 2) if a.story == b.story]


def hard_negatives() -> list[tuple[MirrorArticle, MirrorArticle]]:
    """The pairs of independent reports of one event (each pair once)."""
    articles = mirror_articles()
    return [
        (articles[url], articles[found.same_event_as])
        for url, found in articles.items()
        if found.same_event_as and url < found.same_event_as
    ]
