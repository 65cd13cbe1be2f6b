"""泉州网 / 泉州晚报 (www.qzwb.com), a Founder (方正) CMS site.

Title ``li.bt#div_title_article`` and body ``div#id_content`` up to the ``<!--/enpcontent-->``
marker come from public scrapers (../shared/sites.md). No public selector was found for time,
source, author or editor: ``#pubtime_baidu``, ``#source_baidu``, ``#author_baidu`` and
``#editor_baidu`` are those of the other Founder sites (fjsen.com, lnd.com.cn) — correct them
here if the live site differs. Long articles continue on pages linked from ``#displaypagenum``.
"""

from __future__ import annotations

from crawler.pages.base import ArticlePage
from crawler.pages.html import first_text, fragment_paragraphs, strip_label

CONTENT_END = "<!--/enpcontent-->"


class QzwbArticlePage(ArticlePage):
    name = "qzwb"

    def title(self) -> str | None:
        title = first_text(self.response, "li.bt#div_title_article", "#div_title_article", "li.bt")
        if title:
            return title
        page_title = first_text(self.response, "title")
        return page_title.rsplit("_", 1)[0] if page_title else None

    def published_raw(self) -> str | None:
        return first_text(self.response, "#pubtime_baidu")

    def outlet(self) -> str | None:
        return strip_label(first_text(self.response, "#source_baidu"), "来源", "來源")

    def reporters(self) -> list[str]:
        author = strip_label(first_text(self.response, "#author_baidu"), "作者")
        return [author] if author else []

    def editors(self) -> list[str]:
        editor = strip_label(first_text(self.response, "#editor_baidu"), "责任编辑", "編輯", "编辑")
        return [editor] if editor else []

    def body_lines(self) -> list[str]:
        content = self.response.css("div#id_content").get() or ""
        return fragment_paragraphs(content.split(CONTENT_END, 1)[0])

    def next_page_url(self) -> str | None:
        href = self.response.xpath('//*[@id="displaypagenum"]//a[normalize-space(.)="下一页"]/@href').get()
        return self.response.urljoin(href) if href else None
