"""The DV format model: everything a DeltaVision / Priism file says about itself.

Units are in the attribute names (``_um``, ``_nm``, ``_s``, ``_deg``). ``None`` means the file does
not say (or says something that is not a value: a non-finite or denormal float, a zero wavelength).
Byte offsets and meanings follow docs/reference/formats-binary.md §1.
"""

from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Literal, NamedTuple

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    computed_field,
    model_validator,
)

from clxm_meta.readers.base import construct
from clxm_meta.readers.deferred import DeferredModel
from clxm_meta.readers.dv.titles import CockpitTitles

if TYPE_CHECKING:
    from clxm_meta.readers.dv.extended_header import SectionTable
    from clxm_meta.readers.dv.small_table import SmallTable

__all__ = [
    "DEFERRED_FIELDS",
    "DvChannel",
    "DvExtHeader",
    "DvFile",
    "DvHeader",
    "DvLens",
    "DvNewType",
    "DvSection",
    "DvSimLayout",
    "DvWaveStats",
    "RawRecords",
    "Role",
]

Role = Literal["raw_sim", "processed", "otf", "widefield", "unknown"]


class _Part(BaseModel):
    """Base of the DV parts: frozen; built on first validation, not at import (`defer_build`).

    The reader builds every part without validation (`clxm_meta.readers.base.construct`), so
    reading a file builds no validator.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class DvWaveStats(_Part):
    """Header intensity statistics of one wavelength (min/max of waves 1-5, mean of wave 1)."""

    index: int
    wavelength_nm: int | None = None
    min: float | None = None
    max: float | None = None
    mean: float | None = None
    locator: str


class DvHeader(_Part):
    """The 1024-byte header, field by field (offsets in the field docs).

    Integers are as stored; ``n_waves`` and ``n_times`` are the stored values (0 is read as 1 in
    `DvFile.n_waves` / `DvFile.n_times`). ``n_times`` is read unsigned, as Bio-Formats does.
    """

    byte_order: Literal["little", "big"]
    """From the magic at byte 96 (``A0 C0`` little-endian, ``C0 A0`` big-endian)."""
    nx: int
    """Columns, byte 0."""
    ny: int
    """Rows, byte 4."""
    n_sections: int
    """Planes, byte 8 (= nz·nw·nt; for raw SIM nz includes angles × phases)."""
    pixel_type: int
    """Byte 12."""
    dtype: str | None
    """numpy dtype of a pixel in the file's byte order, ``None`` for complex int16 or unknown."""
    pixel_type_name: str | None
    bits_per_pixel: int | None
    start: tuple[int, int, int]
    """mxst, myst, mzst (bytes 16-27)."""
    sampling: tuple[int, int, int]
    """mx, my, mz (bytes 28-39)."""
    dx_um: float | None
    """Pixel size X, µm (byte 40); reciprocal µm in an OTF."""
    dy_um: float | None
    """Byte 44."""
    dz_um: float | None
    """Byte 48."""
    cell_angles_deg: tuple[float | None, float | None, float | None]
    """alpha, beta, gamma (bytes 52-63)."""
    axis_map: tuple[int, int, int]
    """Column/row/section axis (bytes 64-75)."""
    nspg: int
    """Byte 88."""
    ext_header_bytes: int
    """``next``, byte 92: extended-header length; pixel data start at 1024 + next."""
    dvid: int
    """Magic, byte 96 (-16224)."""
    nblank: int
    """Byte 98 (unused)."""
    ntst: int
    """Starting time index, byte 100 (unreliable)."""
    blank_104_hex: str
    """Bytes 104-127 as hex (empty when all zero)."""
    n_ints: int
    """Integers per section in the extended header, byte 128."""
    n_floats: int
    """Floats per section in the extended header, byte 130."""
    n_subres: int
    """Sub-resolution sets, byte 132."""
    zfac: int
    """Z reduction quotient of sub-resolution sets, byte 134."""
    image_type: int
    """Byte 160: 0 normal, 1 tilt series, ..., 100 NEW_TYPE (Bio-Formats)."""
    lens_id: int
    """Byte 162."""
    n1: int
    """Byte 164."""
    n2: int
    """Byte 166."""
    v1: int
    """Byte 168 (stored × 100)."""
    v2: int
    """Byte 170 (stored × 100)."""
    n_times: int
    """Byte 180 (unsigned)."""
    image_sequence: int
    """Byte 182: 0 ZTW, 1 WZT, 2 ZWT (first letter fastest)."""
    image_sequence_name: str | None
    tilt_deg: tuple[float | None, float | None, float | None]
    """x, y, z tilt (bytes 184-195)."""
    n_waves: int
    """Byte 196."""
    wave_list_nm: list[int]
    """The five wavelength slots, bytes 198-207, as stored."""
    origin_um: tuple[float | None, float | None, float | None]
    """Origin as (x, y, z), µm. Stored as z0, x0, y0 at bytes 208, 212, 216 (IVE doc, IMOD
    old-style header; Bio-Formats reads them as x, y, z - this reader follows the IVE doc)."""
    n_titles: int
    """int16 at byte 222 (the IVE doc's int32 at 220 is wrong in practice)."""
    n_titles_i4_220: int
    """The int32 at byte 220, kept to show why it is not used."""


