"""The article item every spider yields and every pipeline enriches.

Field meanings follow zyte-common-items' Article (url, headline, datePublished with its raw
string, authors, articleBody, articleBodyHtml) in snake_case, plus what this project adds:
the Chinese-news roles (outlet 来源, reporters 记者, editors 编辑), quality flags and tags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

TOO_DEEP = "too_deep"
"""Quality flag of an article one of whose pages is nested deeper than the parser can read: the
parser stops there, so the text after that point and any link to a next page are lost. The spider
yields the article as read; admission (``processors.admission``) rejects it when that leaves it no
text, and otherwise stores what was read marked ``truncated``."""
PAGE_FAILED = "page_failed"
"""Quality flag of a multi-page article one of whose later pages could not be fetched (after its
retries): admission stores the pages read marked ``truncated``, rather than lose them and fetch the
article again on every crawl."""
MORE_PAGES = "more_pages"
"""Quality flag of a multi-page article with pages past ``MAX_ARTICLE_PAGES``, not fetched: admission
stores the pages read marked ``truncated``."""


@dataclass
class Article:
    url: str
    """The article's real URL on its site (never the mirror's)."""
    site: str
    """Spider name of the site, e.g. ``qzwb``; ``generic`` for unknown sites."""
    article_id: str = ""
    """The site's own stable article number (``5219051`` of ``content_5219051.htm``)."""
    id: str = ""
    """``<site>/<article_id>`` (``qzwb/5219051``); never changes. The feeds mint their tag URIs from it
    (``feeds.build.FeedIds``); a document with no site has ``url/<hash>`` or ``text/<hash>``."""
    title: str | None = None
    original_title: str | None = None
    """The 原标题 (the original's headline) a republished article names, even where its title repeats it:
    it says the article is a copy."""
    published: datetime | None = None
    """Timezone-aware (Asia/Shanghai on input)."""
    published_raw: str | None = None
    modified: datetime | None = None
    """When the site says the article was last changed (zyte-common-items' ``dateModified``), if it says."""
    modified_raw: str | None = None
    outlet: str | None = None
    """来源: the outlet that first published the article."""
    reporters: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    body: str = ""
    """Plain text, one paragraph per line, in the script it was published in."""
    body_html: str = ""
    """The cleaned paragraphs as HTML, one ``<p>`` each with the text escaped: safe to embed."""
    body_simplified: str = ""
    """``title`` + ``body`` converted to simplified Chinese (OpenCC t2s), for tagging and search."""
    quality: list[str] = field(default_factory=list)
    """Flags such as ``mojibake``, ``no_date``, ``generic_extraction``."""
    extractor: str = ""
    """Which page object produced the fields (its site name, or ``generic``)."""
    pages: int = 1
    """How many pages the article was joined from (a page too deep to read counts, whatever it gave)."""
    truncated: bool = False
    """The page holds more than is stored (``processors.admission``): the body was cut at
    ``MAX_BODY_CHARS``, or the parser stopped in a page or later pages were not read (:data:`TOO_DEEP`,
    :data:`PAGE_FAILED`, :data:`MORE_PAGES`)."""
    cities: list[str] = field(default_factory=list)
    counties: list[str] = field(default_factory=list)
    provinces: list[str] = field(default_factory=list)
    primary_city: str | None = None
    initiatives: list[dict[str, Any]] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    tag_evidence: dict[str, Any] = field(default_factory=dict)
    """Surface forms matched for each place tag and their counts."""
