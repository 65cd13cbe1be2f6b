"""闽南网 (www.mnw.cn), a CmsTop site.

Selectors from public scrapers (../shared/sites.md): title ``div.l > h1``; ``div.il`` whose first
``span`` is "来源:…" and second the time; body ``div.icontent`` (older pages ``div#article_content``).
The 责任编辑 line (``p.zrbj``, closing ``div.icontent``; ``div.editor`` after the older body) is the
editor, not text: every page of a long article repeats it. Long articles continue on
``N-2.html``, ``N-3.html``, linked from the pager after the body.
"""

from __future__ import annotations

from web_poet import field, handle_urls

from crawler.pages.html import first_text, fragment_paragraphs, strip_label
from crawler.pages.site import NEXT_PAGE, SiteArticlePage


@handle_urls("mnw.cn")
class MnwArticlePage(SiteArticlePage):
    name = "mnw"

    @field
    def title(self) -> str | None:
        return first_text(self, "div.l > h1")

    @field
    def published_raw(self) -> str | None:
        return first_text(self, "div.il > span:nth-of-type(2)")

    @field
    def outlet(self) -> str | None:
        return strip_label(first_text(self, "div.il > span:nth-of-type(1)"), "来源")

    @field
    def editors(self) -> list[str]:
        editor = strip_label(first_text(self, "div.icontent p.zrbj", "div.editor"), "责任编辑")
        return [editor] if editor else []

    @field
    def body_lines(self) -> list[str]:
        content = self.css("div.icontent").get() or self.css("div#article_content").get() or ""
        return fragment_paragraphs(content, drop="p.zrbj")

    @field
    def next_page_url(self) -> str | None:
        return self.link(f'//div[@id="content_page"]//{NEXT_PAGE}')
