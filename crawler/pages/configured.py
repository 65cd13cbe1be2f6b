"""The page object of a site described only by configuration: the ``selectors`` of its catalogue entry.

Each field comes from its selector (CSS, or XPath when it starts with ``/`` or ``(``); a field with
no selector, or whose selector finds nothing on a page, comes from the generic extractor. Which
fields fell back is said in ``quality``: ``generic_extraction`` when the text did (the same flag as
a site page object whose selectors miss), ``generic:<field>`` for a configured selector of another
field that found nothing. Labels the selected elements print (来源：, 作者：, 责任编辑：) are dropped.

:func:`configured_page` makes one subclass per site, carrying the site; ``crawler.pages.rules``
registers it for the site's domains.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, ClassVar

from core.bylines import AUTHOR_LABELS, EDITOR_ROLES, REPORTER_ROLES
from core.sites import Site
from crawler.pages.base import ArticlePage, RawArticle
from crawler.pages.generic import GenericArticlePage
from crawler.pages.html import fragment_paragraphs, select, select_links, selected_texts, strip_label
from crawler.pages.site import GENERIC_EXTRACTION

OUTLET_LABELS = ("来源", "稿源", "出处")
PEOPLE_LABELS = {"reporters": (*AUTHOR_LABELS, *REPORTER_ROLES), "editors": EDITOR_ROLES}
SELECTED_FIELDS = {
    "title": "title",
    "published": "published_raw",
    "outlet": "outlet",
    "reporters": "reporters",
    "editors": "editors",
    "body": "body_lines",
}
"""Selector name in the catalogue -> the :class:`RawArticle` field it fills."""


class ConfiguredArticlePage(ArticlePage):
    """Fields from a site's configured selectors, the generic extractor behind each."""

    site: ClassVar[Site]

    @cached_property
    def generic(self) -> GenericArticlePage:
        return GenericArticlePage(response=self.response)

    def selected(self, name: str) -> Any:
        """The value the site's selector *name* finds on this page (None, or [] when it finds nothing)."""
        query = self.site.selectors.get(name)
        if query is None:
            return None
        if name == "body":
            return [line for node in select(self, query).getall() for line in fragment_paragraphs(node)]
        texts = selected_texts(self, query)
        if name in PEOPLE_LABELS:
            return [person for text in texts if (person := strip_label(text, *PEOPLE_LABELS[name]))]
        text = " ".join(texts) or None
        return strip_label(text, *OUTLET_LABELS) if name == "outlet" else text

    def next_page(self) -> str | None:
        query = self.site.next_article_page
        hrefs = select_links(self, query) if query else []
        return str(self.response.urljoin(hrefs[0])) if hrefs else None

    async def to_item(self) -> RawArticle:
        values: dict[str, Any] = {}
        quality: list[str] = []
        for name, attribute in SELECTED_FIELDS.items():
            value = self.selected(name)
            if not value:
                if name in self.site.selectors:
                    quality.append(GENERIC_EXTRACTION if name == "body" else f"generic:{name}")
                value = getattr(self.generic, attribute)
            values[attribute] = value
        return RawArticle(
            **values,
            url=str(self.response.url),
            extractor=self.site.key if GENERIC_EXTRACTION not in quality else "generic",
            quality=quality,
            next_page_url=self.next_page(),
        )


def configured_page(site: Site) -> type[ConfiguredArticlePage]:
    """The page object class of *site*, read by its ``selectors``."""
    name = "".join(part.title() for part in site.key.split("_")) + "ConfiguredArticlePage"
    return type(name, (ConfiguredArticlePage,), {"site": site, "name": site.key, "__module__": __name__})