class DvNewType(_Part):
    """Bio-Formats' NEW_TYPE extension (image type 100, bytes 544-883), when sane."""

    wavelengths_nm: list[int]
    """Waves 6-12 (byte 676)."""
    acquisition_time_s: float | None
    """UNIX seconds (f8, byte 844)."""
    acquisition_time: str | None
    """The same as ISO 8601 UTC, when in 1980-2100."""
    secondary_n_times: int
    """Byte 852."""
    n_panels: int
    """Byte 880."""


class DvSection(_Part):
    """One extended-header record (one plane, in file order)."""

    index: int
    z: int | None
    """Z index within the header Z (which includes angles × phases for raw SIM)."""
    wave: int | None
    time: int | None
    ints: list[int]
    photosensor_mv: float | None = None
    """Float 0."""
    time_s: float | None = None
    """Float 1, elapsed seconds."""
    stage_x: float | None = None
    """Float 2 (unit not stated by any source; likely µm)."""
    stage_y: float | None = None
    """Float 3."""
    stage_z: float | None = None
    """Float 4."""
    min: float | None = None
    """Float 5."""
    max: float | None = None
    """Float 6."""
    mean: float | None = None
    """Float 7."""
    exposure_s: float | None = None
    """Float 8, seconds."""
    nd_filter: float | None = None
    """Float 9, neutral density (fraction or percent)."""
    excitation_nm: float | None = None
    """Float 10."""
    emission_nm: float | None = None
    """Float 11."""
    intensity_scaling: float | None = None
    """Float 12."""
    energy_conversion: float | None = None
    """Float 13."""
    other_floats: dict[int, float] = {}
    """Floats 14 and up that are not zero, by index."""


class RawRecords(NamedTuple):
    """The extended-header bytes as read, and what decoding them needs (decoded on first use)."""

    raw: bytes
    """The bytes read (at least ``n_records`` records)."""
    order: Literal["little", "big"]
    n_ints: int
    n_floats: int
    n_records: int
    """Records to decode, from the start of ``raw``."""
    seq: int
    nz: int | None
    nw: int
    nt: int


class DvExtHeader(_Part):
    """The extended header: one record of ``n_ints`` int32 + ``n_floats`` float32 per plane.

    The reader keeps the bytes it read (`RawRecords`) and decodes them into columns (`table`) when
    a value is first needed, as ``mrc.DVFile`` does; ``sections``, one `DvSection` per record, is
    built from the columns on first access and then cached, so that reading a file with hundreds
    of thousands of planes does not build as many objects unless someone asks for them. It
    serialises as it always did (a ``sections`` list, last), and ``DvExtHeader(...,
    sections=[...])`` still works.
    """

    n_ints: int
    n_floats: int
    record_bytes: int
    declared_bytes: int
    _table: "SectionTable | SmallTable | None" = PrivateAttr(default=None)
    _given: list[DvSection] | None = PrivateAttr(default=None)
    _source: RawRecords | None = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _take_sections(
        cls, data: Any, handler: ModelWrapValidatorHandler["DvExtHeader"]
    ) -> "DvExtHeader":
        given = None
        if isinstance(data, dict) and "sections" in data:
            data = dict(data)
            given = [DvSection.model_validate(s) for s in data.pop("sections")]
        model = handler(data)
        if given is not None:
            model._given = given
        return model

    @classmethod
    def from_table(cls, table: "SectionTable", **fields: Any) -> "DvExtHeader":
        """A header over the reader's column table (sections built lazily).

        ``fields`` are the reader's own ints, taken without validation.
        """
        return construct(cls, fields, {"_table": table, "_given": None})

    @classmethod
    def from_records(cls, source: RawRecords, **fields: Any) -> "DvExtHeader":
        """A header over the bytes the reader read, decoded into `table` on first use."""
        return construct(cls, fields, {"_source": source})

    @property
    def table(self) -> "SectionTable | SmallTable | None":
        """The records as columns (``None`` when built from a ``sections`` list).

        Decoded from the bytes on first access (a thread that races another decodes the same
        records, so either result is the table); the bytes are dropped once decoded. A small
        header read while numpy is not loaded is decoded in pure Python (`SmallTable`, see
        `clxm_meta.readers.dv.small_table`), any other with numpy (`SectionTable`).
        """
        private = self.__pydantic_private__
        assert private is not None  # the class has private attributes
        table: SectionTable | SmallTable | None = private["_table"]
        if table is None:
            source: RawRecords | None = private["_source"]
            if source is not None:
                from clxm_meta.readers.dv import small_table

                if small_table.use_small(source):
                    table = small_table.decode_small(source)
                else:
                    from clxm_meta.readers.dv.extended_header import decode_records

                    table = decode_records(source)
                private["_table"] = table
                private["_source"] = None
        return table

    def __getstate__(self) -> dict[Any, Any]:
        self.table  # noqa: B018 - decoded: pickle the columns, not the bytes and the columns
        return super().__getstate__()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DvExtHeader):
            return NotImplemented
        mine = (self.n_ints, self.n_floats, self.record_bytes, self.declared_bytes)
        theirs = (other.n_ints, other.n_floats, other.record_bytes, other.declared_bytes)
        return mine == theirs and self.sections == other.sections

    __hash__ = None  # type: ignore[assignment]  # a list of sections: never hashable

    @computed_field  # type: ignore[prop-decorator]
    @cached_property
    def sections(self) -> list[DvSection]:
        """One `DvSection` per record, in file plane order (built on first access)."""
        if self._given is not None:
            return self._given
        table = self.table
        return table.sections() if table is not None else []


