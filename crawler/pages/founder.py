"""What the Founder (方正) CMS sites share: metadata in spans named for Baidu's news crawler.

``span#pubtime_baidu`` (the time), ``#source_baidu`` ("来源：…"), ``#author_baidu`` ("作者：…") and
``#editor_baidu`` ("编辑：…" or "责任编辑：…", sometimes two names) — seen on lnd.com.cn and fjsen.com
in public scrapers (../shared/sites.md). Each site's page object adds its title and body.
"""

from __future__ import annotations

from web_poet import field

from crawler.pages.html import first_text, strip_label
from crawler.pages.site import SiteArticlePage


class FounderArticlePage(SiteArticlePage):
    @field
    def published_raw(self) -> str | None:
        return first_text(self, "#pubtime_baidu")

    @field
    def outlet(self) -> str | None:
        return strip_label(first_text(self, "#source_baidu"), "来源")

    @field
    def reporters(self) -> list[str]:
        author = strip_label(first_text(self, "#author_baidu"), "作者")
        return [author] if author else []

    @field
    def editors(self) -> list[str]:
        editor = strip_label(first_text(self, "#editor_baidu"), "责任编辑", "编辑")
        return [editor] if editor else []
