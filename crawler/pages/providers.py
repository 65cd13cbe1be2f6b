"""What scrapy-poet hands the page objects: the response, decoded as ``EncodingMiddleware`` decided.

scrapy-poet's own provider builds ``web_poet.HttpResponse`` from the body and headers alone, so a
page would be decoded again by its ``Content-Type`` charset, the very header that lies on Chinese
sites. This provider passes the encoding the downloader middleware chose from the bytes, and web-poet
fixtures saved by ``scrapy savefixture`` record it.
"""

from __future__ import annotations

from collections.abc import Callable, Set

from scrapy.http import Response, TextResponse
from scrapy_poet.page_input_providers import HttpResponseProvider
from web_poet import HttpResponse, HttpResponseHeaders


class DecodedHttpResponseProvider(HttpResponseProvider):
    def __call__(self, to_provide: Set[Callable], response: Response) -> list[HttpResponse]:
        return [
            HttpResponse(
                url=response.url,
                body=response.body,
                status=response.status,
                headers=HttpResponseHeaders.from_bytes_dict(response.headers),
                encoding=response.encoding if isinstance(response, TextResponse) else None,
            )
        ]
