"""Format model of SIM reconstruction logs and configs (``format="simrecon"``).

Units are in the attribute names: ``_rad`` radians, ``_per_um`` 1/µm, ``_um`` µm, ``_nm`` nm,
``_percent`` percent. Every value used by Table 1 carries the 1-based line number it came from.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from clxm_meta.readers.base import FormatModel

__all__ = [
    "ConfigEntry",
    "DirectionFit",
    "LineText",
    "ModampFit",
    "OtfRef",
    "Param",
    "ReconRun",
    "SimreconKind",
    "SimreconModel",
]

SimreconKind = Literal[
    "sirecon_log",
    "cudasirecon_log",
    "pysimrecon_log",
    "config",
    "pysimrecon_config",
    "softworx_log",
]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LineText(_Part):
    """One line of the file kept as text (unknown lines, WARNING lines)."""

    line: int
    text: str


class ConfigEntry(_Part):
    """One ``key=value`` entry of a config file or of a config embedded in a log.

    ``section`` is the INI section (``None`` for flat cudasirecon configs).
    """

    key: str
    value: str
    line: int
    section: str | None = None


class OtfRef(_Part):
    """An OTF file named by a config or log (path as written; the file is never opened)."""

    path: str
    line: int
    channel: str | None = None
    key: str | None = None


class Param(_Part):
    """A global reconstruction parameter printed in the log or set in a config."""

    value: float
    text: str
    unit: str | None = None
    line: int
    origin: Literal["log", "config"] = "log"


class ModampFit(_Part):
    """Modulation amplitude fitted for one order of one direction.

    ``amp``/``phase`` are the forward values of the ``In getmodamp`` line, ``reverse_amp`` and
    ``combined_amp`` those of the ``Reverse``/``Combined modamp`` lines (phases in rad).
    ``order`` is 2 for the fitted order of a 5-phase (3D) run and 1 for the other order, as stated
    in the log or inferred from the order of the lines (``order_source``).
    """

    order: int | None = None
    order_source: Literal["log", "line order"] | None = None
    angle_rad: float | None = None
    mag_per_um: float | None = None
    amp: float | None = None
    phase_rad: float | None = None
    reverse_amp: float | None = None
    combined_amp: float | None = None
    correlation: float | None = None
    line: int
    combined_line: int | None = None
    correlation_line: int | None = None


class DirectionFit(_Part):
    """The k0 search and fit of one illumination direction.

    ``k0guess_*`` / ``k0init_*`` / ``k0final_*`` are the (x, y) vectors as printed, in
    ``k0_vector_unit`` (``"1/um"`` for CPU sirecon, ``"px"`` for cudasirecon).
    """

    direction: int
    k0_vector_unit: str | None = None
    k0guess_x: float | None = None
    k0guess_y: float | None = None
    k0guess_line: int | None = None
    known_k0: bool = False
    k0init_x: float | None = None
    k0init_y: float | None = None
    k0init_line: int | None = None
    search_steps: int = 0
    k0_angle_rad: float | None = None
    k0_length_per_um: float | None = None
    line_spacing_um: float | None = None
    k0_line: int | None = None
    best_fit_percent: float | None = None
    best_fit_line: int | None = None
    best_fit_warning: bool = False
    k0final_x: float | None = None
    k0final_y: float | None = None
    k0final_line: int | None = None
    fits: list[ModampFit] = []


class ReconRun(_Part):
    """One channel (wave) of one time point as the reconstruction printed it.

    Channel identity is kept with its source: ``wavelength_source`` says whether the wavelength
    came from the log (PySIMRecon ``Channel`` line), the embedded config or the file name.
    """

    index: int
    channel: str | None = None
    wavelength_nm: float | None = None
    wavelength_source: str | None = None
    wave_index: int | None = None
    timepoint: int | None = None
    start_line: int
    end_line: int
    config: list[ConfigEntry] = []
    parameters: dict[str, Param] = {}
    directions: list[DirectionFit] = []
    completed: bool = False
    done_line: int | None = None
    early_exit: bool = False
    early_exit_line: int | None = None
    warnings: list[LineText] = []


class SimreconModel(FormatModel):
    """Everything a SIM reconstruction log or config says.

    Attributes
    ----------
    kind
        ``sirecon_log`` (CPU sirecon stdout), ``cudasirecon_log`` (GPU stdout), ``pysimrecon_log``
        (PySIMRecon per-file ``*_recon.log``), ``config`` (cudasirecon ``key=value`` file, or a
        PySIMRecon channel ``.cfg``), ``pysimrecon_config`` (PySIMRecon root ``config.ini``) or
        ``softworx_log`` (OMX acquisition/reconstruction log; format not public, entries kept only).
    dialect
        ``"sirecon"`` or ``"cudasirecon"`` for the stdout inside a log, ``None`` if undetermined.
    software, software_line
        The program that wrote the log, and the line that shows it.
    version
        Program version when the file states it (none of the known dialects does).
    reconstructed_file, outputs
        PySIMRecon header: the input file and the output paths.
    runs
        One entry per channel (and time point) of reconstruction output.
    config
        Entries of a config file (config kinds) -- embedded configs are kept per run.
    parameters
        Global parameters of a config file (``ndirs``, ``na``, ``nimm``, ``wiener`` ...).
    k0angles_rad, k0angles_line
        The ``k0angles`` of a config file (expected illumination angles, rad) and its line.
    otf_files
        OTF paths named by the file (never opened), with their line.
    name_hints
        Naming conventions recognised in the file name (``_SIR``, ``_PROC``, ``_recon_<nm>``).
    unknown_lines, unknown_lines_dropped
        Lines no rule recognised (the first 200) and how many more there were.
    n_lines, truncated
        Lines read, and whether the byte cap cut the file.
    """

    format: Literal["simrecon"] = "simrecon"
    kind: SimreconKind
    dialect: Literal["sirecon", "cudasirecon"] | None = None
    software: str | None = None
    software_line: int | None = None
    version: str | None = None
    reconstructed_file: str | None = None
    outputs: list[str] = Field(default_factory=list)
    runs: list[ReconRun] = Field(default_factory=list)
    config: list[ConfigEntry] = Field(default_factory=list)
    parameters: dict[str, Param] = Field(default_factory=dict)
    k0angles_rad: list[float] | None = None
    k0angles_line: int | None = None
    otf_files: list[OtfRef] = Field(default_factory=list)
    name_hints: list[str] = Field(default_factory=list)
    unknown_lines: list[LineText] = Field(default_factory=list)
    unknown_lines_dropped: int = 0
    n_lines: int = 0
    truncated: bool = False
