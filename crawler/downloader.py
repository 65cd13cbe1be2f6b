"""Download handler that points unmodified spiders at the local mirror.

With ``MIRROR_URL`` unset it is Scrapy's own HTTP/1.1 handler. With it set, every request is
fetched from the mirror server instead, and the response is handed back under the request's
real URL, so middlewares, spiders, items and ids never see the mirror.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.mirror import mirrored_url


class MirrorDownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.mirror_url: str | None = crawler.settings.get("MIRROR_URL") or None

    async def download_request(self, request: Request) -> Response:
        if not self.mirror_url:
            return await super().download_request(request)
        response = await super().download_request(
            request.replace(url=mirrored_url(self.mirror_url, request.url))
        )
        return response.replace(url=request.url)
