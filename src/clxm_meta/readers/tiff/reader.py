"""TIFF, BigTIFF, OME-TIFF and ImageJ-TIFF reader (header only).

`clxm_meta.readers.tiff.pure` reads the IFDs with `struct` (no tifffile, no numpy) wherever it can
give the model tifffile's reading gives; tifffile reads every other file (tags, series, ImageJ
metadata, the OME-XML string). Pixel data are never read. OME-XML is parsed by `clxm_meta.readers.tiff.ome` (ome-types, lax), ImageJ metadata by
`clxm_meta.readers.tiff.imagej`, and the first page's tags are kept as a bounded JSON-safe dictionary
(`clxm_meta.readers.tiff.tags`).

Flavours
--------
``txrm2tiff``
    Software tag ``txrm2tiff <version>`` (Diamond's TXRM/XRM → OME-TIFF converter). Its OME-XML holds
    pixel size, acquisition date, per-plane exposure and stage positions, but no tilt angles, no
    X-ray energy, no magnification; Z counts projections and ``PhysicalSizeZ`` is ``1 reference
    frame``. Findings say so.
``ome``
    The first ImageDescription is OME-XML.
``imagej``
    The first ImageDescription starts with ``ImageJ=``.
``plain``
    Anything else. A CImg-written float32 file with an even width (the layout of cudasirecon/makeotf
    OTF TIFFs: complex values interleaved along X) gets ``otf_like = True`` and a finding saying that
    the file itself does not name its content.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Literal

from clxm_meta.errors import MalformedFileError, UnreadableFileError
from clxm_meta.readers.base import FileHead, FindingCollector, assemble, file_size
from clxm_meta.readers.tiff.ifd_chain import chain_loop, ifd_offsets
from clxm_meta.readers.tiff.imagej import ImageJMetadata, parse_imagej
from clxm_meta.readers.tiff.model import OmeSummary, TiffMetadata, TiffPage, TiffSeries
from clxm_meta.readers.tiff.tags import JSONValue, json_safe, named_tags, page_tags
from clxm_meta.readers.tiff.truncation import report_truncated
from clxm_meta.readers.units import RESOLUTION_UNITS, resolution_pixel_size

__all__ = ["read", "read_open"]

READER = "tiff"
MAX_SERIES = 64
"""Series described in the model (pyramids and multi-position files can have thousands)."""

MAX_SERIES_PAGES = 10_000
"""Above this many IFDs the series are not derived: tifffile parses every page to build them
(~0.1 ms each, seconds for a crafted 20,000-IFD chain; issue 23). Counting the chain reads only
the next-IFD offsets and stays. Real SIM/SXT stacks hold up to a few thousand pages."""

# ``^\s*([A-Za-z][\w.+-]*?)[\s_-]+v?(\d+(?:\.\d+)+\S*)\s*$`` as a scan (`_split_version`): the
# pattern is ambiguous (name, separator and version all take ``_``, ``-`` and digits) and took
# seconds on a crafted Software tag (issue 23).
_SOFTWARE_NAME = re.compile(r"[A-Za-z][\w.+-]*")
_SOFTWARE_SEPARATOR = re.compile(r"[\s_-]+")
_SOFTWARE_VERSION = re.compile(r"(?<!\d)v?(\d+\.\d)")
_OME_ROOT = re.compile(r"<([\w.-]+:)?OME[\s>/]")


# --- helpers ------------------------------------------------------------------------------------


@contextmanager
def _tifffile_log() -> Iterator[list[str]]:
    """Capture tifffile's warnings (it logs recoverable oddities instead of raising).

    `logging` is imported here: the pure-Python reading (`pure`) does not need it.
    """
    import logging

    class _LogCollector(logging.Handler):
        def __init__(self) -> None:
            super().__init__(level=logging.WARNING)
            self.messages: list[str] = []

        def emit(self, record: logging.LogRecord) -> None:
            try:
                self.messages.append(record.getMessage())
            except Exception:  # a bad log call must not break reading
                self.messages.append(str(record.msg))

    handler = _LogCollector()
    logger = logging.getLogger("tifffile")
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


def _tags_by_name(named: list[tuple[str, Any]]) -> dict[str, Any]:
    """The first tag of each name, as ``page.tags.get(name)`` finds it, from `named_tags`.

    ``TiffTags.get(name)`` compares ``name`` with every tag's name (a registry look-up each time);
    tags come in file order, so the first of each name here is the one it returns.
    """
    first: dict[str, Any] = {}
    for name, tag in named:
        first.setdefault(name, tag)
    return first


def _tag(tags: dict[str, Any], name: str) -> Any:
    tag = tags.get(name)
    if tag is None:
        return None
    try:
        return tag.value
    except Exception:
        return None


def _str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    text = str(value).strip("\x00").strip()
    return text or None


def _enum_name(value: Any, enum: Any) -> str | None:
    if value is None:
        return None
    name = getattr(value, "name", None)
    if name is None:
        try:
            name = enum(int(value)).name
        except (TypeError, ValueError):
            name = str(value)
    return str(name)


def _rational(value: Any) -> float | None:
    try:
        if isinstance(value, tuple) and len(value) == 2:
            num, den = value
            return float(num) / float(den) if den else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return None


def _description_kind(text: str | None) -> str | None:
    if text is None:
        return None
    head = text.lstrip()[:2000]
    if head.startswith("<") and _OME_ROOT.search(head):
        return "ome-xml"
    if head.startswith("ImageJ="):
        return "imagej"
    if head.startswith("{") and head.rstrip().endswith("}"):
        return "json"
    return "text"


def _parse_datetime(text: str | None, col: FindingCollector) -> str | None:
    if text is None:
        return None
    for fmt in ("%Y:%m:%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(text.strip(), fmt).isoformat()
        except ValueError:
            continue
    col.warning(
        "bad_datetime",
        f"DateTime tag {text!r} is not in the TIFF form 'YYYY:MM:DD HH:MM:SS'; kept as written",
        field="datetime",
        locator="tag DateTime (306)",
    )
    return None


def _split_version(software: str) -> tuple[str, str] | None:
    """(name, version) of a Software tag written ``NAME[ _-]+[v]VERSION``, or ``None``.

    The shortest name (a letter, then word characters, ``.``, ``+``, ``-``) followed by a run of
    separators and a version (digits, a point, a digit, then no white space to the end). Each
    candidate end of the name is tried once and each separator run scanned once: linear time.
    """
    text = software.strip()
    name = _SOFTWARE_NAME.match(text)
    if name is None:
        return None
    last_space = max((i for i, ch in enumerate(text) if ch.isspace()), default=-1)
    i = 1
    while i <= name.end() and i < len(text):
        separator = _SOFTWARE_SEPARATOR.match(text, i)
        if separator is None:
            i += 1
            continue
        end = separator.end()
        version = _SOFTWARE_VERSION.match(text, end) if end > last_space else None
        if version is not None:
            return text[:i], text[version.start(1) :]
        i = end
    return None


def _writer(software: str | None, imagej_version: str | None) -> tuple[str | None, str | None]:
    if software:
        split = _split_version(software)
        if split:
            return split
        return software, None
    if imagej_version:
        return "ImageJ", imagej_version
    return None, None


def _first_page(page: Any, named: list[tuple[str, Any]], col: FindingCollector) -> TiffPage:
    import tifffile

    dtype = getattr(page, "dtype", None)
    return first_page_model(
        _tags_by_name(named),
        col,
        description=_str(getattr(page, "description", None)),
        samples_per_pixel=_int_or_none(getattr(page, "samplesperpixel", None)),
        bits_per_sample=_int_or_none(getattr(page, "bitspersample", None)),
        sample_format=_enum_name(getattr(page, "sampleformat", None), tifffile.SAMPLEFORMAT),
        dtype=str(dtype) if dtype is not None else None,
        compression=_enum_name(getattr(page, "compression", None), tifffile.COMPRESSION),
        photometric=_enum_name(getattr(page, "photometric", None), tifffile.PHOTOMETRIC),
        planar_configuration=_enum_name(getattr(page, "planarconfig", None), tifffile.PLANARCONFIG),
        tiled=_tiled(page, col),
    )


def _tiled(page: Any, col: FindingCollector) -> bool:
    """The page's ``is_tiled``; a TileWidth tifffile cannot compare (several values): damaged."""
    try:
        return bool(getattr(page, "is_tiled", False))
    except (TypeError, ValueError) as exc:  # a hypothesis-found byte flip: a raw TypeError
        raise MalformedFileError(
            f"TileWidth is not one number ({type(exc).__name__}: {exc})", path=col.path
        ) from exc


