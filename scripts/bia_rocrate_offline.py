"""Run the BioImage Archive's RO-Crate validator on crates, offline (called by validate_rocrate.sh).

Runs inside the Python >= 3.13 virtual environment that holds ``bia-ro-crate-validator`` (it is
not part of clxm_meta and needs none of it)::

    <venv>/bin/python scripts/bia_rocrate_offline.py CRATE_DIR [CRATE_DIR ...]

The validator resolves the RO-Crate 1.1 JSON-LD context ``https://w3id.org/ro/crate/1.1/context``
over the network, twice: rdflib's JSON-LD parser opens it with ``urllib`` (the global opener), and
roc-validator (and pyld) get it through a ``requests`` session. There is no network here, so this
script answers both from the copy the ``rocrate`` package (ro-crate-py, installed beside the
validator) ships as ``rocrate/data/ro-crate.jsonld``, after checking that the copy *is* the 1.1
context (its ``@id``). It hooks the two transports in this process only:

* ``urllib``: an opener whose first handler serves the context (rdflib calls ``urlopen``);
* ``requests``: ``HTTPAdapter.send`` serves the context (every session, ``requests_cache``'s
  ``CachedSession`` included, sends through it).

Every other URL is refused as no network would, and every URL asked for is printed, so a new
fetch in a later validator version shows up instead of passing unnoticed. Then each crate goes
through the validator's own ``ROCrateParser`` (what ``bia-ro-crate validate`` runs); its issues
are printed by severity, and the exit status is 1 when any crate has an ERROR or CRITICAL issue
(or the validator raised), 0 otherwise.
"""

from __future__ import annotations

import email.message
import importlib.util
import io
import json
import sys
import urllib.error
import urllib.request
import warnings
from pathlib import Path
from typing import Any

CONTEXT_URLS = ("https://w3id.org/ro/crate/1.1/context", "http://w3id.org/ro/crate/1.1/context")
CONTEXT_ID = "https://w3id.org/ro/crate/1.1/context"
FETCHED: list[str] = []


def local_context() -> bytes:
    """The RO-Crate 1.1 context as ro-crate-py ships it (without importing ro-crate-py)."""
    spec = importlib.util.find_spec("rocrate")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("bia_rocrate_offline: the rocrate package (ro-crate-py) is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "ro-crate.jsonld"
    data = path.read_bytes()
    found = json.loads(data).get("@id")
    if found != CONTEXT_ID:
        sys.exit(f"bia_rocrate_offline: {path} is the context {found!r}, not {CONTEXT_ID!r}")
    return data


def _is_context(url: str) -> bool:
    return url.split("#", 1)[0].rstrip("/") in CONTEXT_URLS


class _ContextHandler(urllib.request.BaseHandler):
    handler_order = 100  # before HTTP(S)Handler (500)

    def __init__(self, data: bytes) -> None:
        self.data = data

    def _serve(self, req: urllib.request.Request) -> Any:
        url = req.get_full_url()
        FETCHED.append(f"urllib {url}")
        if not _is_context(url):
            raise urllib.error.URLError(f"offline: {url} is not served locally")
        headers = email.message.Message()
        headers["Content-Type"] = "application/ld+json"
        response = urllib.request.addinfourl(io.BytesIO(self.data), headers, url, 200)
        response.msg = "OK"  # read by urllib's HTTPErrorProcessor
        return response

    def http_open(self, req: urllib.request.Request) -> Any:
        return self._serve(req)

    def https_open(self, req: urllib.request.Request) -> Any:
        return self._serve(req)


def install_hooks(data: bytes) -> None:
    """Serve the context to urllib and to every requests session of this process."""
    urllib.request.install_opener(urllib.request.build_opener(_ContextHandler(data)))

    import requests
    import requests.adapters
    import urllib3

    def send(self: requests.adapters.HTTPAdapter, request: Any, *args: Any, **kwargs: Any) -> Any:
        url = str(request.url)
        FETCHED.append(f"requests {request.method} {url}")
        if not _is_context(url):
            raise requests.exceptions.ConnectionError(f"offline: {url} is not served locally")
        raw = urllib3.HTTPResponse(
            body=io.BytesIO(data if request.method != "HEAD" else b""),
            headers={"Content-Type": "application/ld+json", "Content-Length": str(len(data))},
            status=200,
            reason="OK",
            preload_content=False,
        )
        return self.build_response(request, raw)

    requests.adapters.HTTPAdapter.send = send  # type: ignore[method-assign]


def validate(crate: Path) -> tuple[list[str], list[str]]:
    """Validate one crate with the validator's own parser: (errors, other issues), as text.

    ``bia_roc_validation(crate, "report")`` returns from a ``finally`` block, which swallows an
    exception the parser raises before it has recorded an issue (an unreachable context, a bug):
    such a crate would pass with an empty report. So the parser is driven here the way
    ``bia_roc_validation`` drives it, and an exception other than its ``ExceptionGroup`` of
    findings is an error too.
    """
    from bia_ro_crate.core.parser.ro_crate_parser import ROCrateParser
    from bia_ro_crate.core.validation import Severity

    parser = ROCrateParser(crate)
    errors: list[str] = []
    try:
        parser.parse()
        parser.result  # noqa: B018 (raises the ExceptionGroup of ERROR issues)
    except ExceptionGroup:
        pass  # the issues below say why
    except Exception as exc:
        errors.append(f"CRITICAL: the validator raised {type(exc).__name__}: {exc}")
    others: list[str] = []
    for issue in parser.issues:
        line = f"{issue.severity}: {issue.format_message()}"
        (errors if issue.severity >= Severity.ERROR else others).append(line)
    return errors, others


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    install_hooks(local_context())
    # pyld warns about the "@type": {"@container": "@set"} entry of BIA's own context
    warnings.filterwarnings("ignore", category=SyntaxWarning, module="pyld")
    from importlib.metadata import version

    print(
        f"bia-ro-crate-validator {version('bia-ro-crate-validator')}, offline RO-Crate 1.1 context"
    )
    status = 0
    for arg in argv:
        crate = Path(arg)
        errors, others = validate(crate)
        verdict = "FAIL" if errors else "PASS"
        print(f"{verdict} {crate}: {len(errors)} errors, {len(others)} warnings/notes")
        for line in errors + others:
            print("  " + line.replace("\n", "\n    "))
        if errors:
            status = 1
    print("URLs asked for:", ", ".join(sorted(set(FETCHED))) or "none")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
