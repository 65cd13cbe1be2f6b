"""The base of the sites' own page objects: their selectors, with the generic extractor behind them."""

from __future__ import annotations

from dataclasses import replace

from crawler.pages.base import ArticlePage, RawArticle, has_text
from crawler.pages.generic import GenericArticlePage
from crawler.pages.html import select_links

GENERIC_EXTRACTION = "generic_extraction"
"""Quality flag of an article whose site's selectors found no text, read by the generic extractor."""
NEXT_PAGE = 'a[normalize-space(.)="下一页"]'
"""XPath step of a pager's next-page link (下一页), the same on every site here."""


class SiteArticlePage(ArticlePage):
    """A site's page object: its selectors first; when they find no text (a redesign, an odd page)
    the generic extractor reads the same response, and the article is flagged ``generic_extraction``."""

    async def to_item(self) -> RawArticle:
        item = await super().to_item()
        if has_text(item):
            return item
        fallback = await GenericArticlePage(response=self.response).to_item()
        return replace(fallback, quality=[*fallback.quality, GENERIC_EXTRACTION])

    def link(self, query: str) -> str | None:
        """The absolute URL of the first link *query* (CSS or XPath) finds, if any."""
        hrefs = select_links(self, query)
        return str(self.response.urljoin(hrefs[0])) if hrefs else None
