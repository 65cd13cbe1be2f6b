"""济宁新闻网 (www.jnnews.tv).

Selectors from a public scraper (../shared/sites.md): title ``div.text_title h1``; body ``#rwb_zw p``;
time in ``div.box01 div`` as ``YYYY年MM月DD日 HH:MM`` followed by 来源. These are 人民网's article
template, after which the rest is modelled: the author in ``p.author``, the editor in ``div.edit``
("(责编：…)"), the pager ``div.zdfy`` of long articles (``cmsNarticle_2.shtml``). The copyright
``<p>`` inside ``#rwb_zw`` is read with the body: cleaning removes it.
"""

from __future__ import annotations

import re

from web_poet import field, handle_urls

from crawler.pages.html import first_text, fragment_paragraphs, selected_texts, strip_label
from crawler.pages.site import NEXT_PAGE, SiteArticlePage

SOURCE_LABEL = re.compile(r"\s*[来來]源\s*[:：]\s*")


@handle_urls("jnnews.tv")
class JnnewsArticlePage(SiteArticlePage):
    name = "jnnews"

    def _time_and_source(self) -> tuple[str | None, str | None]:
        """The two parts of the line under the title: "2018年06月26日 16:48  来源：济宁新闻网" (the
        first of the ``div.box01 div``: the others hold the share buttons)."""
        line = next(iter(selected_texts(self, "div.box01 div")), "")
        time, *source = SOURCE_LABEL.split(line, maxsplit=1)
        return time.strip() or None, (source[0].strip() or None) if source else None

    @field
    def title(self) -> str | None:
        return first_text(self, "div.text_title h1")

    @field
    def published_raw(self) -> str | None:
        return self._time_and_source()[0]

    @field
    def outlet(self) -> str | None:
        return self._time_and_source()[1]

    @field
    def reporters(self) -> list[str]:
        author = strip_label(first_text(self, "div.text_title p.author"), "作者")
        return [author] if author else []

    @field
    def editors(self) -> list[str]:
        editor = strip_label(first_text(self, "div.edit"), "责编", "责任编辑")
        return [editor] if editor else []

    @field
    def body_lines(self) -> list[str]:
        return [line for p in self.css("#rwb_zw p").getall() for line in fragment_paragraphs(p)]

    @field
    def next_page_url(self) -> str | None:
        return self.link(f'//div[contains(@class, "zdfy")]//{NEXT_PAGE}')
