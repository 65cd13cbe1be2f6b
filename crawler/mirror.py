"""The local mirrors: saved copies of the supported sites, served over real HTTP on 127.0.0.1.

Each site's mirror is a folder ``mirror/<site>/`` holding one folder per host and one file per URL
path, so that ``http://www.qzwb.com/gb/node/node_538.htm`` is
``mirror/qzwb/www.qzwb.com/gb/node/node_538.htm``, beside the mirror's ``README.md`` (what is real
and what is reconstructed) and an optional ``headers.yaml``. The server answers
``GET /<host>/<path>`` from whichever site folder holds that host; :class:`MirrorDownloadHandler`
turns a spider's real URL into that form when the ``MIRROR_URL`` setting is set, so spiders run
unmodified and items keep the real URLs.

``headers.yaml`` maps a file's path inside its site folder to extra response headers, to reproduce
what a site's server gets wrong (a charset header that contradicts the bytes). A
``Content-Encoding: gzip`` header there makes the server send that file gzipped; ``--gzip`` sends
every file gzipped to clients that accept it, as most real servers do. Every answer carries an
``ETag`` (the bytes' hash) and ``Last-Modified`` (the file's time), and a request whose
``If-None-Match`` / ``If-Modified-Since`` still holds is answered ``304 Not Modified``, as the CMS
front ends of the real sites answer.

Run it with ``scrapy mirror`` or ``python -m crawler.mirror``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import logging
import mimetypes
import socket
import struct
import sys
import threading
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from crawler.faults import CONTENT, Fault, FaultPlan, faulty_page, load_faults

logger = logging.getLogger(__name__)

DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "mirror"
INDEX_FILES = ("index.html", "index.htm", "index.shtml")
CONTENT_TYPES = {".htm": "text/html", ".html": "text/html", ".shtml": "text/html", ".txt": "text/plain"}
HEADERS_FILE = "headers.yaml"


def mirror_path(url: str) -> str:
    """The host-and-path form of a real URL: ``www.qzwb.com/gb/node/node_538.htm``."""
    parts = urlsplit(url)
    path = parts.path or "/"
    return f"{parts.hostname}{path}" + (f"?{parts.query}" if parts.query else "")


def mirrored_url(mirror_url: str, url: str) -> str:
    """The URL on the mirror server that serves the real *url*."""
    return f"{mirror_url.rstrip('/')}/{mirror_path(url)}"


@dataclass(frozen=True)
class Mirror:
    """Every site folder under one root: which folder serves each host, and the header overrides."""

    hosts: dict[str, Path]
    """Host name -> its folder (``www.qzwb.com`` -> ``mirror/qzwb/www.qzwb.com``)."""
    headers: dict[Path, dict[str, str]]
    """File -> extra response headers (from the site folders' ``headers.yaml``)."""

    @classmethod
    def load(cls, root: Path) -> Mirror:
        root = root.resolve()
        if not root.is_dir():
            raise FileNotFoundError(f"mirror directory not found: {root}")
        hosts: dict[str, Path] = {}
        headers: dict[Path, dict[str, str]] = {}
        for site in sorted(path for path in root.iterdir() if path.is_dir()):
            for host in sorted(path for path in site.iterdir() if path.is_dir()):
                if host.name in hosts:
                    raise ValueError(f"host {host.name} is mirrored twice: {hosts[host.name]} and {host}")
                hosts[host.name] = host
            overrides = site / HEADERS_FILE
            if overrides.is_file():
                for relative, extra in (yaml.safe_load(overrides.read_text(encoding="utf-8")) or {}).items():
                    headers[(site / relative).resolve()] = {str(k): str(v) for k, v in extra.items()}
        return cls(hosts, headers)

    def resolve(self, request_path: str) -> Path | None:
        """The file that serves ``/<host>/<path>``, or None; never a path outside the host's folder."""
        host, _, relative = unquote(urlsplit(request_path).path).lstrip("/").partition("/")
        folder = self.hosts.get(host)
        if folder is None:
            return None
        candidate = (folder / relative).resolve()
        if not candidate.is_relative_to(folder):
            return None
        if candidate.is_dir():
            return next((candidate / name for name in INDEX_FILES if (candidate / name).is_file()), None)
        return candidate if candidate.is_file() else None


class MirrorRequestHandler(BaseHTTPRequestHandler):
    server_version = "regional-news-mirror/0.1"
    server: MirrorServer

    def __init__(self, *args, mirror: Mirror, gzip_all: bool, **kwargs) -> None:
        self.mirror = mirror
        self.gzip_all = gzip_all
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def _serve(self, send_body: bool) -> None:
        fault = self.server.faults.pick(self.path.lstrip("/"))
        if fault is not None and fault.kind not in CONTENT and fault.kind != "truncate":
            self._answer_fault(fault)
            return
        path = self.mirror.resolve(self.path)
        if path is None:
            self.send_error(HTTPStatus.NOT_FOUND, "Not in the mirror")
            return
        body = path.read_bytes()
        headers = {"Content-Type": CONTENT_TYPES.get(path.suffix) or _guess_type(path)}
        headers.update(self.mirror.headers.get(path, {}))
        if fault is not None and fault.kind in CONTENT:
            body = faulty_page(fault, body, headers, self.path)
        gzipped = headers.get("Content-Encoding") == "gzip" or (self.gzip_all and self._accepts_gzip())
        validators = {"ETag": entity_tag(body, gzipped), "Last-Modified": last_modified(path)}
        if not_modified(self.headers, validators):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            for name, value in validators.items():
                self.send_header(name, value)
            self.end_headers()
            return
        if gzipped and (fault is None or fault.kind != "lying_gzip"):
            headers["Content-Encoding"] = "gzip"
            body = gzip.compress(body, mtime=0)
        headers.update(validators)
        self.send_response(HTTPStatus.OK)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not send_body:
            return
        if fault is not None and fault.kind == "truncate":
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
            return
        self.wfile.write(body)

    def _answer_fault(self, fault: Fault) -> None:
        """Answer with a fault of the connection or the status, whatever the path."""
        if fault.kind == "hang":
            self.server.faults.released.wait(fault.seconds)
            self.close_connection = True
        elif fault.kind == "reset":
            self.server.reset.add(self.connection)
            self.close_connection = True
        elif fault.kind == "redirect_loop":
            host_path = urlsplit(self.path)
            relative = "/" + host_path.path.lstrip("/").partition("/")[2]
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", relative if host_path.query else relative + "?loop=1")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            body = f"<html><body>{fault.status}</body></html>".encode()
            self.send_response(fault.status)
            if fault.retry_after is not None:
                self.send_header("Retry-After", fault.retry_after)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def _accepts_gzip(self) -> bool:
        return "gzip" in self.headers.get("Accept-Encoding", "")

    def log_message(self, format: str, *args) -> None:
        logger.debug("%s %s", self.address_string(), format % args)


class MirrorServer(ThreadingHTTPServer):
    """The mirror's HTTP server: a thread per request, and the faults it injects (``faults``)."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler, faults: FaultPlan) -> None:
        super().__init__(address, handler)
        self.faults = faults
        self.reset: set[socket.socket] = set()
        """Connections to close with a TCP reset (``SO_LINGER`` 0, no orderly shutdown first)."""

    def shutdown_request(self, request) -> None:
        if request in self.reset:
            self.reset.discard(request)
            request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            request.close()
            return
        super().shutdown_request(request)

    def shutdown(self) -> None:
        self.faults.released.set()
        super().shutdown()

    def handle_error(self, request, client_address) -> None:
        """A client that hung up (a crawler cancelling a download too big for it) is no error."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def entity_tag(body: bytes, gzipped: bool) -> str:
    """A strong ETag of a file's bytes; the gzipped representation is another entity (as Apache
    marks it)."""
    digest = hashlib.sha1(body).hexdigest()[:20]
    return f'"{digest}-gzip"' if gzipped else f'"{digest}"'


def last_modified(path: Path) -> str:
    return formatdate(path.stat().st_mtime, usegmt=True)


def not_modified(request_headers, validators: dict[str, str]) -> bool:
    """Whether the request's validators match the file (RFC 9110: ``If-None-Match`` decides when
    given; else ``If-Modified-Since``, at one-second precision)."""
    if_none_match = request_headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip() for tag in if_none_match.split(",")}
        return "*" in tags or validators["ETag"] in tags
    if_modified_since = request_headers.get("If-Modified-Since")
    if if_modified_since is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False
    return parsedate_to_datetime(validators["Last-Modified"]) <= since