def first_page_model(
    tags: dict[str, Any],
    col: FindingCollector,
    *,
    description: str | None,
    samples_per_pixel: int | None,
    bits_per_sample: int | None,
    sample_format: str | None,
    dtype: str | None,
    compression: str | None,
    photometric: str | None,
    planar_configuration: str | None,
    tiled: bool,
) -> TiffPage:
    """The `TiffPage` of the first page.

    ``tags`` are objects with a ``value``, the first of each name; the rest is what tifffile's page
    (or `pure`) says of its layout.
    """
    kind = _description_kind(description)
    xres = _rational(_tag(tags, "XResolution"))
    yres = _rational(_tag(tags, "YResolution"))
    unit_raw = _tag(tags, "ResolutionUnit")
    unit_code: int | None
    if unit_raw is None:
        # TIFF 6.0: ResolutionUnit defaults to 2 (inch) when the resolution tags are present.
        unit_code = 2 if xres is not None or yres is not None else None
    else:
        try:
            unit_code = int(unit_raw)
        except (TypeError, ValueError):
            unit_code = None
    unit = RESOLUTION_UNITS.get(unit_code) if unit_code is not None else None
    if unit_code is not None and unit_code not in RESOLUTION_UNITS:
        col.warning(
            "unknown_resolution_unit",
            f"ResolutionUnit {unit_code} is not a TIFF unit (1 none, 2 inch, 3 cm; tifffile adds "
            "4 mm, 5 µm); pixel size from the resolution tags reported as unknown",
            field="resolution_unit",
            locator="tag ResolutionUnit (296)",
        )
    sizes: list[float | None] = []
    for axis, res in (("X", xres), ("Y", yres)):
        if res is None or unit is None:
            sizes.append(None)
            continue
        conv = resolution_pixel_size(res, unit, "µm")
        if conv.problem is not None:
            col.warning(
                "bad_resolution",
                f"{axis}Resolution {res} per {unit}: {conv.problem}; pixel size reported as unknown",
                field=f"pixel_size_{axis.lower()}_um",
                locator=f"tag {axis}Resolution ({282 if axis == 'X' else 283})",
            )
        sizes.append(conv.value)
    dt_text = _str(_tag(tags, "DateTime"))
    return assemble(
        TiffPage,
        width=_int_or_none(_tag(tags, "ImageWidth")),
        height=_int_or_none(_tag(tags, "ImageLength")),
        samples_per_pixel=samples_per_pixel,
        bits_per_sample=bits_per_sample,
        sample_format=sample_format,
        dtype=dtype,
        compression=compression,
        photometric=photometric,
        planar_configuration=planar_configuration,
        tiled=tiled,
        x_resolution=xres,
        y_resolution=yres,
        resolution_unit_code=unit_code,
        resolution_unit=unit,
        pixel_size_x_um=sizes[0],
        pixel_size_y_um=sizes[1],
        software=_str(_tag(tags, "Software")),
        datetime=dt_text,
        datetime_iso=_parse_datetime(dt_text, col),
        artist=_str(_tag(tags, "Artist")),
        make=_str(_tag(tags, "Make")),
        model=_str(_tag(tags, "Model")),
        host_computer=_str(_tag(tags, "HostComputer")),
        document_name=_str(_tag(tags, "DocumentName")),
        page_name=_str(_tag(tags, "PageName")),
        description_kind=kind,
        description=description[:4096] if kind == "text" and description else None,
    )


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _series(
    tif: Any, col: FindingCollector, n_pages: int | None
) -> tuple[list[TiffSeries], int | None, list[Any]]:
    if n_pages is not None and n_pages > MAX_SERIES_PAGES:
        col.warning(
            "too_many_pages",
            f"the IFD chain holds {n_pages} pages, more than {MAX_SERIES_PAGES}: the image series "
            "(which parse every page) were not derived; the first page's tags are read",
            locator=f"IFD {MAX_SERIES_PAGES}",
        )
        return [], None, []
    try:
        all_series = list(tif.series)
    except Exception as exc:  # tifffile series detection on odd files
        col.warning("series_unreadable", f"tifffile could not build series: {exc}")
        return [], None, []
    out = []
    for i, s in enumerate(all_series[:MAX_SERIES]):
        try:
            out.append(
                assemble(
                    TiffSeries,
                    index=i,
                    shape=[int(n) for n in s.shape],
                    axes=str(s.axes),
                    dtype=str(s.dtype),
                    kind=_str(getattr(s, "kind", None)),
                    n_pages=len(s.pages) if hasattr(s, "pages") else None,
                )
            )
        except Exception as exc:
            col.warning("series_unreadable", f"series {i}: {exc}")
    return out, len(all_series), all_series


