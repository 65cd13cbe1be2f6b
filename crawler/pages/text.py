"""Plain-text articles (a copy-pasted or scraped text, not a page): every line is raw body.

Whether the first line is the headline is a cleaning decision (``processors.clean`` takes a first
line that looks like one when an article has no title), so this page object reads nothing else.
"""

from __future__ import annotations

from web_poet import field

from crawler.pages.base import ArticlePage


class TextArticlePage(ArticlePage):
    name = "text"

    @field
    def body_lines(self) -> list[str]:
        return self.response.text.splitlines()
