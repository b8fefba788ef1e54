"""The MRC format model: everything an MRC2014 / IMOD / SerialEM header says, typed.

Values keep the file's own vocabulary (``nx``, ``mode``, ``cella``, ``exttyp`` ...); lengths carry
their unit in the attribute name (``_a`` ångström, ``_nm``, ``_um``, ``_deg``). Unknown is ``None``.
"""

# No ``from __future__ import annotations``: pydantic would evaluate every field's annotation
# from its string, compiling each (~100 fields: ~1 % of the start-up of ``inspect``).
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from clxm_meta.readers.deferred import DeferredModel

__all__ = [
    "ExtHeader",
    "ExtSection",
    "ImodFields",
    "MrcFile",
    "MrcHeader",
    "MrcLabel",
    "MrcRole",
    "Statistics",
    "Vec3",
]

MrcRole = Literal["tilt_series", "aligned_stack", "tomogram", "map", "sim_stack", "unknown"]
"""What the file is, decided from its header, labels, extended header and name."""

Scalar = str | int | float | bool | None


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Vec3(_Part):
    """Three per-axis numbers (x, y, z); the unit is in the owning attribute's name."""

    x: float | None = None
    y: float | None = None
    z: float | None = None


class Statistics(_Part):
    """Density statistics from the header, ``None`` where the header marks them undetermined.

    Attributes
    ----------
    min, max, mean, rms
        dmin/dmax/dmean (bytes 76-87) and rms (byte 216), as usable values.
    determined
        False when the header uses the "undetermined" convention (dmax < dmin, or dmean outside).
    rms_determined
        False when rms < 0 (MRC2014 / IMOD flag 8 convention).
    representable
        False when min/max cannot be values of the pixel type (e.g. -42.33 on int16): the header
        statistics were not computed from these data (copied or rescaled without updating).
    """

    min: float | None = None
    max: float | None = None
    mean: float | None = None
    rms: float | None = None
    determined: bool = True
    rms_determined: bool = True
    representable: bool | None = None


class ImodFields(_Part):
    """IMOD / SerialEM overlays of ``extra1``/``extra2`` (bytes 96-195).

    Attributes
    ----------
    stamp_present
        ``imodStamp`` (byte 152) is 1146047817 ("IMOD"): IMOD wrote or last rewrote the header.
    stamp
        The raw ``imodStamp`` value.
    flags
        The raw ``imodFlags`` (byte 156); interpreted only when the stamp is present.
    flag_names
        Names of the set flags (IMOD b3dutil.h).
    nint, nreal
        Bytes per section / bit flags (SerialEM) or ints / floats per section (Agard), bytes 128/130.
    creatid, idtype, lens, nd1, nd2, vd1, vd2
        IMOD ``creatid`` (96) and data-type fields (160-170).
    tiltangles_deg
        Six floats at 172: original and current rotations about X, Y, Z.
    """

    stamp_present: bool = False
    stamp: int | None = None
    flags: int | None = None
    flag_names: list[str] = []
    nint: int | None = None
    nreal: int | None = None
    creatid: int | None = None
    idtype: int | None = None
    lens: int | None = None
    nd1: int | None = None
    nd2: int | None = None
    vd1: int | None = None
    vd2: int | None = None
    tiltangles_deg: list[float | None] = []


