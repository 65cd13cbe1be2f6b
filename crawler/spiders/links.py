"""What a spider follows from a list page, as pure functions of the site and the response.

A list page (a channel list, or a front page the crawl starts from) gives three kinds of links:
the site's articles (``article_url``), the list's next page (``next_list_page``) and, on a start
page that is not a list itself (a front page), the channel lists it links (``list_url``). Nothing
else is followed: navigation, advertisements and other hosts' pages match none of the site's
patterns. Only ``<a href>`` is read, never scripts (mobile redirects) or refreshes.
"""

from __future__ import annotations

from dataclasses import dataclass

from scrapy.http import TextResponse

from core.sites import Site
from crawler.pages.html import select_links


@dataclass(frozen=True)
class ListLinks:
    articles: list[str]
    """Article URLs, first pages only, in page order, each once."""
    next_pages: list[str]
    """The list's next page (none on its last page)."""
    channels: list[str]
    """Channel lists linked from a front page (empty on a list page)."""


def page_links(response: TextResponse) -> list[str]:
    """Every link target of the page's ``<a href>``, absolute, without its fragment, each once."""
    hrefs = response.css("a::attr(href)").getall()
    links = (response.urljoin(href.strip()).split("#", 1)[0] for href in hrefs)
    return list(dict.fromkeys(link for link in links if link.startswith(("http://", "https://"))))


def list_links(site: Site, response: TextResponse) -> ListLinks:
    """The articles, next list page and channels *site*'s spider follows from *response*."""
    links = page_links(response)
    articles = [url for url in links if site.article_number(url)]
    if site.is_list_page(response.url):
        return ListLinks(articles, next_list_pages(site, response, links), [])
    channels = [url for url in links if site.is_list_page(url)]
    return ListLinks(articles, [], channels)


def next_list_pages(site: Site, response: TextResponse, links: list[str]) -> list[str]:
    """The list's next page (the site's ``next_list_page`` selector), else every list link whose
    file name continues this one's (``node_538_2.htm`` after ``node_538.htm``). A link to the page
    itself (the 下一页 arrow of a last page, on some CMSs) is not a next page."""
    if site.next_list_page:
        pages = [response.urljoin(href) for href in select_links(response, site.next_list_page)[:1]]
        return [url for url in pages if url != response.url]
    return [url for url in links if site.is_list_page(url) and continues(response.url, url)]


def continues(url: str, other: str) -> bool:
    """Whether *other* continues the list at *url* (``node_538_2.htm`` after ``node_538.htm``)."""
    stem = url.rsplit("/", 1)[-1].split(".")[0].split("_")
    other_stem = other.rsplit("/", 1)[-1].split(".")[0].split("_")
    return stem[:2] == other_stem[:2] and other != url
