"""Typed values out of Xradia metadata streams, with junk turned into findings.

`StreamDecoder` reads one stream at a time through `OleStreams` and decodes it as the Xradia
software wrote it: little-endian int32 / float32 scalars and per-image arrays, NUL-terminated
strings with garbage after the terminator, and 40-byte date records. Values that cannot be true
(NaN, infinities, denormals, 99999 sentinels, out-of-range numbers) become ``None`` and a finding;
nothing is padded or guessed.
"""

from __future__ import annotations

import math
import re
import sys
from array import array
from collections.abc import Sequence
from datetime import datetime

from clxm_meta.errors import MalformedFileError
from clxm_meta.readers.base import FindingCollector
from clxm_meta.readers.float32 import shortest
from clxm_meta.readers.txrm.container import OleStreams

__all__ = ["DATE_RECORD", "StreamDecoder", "parse_date", "per_image_layout", "plain_string"]

DATE_RECORD = 40
"""Bytes per image in ``ImageInfo/Date``."""

FLOAT32_MIN_NORMAL = 1.1754943508222875e-38
SENTINELS = (99999.0, -99999.0)
"""Values the Xradia software writes for "not measured"."""

_DATE_FORMATS = (
    ("%m/%d/%Y %H:%M:%S.%f", "milliseconds"),
    ("%m/%d/%Y %H:%M:%S", "seconds"),
    ("%m/%d/%y %H:%M:%S.%f", "milliseconds"),
    ("%m/%d/%y %H:%M:%S", "seconds"),
)
_NON_PRINTABLE = re.compile(r"[^\x20-\x7e\xa0-\xff]")


def plain_string(raw: bytes) -> str | None:
    """Text up to the first NUL, non-printable bytes dropped and whitespace stripped; ``None`` if empty."""
    text = raw.split(b"\x00", 1)[0].decode("latin-1")
    text = _NON_PRINTABLE.sub("", text).strip()
    return text or None


_COMMON_DATE = re.compile(
    r"([0-9]{2})/([0-9]{2})/([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2})\.([0-9]{1,6})"
)
"""The form Xradia writes (``MM/DD/YYYY HH:MM:SS.fff``), read without `strptime`."""


def parse_date(raw: bytes) -> str | None:
    """Parse one date record (``MM/DD/YYYY HH:MM:SS.fff`` or ``MM/DD/YY HH:MM:SS``) to ISO 8601.

    A tilt series has one date per image: the usual form is read by a pattern (``strptime``
    was most of a TXRM read's time); anything else, or an impossible date, goes through the
    formats as before, so the result is the same.
    """
    text = plain_string(raw)
    if text is None:
        return None
    m = _COMMON_DATE.fullmatch(text)
    if m is not None:
        mo, d, y, hh, mm, ss, frac = m.groups()
        try:
            when = datetime(
                int(y), int(mo), int(d), int(hh), int(mm), int(ss), int(frac.ljust(6, "0"))
            )
        except ValueError:
            pass
        else:
            return when.isoformat(timespec="milliseconds")
    for fmt, spec in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).isoformat(timespec=spec)
        except ValueError:
            continue
    return None


