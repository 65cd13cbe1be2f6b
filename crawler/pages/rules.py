"""Which page object reads a URL: web-poet's rules, from the page objects' ``@handle_urls`` and from
the site catalogue (a site naming a ``page_object`` of the user's own)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from scrapy.utils.misc import load_object
from url_matcher import Patterns
from web_poet import ApplyRule, consume_modules, default_registry

from core.sites import Site
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
