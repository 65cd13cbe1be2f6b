"""Which page object reads a URL: web-poet's rules, from the page objects' ``@handle_urls`` and from
the site catalogue (a site naming a ``page_object`` of the user's own, or described by ``selectors``);
and, for a saved page that comes without its URL, which site it is from, read from the page itself."""

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
from crawler.pages.configured import configured_page
from crawler.pages.generic import GenericArticlePage
from crawler.pages.html import query_problem

PAGES_PACKAGE = "crawler.pages"
CATALOGUE_PRIORITY = 600
"""Priority of the rules the catalogue adds: above ``@handle_urls``' default (500), so that a site's
entry can replace a built-in page object."""


@cache
def _discover() -> None:
    consume_modules(PAGES_PACKAGE)


def load_page_object(site: Site) -> type[ArticlePage]:
    """The class *site*'s ``page_object`` names, or a ``SiteConfigError`` saying why it cannot be used."""
    try:
        page_class = load_object(site.page_object)
    except (ImportError, AttributeError, NameError, ValueError) as error:
        raise site.config_error("page_object", f"cannot be loaded ({error})") from error
    if not (isinstance(page_class, type) and issubclass(page_class, ArticlePage)):
        raise site.config_error("page_object", f"{site.page_object} is not an {ArticlePage.__qualname__}")
    return page_class


def check_queries(site: Site) -> None:
    """A ``SiteConfigError`` for the first of *site*'s selectors that is neither CSS nor XPath."""
    queries = {f"selectors.{name}": query for name, query in site.selectors.items()}
    queries.update(next_list_page=site.next_list_page, next_article_page=site.next_article_page)
    for key, query in queries.items():
        if query and (problem := query_problem(query)):
            raise site.config_error(key, f"not a CSS or XPath selector ({problem}): {query!r}")


@cache
def _add_rule(page_class: type[ArticlePage], domains: tuple[str, ...]) -> None:
    patterns = Patterns(list(domains), priority=CATALOGUE_PRIORITY)
    default_registry.add_rule(ApplyRule(patterns, use=page_class, to_return=RawArticle))


def register_site_rules(sites: Iterable[Site]) -> None:
    """Load every page object module, and add a rule for each site that names a page object of its
    own or is described by selectors. A page object that cannot be loaded, or a selector that is
    neither CSS nor XPath, is a ``SiteConfigError``."""
    _discover()
    for site in sites:
        _register(site)


@cache
def _register(site: Site) -> None:
    """Once per site and process: ``scrapy extract`` registers the catalogue for every document."""
    check_queries(site)
    if site.page_object:
        _add_rule(load_page_object(site), site.domains)
    elif site.selectors:
        _add_rule(configured_page(site), site.domains)


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
