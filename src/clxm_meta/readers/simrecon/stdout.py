"""Parse the stdout of CPU ``sirecon`` and GPU ``cudasirecon`` into `ReconRun` objects.

The two dialects print the same stages with different unit text (see
shared/docs/reference/formats-logs-deposition.md §B1):

==========================  ======================================  ==================================
stage                       CPU sirecon                             cudasirecon
==========================  ======================================  ==================================
expected k0                 ``k0guess[direction 0] = (x, y) 1/micron``  ``... = (x, y) pixels``
optimised k0                ``..., length=L (1/microns), spacing=S microns``  ``..., length=L, spacing=S um``
check                       ``best fit for k0 is P percent off expected value.``  ``... is P% from expected value.``
==========================  ======================================  ==================================

A run ends with ``Time point t, wave w done``; a new ``k0guess[direction 0]`` (or ``known k0``)
after it starts the next run. The parser never raises: unexpected lines are kept as unknown lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Literal

from clxm_meta.readers._text import parse_float
from clxm_meta.readers.base import FindingCollector
from clxm_meta.readers.simrecon.model import DirectionFit, LineText, ModampFit, Param, ReconRun

__all__ = ["CPU_MARKERS", "GPU_MARKERS", "StdoutParser"]

_NUM = r"([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[-+]?nan|[-+]?inf)"

RE_K0GUESS = re.compile(
    rf"^k0guess\[direction (\d+)\] = \(\s*{_NUM}\s*,\s*{_NUM}\s*\)\s*(.*)$", re.IGNORECASE
)
RE_KNOWN_K0 = re.compile(
    rf"^known k0 for direction (\d+) = \(\s*{_NUM}\s*,\s*{_NUM}\s*\)\s*(.*)$", re.IGNORECASE
)
RE_INIT = re.compile(
    rf"^Initial guess by findk0\(\) of k0\[direction (\d+)\] = \(\s*{_NUM}\s*,\s*{_NUM}\s*\)\s*(.*)$"
)
RE_GETMODAMP = re.compile(
    rf"^In getmodamp: angle={_NUM}, mag={_NUM}, amp={_NUM}, phase={_NUM}", re.IGNORECASE
)
RE_OPT_MODAMP = re.compile(r"^Optimum modulation amplitude(?: for order (\d+)[^:]*)?:?$")
RE_REVERSE = re.compile(rf"^Reverse modamp is: amp={_NUM}, phase={_NUM}")
RE_COMBINED = re.compile(rf"^Combined modamp is: amp={_NUM}, phase={_NUM}")
RE_CORR = re.compile(rf"^Correlation coefficient is: {_NUM}")
RE_K0 = re.compile(
    rf"^Optimum k0 angle={_NUM}, length={_NUM}\s*(?:(\(1/microns?\))\s*)?,\s*spacing={_NUM}\s*(\S+)?"
)
RE_BEST = re.compile(
    rf"^(WARNING:\s*)?best fit for k0 is {_NUM}\s*(percent|%)\s*(off|from) expected value"
)
RE_K0FINAL = re.compile(rf"^k0\[(\d+)\]\.x={_NUM}, k0\[\d+\]\.y={_NUM}")
RE_DONE = re.compile(r"^Time point (\d+), wave (\d+) done")
RE_QUIT = re.compile(r"^Quit processing\b")
RE_KNOWN_MODAMP = re.compile(rf"^(reverse |combined )?modamp mag={_NUM}, phase={_NUM}")
RE_KNOWN_CORR = re.compile(rf"^correlation coeff={_NUM}")
# \b before the key: a search must not restart inside a run of word characters (quadratic on a
# 4096-digit line). The numeric row is possessive: "1.1.1..." splits into numbers in many ways,
# and backtracking over them is exponential in the line length.
RE_KV = re.compile(rf"\b(\w+)\s*(?:=|:)\s*{_NUM}(?:\s*(1/microns?|um|microns?|pixels))?")
RE_NUMERIC_ROW = re.compile(rf"^(?>{_NUM}\s*)++$")
RE_SETUP_KEYS = re.compile(
    r"^(nphases|nx|nx_raw|nzotf|dxy|zoomz|wiener|gamma|rdistcutoff|norders|nphases)\b",
    re.IGNORECASE,
)

NOISE_PREFIXES = (
    "Number of threads used",
    "Creating FFT plans",
    "Separation matrix",
    "Separation noise factors",
    "before fitk0andmodamp",
    "Drift for direction",
    "In fixdrift",
    "for direction",
    "before filterbands",
    "before assemblerealspacebands",
    "moving centerband",
    "re-transforming centerband",
    "inserting centerband",
    "centerband assembly completed",
    "moving order",
    "order ",
    "before write",
)
"""Lines known to carry nothing for Table 1 (progress messages)."""

CPU_MARKERS = ("percent off expected", "1/micron", " microns", "otherorder")
GPU_MARKERS = ("% from expected", ") pixels", " um", "nx_raw=", "dxy=")

UNIT_NAMES = {"1/micron": "1/um", "1/microns": "1/um", "pixels": "px", "um": "um"}
MAX_UNKNOWN = 200


class StdoutParser:
    """Feed numbered lines with `feed`; read `runs`, `unknown`, `dialect` afterwards.

    Parameters
    ----------
    findings
        Where problems go.
    first_index
        Index given to the first run (runs of several PySIMRecon channel blocks are numbered on).
    """

    def __init__(self, findings: FindingCollector, first_index: int = 0) -> None:
        self.findings = findings
        self.runs: list[ReconRun] = []
        self.unknown: list[LineText] = []
        self.unknown_dropped = 0
        self.cpu_marks = 0
        self.gpu_marks = 0
        self.first_marker_line: int | None = None
        self._next_index = first_index
        self._run: ReconRun | None = None
        self._dir: DirectionFit | None = None
        self._fit: ModampFit | None = None
        self._expect_fit = False
        self._explicit_order: int | None = None
        self._params: dict[str, Param] = {}
        self._last_line = 0

    # -- public -----------------------------------------------------------------------------

    def feed(self, lines: Iterable[tuple[int, str]]) -> None:
        """Parse lines (``(number, text)``)."""
        for number, raw in lines:
            self._last_line = number
            text = raw.strip()
            if not text:
                continue
            self._mark_dialect(text, number)
            if self._dispatch(text, number):
                continue
            if text.upper().startswith("WARNING"):
                self._warning(text, number)
            elif RE_SETUP_KEYS.match(text) or (self._dir is None and RE_KV.match(text)):
                self._setup(text, number)
            elif RE_NUMERIC_ROW.match(text) or text.startswith(NOISE_PREFIXES):
                continue
            else:
                self._unknown(text, number)

    def finish(self) -> list[ReconRun]:
        """Close the open run and return all runs."""
        self._close_run()
        return self.runs

    @property
    def dialect(self) -> str | None:
        """``"sirecon"``, ``"cudasirecon"`` or ``None`` from the unit text seen."""
        if self.cpu_marks > self.gpu_marks:
            return "sirecon"
        if self.gpu_marks > self.cpu_marks:
            return "cudasirecon"
        return None

    # -- helpers ----------------------------------------------------------------------------

    def _dispatch(self, text: str, number: int) -> bool:
        for pattern, handler in _HANDLERS:
            match = pattern.match(text)
            if match:
                handler(self, match, number)
                return True
        return False

    def _mark_dialect(self, text: str, number: int) -> None:
        padded = f" {text}"
        has = padded.__contains__  # any(map(...)): no generator frame per marker and line
        cpu = any(map(has, CPU_MARKERS))
        gpu = any(map(has, GPU_MARKERS))
        if (cpu or gpu) and self.first_marker_line is None:
            self.first_marker_line = number
        self.cpu_marks += cpu
        self.gpu_marks += gpu

    def _unknown(self, text: str, number: int) -> None:
        if len(self.unknown) < MAX_UNKNOWN:
            self.unknown.append(LineText(line=number, text=text))
        else:
            self.unknown_dropped += 1

    def _ensure_run(self, number: int) -> ReconRun:
        if self._run is None:
            self._run = ReconRun(
                index=self._next_index,
                start_line=number,
                end_line=number,
                parameters=dict(self._params),
            )
            self._next_index += 1
        self._run.end_line = number
        return self._run

    def _close_run(self) -> None:
        self._close_fit()
        if self._run is not None:
            self._run.end_line = max(self._run.end_line, self._last_line)
            self.runs.append(self._run)
        self._run = None
        self._dir = None

    def _close_fit(self) -> None:
        if self._fit is not None and self._dir is not None:
            self._dir.fits.append(self._fit)
        self._fit = None

    def _fit_order(self) -> int | None:
        nph = self._params.get("nphases")
        return int(nph.value) // 2 if nph is not None and nph.value >= 2 else None

    def _new_direction(self, index: int, number: int, *, started_by_known: bool) -> DirectionFit:
        run = self._run
        if run is not None and run.completed:
            self._close_run()
            run = None
        if run is not None and any(d.direction == index for d in run.directions):
            self._close_run()
        run = self._ensure_run(number)
        self._close_fit()
        self._dir = DirectionFit(direction=index, known_k0=started_by_known)
        run.directions.append(self._dir)
        self._expect_fit = False
        self._explicit_order = None
        return self._dir

    # -- handlers ---------------------------------------------------------------------------

    def _setup(self, text: str, number: int) -> None:
        for match in RE_KV.finditer(text):
            key, num, unit = match.group(1), match.group(2), match.group(3)
            value = parse_float(num)
            if value is None:
                continue
            param = Param(value=value, text=num, unit=UNIT_NAMES.get(unit or "", unit), line=number)
            self._params[key] = param
            if self._run is not None and not self._run.directions:
                self._run.parameters[key] = param

    def _k0guess(self, m: re.Match[str], number: int) -> None:
        d = self._new_direction(int(m.group(1)), number, started_by_known=False)
        d.k0guess_x, d.k0guess_y = parse_float(m.group(2)), parse_float(m.group(3))
        d.k0guess_line = number
        unit = m.group(4).strip()
        d.k0_vector_unit = UNIT_NAMES.get(unit, unit or None)

    def _known_k0(self, m: re.Match[str], number: int) -> None:
        d = self._new_direction(int(m.group(1)), number, started_by_known=True)
        d.k0final_x, d.k0final_y = parse_float(m.group(2)), parse_float(m.group(3))
        d.k0final_line = number
        unit = m.group(4).strip()
        d.k0_vector_unit = UNIT_NAMES.get(unit, unit or None)
        self._expect_fit = True

    def _init(self, m: re.Match[str], number: int) -> None:
        d = self._dir
        if d is None or d.direction != int(m.group(1)):
            d = self._new_direction(int(m.group(1)), number, started_by_known=False)
        d.k0init_x, d.k0init_y = parse_float(m.group(2)), parse_float(m.group(3))
        d.k0init_line = number
        unit = m.group(4).strip()
        if d.k0_vector_unit is None and unit:
            d.k0_vector_unit = UNIT_NAMES.get(unit, unit)
        self._ensure_run(number)

    def _opt_modamp(self, m: re.Match[str], number: int) -> None:
        self._close_fit()
        self._expect_fit = True
        self._explicit_order = int(m.group(1)) if m.group(1) else None

    def _getmodamp(self, m: re.Match[str], number: int) -> None:
        d = self._dir
        if d is None:
            self._unknown(m.group(0), number)
            return
        self._ensure_run(number)
        if not (self._expect_fit or d.k0_line is not None):
            d.search_steps += 1
            return
        self._close_fit()
        order: int | None
        source: Literal["log", "line order"] | None
        if self._explicit_order is not None:
            order, source = self._explicit_order, "log"
        else:
            base = self._fit_order()
            order = None if base is None else base - len(d.fits)
            source = "line order" if order is not None else None
            if order is not None and order < 1:
                order, source = None, None
        self._fit = ModampFit(
            order=order,
            order_source=source,
            angle_rad=parse_float(m.group(1)),
            mag_per_um=parse_float(m.group(2)),
            amp=parse_float(m.group(3)),
            phase_rad=parse_float(m.group(4)),
            line=number,
        )
        self._expect_fit = False
        self._explicit_order = None

    def _reverse(self, m: re.Match[str], number: int) -> None:
        if self._fit is None:
            self._unknown(m.group(0), number)
            return
        self._fit.reverse_amp = parse_float(m.group(1))

    def _combined(self, m: re.Match[str], number: int) -> None:
        if self._fit is None:
            self._unknown(m.group(0), number)
            return
        self._fit.combined_amp = parse_float(m.group(1))
        self._fit.combined_line = number

    def _corr(self, m: re.Match[str], number: int) -> None:
        if self._fit is None:
            self._unknown(m.group(0), number)
            return
        self._fit.correlation = parse_float(m.group(1))
        self._fit.correlation_line = number
        self._close_fit()

    def _k0(self, m: re.Match[str], number: int) -> None:
        d = self._dir
        if d is None:
            self._unknown(m.group(0), number)
            return
        self._close_fit()
        d.k0_angle_rad = parse_float(m.group(1))
        d.k0_length_per_um = parse_float(m.group(2))
        d.line_spacing_um = parse_float(m.group(4))
        unit = (m.group(5) or "").rstrip(".,")
        if unit and unit not in ("um", "microns", "micron", "µm"):
            self.findings.warning(
                "unexpected_unit",
                f"line spacing printed in {unit!r}, not µm; value kept as printed",
                locator=f"line {number}",
            )
        d.k0_line = number
        self._ensure_run(number)

    def _best(self, m: re.Match[str], number: int) -> None:
        d = self._dir
        if d is None:
            self._unknown(m.group(0), number)
            return
        self._close_fit()
        d.best_fit_percent = parse_float(m.group(2))
        d.best_fit_line = number
        d.best_fit_warning = bool(m.group(1))
        if m.group(1):
            self._warning(m.group(0), number)
        self._ensure_run(number)

    def _k0final(self, m: re.Match[str], number: int) -> None:
        d = self._dir
        if d is None or d.direction != int(m.group(1)):
            self._unknown(m.group(0), number)
            return
        d.k0final_x, d.k0final_y = parse_float(m.group(2)), parse_float(m.group(3))
        d.k0final_line = number

    def _done(self, m: re.Match[str], number: int) -> None:
        run = self._ensure_run(number)
        self._close_fit()
        run.timepoint, run.wave_index = int(m.group(1)), int(m.group(2))
        run.completed, run.done_line = True, number
        self._close_run()

    def _quit(self, m: re.Match[str], number: int) -> None:
        run = self._ensure_run(number)
        run.early_exit, run.early_exit_line = True, number
        self.findings.warning(
            "early_exit",
            "the reconstruction stopped after parameter fitting (a save-separated/overlaps run): "
            "fit results are kept, no reconstructed image was written",
            locator=f"line {number}",
        )

    def _known_modamp(self, m: re.Match[str], number: int) -> None:
        d = self._dir
        if d is None:
            self._unknown(m.group(0), number)
            return
        which = (m.group(1) or "").strip()
        if not which:
            self._close_fit()
            base = self._fit_order()
            order = None if base is None else base - len(d.fits)
            self._fit = ModampFit(
                order=order if order is not None and order >= 1 else None,
                order_source="line order" if order is not None and order >= 1 else None,
                amp=parse_float(m.group(2)),
                phase_rad=parse_float(m.group(3)),
                line=number,
            )
        elif self._fit is not None:
            if which == "reverse":
                self._fit.reverse_amp = parse_float(m.group(2))
            else:
                self._fit.combined_amp = parse_float(m.group(2))
                self._fit.combined_line = number

    def _known_corr(self, m: re.Match[str], number: int) -> None:
        if self._fit is not None:
            self._fit.correlation = parse_float(m.group(1))
            self._fit.correlation_line = number
        self._close_fit()

    def _warning(self, text: str, number: int) -> None:
        run = self._ensure_run(number)
        run.warnings.append(LineText(line=number, text=text))
        self.findings.warning(
            "log_warning", f"the reconstruction printed: {text}", locator=f"line {number}"
        )


_HANDLERS: tuple[
    tuple[re.Pattern[str], Callable[[StdoutParser, re.Match[str], int], None]], ...
] = (
    (RE_GETMODAMP, StdoutParser._getmodamp),
    (RE_REVERSE, StdoutParser._reverse),
    (RE_COMBINED, StdoutParser._combined),
    (RE_CORR, StdoutParser._corr),
    (RE_K0GUESS, StdoutParser._k0guess),
    (RE_KNOWN_K0, StdoutParser._known_k0),
    (RE_INIT, StdoutParser._init),
    (RE_OPT_MODAMP, StdoutParser._opt_modamp),
    (RE_K0, StdoutParser._k0),
    (RE_BEST, StdoutParser._best),
    (RE_K0FINAL, StdoutParser._k0final),
    (RE_DONE, StdoutParser._done),
    (RE_QUIT, StdoutParser._quit),
    (RE_KNOWN_MODAMP, StdoutParser._known_modamp),
    (RE_KNOWN_CORR, StdoutParser._known_corr),
)
"""Line patterns and their handlers, in the order tried: plain functions, so that a parser holds no
bound methods of itself (a reference cycle, freed only by the cyclic collector, that kept each
parsed log's runs alive)."""
