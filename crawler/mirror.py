"""The local mirror: saved copies of the supported sites, served over real HTTP on 127.0.0.1.

The files live in ``mirror/<host>/<path>``, one file per URL path, so that
``http://www.qzwb.com/gb/node/node_538.htm`` is ``mirror/www.qzwb.com/gb/node/node_538.htm``.
The server answers ``GET /<host>/<path>``; :class:`MirrorDownloadHandler` turns a spider's real
URL into that form when the ``MIRROR_URL`` setting is set, so spiders run unmodified and items
keep the real URLs.

``mirror/headers.yaml`` (optional) maps a file's mirror path to extra response headers, to
reproduce what a site's server gets wrong (a charset header that contradicts the bytes).

Run it with ``scrapy mirror`` or ``python -m crawler.mirror``.
"""

from __future__ import annotations

import argparse
import logging
import mimetypes
import threading
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

logger = logging.getLogger(__name__)

DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "mirror"
INDEX_FILES = ("index.html", "index.htm", "index.shtml")
CONTENT_TYPES = {".htm": "text/html", ".html": "text/html", ".shtml": "text/html", ".txt": "text/plain"}


def mirror_path(url: str) -> str:
    """The mirror-relative path of a real URL: ``www.qzwb.com/gb/node/node_538.htm``."""
    parts = urlsplit(url)
    path = parts.path or "/"
    return f"{parts.hostname}{path}" + (f"?{parts.query}" if parts.query else "")


def mirrored_url(mirror_url: str, url: str) -> str:
    """The URL on the mirror server that serves the real *url*."""
    return f"{mirror_url.rstrip('/')}/{mirror_path(url)}"


def load_header_overrides(root: Path) -> dict[str, dict[str, str]]:
    path = root / "headers.yaml"
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def resolve_file(root: Path, request_path: str) -> Path | None:
    """The file under *root* that serves *request_path*, or None; never a path outside root."""
    relative = unquote(urlsplit(request_path).path).lstrip("/")
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root.resolve()):
        return None
    if candidate.is_dir():
        return next((candidate / name for name in INDEX_FILES if (candidate / name).is_file()), None)
    return candidate if candidate.is_file() else None


class MirrorRequestHandler(BaseHTTPRequestHandler):
    server_version = "regional-news-mirror/0.1"

    def __init__(self, *args, root: Path, overrides: dict[str, dict[str, str]], **kwargs) -> None:
        self.root = root
        self.overrides = overrides
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def _serve(self, send_body: bool) -> None:
        path = resolve_file(self.root, self.path)
        if path is None:
            self.send_error(HTTPStatus.NOT_FOUND, "Not in the mirror")
            return
        body = path.read_bytes()
        headers = {"Content-Type": CONTENT_TYPES.get(path.suffix) or _guess_type(path)}
        headers.update(self.overrides.get(path.relative_to(self.root.resolve()).as_posix(), {}))
        self.send_response(HTTPStatus.OK)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        logger.debug("%s %s", self.address_string(), format % args)


def _guess_type(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def make_server(root: Path = DEFAULT_ROOT, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """A mirror server bound to *host*:*port* (0 picks a free port); call ``serve_forever``."""
    root = root.resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"mirror directory not found: {root}")
    handler = partial(MirrorRequestHandler, root=root, overrides=load_header_overrides(root))
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def server_url(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}"


def start_in_thread(root: Path = DEFAULT_ROOT, port: int = 0) -> ThreadingHTTPServer:
    """Start a mirror server in a daemon thread (for tests); stop it with ``shutdown()``."""
    server = make_server(root, port=port)
    threading.Thread(target=server.serve_forever, name="mirror", daemon=True).start()
    return server


def serve(root: Path, host: str, port: int, url_file: Path | None = None) -> None:
    server = make_server(root, host, port)
    url = server_url(server)
    if url_file is not None:
        url_file.write_text(url + "\n", encoding="utf-8")
    print(f"Mirror of {root} at {url} (set MIRROR_URL={url})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def build_arg_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m crawler.mirror", description=__doc__.split("\n")[0])
    add_mirror_arguments(parser)
    return parser


def add_mirror_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root", type=Path, default=DEFAULT_ROOT, help="mirror directory (default: %(default)s)"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    parser.add_argument(
        "--port", type=int, default=8000, help="port; 0 picks a free one (default: %(default)s)"
    )
    parser.add_argument("--url-file", type=Path, help="write the server's base URL to this file once bound")


if __name__ == "__main__":
    args = build_arg_parser().parse_args()
    serve(args.root, args.host, args.port, args.url_file)
