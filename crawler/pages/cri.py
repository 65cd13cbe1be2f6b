"""国际在线 (cri.cn), its 辽宁 channel ln.cri.cn.

Selectors from public scrapers (../shared/sites.md): title ``h1`` / ``.atitle``; time
``span#acreatedtime`` or ``span#apublishtime``; source ``span#asource`` / ``.asource`` ("来源：");
editors ``.aeditor`` ("编辑：", and a second one "责编："); body ``div#abody``. CRI names its
reporters only in the dateline (国际在线辽宁报道（记者 X）：), which cleaning reads. The 国际在线
copyright statement inside ``div#abody`` is read with the body: cleaning ends the text there.
"""

from __future__ import annotations

from web_poet import field, handle_urls

from crawler.pages.html import first_text, fragment_paragraphs, selected_texts, strip_label
from crawler.pages.site import SiteArticlePage


@handle_urls("cri.cn")
class CriArticlePage(SiteArticlePage):
    name = "cri"

    @field
    def title(self) -> str | None:
        return first_text(self, "h1", ".atitle")

    @field
    def published_raw(self) -> str | None:
        return first_text(self, "span#acreatedtime", "span#apublishtime")

    @field
    def outlet(self) -> str | None:
        return strip_label(first_text(self, "span#asource", ".asource"), "来源")

    @field
    def editors(self) -> list[str]:
        editors = (strip_label(text, "编辑", "责编") for text in selected_texts(self, ".aeditor"))
        return [editor for editor in editors if editor]

    @field
    def body_lines(self) -> list[str]:
        return fragment_paragraphs(self.css("div#abody").get() or "")
