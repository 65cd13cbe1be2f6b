"""The site catalogue (``data/sites.yaml``): what the spiders and `scrapy extract` know of each site."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from scrapy.utils.misc import load_object

from crawler.pages.base import ArticlePage

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Site:
    key: str
    name: str
    outlet: str
    id_authority: str
    id_year: int
    domains: tuple[str, ...]
    start_urls: tuple[str, ...]
    list_url: re.Pattern[str]
    article_url: re.Pattern[str]
    page_object: str

    def article_number(self, url: str) -> str | None:
        """The site's own number of the article at *url*, or None if *url* is no article page."""
        match = self.article_url.match(url)
        return match.group(1) if match else None

    def article_id(self, number: str) -> str:
        """The article's stable ``tag:`` URI (RFC 4151)."""
        return f"tag:{self.id_authority},{self.id_year}:{self.key}/{number}"

    def is_list_page(self, url: str) -> bool:
        return bool(self.list_url.match(url))

    def owns(self, url: str) -> bool:
        host = urlsplit(url).hostname or ""
        return any(host == domain or host.endswith("." + domain) for domain in self.domains)

    def page_class(self) -> type[ArticlePage]:
        return load_object(self.page_object)


def _site(key: str, entry: dict) -> Site:
    return Site(
        key=key,
        name=entry["name"],
        outlet=entry["outlet"],
        id_authority=entry["id_authority"],
        id_year=int(entry["id_year"]),
        domains=tuple(entry["domains"]),
        start_urls=tuple(entry["start_urls"]),
        list_url=re.compile(entry["list_url"]),
        article_url=re.compile(entry["article_url"]),
        page_object=entry["page_object"],
    )


@cache
def load_sites(path: Path = DATA_DIR / "sites.yaml") -> dict[str, Site]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {key: _site(key, entry) for key, entry in entries.items()}


def site_for_url(url: str) -> Site | None:
    """The supported site that *url* belongs to, if any."""
    return next((site for site in load_sites().values() if site.owns(url)), None)
