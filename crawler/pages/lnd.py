"""北国网 / 辽宁日报 (lnd.com.cn): liaoning.lnd.com.cn and news.lnd.com.cn.

Selectors from public scrapers (../shared/sites.md): title ``p.yahei.newstittle``; time
``span#pubtime_baidu``; source ``#source_baidu``; author ``#author_baidu`` ("作者："); editor
``#editor_baidu`` ("编辑：", sometimes two names); body ``div.news``. Long articles continue on
``N_2.shtml``, linked from ``div#pages``. Some pages refresh to the e-paper on another host: the
spider keeps the page (``crawler.middlewares.OnSiteMetaRefreshMiddleware``).
"""

from __future__ import annotations

from web_poet import field, handle_urls

from crawler.pages.html import first_text, fragment_paragraphs, strip_label
from crawler.pages.site import NEXT_PAGE, SiteArticlePage


@handle_urls("lnd.com.cn")
class LndArticlePage(SiteArticlePage):
    name = "lnd"

    @field
    def title(self) -> str | None:
        return first_text(self, "p.yahei.newstittle")

    @field
    def published_raw(self) -> str | None:
        return first_text(self, "span#pubtime_baidu")

    @field
    def outlet(self) -> str | None:
        return strip_label(first_text(self, "#source_baidu"), "来源")

    @field
    def reporters(self) -> list[str]:
        author = strip_label(first_text(self, "#author_baidu"), "作者")
        return [author] if author else []

    @field
    def editors(self) -> list[str]:
        editor = strip_label(first_text(self, "#editor_baidu"), "编辑", "责任编辑")
        return [editor] if editor else []

    @field
    def body_lines(self) -> list[str]:
        return fragment_paragraphs(self.css("div.news").get() or "")

    @field
    def next_page_url(self) -> str | None:
        return self.link(f'//div[@id="pages"]//{NEXT_PAGE}')