def per_image_layout(
    values: Sequence[float], n: int, *, allow_stride: bool = True
) -> tuple[list[float], int]:
    """Pick the per-image values of an ``n``-image series out of a stream's values.

    Most streams hold ``n`` consecutive values. Some files hold them ``stride`` values apart (one
    real file stores 7 energies 10 slots apart in a 61-value stream, ALBA saw 40-byte strides);
    that layout is taken only when the consecutive reading contains zeros and the strided one
    does not, and only for quantities that cannot be zero (``allow_stride``: not for angles or
    positions, where 0 is a real value). Returns the values (at most ``n``, never padded) and the
    stride used.
    """
    count = len(values)
    contiguous = list(values[:n])
    if count <= n or n <= 1 or not allow_stride:
        return contiguous, 1
    strides = []
    if (count - 1) % (n - 1) == 0:
        strides.append((count - 1) // (n - 1))
    strides.append(10)
    if any(v == 0 for v in contiguous):
        for stride in strides:
            if stride > 1 and 1 + stride * (n - 1) <= count:
                strided = list(values[0 : 1 + stride * (n - 1) : stride])
                if all(v != 0 for v in strided):
                    return strided, stride
    return contiguous, 1


def _f32(value: float) -> float:
    """A float32 as the shortest decimal that round-trips (5.0, 0.15578947, 9200.017).

    What ``float(str(np.float32(value)))`` gives, NaN and infinities included (kept, for `check`
    to report), without importing numpy.
    """
    out = shortest(value)
    return value if out is None else out


class StreamDecoder:
    """Decode metadata streams, reporting absent or junk values as findings.

    Parameters
    ----------
    streams
        The indexed compound file.
    findings
        Where problems go.
    """

    def __init__(self, streams: OleStreams, findings: FindingCollector) -> None:
        self.streams = streams
        self.findings = findings

    # -- raw access ---------------------------------------------------------------------------

    def _bytes(self, names: Sequence[str]) -> tuple[str, bytes] | None:
        name = self.streams.find(*names)
        if name is None:
            return None
        try:
            return name, self.streams.read(name)
        except MalformedFileError as exc:
            self.findings.error(
                "stream_unreadable", exc.message, field=name, locator=f"stream {name}"
            )
            return None

    def floats_raw(self, *names: str) -> tuple[str, list[float]] | None:
        """All float32 values of the first stream of ``names`` present (any case)."""
        got = self._bytes(names)
        if got is None:
            return None
        name, data = got
        usable = len(data) - len(data) % 4
        if usable != len(data):
            self.findings.warning(
                "stream_length",
                f"{len(data)} bytes is not a whole number of float32 values; the tail is ignored",
                field=name,
                locator=f"stream {name}",
            )
        # A stream repeats few distinct values (one exposure or energy per image): each distinct
        # bit pattern is converted once, and the stream is mapped through that table in C.
        # Keyed on the bits, not the float: -0.0 == 0.0.
        bits = array("I")
        bits.frombytes(data[:usable])
        if sys.byteorder == "big":  # pragma: no cover - the streams are little-endian
            bits.byteswap()
        distinct = array("I", dict.fromkeys(bits))
        values = array("f", distinct.tobytes())  # the same bits, read as float32
        memo = dict(zip(distinct, map(_f32, values), strict=True))
        return name, list(map(memo.__getitem__, bits))

    def int_value(self, *names: str) -> tuple[str, int] | None:
        """The first int32 of the first stream of ``names`` present."""
        got = self._bytes(names)
        if got is None:
            return None
        name, data = got
        if len(data) < 4:
            if len(data) == 1:  # some flags are written as one byte
                return name, data[0]
            self.findings.warning(
                "stream_short",
                f"{len(data)} bytes where an int32 was expected",
                field=name,
                locator=f"stream {name}",
            )
            return None
        return name, int.from_bytes(data[:4], "little", signed=True)

    def string(self, *names: str) -> tuple[str, str | None] | None:
        """The NUL-terminated text of the first stream of ``names`` present."""
        got = self._bytes(names)
        if got is None:
            return None
        name, data = got
        return name, plain_string(data)

    def dates(self, n: int, *names: str) -> tuple[str, list[str | None]] | None:
        """Per-image dates from 40-byte records (at most ``n``, never padded)."""
        got = self._bytes(names)
        if got is None:
            return None
        name, data = got
        n_records = max(1, math.ceil(len(data) / DATE_RECORD)) if data else 0
        out = [
            parse_date(data[i * DATE_RECORD : (i + 1) * DATE_RECORD])
            for i in range(min(n, n_records))
        ]
        bad = [i for i, d in enumerate(out) if d is None]
        if bad:
            self.findings.warning(
                "bad_date",
                f"{len(bad)} of {len(out)} date records could not be parsed (first: image {bad[0] + 1})",
                field=name,
                locator=f"stream {name}",
            )
        return name, out

    # -- checked numbers ----------------------------------------------------------------------

    def check(
        self,
        value: float,
        name: str,
        *,
        low: float | None = None,
        high: float | None = None,
        zero_ok: bool = False,
    ) -> float | None:
        """Return ``value`` or ``None`` (with a finding) when it is junk or out of range."""
        problem = self._problem(value, low=low, high=high, zero_ok=zero_ok)
        if problem is None:
            return value
        self.findings.warning(
            "junk_value", f"{problem}; left unknown", field=name, locator=f"stream {name}"
        )
        return None

    @staticmethod
    def _problem(
        value: float, *, low: float | None, high: float | None, zero_ok: bool
    ) -> str | None:
        if math.isnan(value):
            return "value is NaN"
        if math.isinf(value):
            return "value is infinite"
        if value != 0 and abs(value) < FLOAT32_MIN_NORMAL:
            return f"value {value!r} is a denormal float (uninitialised memory)"
        if value in SENTINELS:
            return f"value {value:g} is the 'not measured' sentinel"
        if value == 0 and not zero_ok:
            return "value is 0 (not recorded)"
        if (low is not None and value < low) or (high is not None and value > high):
            return f"value {value:g} is outside the plausible range [{low}, {high}]"
        return None

    def float_value(
        self,
        *names: str,
        low: float | None = None,
        high: float | None = None,
        zero_ok: bool = False,
    ) -> tuple[str, float | None] | None:
        """The first float32 of the first stream present, checked."""
        got = self.floats_raw(*names)
        if got is None:
            return None
        name, values = got
        if not values:
            self.findings.warning(
                "stream_short", "stream is empty", field=name, locator=f"stream {name}"
            )
            return name, None
        return name, self.check(values[0], name, low=low, high=high, zero_ok=zero_ok)

    def per_image(
        self,
        n: int,
        *names: str,
        low: float | None = None,
        high: float | None = None,
        zero_ok: bool = False,
    ) -> tuple[str, list[float | None]] | None:
        """Per-image float32 values of an ``n``-image series; junk entries become ``None``."""
        got = self.floats_raw(*names)
        if got is None or n <= 0:
            return None
        name, raw = got
        values, stride = per_image_layout(raw, n, allow_stride=not zero_ok)
        loc = f"stream {name}"
        if stride > 1:
            self.findings.info(
                "strided_stream",
                f"{n} per-image values stored {stride} slots apart in a {len(raw)}-value stream",
                field=name,
                locator=loc,
            )
        elif len(raw) > n:
            self.findings.info(
                "stream_longer",
                f"stream holds {len(raw)} values for {n} images; the first {n} are used",
                field=name,
                locator=loc,
            )
        if len(values) < n:
            self.findings.warning(
                "stream_short",
                f"stream holds {len(values)} values for {n} images; the missing ones stay unknown",
                field=name,
                locator=loc,
            )
        out: list[float | None] = []
        problems: list[str] = []
        # one check per distinct value (a series repeats its exposure or energy); zeros are not
        # kept (-0.0 == 0.0, and their range message shows the sign) nor is NaN (never equal)
        seen: dict[float, str | None] = {}
        for i, v in enumerate(values):
            if v in seen:
                problem = seen[v]
            else:
                problem = self._problem(v, low=low, high=high, zero_ok=zero_ok)
                if v != 0:
                    seen[v] = problem
            if problem is not None:
                problems.append(f"image {i + 1}: {problem}")
            out.append(None if problem is not None else v)
        if problems:
            more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
            self.findings.warning(
                "junk_value", f"{problems[0]}{more}; left unknown", field=name, locator=loc
            )
        return name, out
