"""DeltaVision / Priism ``.dv`` reader: header, titles and extended header, never pixel data.

``read(path)`` returns a `DvFile` (format ``"dv"``); ``read_open(fh)`` reads a file the registry
already opened (one open, one ``fstat``, one read of the header and one of the extended header
per file). Follows docs/reference/formats-binary.md §1: one ``struct`` pass over the header in the
file's own byte order (magic at byte 96), the title count from the int16 at byte 222, the extended
header only when ``next`` > 0 (both public DV samples declare 8 ints and 32 floats per section with
``next = 0``: that is "no extended header", not an invitation to read pixel bytes), every read
bounded by the file size. The extended-header decoder (numpy) is imported only for a file that has
one. The models are built without validation (`construct`): the decoders produce values of
exactly the field types, which tests/readers/dv check against validation.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, cast

from clxm_meta.errors import MalformedFileError, UnreadableFileError, UnsupportedFormatError
from clxm_meta.readers.base import FileHead, FindingCollector, construct, open_head
from clxm_meta.readers.dv.header import (
    HEADER_SIZE,
    MAX_WAVES_NEW,
    MAX_WAVES_OLD,
    HeaderValues,
    NewTypeValues,
    byte_order,
    decode_header,
    decode_new_type,
    wave_stats,
)
from clxm_meta.readers.dv.lenses import lookup
from clxm_meta.readers.dv.model import (
    DvChannel,
    DvExtHeader,
    DvFile,
    DvHeader,
    DvLens,
    DvNewType,
)
from clxm_meta.readers.dv.notes import Notes
from clxm_meta.readers.dv.records import MAX_EXT_BYTES, ext_header
from clxm_meta.readers.dv.role import classify, processing_history
from clxm_meta.readers.dv.small_table import SmallTable, small_channels
from clxm_meta.readers.dv.titles import decode_titles, is_cockpit, parse_cockpit, si_order
from clxm_meta.unvalidated import every_field

if TYPE_CHECKING:
    from clxm_meta.readers.dv.extended_header import SectionTable

__all__ = ["read", "read_open"]

READER = "dv"
_LENS_MODELS: dict[int, DvLens] = {}
"""The `DvLens` of each lens ID met so far: the table is fixed and the model frozen, so one
instance serves every file."""
TITLES_OFFSET = 224
MAX_TITLES = 10
MAX_TITLES_NEW_TYPE = 4


def _counts(hdr: DvHeader, new_type: DvNewType | None, col: FindingCollector) -> tuple[int, int]:
    nw = hdr.n_waves
    limit = MAX_WAVES_NEW if new_type is not None else MAX_WAVES_OLD
    if nw <= 0:
        if nw < 0:
            col.warning(
                "bad_n_waves", f"NumWaves is {nw}; read as 1", field="n_waves", locator="byte 196"
            )
        nw = 1
    elif nw > limit:
        col.warning(
            "too_many_waves",
            f"NumWaves is {nw} but this header holds at most {limit} wavelengths",
            field="n_waves",
            locator="byte 196",
        )
    nt = hdr.n_times
    if nt == 0:
        nt = new_type.secondary_n_times if new_type and new_type.secondary_n_times > 0 else 1
    return nw, nt


def _wavelengths(hdr: DvHeader, new_type: DvNewType | None, nw: int) -> list[int | None]:
    slots = hdr.wave_list_nm + new_type.wavelengths_nm if new_type else hdr.wave_list_nm
    out: list[int | None] = [v if v > 0 else None for v in slots[:nw]]
    return out + [None] * (nw - len(out))


def _titles(
    hdr: DvHeader, new_type: DvNewType | None, head: bytes, col: FindingCollector
) -> tuple[list[str], list[str]]:
    limit = MAX_TITLES_NEW_TYPE if new_type is not None else MAX_TITLES
    count = hdr.n_titles
    if not 0 <= count <= limit:
        col.warning(
            "bad_title_count",
            f"title count (int16 at byte 222) is {count}, outside 0-{limit}: "
            f"reading {min(max(count, 0), limit)}",
            field="n_titles",
            locator="byte 222",
        )
        count = min(max(count, 0), limit)
    return decode_titles(head[TITLES_OFFSET : TITLES_OFFSET + 80 * limit], count)


def _check_layout(hdr: DvHeader, size: int, col: FindingCollector) -> int | None:
    """Validate dimensions and data size; return the declared pixel bytes (None if unknown)."""
    if hdr.nx <= 0 or hdr.ny <= 0 or hdr.n_sections <= 0:
        for name, value, off in (
            ("nx", hdr.nx, 0),
            ("ny", hdr.ny, 4),
            ("n_sections", hdr.n_sections, 8),
        ):
            if value <= 0:
                col.error("bad_dimension", f"{name} is {value}", field=name, locator=f"byte {off}")
        return None
    if hdr.bits_per_pixel is None:
        return None
    declared = hdr.nx * hdr.ny * hdr.n_sections * hdr.bits_per_pixel // 8  # Python int: no overflow
    start = HEADER_SIZE + max(hdr.ext_header_bytes, 0)
    present = size - start
    if present < declared:
        col.error(
            "truncated",
            f"the header declares {declared} bytes of pixel data after byte {start} but the file "
            f"holds {max(present, 0)}",
            field="n_sections",
            locator="bytes 0-15, 92",
        )
    elif present > declared:
        col.info(
            "trailing_bytes",
            f"{present - declared} bytes follow the declared pixel data",
            locator=f"byte {start + declared}",
        )
    return declared


def _ext_header(
    fh: FileHead, hdr: DvHeader, nz: int | None, nw: int, nt: int, col: FindingCollector
) -> DvExtHeader | None:
    size = fh.size
    nxt, ni, nf = hdr.ext_header_bytes, hdr.n_ints, hdr.n_floats
    if nxt < 0:
        col.error("bad_next", f"extended-header size is {nxt}", field="next", locator="byte 92")
        return None
    if ni < 0 or nf < 0:
        col.error(
            "bad_ext_counts",
            f"NumIntegers {ni} / NumFloats {nf} per section cannot be negative",
            field="n_ints",
            locator="bytes 128-131",
        )
        return None
    if nxt == 0:
        if ni or nf:
            col.info(
                "ext_header_absent",
                f"the header declares {ni} ints and {nf} floats per section but the "
                "extended-header size (next, byte 92) is 0: no extended header",
                field="next",
                locator="byte 92",
            )
        return None
    if nxt > size - HEADER_SIZE:
        col.error(
            "ext_header_beyond_eof",
            f"the extended header ({nxt} bytes) is longer than the rest of the file "
            f"({size - HEADER_SIZE} bytes)",
            field="next",
            locator="byte 92",
        )
        return None
    if ni + nf == 0:
        col.warning(
            "ext_header_unparsed",
            f"{nxt} extended-header bytes but no ints or floats per section declared: not decoded",
            field="next",
            locator="byte 92",
        )
        return None
    cap = MAX_EXT_BYTES
    rec = 4 * (ni + nf)
    want = min(nxt, max(hdr.n_sections, 0) * rec, cap - cap % rec)
    if want < min(nxt, max(hdr.n_sections, 0) * rec):
        col.warning(
            "ext_header_capped",
            f"extended header larger than {cap} bytes: only the first "
            f"{want // rec} section records were read",
            field="next",
        )
    raw = fh.read_at(HEADER_SIZE, want)
    return ext_header(
        raw,
        order=hdr.byte_order,
        n_ints=ni,
        n_floats=nf,
        declared_bytes=nxt,
        n_sections=hdr.n_sections,
        seq=hdr.image_sequence,
        nz=nz,
        nw=nw,
        nt=nt,
        col=col,
    )


def _channels(nw: int, wavelengths: list[int | None]) -> list[DvChannel]:
    """One `DvChannel` per wave when there is no extended header: the header wavelength only."""
    return [
        DvChannel.header_only(w, wavelengths[w] if w < len(wavelengths) else None)
        for w in range(nw)
    ]


def read(path: str | os.PathLike[str], *, strict: bool = False) -> DvFile:
    """Read the metadata of one DV file.

    Parameters
    ----------
    path
        The file (opened read-only; pixel data are never read).
    strict
        Raise `MalformedFileError` on error-level problems instead of recording findings.

    Raises
    ------
    UnsupportedFormatError
        No DV magic at byte 96.
    MalformedFileError
        The file is shorter than the 1024-byte header.
    UnreadableFileError
        The file cannot be opened or is not a regular file.
    """
    with open_head(path, HEADER_SIZE) as fh:
        return read_open(fh, strict=strict)


def read_open(fh: FileHead, *, strict: bool = False) -> DvFile:
    """`read` of a file already opened by `clxm_meta.readers.base.open_head` (the registry)."""
    path = fh.path
    if not fh.regular:
        raise UnreadableFileError("not a regular file", path=path)
    size = fh.size
    head = fh.head
    order = byte_order(head)
    if len(head) < 98 or order is None:
        raise UnsupportedFormatError("not a DV file (no -16224 magic at byte 96)", path=path)
    if len(head) < HEADER_SIZE:
        raise MalformedFileError(
            "truncated DV header",
            path=path,
            offset=len(head),
            expected=HEADER_SIZE,
            found=len(head),
        )
    col = Notes(path, READER, strict=strict)
    hdr, rec = decode_header(head, order, col)
    decoded_new_type = decode_new_type(hdr, head, size, col)
    new_type, new_type_rec = decoded_new_type if decoded_new_type else (None, None)
    nw, nt = _counts(hdr, new_type, col)
    declared = _check_layout(hdr, size, col)
    nz: int | None = None
    if hdr.n_sections > 0:
        if hdr.n_sections % (nw * nt) == 0:
            nz = hdr.n_sections // (nw * nt)
        else:
            col.warning(
                "layout_mismatch",
                f"n_sections {hdr.n_sections} is not a multiple of waves ({nw}) × times ({nt})",
                field="n_sections",
                locator="bytes 8, 180, 196",
            )
    if hdr.image_sequence_name is None:
        col.warning(
            "unknown_sequence",
            f"image sequence {hdr.image_sequence} is not 0 (ZTW), 1 (WZT) or 2 (ZWT): "
            "sections cannot be mapped to z, wave, time",
            field="image_sequence",
            locator="byte 182",
        )
    wavelengths = _wavelengths(hdr, new_type, nw)
    titles, chunks = _titles(hdr, new_type, head, col)
    cockpit_titles = is_cockpit(titles)
    ext_at = len(col.notes)  # where the finding on garbage floats goes, when it is worked out
    ext = _ext_header(fh, hdr, nz, nw, nt, col)
    lens: DvLens | None = None
    if hdr.lens_id:
        found = lookup(hdr.lens_id)
        if found is None:
            col.warning(
                "unknown_lens",
                f"lens ID {hdr.lens_id} is not in the lens table: objective unknown",
                field="lens_id",
                locator="byte 162",
            )
        else:
            lens = _LENS_MODELS.get(hdr.lens_id)
            if lens is None:
                lens = _LENS_MODELS[hdr.lens_id] = construct(DvLens, dict(vars(found)))
    role, evidence, sim = classify(
        path,
        pixel_type=hdr.pixel_type,
        titles=titles,
        si_order=si_order(titles, chunks) if cockpit_titles else (None, None),
        nz=nz,
    )
    history = processing_history(titles) if not cockpit_titles else []
    if history and role == "widefield":
        evidence.append(
            f"titles name processing ({', '.join(history)}): a processed (e.g. deconvolved) "
            "widefield stack, not SIM data"
        )
    if role == "otf":
        col.info(
            "otf",
            "an OTF: dx, dy, dz are reciprocal-space sampling, not a pixel size",
            field="dx",
            locator="bytes 40-51",
        )
    if sim is not None and sim.nz is None:
        col.warning("sim_split", sim.counts_note, field="n_sections", locator="byte 8")
    later = _Later(col, titles, chunks if cockpit_titles else None, ext, nw, wavelengths)
    later.stats, later.new_type_stats = rec, new_type_rec
    later.ext_at = ext_at
    names = later.names()
    values: dict[str, Any] = {
        "format": "dv",
        "path": path,
        "file_size": size,
        "findings": [],
        "header": hdr,
        "new_type": new_type,
        "titles": titles,
        "cockpit": None,
        "processing_history": history,
        "n_waves": nw,
        "n_times": nt,
        "nz": nz,
        "wavelengths_nm": wavelengths,
        "intensity": [],
        "ext_header": ext,
        "channels": [],
        "lens": lens,
        "role": role,
        "role_evidence": evidence,
        "sim": sim,
        "data_offset": HEADER_SIZE + max(hdr.ext_header_bytes, 0),
        "data_bytes_declared": declared,
    }
    if EAGER:
        values.update(later())
        return construct(DvFile, values)
    return cast(DvFile, DvFile.deferred(values, names, later, every_field(DvFile)))


def _garbage_finding(
    table: SectionTable | SmallTable | None, record_bytes: int, col: FindingCollector
) -> None:
    """Report the NaN, infinite and denormal floats of the decoded records."""
    bad = table.n_bad() if table is not None else 0
    if bad and table is not None:
        col.warning(
            "ext_header_garbage",
            f"{bad} extended-header float(s) are NaN, infinite or denormal: left unknown",
            field="ext_header",
            locator=f"bytes {HEADER_SIZE}-{HEADER_SIZE + len(table) * record_bytes - 1}",
        )


EAGER = False
"""Work out every value at read time instead of on first use (tests compare the two)."""


class _Later:
    """The `DvFile` values left to first use (intensity, Cockpit titles, channels, findings).

    Holds what working them out needs; calling it returns them (`DvFile.deferred`). The findings
    of the read are made from its notes (`Notes`); the finding on garbage extended-header floats
    goes where reading the extended header put its other findings (``ext_at``), the channel
    findings last: the order of reading everything at once.
    """

    __slots__ = (
        "chunks",
        "ext",
        "ext_at",
        "new_type_stats",
        "notes",
        "nw",
        "stats",
        "titles",
        "wavelengths",
    )

    def __init__(
        self,
        notes: Notes,
        titles: list[str],
        chunks: list[str] | None,
        ext: DvExtHeader | None,
        nw: int,
        wavelengths: list[int | None],
    ) -> None:
        self.notes, self.titles, self.chunks, self.ext = notes, titles, chunks, ext
        self.nw, self.wavelengths = nw, wavelengths
        self.stats: HeaderValues = ()
        self.new_type_stats: NewTypeValues | None = None
        self.ext_at = 0

    def names(self) -> tuple[str, ...]:
        """The fields left to first use."""
        if self.chunks is not None:
            return ("intensity", "cockpit", "findings", "channels")
        return ("intensity", "findings", "channels")

    def __call__(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "intensity": wave_stats(self.stats, self.nw, self.wavelengths, self.new_type_stats)
        }
        if self.chunks is not None:
            out["cockpit"] = parse_cockpit(self.titles, self.chunks)
        ext = self.ext
        if ext is None:
            out["findings"] = self.notes.findings()
            out["channels"] = _channels(self.nw, self.wavelengths)
        else:
            col = FindingCollector(self.notes.path, READER)
            table = ext.table
            _garbage_finding(table, ext.record_bytes, col)
            garbage = col.items[:]
            if isinstance(table, SmallTable):
                out["channels"] = small_channels(self.nw, self.wavelengths, table, col)
            else:
                from clxm_meta.readers.dv.extended_header import channels

                out["channels"] = channels(self.nw, self.wavelengths, ext, col)
            at, notes = self.ext_at, self.notes
            out["findings"] = (
                notes.findings(0, at) + garbage + notes.findings(at) + col.items[len(garbage) :]
            )
        return out