class MrcHeader(_Part):
    """The 1024-byte main header as mrcfile reads it, plus derived values.

    Attributes
    ----------
    nx, ny, nz
        Columns, rows, sections (bytes 0-11).
    mode
        Pixel mode (byte 12).
    dtype
        numpy name of the pixel type (``int16``, ``float32`` ...); ``uint4`` for mode 101 (packed
        4-bit), ``rgb_uint8`` for IMOD mode 16, ``complex_int16`` for mode 3; ``None`` if unknown.
    dtype_note
        How the dtype was decided when the mode alone does not say (IMOD mode 0 signedness).
    byte_order
        ``"<"`` or ``">"`` as used to decode the header.
    byte_order_source
        ``"machine stamp"``, ``"assumed little-endian"`` or ``"flipped (mode)"``.
    machine_stamp
        Bytes 212-215 in hex, e.g. ``"0x44 0x44 0x00 0x00"``.
    voxel_size_a, voxel_size_nm, voxel_size_um
        cella / (mx, my, mz); ``None`` per axis when m = 0 or cella = 0.
    origin_a
        Origin as stored (bytes 196-207), Å.
    origin_sign_inverted
        IMOD flag 4: IMOD negates the stored origin when reading it.
    exttyp
        Extended-header type (byte 104) when it is printable ASCII, else ``None``.
    exttyp_hex
        The four bytes in hex, always.
    map_id
        Bytes 208-211.
    """

    nx: int
    ny: int
    nz: int
    mode: int
    dtype: str | None = None
    dtype_note: str | None = None
    nxstart: int
    nystart: int
    nzstart: int
    mx: int
    my: int
    mz: int
    cella_a: Vec3
    cellb_deg: Vec3
    mapc: int
    mapr: int
    maps: int
    dmin: float | None = None
    dmax: float | None = None
    dmean: float | None = None
    ispg: int
    nsymbt: int
    exttyp: str | None = None
    exttyp_hex: str
    nversion: int
    origin_a: Vec3
    origin_sign_inverted: bool = False
    map_id: str
    machine_stamp: str
    byte_order: Literal["<", ">"]
    byte_order_source: str
    rms: float | None = None
    nlabl: int
    voxel_size_a: Vec3
    voxel_size_nm: Vec3
    voxel_size_um: Vec3
    statistics: Statistics
    imod: ImodFields


class MrcLabel(_Part):
    """One 80-character label, parsed.

    Attributes
    ----------
    index
        0-based label number.
    text
        The label, trailing blanks removed (non-ASCII bytes replaced).
    kind
        ``"imod"`` (``PROGRAM: text  dd-Mon-yy  HH:MM:SS``), ``"serialem"``,
        ``"serialem_tilt_axis"``, ``"emdb"`` or ``"other"``.
    program
        Program name before the colon (``NEWSTACK``, ``SerialEM``, ``clip``).
    message
        The text between the program and the date.
    date, time
        As written (``17-Jun-15``, ``23:49:11``); ``date_iso`` as ``YYYY-MM-DD`` (two-digit years
        read as 19yy for 70-99, else 20yy, as IMOD writes them).
    tilt_axis_deg, binning, spot, camera
        From SerialEM's ``Tilt axis angle = a, binning = b  spot = s  camera = c`` label.
    """

    index: int
    text: str
    kind: str = "other"
    program: str | None = None
    message: str | None = None
    date: str | None = None
    time: str | None = None
    date_iso: str | None = None
    tilt_axis_deg: float | None = None
    binning: int | None = None
    spot: int | None = None
    camera: int | None = None


class ExtSection(_Part):
    """Per-section values of the extended header (one image of a stack).

    Attributes
    ----------
    index
        Section number, 0-based.
    tilt_deg
        Tilt angle (SerialEM short / 100, Agard first float, FEI ``Alpha tilt``).
    piece_x, piece_y, piece_z
        Montage piece coordinates (SerialEM flag 2).
    stage_x_um, stage_y_um, stage_z_um
        Stage position (SerialEM flag 4: short / 25; FEI: metres converted).
    magnification
        SerialEM flag 8 (short × 100) or FEI ``Magnification``.
    intensity
        SerialEM flag 16 (short / 25000): C2 intensity value.
    dose_e_per_a2
        SerialEM flag 32: exposure dose, float packed in two shorts.
    extra
        Everything else decoded for the section (Agard ints/floats, reserved SerialEM items, FEI
        fields), keyed by name.
    """

    index: int
    tilt_deg: float | None = None
    piece_x: int | None = None
    piece_y: int | None = None
    piece_z: int | None = None
    stage_x_um: float | None = None
    stage_y_um: float | None = None
    stage_z_um: float | None = None
    magnification: float | None = None
    intensity: float | None = None
    dose_e_per_a2: float | None = None
    extra: dict[str, Scalar] = {}


