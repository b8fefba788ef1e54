"""Chromatic-shift parameter files: Chromagnon ``.chromagnon.csv``.

Layout (shared/docs/reference/formats-logs-deposition.md §B5, Chromagnon ``chromformat.py``)::

    nt,<n time points>
    nw,<n wavelengths>
    pxlsize_z_y_x,<pz>,<py>,<px>          (µm)
    refwave,<index of the reference wavelength>
    t,wavelength,tz,ty,tx,rz,mz,my,mx
    0,<wave nm>,<tz>,<ty>,<tx>,<rz>,<mz>,<my>,<mx>   (one row per time point x wavelength)

Units: translations ``tz, ty, tx`` in pixels of the stated pixel size, ``rz`` in degrees,
magnifications ``mz, my, mx`` dimensionless (the digest infers these from Chromagnon's
``alignfuncs.py``). The reference wavelength is resolved from the ``refwave`` index over the
wavelengths in row order; if ``refwave`` is not a valid index but equals one of the wavelengths it
is taken as that wavelength (info finding). Chromagnon writes no version into the CSV; a
``version`` key row, if present, is used. Detection follows Chromagnon's own rule: the first two
lines start with ``nt`` and ``nw`` (or the name ends ``.chromagnon.csv``). The binary
``.chromagnon.tif`` variant is not read.
"""

from __future__ import annotations

import csv
import os

from clxm_meta.errors import MalformedFileError
from clxm_meta.readers._text import parse_float, read_text
from clxm_meta.readers.base import FindingCollector
from clxm_meta.readers.chromatic.model import ChromagnonRow, ChromaticModel

__all__ = ["COLUMNS", "read"]

READER = "chromatic"
COLUMNS = ("tz", "ty", "tx", "rz", "mz", "my", "mx")
MAX_ROWS = 10000


def _int(text: str) -> int | None:
    value = parse_float(text)
    return int(value) if value is not None and value == int(value) and abs(value) < 1e9 else None


def read(path: str | os.PathLike[str], *, strict: bool = False) -> ChromaticModel:
    """Read a Chromagnon ``.chromagnon.csv`` file.

    Raises
    ------
    MalformedFileError
        No ``t,wavelength,tz,...`` header and no key rows: not a Chromagnon CSV.
    """
    spath = os.fspath(path)
    findings = FindingCollector(spath, READER, strict=strict)
    tf = read_text(spath, max_bytes=4 * 1024 * 1024)
    if tf.truncated:
        findings.warning("truncated_read", "file larger than 4 MiB: only the start was read")
    if tf.replaced:
        findings.warning("not_utf8", "bytes that are not UTF-8 were replaced by U+FFFD")
    data: dict[str, object] = {"path": spath, "file_size": tf.size}
    rows: list[ChromagnonRow] = []
    extra: dict[str, list[str]] = {}
    extra_lines: dict[str, int] = {}
    header: list[str] | None = None
    for number, raw in tf.lines:
        if not raw.strip():
            continue
        try:
            cells = [c.strip() for c in next(csv.reader([raw]))]
        except (csv.Error, StopIteration):
            findings.warning("bad_line", "line is not CSV", locator=f"line {number}")
            continue
        key = cells[0].lower()
        if header is None:
            if key == "t" and len(cells) > 1 and cells[1].lower() == "wavelength":
                header = [c.lower() for c in cells]
                data["header_line"] = number
                missing = [c for c in COLUMNS if c not in header]
                if missing:
                    findings.warning(
                        "missing_columns",
                        f"header lacks {', '.join(missing)}",
                        locator=f"line {number}",
                    )
            elif key in ("nt", "nw"):
                data[key] = _int(cells[1]) if len(cells) > 1 else None
            elif key == "pxlsize_z_y_x":
                sizes = [parse_float(c) for c in cells[1:4]]
                if len(sizes) == 3 and all(s is not None and s > 0 for s in sizes):
                    data["pixel_size_zyx_um"] = sizes
                else:
                    findings.warning(
                        "bad_pixel_size", "pxlsize_z_y_x is not 3 positive numbers",
                        locator=f"line {number}",
                    )  # fmt: skip
            elif key == "refwave":
                data["refwave_index"] = _int(cells[1]) if len(cells) > 1 else None
                data["refwave_line"] = number
            elif key == "version" and len(cells) > 1:
                data["version"] = cells[1]
            elif len(extra) < 100:
                extra[cells[0][:100]] = [c[:200] for c in cells[1:50]]
                extra_lines[cells[0][:100]] = number
            continue
        if len(rows) >= MAX_ROWS:
            findings.warning("too_many_rows", f"only the first {MAX_ROWS} rows are kept")
            break
        values = dict(zip(header, cells, strict=False))
        row = ChromagnonRow(
            line=number,
            t=_int(values.get("t", "")),
            wavelength_nm=parse_float(values.get("wavelength", "")),
            **{c: parse_float(values.get(c, "")) for c in COLUMNS},
        )
        if len(cells) != len(header) or any(getattr(row, c) is None for c in COLUMNS):
            findings.warning(
                "incomplete_row",
                "row does not give a number for every column; missing values left unknown",
                locator=f"line {number}",
            )
        rows.append(row)
    if header is None and not any(k in data for k in ("nt", "nw", "refwave_index")):
        raise MalformedFileError("not a Chromagnon CSV (no nt/nw/refwave rows)", path=spath)
    if header is None:
        findings.error("no_header", "no 't,wavelength,tz,ty,tx,rz,mz,my,mx' header row")
    _resolve_reference(data, rows, findings)
    nt, nw = data.get("nt"), data.get("nw")
    if isinstance(nt, int) and isinstance(nw, int) and rows and len(rows) != nt * nw:
        findings.warning("row_count", f"{len(rows)} rows, but nt x nw = {nt} x {nw} = {nt * nw}")
    return ChromaticModel.model_validate(
        {**data, "rows": rows, "extra": extra, "extra_lines": extra_lines,
         "findings": findings.items}
    )  # fmt: skip


def _resolve_reference(
    data: dict[str, object], rows: list[ChromagnonRow], findings: FindingCollector
) -> None:
    index = data.get("refwave_index")
    if not isinstance(index, int):
        findings.warning("no_refwave", "no usable refwave row: reference wavelength unknown")
        return
    waves: list[float] = []
    for row in rows:
        if row.wavelength_nm is not None and row.wavelength_nm not in waves:
            waves.append(row.wavelength_nm)
    if 0 <= index < len(waves):
        data["reference_wavelength_nm"] = waves[index]
    elif float(index) in waves:
        data["reference_wavelength_nm"] = float(index)
        findings.info(
            "refwave_is_wavelength",
            f"refwave {index} is not an index of the {len(waves)} wavelengths but equals one of "
            "them; taken as the reference wavelength",
            locator=f"line {data.get('refwave_line')}",
        )
    else:
        findings.warning(
            "refwave_out_of_range",
            f"refwave index {index} does not name one of the {len(waves)} wavelengths",
            locator=f"line {data.get('refwave_line')}",
        )
