"""厦门网 (news.xmnn.cn), a TRS CMS site.

Selectors from public scrapers (../shared/sites.md): title ``div.cont-h`` / ``div.tip h1``; body
``div.TRS_Editor`` (TRS writes a ``<style>`` block into it: not text); source ``span.cont-a-src a``;
time ``span.time`` / ``div.pubtime div.w`` (its first text). The editor line ``div.cont-e``
("责任编辑：…") after the body is modelled on the mirror. Long articles continue on ``N_1.shtml``
(TRS numbers the second page 1), linked from ``#page-nav``.
"""

from __future__ import annotations

from web_poet import field, handle_urls

from crawler.pages.html import first_text, fragment_paragraphs, strip_label
from crawler.pages.site import NEXT_PAGE, SiteArticlePage


@handle_urls("xmnn.cn")
class XmnnArticlePage(SiteArticlePage):
    name = "xmnn"

    @field
    def title(self) -> str | None:
        return first_text(self, "div.cont-h", "div.tip h1")

    @field
    def published_raw(self) -> str | None:
        return first_text(self, "span.time", "div.pubtime div.w::text")

    @field
    def outlet(self) -> str | None:
        return first_text(self, "span.cont-a-src a")

    @field
    def editors(self) -> list[str]:
        editor = strip_label(first_text(self, "div.cont-e"), "责任编辑")
        return [editor] if editor else []

    @field
    def body_lines(self) -> list[str]:
        return fragment_paragraphs(self.css("div.TRS_Editor").get() or "")

    @field
    def next_page_url(self) -> str | None:
        return self.link(f'//*[@id="page-nav"]//{NEXT_PAGE}')