def _parsed_by_series(all_series: list[Any], tif: Any, index: int) -> Any | None:
    """The `TiffPage` of top-level page ``index`` that tifffile parsed while building the series.

    tifffile does not cache pages, so ``tif.pages[index]`` parses the IFD again (a generic series
    has just parsed every page). Parsing is deterministic: the same IFD gives the same page, the
    same values and the same log messages (already captured, and de-duplicated), so the series'
    page stands for a new parse. Only a fully parsed page of this file at the top level qualifies,
    and nothing is read to find it (the series' own page list; frames do not qualify: a `TiffFrame`
    reads fewer tags than a `TiffPage` and may log differently).
    """
    import tifffile

    for s in all_series:
        held = getattr(s, "_pages", None)  # tifffile's list of the series' loaded pages
        if not isinstance(held, list) or not held:
            continue
        page = held[-1]
        if (
            isinstance(page, tifffile.TiffPage)
            and page.parent is tif
            and getattr(page, "treeindex", None) == (index,)
        ):
            return page
    return None


def _check_truncation(
    tif: Any,
    size: int,
    col: FindingCollector,
    all_series: list[Any],
    *,
    last: tuple[int, int] | None = None,
) -> None:
    """Error finding when the first or the last page declares data beyond the end of the file.

    ``last`` is the index and offset of the last IFD when the reader walked the chain itself
    (`ifd_chain.ifd_offsets`): that page is then parsed from there, as ``tif.pages[-1]`` would
    parse it, without tifffile indexing the chain again.
    """
    import tifffile

    pages = tif.pages
    try:
        indices = sorted({0, len(pages) - 1}) if last is None else sorted({0, last[0]})
    except Exception:
        return
    for i in indices:
        try:
            page: Any
            if last is not None and i == last[0] and i:
                tif.filehandle.seek(last[1])
                page = tifffile.TiffPage(tif, index=i)
            else:
                page = _parsed_by_series(all_series, tif, i) if i else None
                if page is None:
                    page = pages[i]
            offsets = page.dataoffsets
            counts = page.databytecounts
        except Exception:
            continue
        # a damaged entry can carry any field type: tifffile then hands back strings or floats
        ends = [
            o + c
            for o, c in zip(offsets or (), counts or (), strict=False)
            if isinstance(o, int) and isinstance(c, int) and c
        ]
        if report_truncated(col, i, ends, size):
            return


