"""Which page object reads a URL: web-poet's rules, from the page objects' ``@handle_urls`` and from
the site catalogue (a site naming a ``page_object`` of the user's own); and, for a saved page that
comes without its URL, which site it is from, read from the page itself."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import cache
from urllib.parse import urlsplit

from parsel import Selector
from scrapy.utils.misc import load_object
from url_matcher import Patterns
from web_poet import ApplyRule, consume_modules, default_registry

from core.sites import Site, site_for_url
from crawler.pages.base import ArticlePage, RawArticle
from crawler.pages.generic import GenericArticlePage

PAGES_PACKAGE = "crawler.pages"


@cache
def _discover() -> None:
    consume_modules(PAGES_PACKAGE)


@cache
def _register(page_object: str, domains: tuple[str, ...]) -> None:
    page_class = load_object(page_object)
    if not (isinstance(page_class, type) and issubclass(page_class, ArticlePage)):
        raise TypeError(f"page_object {page_object} is not a subclass of {ArticlePage.__qualname__}")
    default_registry.add_rule(ApplyRule(Patterns(list(domains)), use=page_class, to_return=RawArticle))


def register_site_rules(sites: Iterable[Site]) -> None:
    """Load every page object module, and add a rule for each site that names a page object of its own."""
    _discover()
    for site in sites:
        if site.page_object:
            _register(site.page_object, site.domains)


def page_object_for(url: str) -> type[ArticlePage]:
    """The page object the rules give *url* (the generic extractor if no site claims it)."""
    _discover()
    return default_registry.page_cls_for_item(url, RawArticle) or GenericArticlePage


OWN_URL = 'link[rel~="canonical"]::attr(href), meta[property="og:url"]::attr(content), base::attr(href)'
"""Where a page names its own address: the canonical link, ``og:url``, ``<base>``."""
SITE_MARKERS = "a::attr(href), img::attr(src), link::attr(href), script::attr(src), form::attr(action)"
"""The page's links and resources: a site's own chrome (logo, menu, breadcrumb) points home."""
MIN_MARKERS = 2


def page_identity(html: str, sites: dict[str, Site]) -> tuple[Site | None, str | None]:
    """The catalogue site a saved page is from, and the page's own URL if it names one.

    A page that names its address (canonical link, ``og:url``, ``<base>``) on a catalogue site is
    that site's, and that address is its URL; otherwise the site that most of the page's absolute
    links and resources belong to, with at least two and more than any other site (a news site's
    logo, menu and breadcrumb point to itself; a list of partner sites names each once).
    """
    selector = Selector(text=html)
    for url in selector.css(OWN_URL).getall():
        url = url.strip()
        site = site_for_url(url, sites) if urlsplit(url).scheme in ("http", "https") else None
        if site is not None:
            return site, url if site.article_number(url) else None
    votes = Counter(
        site.key
        for url in selector.css(SITE_MARKERS).getall()
        if (site := site_for_url(url.strip(), sites)) is not None
    )
    ranked = votes.most_common(2)
    if ranked and ranked[0][1] >= MIN_MARKERS and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return sites[ranked[0][0]], None
    return None, None
