"""A local HTTP server on 127.0.0.1 serving the recorded look-up answers of `lookup_responses/`.

It stands in for the ORCID, Crossref, Europe PMC and ROR APIs so that the real HTTP client of
`clxm_meta.sidecar.lookup.http` is exercised without touching the internet. Every request is
logged in ``server.requests``; an unknown path is a 404, as the real services answer.
"""

from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

RESPONSES = Path(__file__).parent / "lookup_responses"


def _file_for(path: str, query: dict[str, list[str]]) -> Path | None:
    parts = [p for p in path.split("/") if p]
    if len(parts) == 3 and parts[0] == "orcid" and parts[2] == "record":
        return RESPONSES / f"orcid-{parts[1]}.json"
    if len(parts) == 3 and parts[:2] == ["crossref", "works"]:
        return RESPONSES / f"crossref-{urllib.parse.unquote(parts[2]).replace('/', '-')}.json"
    if parts == ["epmc", "search"]:
        q = query.get("query", [""])[0]
        if q.startswith('DOI:"'):
            return RESPONSES / f"europepmc-doi-{q[5:-1].replace('/', '-')}.json"
        if q.startswith("EXT_ID:"):
            return RESPONSES / f"europepmc-pmid-{q.split()[0][7:]}.json"
    if len(parts) == 3 and parts[:2] == ["ena", "scientific-name"]:
        name = urllib.parse.unquote(parts[2]).lower().replace(" ", "-")
        return RESPONSES / f"ena-taxonomy-{name}.json"
    if parts == ["ror", "organizations"] and "affiliation" in query:
        name = query["affiliation"][0].lower().replace(" ", "-")
        return RESPONSES / f"ror-affiliation-{name.replace('-of-imaging', '')}.json"
    if len(parts) == 3 and parts[:2] == ["ror", "organizations"]:
        return RESPONSES / f"ror-{parts[2]}.json"
    return None


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        target = _file_for(url.path, urllib.parse.parse_qs(url.query))
        if target is None or not target.is_file():
            self.send_response(404)
            self.end_headers()
            self.wfile.write(b'{"error": "not found"}')
            return
        body = target.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def lookup_server() -> Iterator[ThreadingHTTPServer]:
    """Serve the recorded answers on 127.0.0.1 (a free port) while the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
