"""Admission: the rules a cleaned article must pass to be stored, and the cap on what is stored.

Pure decisions over an :class:`~core.items.Article`, with no store behind them: the crawl's
pipeline (``processors.admit``) applies them and records what they reject; ``scrapy extract`` and
``scrapy tag`` tell a binary file by the same share of bad characters and cap a body the same way.
An article is admitted when

- it has a body (an empty page, or one cleaning left empty, is not an article; nor is a page nested
  deeper than the parser can read, flagged :data:`~core.items.TOO_DEEP` by the spider: that reason
  is its own);
- its body is text: under ``ADMIT_MAX_BAD_CHARS`` (a share, 1 % by default) of replacement and
  control characters (what undecodable bytes become: a binary file served as ``text/html``), and
  letters of some script in its first ``ADMIT_LETTERS_WITHIN`` characters;
- it has a title.

A body longer than ``MAX_BODY_CHARS`` is cut there (at the last line break before it) and the
article is marked ``truncated``; so is a multi-page article whose later pages were not read (one
too deep to read, one that could not be fetched, or past ``MAX_ARTICLE_PAGES``): the pages read are
stored, never as if they were the whole article.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from core.items import MORE_PAGES, PAGE_FAILED, TOO_DEEP, Article
from core.xml import unreadable_share
from processors.clean import paragraphs_html


@dataclass(frozen=True)
class Rules:
    """The admission thresholds (settings of the same names)."""

    max_bad_chars: float = 0.01
    letters_within: int = 2000
    max_body_chars: int = 100_000

    @classmethod
    def from_settings(cls, settings) -> Rules:
        """The rules *settings* name; these defaults where they name none (``scrapy extract`` run
        outside the project has Scrapy's settings only)."""
        return cls(
            settings.getfloat("ADMIT_MAX_BAD_CHARS", cls.max_bad_chars),
            settings.getint("ADMIT_LETTERS_WITHIN", cls.letters_within),
            settings.getint("MAX_BODY_CHARS", cls.max_body_chars),
        )


@dataclass(frozen=True)
class Rejection:
    key: str
    """The stats key's last part: ``empty``, ``too_deep``, ``not_text``, ``no_letters``, ``no_title``."""
    reason: str
    """Why, in words."""


def rejection(article: Article, rules: Rules) -> Rejection | None:
    """Why *article* (cleaned) may not be stored, or None if it may."""
    if not article.body:
        if TOO_DEEP in article.quality:
            return Rejection("too_deep", "no article text: markup nested deeper than the parser can read")
        return Rejection("empty", "no article text (an empty page, or nothing left after cleaning)")
    text = f"{article.title or ''}\n{article.body}"
    bad = unreadable_share(text)
    if bad > rules.max_bad_chars:
        return Rejection("not_text", f"not text: {bad:.1%} replacement or control characters")
    if not any(char.isalpha() for char in article.body[: rules.letters_within]):
        return Rejection("no_letters", f"not text: no letter in its first {rules.letters_within} characters")
    if not article.title:
        return Rejection("no_title", "no title found or derived")
    return None


def capped(article: Article, max_chars: int) -> Article:
    """*article* with its body cut to at most *max_chars* characters, at a line's end where it can
    (the HTML and simplified copies cut to the same lines), marked ``truncated``; or *article*."""
    if len(article.body) <= max_chars:
        return article
    kept: list[str] = []
    size = 0
    for line in article.body.split("\n"):
        if size + len(line) > max_chars:
            if not kept:  # one line longer than the cap: cut within it
                kept.append(line[:max_chars])
            break
        kept.append(line)
        size += len(line) + 1
    simplified = article.body_simplified.split("\n")[: len(kept) + 1]  # its first line is the title
    simplified[-1] = simplified[-1][: len(kept[-1])]
    return replace(
        article,
        body="\n".join(kept),
        body_html=paragraphs_html(kept),
        body_simplified="\n".join(simplified),
        truncated=True,
    )


@dataclass(frozen=True)
class Shortfall:
    key: str
    """The stats key's last part: ``too_deep``, ``page_failed``, ``more_pages``."""
    reason: str
    """Which pages were not read, in words."""


def shortfall(article: Article) -> Shortfall | None:
    """Why later pages of *article* (admitted) were not read, as the spider flagged it, or None."""
    if TOO_DEEP in article.quality:
        return Shortfall(
            "too_deep",
            f"page {article.pages} is nested deeper than the parser can read: stored as far as it reads",
        )
    if PAGE_FAILED in article.quality:
        return Shortfall(
            "page_failed",
            f"page {article.pages + 1} could not be fetched: stored up to page {article.pages}",
        )
    if MORE_PAGES in article.quality:
        return Shortfall(
            "more_pages", f"it has pages past MAX_ARTICLE_PAGES: stored up to page {article.pages}"
        )
    return None