# --- the reader ---------------------------------------------------------------------------------


def read(path: str | os.PathLike[str], *, strict: bool = False) -> TiffMetadata:
    """Read the header metadata of a TIFF file.

    Parameters
    ----------
    path
        The file (opened read-only; pixel data are not read).
    strict
        Raise `MalformedFileError` on error-level findings (e.g. truncation).

    Raises
    ------
    MalformedFileError
        tifffile cannot parse the file structure (bad header or first IFD).
    UnreadableFileError
        The file cannot be opened.
    """
    return _read(path, file_size(path), strict=strict)


def read_open(fh: FileHead, *, strict: bool = False) -> TiffMetadata:
    """`read` for a file the registry already opened: its size and type come from ``fh``.

    tifffile opens the file again by name (it needs its own handle); ``fh`` spares the ``stat``
    calls of `read`.
    """
    if not fh.regular:
        raise UnreadableFileError("not a regular file", path=fh.path)
    return _read(fh.path, fh.size, strict=strict)


def _read(
    path: str | os.PathLike[str], size: int, *, strict: bool, fast: bool = True, pure: bool = True
) -> TiffMetadata:
    """`read` of a file of ``size`` bytes.

    First `pure.read_pure` (no tifffile, no numpy); tifffile reads what it cannot (``pure=False``:
    tifffile reads every file, the reading the tests compare the pure one with).

    ``fast=False`` lets tifffile count the pages and build every series: the reading before the
    chain walk (`ifd_chain`) and the OME series of `ome_series`, which the tests compare with it.
    """
    col = FindingCollector(path, READER, strict=strict)
    if fast and pure:
        from clxm_meta.readers.tiff.pure import read_pure

        model = read_pure(path, size, col)
        if model is not None:
            model.findings = list(col.items)
            return model

    import tifffile  # imported here so that detecting other formats does not pay for it

    with _tifffile_log() as log:
        try:
            tif = tifffile.TiffFile(os.fspath(path), mode="r")
        except MalformedFileError:
            raise
        except Exception as exc:  # tifffile raises TiffFileError, ValueError, struct.error ...
            raise MalformedFileError(
                f"not a readable TIFF: {type(exc).__name__}: {exc}", path=path
            ) from exc
        with tif:
            model = _read_tiff(tif, path, size, col, fast=fast)
    for message in dict.fromkeys(log):  # de-duplicated, in order
        col.warning("tifffile_log", f"tifffile: {' '.join(message.split())[:300]}")
    model.findings = list(col.items)
    return model