def _guess_type(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def make_server(
    root: Path = DEFAULT_ROOT,
    host: str = "127.0.0.1",
    port: int = 0,
    gzip_all: bool = False,
    faults: FaultPlan | None = None,
) -> MirrorServer:
    """A mirror server bound to *host*:*port* (0 picks a free port), injecting *faults*; call
    ``serve_forever``."""
    handler = partial(MirrorRequestHandler, mirror=Mirror.load(root), gzip_all=gzip_all)
    return MirrorServer((host, port), handler, faults or FaultPlan())


def server_url(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}"


def start_in_thread(
    root: Path = DEFAULT_ROOT, port: int = 0, gzip_all: bool = False, faults: FaultPlan | None = None
) -> MirrorServer:
    """Start a mirror server in a daemon thread (for tests), injecting *faults* (change them with
    ``server.faults.set(…)``); stop it with ``shutdown()``."""
    server = make_server(root, port=port, gzip_all=gzip_all, faults=faults)
    threading.Thread(target=server.serve_forever, name="mirror", daemon=True).start()
    return server


def serve(
    root: Path,
    host: str,
    port: int,
    url_file: Path | None = None,
    gzip_all: bool = False,
    faults: list[Fault] | None = None,
) -> None:
    server = make_server(root, host, port, gzip_all, FaultPlan(faults))
    url = server_url(server)
    if url_file is not None:
        url_file.write_text(url + "\n", encoding="utf-8")
    print(f"Mirror of {root} at {url} (set MIRROR_URL={url})", flush=True)
    if faults:
        listed = ", ".join(f"{fault.kind} on {fault.match}" for fault in faults)
        print(f"Injecting {len(faults)} faults: {listed}", flush=True)
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
    parser.add_argument(
        "--gzip", action="store_true", help="send every file gzipped to clients that accept gzip"
    )
    parser.add_argument(
        "--faults", type=Path, help="a YAML list of faults to inject, per URL pattern (crawler/faults.py)"
    )


def serve_arguments(args: argparse.Namespace) -> None:
    """Serve as the command line (:func:`add_mirror_arguments`) says."""
    faults = load_faults(args.faults) if args.faults else None
    serve(args.root, args.host, args.port, args.url_file, args.gzip, faults)


if __name__ == "__main__":
    serve_arguments(build_arg_parser().parse_args())
