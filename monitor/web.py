"""``/healthz`` and ``/metrics``: Twisted resources the monitor mounts on the feed server."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from twisted.web.resource import Resource
from twisted.web.server import Request


class HealthResource(Resource):
    """The monitor's health as JSON: 200 while it works (failing sites named in the body), 503
    when it is unwell itself (``monitor.service.Monitor.health``)."""

    isLeaf = True

    def __init__(self, health: Callable[[], tuple[int, dict[str, Any]]]) -> None:
        super().__init__()
        self.health = health

    def render_GET(self, request: Request) -> bytes:
        code, body = self.health()
        request.setResponseCode(code)
        request.setHeader(b"content-type", b"application/json; charset=utf-8")
        request.setHeader(b"cache-control", b"no-store")
        return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


class MetricsResource(Resource):
    """The registry's metrics in Prometheus's text format."""

    isLeaf = True

    def __init__(self, registry: CollectorRegistry) -> None:
        super().__init__()
        self.registry = registry

    def render_GET(self, request: Request) -> bytes:
        request.setHeader(b"content-type", CONTENT_TYPE_LATEST.encode())
        request.setHeader(b"cache-control", b"no-store")
        return generate_latest(self.registry)