def _chain(tif: Any, path: str | os.PathLike[str], size: int, page: Any) -> list[int] | None:
    """The IFD offsets of a regular chain (`ifd_chain.ifd_offsets`), or ``None``: ask tifffile."""
    try:
        first = int(page.offset)
        bigtiff = bool(tif.is_bigtiff)
        byteorder = str(tif.byteorder)
        offset_size = int(tif.tiff.offsetsize)
    except Exception:
        return None
    if offset_size != (8 if bigtiff else 4) or byteorder not in ("<", ">"):
        return None  # NDPI and other variants tifffile reads with its own offset sizes
    chain = ifd_offsets(
        path, first, size, byteorder=byteorder, bigtiff=bigtiff, limit=MAX_SERIES_PAGES
    )
    if chain is None:  # tifffile will walk it: never into a loop it does not see
        loop = chain_loop(path, first, size, byteorder=byteorder, bigtiff=bigtiff)
        if loop is not None:
            raise MalformedFileError(
                f"the IFD chain comes back to the IFD at byte {loop[1]} after {loop[0]} IFDs "
                "(or is longer than any reader should follow): the pages cannot be counted",
                path=path,
            )
    return chain


def _read_tiff(
    tif: Any, path: str | os.PathLike[str], size: int, col: FindingCollector, *, fast: bool = True
) -> TiffMetadata:
    try:
        page = tif.pages.first
    except Exception as exc:
        raise MalformedFileError(f"first IFD unreadable: {exc}", path=path) from exc
    named = named_tags(page)
    first = _first_page(page, named, col)
    tags, notes = page_tags(page, named)
    chain = _chain(tif, path, size, page)  # also refuses a looping chain before tifffile walks it
    if not fast:
        chain = None
    if chain is not None:
        n_pages: int | None = len(chain)
    else:
        try:
            n_pages = len(tif.pages)
        except Exception as exc:
            col.warning("pages_unreadable", f"cannot count pages: {exc}")
            n_pages = None
    from clxm_meta.readers.tiff.ome_series import ome_series

    fast_series = ome_series(tif, len(chain)) if chain is not None else None
    if chain is not None and fast_series is not None:
        series = [
            assemble(
                TiffSeries,
                index=0,
                shape=list(fast_series.shape),
                axes=fast_series.axes,
                dtype=fast_series.dtype,
                kind="ome",
                n_pages=fast_series.n_pages,
            )
        ]
        n_series: int | None = 1
        _check_truncation(tif, size, col, [], last=(len(chain) - 1, chain[-1]))
    else:
        series, n_series, all_series = _series(tif, col, n_pages)
        _check_truncation(tif, size, col, all_series)

    imagej = None
    if first.description_kind == "imagej" or getattr(tif, "is_imagej", False):
        try:
            meta = tif.imagej_metadata
        except Exception as exc:
            col.warning("imagej_unreadable", f"ImageJ metadata not readable: {exc}")
            meta = None
        if isinstance(meta, dict):
            imagej = parse_imagej(meta, first.x_resolution, first.y_resolution, col)

    ome = None
    if first.description_kind == "ome-xml":
        xml = _str(getattr(page, "description", None)) or ""
        from clxm_meta.readers.tiff.ome import parse_ome

        ome = parse_ome(xml, col)

    shaped = None
    try:
        raw_shaped = tif.shaped_metadata
    except Exception:
        raw_shaped = None
    if raw_shaped:
        shaped_notes: dict[str, str] = {}
        shaped = [
            d
            for d in (json_safe(m, "shaped", shaped_notes) for m in raw_shaped)
            if isinstance(d, dict)
        ]

    return assemble_model(
        path,
        size,
        col,
        first,
        byteorder=str(tif.byteorder),
        bigtiff=bool(tif.is_bigtiff),
        n_pages=n_pages,
        series=series,
        n_series=n_series,
        imagej=imagej,
        ome=ome,
        shaped=shaped,
        tags=tags,
        notes=notes,
    )