class ExtHeader(_Part):
    """The extended header (bytes 1024 .. 1024 + nsymbt) and how it was interpreted.

    Attributes
    ----------
    size
        Declared size, bytes (``nsymbt``).
    present
        Bytes of it actually in the file.
    interpretation
        ``"serialem"``, ``"agard"``, ``"fei1"``, ``"fei2"``, ``"symmetry"`` (CCP4/MRCO), or
        ``"none"`` / ``"unknown"``.
    items
        SerialEM item names in file order (``tilt``, ``montage``, ``stage`` ...).
    section_bytes
        Bytes per section record.
    n_sections
        Sections decoded (at most nz, and at most what the present bytes hold).
    sections
        One `ExtSection` per decoded section.
    """

    size: int = 0
    present: int = 0
    interpretation: str = "none"
    items: list[str] = []
    section_bytes: int | None = None
    n_sections: int = 0
    sections: list[ExtSection] = []
    # Sections built on first use (kept out of the docstring, which is the JSON schema's
    # description): the reader decodes the records column-wise and leaves ``sections`` out of
    # ``__dict__``, with `_pending_sections` to build them; attribute access, ``model_dump`` /
    # ``model_dump_json`` (of this model or of a model holding it), comparison, ``repr``,
    # iteration and pickling build them first, so each gives what a header made with
    # ``sections=[...]`` gives (a copy builds its own list from the shared columns).
    # ``sections`` must stay the last field: building it appends it to ``__dict__``.
    _pending_sections: Callable[[], list[ExtSection]] | None = PrivateAttr(default=None)

    def _build_sections(self) -> None:
        """Build ``sections`` from the pending columns, if any and not replaced (once).

        A copy of a pending header (``model_copy``, ``copy``) shares the pending columns and
        builds its own list; ``model_copy(update={"sections": ...})`` replaces them.
        """
        private = self.__pydantic_private__
        pending = private.get("_pending_sections") if private else None
        if pending is not None and private is not None:
            if "sections" not in self.__dict__:
                self.__dict__["sections"] = pending()
            private["_pending_sections"] = None

    @model_serializer(mode="wrap")
    def _serialise(self, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]
        # No return annotation on purpose: pydantic then keeps this model's own serialisation
        # JSON schema (an annotation, even ``Any``, would replace it).
        self._build_sections()
        return handler(self)

    def _json_data_prepare(self) -> None:
        """For `readers.json_data`: the wrap serializer above only builds the sections first."""
        self._build_sections()

    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            if name == "sections" and "sections" not in self.__dict__:
                self._build_sections()
                if "sections" in self.__dict__:
                    return self.__dict__["sections"]
            return super().__getattr__(name)

    def __eq__(self, other: object) -> bool:
        self._build_sections()
        if isinstance(other, ExtHeader):
            other._build_sections()
        return super().__eq__(other)

    def __hash__(self) -> int:
        # What pydantic's hash of a frozen model does (a list inside: TypeError, as before).
        self._build_sections()
        return hash(tuple(self.__dict__[name] for name in type(self).model_fields))

    def __repr_args__(self) -> Any:
        self._build_sections()
        return super().__repr_args__()

    def __iter__(self) -> Iterator[tuple[str, Any]]:  # type: ignore[override]
        self._build_sections()
        return super().__iter__()

    def __getstate__(self) -> dict[Any, Any]:
        self._build_sections()
        return super().__getstate__()


class MrcFile(DeferredModel):
    """An MRC / IMOD / SerialEM file: header, labels, extended header and role.

    Attributes
    ----------
    header
        The main header (`MrcHeader`).
    labels
        The ``nlabl`` labels, parsed (`MrcLabel`).
    ext_header
        The extended header (`ExtHeader`).
    tilt_angles_deg
        Per-section tilt angles from the extended header, when it holds them.
    data_bytes_expected, data_bytes_present
        Size of the data block from the header, and bytes after the headers in the file.
    role, role_evidence
        What the file is (`MrcRole`) and why.
    """

    format: str = "mrc"
    header: MrcHeader
    labels: list[MrcLabel] = Field(default_factory=list)
    ext_header: ExtHeader = ExtHeader.model_construct()  # no validator built at import
    tilt_angles_deg: list[float] | None = None
    data_bytes_expected: int | None = None
    data_bytes_present: int | None = None
    role: MrcRole = "unknown"
    role_evidence: list[str] = Field(default_factory=list)
    # The reader leaves the values worked out beyond the main header (parsed labels, the decoded
    # extended header and its tilt angles, the role, the findings) to first use
    # (`clxm_meta.readers.deferred`; kept out of the docstring, which is the JSON schema's
    # description).
    DEFERRED: ClassVar[frozenset[str]] = frozenset(
        {"findings", "labels", "ext_header", "tilt_angles_deg", "role", "role_evidence"}
    )
