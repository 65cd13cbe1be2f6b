"""齐鲁网 (iqilu.com), its 济宁 channel (jining.iqilu.com) and the Shandong news it lists
(news.iqilu.com/shandong/…).

Selectors from public scrapers (../shared/sites.md): title ``h1``; time ``div.info p.time``; source
``p.resource span``; body ``div.article-main p`` without ``p.contact`` (the 想爆料 advertisement);
older layout body ``#context``. The author (``p.author span``) and editor (``p.editor``, after the
body; the last line of ``#context`` on the older layout) are modelled on the mirror. Long articles
continue on ``N_2.shtml``, linked from ``#pages``, whose 下一页 on the last page points to itself.
"""

from __future__ import annotations

from web_poet import field, handle_urls

from crawler.pages.html import first_text, fragment_paragraphs, strip_label
from crawler.pages.site import NEXT_PAGE, SiteArticlePage


@handle_urls("iqilu.com")
class IqiluArticlePage(SiteArticlePage):
    name = "iqilu"

    @field
    def title(self) -> str | None:
        return first_text(self, "h1")

    @field
    def published_raw(self) -> str | None:
        return first_text(self, "div.info p.time")

    @field
    def outlet(self) -> str | None:
        return first_text(self, "p.resource span")

    @field
    def reporters(self) -> list[str]:
        author = strip_label(first_text(self, "p.author span", "p.author"), "作者")
        return [author] if author else []

    @field
    def editors(self) -> list[str]:
        editor = strip_label(first_text(self, "p.editor"), "责任编辑")
        return [editor] if editor else []

    @field
    def body_lines(self) -> list[str]:
        paragraphs = self.css("div.article-main p:not(.contact)").getall()
        if paragraphs:
            return [line for paragraph in paragraphs for line in fragment_paragraphs(paragraph)]
        return fragment_paragraphs(self.css("#context").get() or "")

    @field
    def next_page_url(self) -> str | None:
        return self.link(f'//*[@id="pages"]//{NEXT_PAGE}')
