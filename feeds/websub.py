"""WebSub (W3C): tell the hub which feeds changed, so subscribers get them at once.

Every feed names the hub (``<link rel="hub">``, ``WEBSUB_HUB``); after a build, each changed feed's
URL (its ``rel="self"``) is announced to the hub with a ``hub.mode=publish`` request, the form the
common hubs accept. The calls block: the crawl's feed build and the monitor make them with
:func:`announce_in_thread`, off the reactor. A hub that cannot be reached is logged once per batch,
and the rest of the batch is not tried (the next build announces again).
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from urllib.parse import urlencode

from scrapy.utils.asyncio import run_in_thread

logger = logging.getLogger(__name__)

TIMEOUT = 10.0


def announce(hub: str, urls: Iterable[str], timeout: float = TIMEOUT) -> int:
    """Publish each of *urls* to *hub*; how many the hub accepted (a 2xx answer)."""
    accepted = 0
    for url in urls:
        body = urlencode({"hub.mode": "publish", "hub.url": url}).encode("ascii")
        request = urllib.request.Request(
            hub, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
        except urllib.error.HTTPError as error:
            logger.warning("websub hub %s refused %s: HTTP %d", hub, url, error.code)
            continue
        except (OSError, ValueError) as error:
            logger.warning("websub hub %s unreachable (%s): feeds not announced this time", hub, error)
            break
        accepted += 1
    if accepted:
        logger.info("websub: %d feeds announced to %s", accepted, hub)
    return accepted


async def announce_in_thread(hub: str | None, urls: Sequence[str]) -> int:
    """:func:`announce` in a thread, off the reactor (asyncio's or Twisted's); nothing to do
    without a hub (``WEBSUB_HUB``) or a changed feed."""
    if not hub or not urls:
        return 0
    return await run_in_thread(announce, hub, urls)
