"""One GET of a JSON document, cached: the only network code of clxm_meta.

Look-ups are opt-in (``clxm-meta sidecar --orcid/--doi/--pmid``). Each answer is cached as a file
named by the SHA-256 of its URL in the user cache folder (``$CLXM_META_CACHE``, else
``$XDG_CACHE_HOME/clxm_meta/lookup``, else ``~/.cache/clxm_meta/lookup``), so a second run works
offline and asks the services nothing. A body larger than `MAX_BYTES` is refused.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import urllib.error
import urllib.request
from typing import Any

from clxm_meta import __version__
from clxm_meta.errors import LookupFailedError

__all__ = ["MAX_BYTES", "TIMEOUT_S", "cache_dir", "get_json"]

MAX_BYTES = 4 << 20
"""The largest answer accepted (a Crossref work with a long reference list is ~200 kB)."""

TIMEOUT_S = 10.0
"""Seconds to wait for a service before calling it unreachable."""


def cache_dir() -> str:
    """The folder look-up answers are cached in."""
    env = os.environ.get("CLXM_META_CACHE")
    if env:
        return env
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "clxm_meta", "lookup")


def _cache_file(folder: str, url: str) -> str:
    return os.path.join(folder, hashlib.sha256(url.encode()).hexdigest() + ".json")


def get_json(url: str, what: str, *, cache: str | None = None, offline: bool = False) -> Any:
    """The JSON document at ``url`` (from the cache when it was fetched before).

    Parameters
    ----------
    url
        The address (``https://`` in use; tests give ``http://127.0.0.1``).
    what
        What is being looked up, for the error (``ORCID 0000-0002-1825-0097``).
    cache
        The cache folder (default: `cache_dir`).
    offline
        Use the cache only.

    Raises
    ------
    LookupFailedError
        No answer (offline, unreachable, HTTP error, not JSON, too large); the message names
        ``what`` and why.
    """
    folder = cache if cache is not None else cache_dir()
    cached = _cache_file(folder, url)
    try:
        with open(cached, encoding="utf-8") as fh:
            return json.load(fh)["body"]
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        pass
    if offline:
        raise LookupFailedError(f"{what}: not in the cache and --offline given ({url})")
    req = urllib.request.Request(
        url,
        headers={
            "Accept": "application/json",
            "User-Agent": f"clxm_meta/{__version__} (deposition metadata; look-up on request)",
        },
    )
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:
            raw = resp.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        reason = "no such record" if exc.code == 404 else f"HTTP {exc.code}"
        raise LookupFailedError(f"{what}: {reason} ({url})") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        why = getattr(exc, "reason", exc)
        raise LookupFailedError(f"{what}: cannot reach the service ({why}; {url})") from exc
    if len(raw) > MAX_BYTES:
        raise LookupFailedError(f"{what}: the answer is larger than {MAX_BYTES} bytes ({url})")
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise LookupFailedError(f"{what}: the answer is not JSON ({url})") from exc
    _store(folder, cached, url, body)
    return body


def _store(folder: str, path: str, url: str, body: Any) -> None:
    """Write the cache file atomically; a cache that cannot be written is skipped silently."""
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"url": url, "body": body}, fh)
        os.replace(tmp, path)
    except OSError:
        pass