def assemble_model(
    path: str | os.PathLike[str],
    size: int,
    col: FindingCollector,
    first: TiffPage,
    *,
    byteorder: str,
    bigtiff: bool,
    n_pages: int | None,
    series: list[TiffSeries],
    n_series: int | None,
    imagej: ImageJMetadata | None,
    ome: OmeSummary | None,
    shaped: list[dict[str, Any]] | None,
    tags: dict[str, JSONValue],
    notes: dict[str, str],
) -> TiffMetadata:
    """The model from its parts, with the flavour, the writer and the flavour's findings."""
    writer, version = _writer(first.software, imagej.version if imagej else None)
    flavour: Literal["plain", "imagej", "ome", "txrm2tiff"]
    if writer == "txrm2tiff":
        flavour = "txrm2tiff"
    elif first.description_kind == "ome-xml":
        flavour = "ome"
    elif imagej is not None:
        flavour = "imagej"
    else:
        flavour = "plain"

    otf_like = (
        writer == "CImg"
        and first.dtype == "float32"
        and first.width is not None
        and first.width % 2 == 0
    )
    model = assemble(
        TiffMetadata,
        format="tiff",
        path=os.fspath(path),
        file_size=size,
        findings=[],  # the collector's list, set once reading is done
        flavour=flavour,
        writer=writer,
        writer_version=version,
        byte_order="little" if byteorder == "<" else "big",
        bigtiff=bigtiff,
        n_pages=n_pages,
        series=series,
        n_series=n_series,
        first_page=first,
        imagej=imagej,
        ome=ome,
        shaped=shaped,
        otf_like=otf_like,
        tags=tags,
        tags_notes=notes,
    )
    _flavour_findings(model, col)
    return model


def _flavour_findings(model: TiffMetadata, col: FindingCollector) -> None:
    if model.flavour == "txrm2tiff":
        col.info(
            "txrm2tiff_no_angles",
            f"written by txrm2tiff {model.writer_version or ''}".rstrip()
            + ": the OME-XML holds no tilt angles, X-ray energy, magnification or zone plate; "
            "read them from the original .txrm/.xrm or from the tilt files (.rawtlt/.tlt)",
            locator="tag Software (305)",
        )
        px = model.ome.images[0].pixels if model.ome and model.ome.images else None
        if px is not None and px.size_z is not None:
            col.info(
                "txrm2tiff_z_is_projections",
                f"SizeZ = {px.size_z} counts images (txrm2tiff stacks the projections of a tilt "
                "series in Z; a mosaic is one stitched plane), so there is no Z spacing",
                field="size_z",
                locator="OME Image[0]/Pixels@SizeZ",
            )
    if model.otf_like:
        col.info(
            "otf_like",
            f"written by CImg, float32, width {model.first_page.width} (even), "
            f"{model.n_pages} page(s): the layout of a cudasirecon/makeotf OTF (complex values "
            "interleaved along X); the file does not say what it holds",
            locator="tag Software (305)",
        )
