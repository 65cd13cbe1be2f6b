"""北国网 / 辽宁日报 (lnd.com.cn): liaoning.lnd.com.cn and news.lnd.com.cn.

Selectors from public scrapers (../shared/sites.md): title ``p.yahei.newstittle``; body ``div.news``;
time ``span#pubtime_baidu``, source ``#source_baidu``, author ``#author_baidu`` ("作者："), editor
``#editor_baidu`` ("编辑：", sometimes two names): the Founder CMS spans (``crawler.pages.founder``).
Long articles continue on ``N_2.shtml``, linked from ``div#pages``. Some pages refresh to the
e-paper on another host: the spider keeps the page (``crawler.middlewares.OnSiteMetaRefreshMiddleware``).
"""

from __future__ import annotations

from web_poet import field, handle_urls

from crawler.pages.founder import FounderArticlePage
from crawler.pages.html import first_text, fragment_paragraphs
from crawler.pages.site import NEXT_PAGE


@handle_urls("lnd.com.cn")
class LndArticlePage(FounderArticlePage):
    name = "lnd"

    @field
    def title(self) -> str | None:
        return first_text(self, "p.yahei.newstittle")

    @field
    def body_lines(self) -> list[str]:
        return fragment_paragraphs(self.css("div.news").get() or "")

    @field
    def next_page_url(self) -> str | None:
        return self.link(f'//div[@id="pages"]//{NEXT_PAGE}')