class DvChannel(_Part):
    """One wavelength channel, summarised from the header and the first section of the wave."""

    index: int
    wavelength_nm: int | None
    """Header wave list (Bio-Formats' emission)."""
    excitation_nm: float | None = None
    emission_nm: float | None = None
    exposure_s: float | None = None
    nd_filter: float | None = None
    first_section: int | None = None
    """Extended-header section the per-channel values come from."""

    @classmethod
    def header_only(cls, index: int, wavelength_nm: int | None) -> "DvChannel":
        """The channel of a wave without extended-header records: its header wavelength only."""
        return construct(
            cls,
            {
                "index": index,
                "wavelength_nm": wavelength_nm,
                "excitation_nm": None,
                "emission_nm": None,
                "exposure_s": None,
                "nd_filter": None,
                "first_section": None,
            },
        )


class DvLens(_Part):
    """The objective of the header's lens ID, from `clxm_meta.readers.dv.lenses`."""

    lens_id: int
    name: str
    manufacturer: str | None = None
    magnification: float | None = None
    na: float | None = None
    immersion: str | None = None
    working_distance_mm: float | None = None
    model: str | None = None
    correction: str | None = None


class DvSimLayout(_Part):
    """How the header Z of a raw SIM stack splits into focal planes, angles and phases."""

    nz_header: int
    angles: int | None
    phases: int | None
    nz: int | None
    """Focal planes = nz_header / (angles × phases)."""
    counts_source: Literal["assumption", "file"]
    counts_note: str
    acquired_order: str | None
    """Loop order of the acquisition, outermost first (Cockpit title), if known."""
    acquired_order_source: Literal["title", "assumption"] | None
    data_order: str
    """Order of the planes in the file's Z, slowest first."""
    data_order_note: str


DEFERRED_FIELDS = frozenset({"intensity", "cockpit", "findings", "channels"})
"""`DvFile` fields the reader may leave to be worked out on first use (`DvFile.deferred`)."""


class DvFile(DeferredModel):
    """A DeltaVision / Priism file: header, titles, extended header, role and derived layout."""

    format: str = "dv"
    header: DvHeader
    new_type: DvNewType | None = None
    titles: list[str] = Field(default_factory=list)
    cockpit: CockpitTitles | None = None
    processing_history: list[str] = Field(default_factory=list)
    """softWoRx operations named by the titles (``IMGCORR``, ``DECON3D`` ...)."""
    n_waves: int
    n_times: int
    nz: int | None
    """Header Z = n_sections / (nw × nt), ``None`` when that does not divide."""
    wavelengths_nm: list[int | None]
    """One per wave (header list, then NEW_TYPE list); ``None`` for a zero slot."""
    intensity: list[DvWaveStats] = Field(default_factory=list)
    ext_header: DvExtHeader | None = None
    channels: list[DvChannel] = Field(default_factory=list)
    lens: DvLens | None = None
    role: Role = "unknown"
    role_evidence: list[str] = Field(default_factory=list)
    sim: DvSimLayout | None = None
    data_offset: int | None = None
    data_bytes_declared: int | None = None
    # Values worked out on first use (kept out of the docstring, which is the JSON schema's
    # description): for a file with an extended header the reader leaves ``intensity``,
    # ``channels``, ``findings`` and, with Cockpit titles, ``cockpit`` to `DeferredModel`, which
    # settles them before any access, dump, comparison, copy or pickling
    # (tests/readers/dv/test_dv_lazy_file.py): the extended header is decoded when a value from
    # it is first needed, as ``mrc.DVFile`` does.
    DEFERRED: ClassVar[frozenset[str]] = DEFERRED_FIELDS
