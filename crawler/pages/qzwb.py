"""泉州网 / 泉州晚报 (www.qzwb.com), a Founder (方正) CMS site.

Title ``li.bt#div_title_article`` and body ``div#id_content`` up to the ``<!--/enpcontent-->``
marker come from public scrapers (../shared/sites.md). No public selector was found for time,
source, author or editor: they are read as on the other Founder sites (``crawler.pages.founder``:
fjsen.com, lnd.com.cn) — correct them here if the live site differs. Long articles continue on
pages linked from ``#displaypagenum``.
"""

from __future__ import annotations

from web_poet import field, handle_urls

from crawler.pages.founder import FounderArticlePage
from crawler.pages.html import first_text, fragment_paragraphs

CONTENT_END = "<!--/enpcontent-->"


@handle_urls("qzwb.com")
class QzwbArticlePage(FounderArticlePage):
    name = "qzwb"

    @field
    def title(self) -> str | None:
        title = first_text(self, "li.bt#div_title_article", "#div_title_article", "li.bt")
        if title:
            return title
        page_title = first_text(self, "title")
        return page_title.rsplit("_", 1)[0] if page_title else None

    @field
    def body_lines(self) -> list[str]:
        content = self.css("div#id_content").get() or ""
        return fragment_paragraphs(content.split(CONTENT_END, 1)[0])

    @field
    def next_page_url(self) -> str | None:
        href = self.xpath('//*[@id="displaypagenum"]//a[normalize-space(.)="下一页"]/@href').get()
        return str(self.response.urljoin(href)) if href else None
