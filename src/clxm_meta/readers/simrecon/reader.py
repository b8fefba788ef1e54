"""SIM reconstruction logs and configs: CPU sirecon, cudasirecon, PySIMRecon, softWoRx (partial).

What is recognised (shared/docs/reference/formats-logs-deposition.md §B1-B4):

* ``sirecon_log`` / ``cudasirecon_log``: the stdout of the reconstruction (any file name), parsed by
  `clxm_meta.readers.simrecon.stdout`; early-exit runs are kept as far as they go.
* ``pysimrecon_log``: a PySIMRecon ``<stem>_recon.log``: ``Reconstruction log for:`` / path /
  ``Output:`` / paths, then per channel ``Channel <wavelength>``, ``Config used:``, the config
  text, 80 dashes, ``The text below is the output from cudasirecon`` and the stdout.
* ``config``: a cudasirecon ``key=value`` file or a PySIMRecon channel ``.cfg``;
  ``pysimrecon_config``: a PySIMRecon root ``config.ini`` (``[configs]``, ``[otfs]``).
* ``softworx_log``: an OMX/softWoRx ``.log`` with a ``type: SI`` line. The format is not publicly
  documented: ``key: value`` lines are kept as entries, nothing is taken into Table 1.

File-name conventions are recorded in ``name_hints`` (``_SIR``, ``_PROC``, ``_ALX``, PySIMRecon
``_recon[_<nm>]``); a wavelength in the name is used only when the content names none.
Quality flags: `clxm_meta.readers.simrecon.quality`.
"""

from __future__ import annotations

import os
import re

from clxm_meta.errors import MalformedFileError
from clxm_meta.readers._text import MAX_BYTES, MAX_LINE, TextFile, parse_float, read_text
from clxm_meta.readers.base import FindingCollector
from clxm_meta.readers.simrecon.configs import (
    OTF_KEYS,
    config_params,
    k0angles,
    parse_config,
)
from clxm_meta.readers.simrecon.model import (
    ConfigEntry,
    LineText,
    OtfRef,
    ReconRun,
    SimreconModel,
)
from clxm_meta.readers.simrecon.quality import check_runs
from clxm_meta.readers.simrecon.sniff import (
    PYSIMRECON_HEAD,
    PYSIMRECON_SEP,
    RE_SOFTWORX,
    looks_like_config,
    looks_like_ini,
    looks_like_stdout,
)
from clxm_meta.readers.simrecon.stdout import StdoutParser

__all__ = ["read"]

READER = "simrecon"
RE_CHANNEL = re.compile(r"^Channel\s+(.{1,300})$")
RE_EMISSION = re.compile(r"emission(?:_nm)?\s*=\s*([0-9.]+)", re.IGNORECASE)
RE_FIRST_NUM = re.compile(r"^\(?\s*([0-9]+(?:\.[0-9]+)?)")
RE_NAME_NM = re.compile(
    r"(?:_recon_(\d{3,4})(?=[_.]|$)|(?<![0-9])(\d{3})nm(?![a-z]))", re.IGNORECASE
)
NAME_HINTS = (
    (re.compile(r"_SIR(?=[_.]|$)"), "_SIR: softWoRx SI-reconstruction output naming"),
    (re.compile(r"_PROC(?=[_.]|$)"), "_PROC: softWoRx processed-output naming"),
    (re.compile(r"_ALX(?=[_.]|$)"), "_ALX: softWoRx aligned-output naming"),
    (re.compile(r"_recon(?=[_.]|$)"), "_recon: PySIMRecon output/log naming (<stem>_recon[_<nm>])"),
)
MAX_ENTRIES = 2000
MAX_RUNS = 1000
"""Reconstruction runs kept from one log. Each run carries its channel's config and parameters, so
the model grows as runs x entries: a log with thousands of repeated run headers (a damaged or
concatenated file) would otherwise need a hundred times its size in memory and JSON."""
DASHES = "-" * 80


def _channel_from_text(text: str) -> tuple[str, float | None]:
    """Channel label and emission wavelength (nm) of a PySIMRecon ``Channel`` line."""
    emission = RE_EMISSION.search(text)
    if emission:
        value = parse_float(emission.group(1))
        label = f"{value:g}" if value is not None else text
        return label, value
    first = RE_FIRST_NUM.match(text)
    if first:
        value = parse_float(first.group(1))
        return first.group(1), value
    return text.strip(), None


def _wavelength_from_name(name: str) -> float | None:
    match = RE_NAME_NM.search(name)
    if not match:
        return None
    value = parse_float(match.group(1) or match.group(2))
    return value if value is not None and 200 <= value <= 2000 else None


def _otfs_from_entries(entries: list[ConfigEntry], channel: str | None = None) -> list[OtfRef]:
    out = []
    for entry in entries:
        section = (entry.section or "").lower()
        if entry.key.lower() in OTF_KEYS and entry.value:
            out.append(OtfRef(path=entry.value, line=entry.line, channel=channel, key=entry.key))
        elif section == "otfs" and entry.value:
            out.append(OtfRef(path=entry.value, line=entry.line, channel=entry.key, key=entry.key))
    return out


class _Builder:
    """Collects the parts of one model while the file is read."""

    def __init__(self, path: str, tf: TextFile, findings: FindingCollector) -> None:
        self.path = path
        self.tf = tf
        self.findings = findings
        self.name = os.path.basename(path)
        self.unknown: list[LineText] = []
        self.dropped = 0

    def _take_parser(self, parser: StdoutParser) -> None:
        room = max(0, 200 - len(self.unknown))
        self.unknown.extend(parser.unknown[:room])
        self.dropped += parser.unknown_dropped + max(0, len(parser.unknown) - room)

    def stdout(self) -> SimreconModel:
        parser = StdoutParser(self.findings)
        parser.feed(self.tf.lines)
        runs = parser.finish()
        self._take_parser(parser)
        dialect = parser.dialect
        if dialect is None:
            self.findings.warning(
                "dialect_unknown",
                "sirecon-like output without the unit text of either known dialect "
                "(CPU sirecon '1/micron'/'percent off', cudasirecon 'pixels'/'% from')",
            )
        kind = "cudasirecon_log" if dialect == "cudasirecon" else "sirecon_log"
        name_nm = _wavelength_from_name(self.name)
        for run in runs:
            if name_nm is not None:
                run.wavelength_nm, run.wavelength_source = name_nm, f"file name {self.name}"
                run.channel = f"{name_nm:g}"
            elif run.wave_index is not None:
                run.channel = f"wave {run.wave_index}"
                run.wavelength_source = None
        return self._model(
            kind,
            runs=runs,
            dialect=dialect,
            software=dialect,
            software_line=parser.first_marker_line if dialect else None,
        )

    def pysimrecon(self) -> SimreconModel:
        lines = self.tf.lines
        reconstructed: str | None = None
        outputs: list[str] = []
        starts: list[int] = []
        state = "start"
        head_line: int | None = None
        for i, (number, raw) in enumerate(lines):
            text = raw.strip()
            nxt = next((t.strip() for _, t in lines[i + 1 : i + 4] if t.strip()), "")
            if RE_CHANNEL.match(text) and nxt == "Config used:":
                starts.append(i)
                state = "channels"
                continue
            if state == "channels":
                continue
            if text == PYSIMRECON_HEAD:
                head_line, state = number, "input"
            elif text == "Output:":
                state = "output"
            elif text and state == "input" and reconstructed is None:
                reconstructed = text
            elif text and state == "output":
                outputs.append(text)
        runs: list[ReconRun] = []
        otfs: list[OtfRef] = []
        dialects: list[str] = []
        sep_line: int | None = None
        if not starts:
            self.findings.warning(
                "no_channel_blocks",
                "PySIMRecon log without any 'Channel ... / Config used:' block",
            )
        for k, start in enumerate(starts):
            end = starts[k + 1] if k + 1 < len(starts) else len(lines)
            block = lines[start:end]
            ch_number, ch_text = block[0]
            label, nm = _channel_from_text(RE_CHANNEL.match(ch_text.strip()).group(1))  # type: ignore[union-attr]
            cfg_lines: list[tuple[int, str]] = []
            out_lines: list[tuple[int, str]] = []
            where = "config"
            for number, raw in block[1:]:
                text = raw.strip()
                if where == "config":
                    if text == "Config used:":
                        continue
                    if text == DASHES:
                        where = "sep"
                        continue
                    cfg_lines.append((number, raw))
                elif where == "sep" and text.startswith(PYSIMRECON_SEP):
                    sep_line = sep_line or number
                    where = "stdout"
                else:
                    out_lines.append((number, raw))
            if where == "config":
                self.findings.warning(
                    "channel_block_truncated",
                    f"channel {label}: the config is not followed by the 80-dash separator",
                    locator=f"line {ch_number}",
                )
            entries, _bad = parse_config(cfg_lines)
            params = config_params(entries)
            otfs.extend(_otfs_from_entries(entries, label))
            parser = StdoutParser(self.findings, first_index=len(runs))
            parser.feed(out_lines)
            block_runs = parser.finish()
            self._take_parser(parser)
            if parser.dialect:
                dialects.append(parser.dialect)
            if not block_runs:
                self.findings.warning(
                    "channel_without_output",
                    f"channel {label}: no reconstruction output after the config",
                    locator=f"line {ch_number}",
                )
                block_runs = [
                    ReconRun(index=len(runs), start_line=ch_number, end_line=block[-1][0])
                ]
            kept_entries = entries[:MAX_ENTRIES]  # one list shared by the block's runs
            for run in block_runs:
                run.channel = label
                run.wavelength_nm = nm
                run.wavelength_source = f"log line {ch_number}" if nm is not None else None
                run.config = kept_entries
                for key, param in params.items():
                    run.parameters.setdefault(key, param)
            runs.extend(block_runs)
        if "sirecon" in dialects:
            self.findings.info(
                "unexpected_dialect",
                "PySIMRecon log holds CPU-sirecon style output; parsed anyway",
            )
        return self._model(
            "pysimrecon_log",
            runs=runs,
            dialect="cudasirecon" if dialects else None,
            software="PySIMRecon",
            software_line=head_line or sep_line,
            reconstructed_file=reconstructed,
            outputs=outputs[:MAX_ENTRIES],
            otf_files=otfs,
        )

    def config(self, kind: str) -> SimreconModel:
        entries, bad = parse_config(self.tf.lines)
        for number in bad[:20]:
            text = dict(self.tf.lines).get(number, "")
            self.unknown.append(LineText(line=number, text=text[:MAX_LINE]))
        self.dropped += max(0, len(bad) - 20)
        if len(entries) > MAX_ENTRIES:
            self.findings.warning(
                "too_many_entries", f"only the first {MAX_ENTRIES} config entries are kept"
            )
        angles = k0angles(e for e in entries if (e.section or "").lower() != "otf config")
        return self._model(
            kind,
            k0angles_rad=angles[0] if angles else None,
            k0angles_line=angles[1] if angles else None,
            config=entries[:MAX_ENTRIES],
            parameters=config_params(entries),
            otf_files=_otfs_from_entries(entries),
        )

    def softworx(self) -> SimreconModel:
        entries: list[ConfigEntry] = []
        for number, raw in self.tf.lines:
            key, sep, value = raw.partition(":")
            if sep and key.strip() and len(key) <= 100 and len(entries) < MAX_ENTRIES:
                entries.append(ConfigEntry(key=key.strip(), value=value.strip(), line=number))
        self.findings.info(
            "softworx_undocumented",
            "softWoRx (OMX) log: the format is not publicly documented; 'key: value' lines are "
            "kept as entries and no Table 1 value is taken from them",
        )
        return self._model("softworx_log", config=entries, software="softWoRx")

    def _model(self, kind: str, **kw: object) -> SimreconModel:
        hints = [label for pattern, label in NAME_HINTS if pattern.search(self.name)]
        runs = kw.get("runs")
        if isinstance(runs, list):
            if len(runs) > MAX_RUNS:
                self.findings.warning(
                    "runs_capped",
                    f"{len(runs)} reconstruction runs in one log; only the first {MAX_RUNS} are "
                    "kept (a real log holds one per channel and time point)",
                    locator=f"line {runs[MAX_RUNS].start_line}",
                )
                runs = kw["runs"] = runs[:MAX_RUNS]
            check_runs(runs, self.findings)
        return SimreconModel.model_validate(
            {
                "path": self.path,
                "file_size": self.tf.size,
                "kind": kind,
                "name_hints": hints,
                "unknown_lines": self.unknown,
                "unknown_lines_dropped": self.dropped,
                "n_lines": len(self.tf.lines),
                "truncated": self.tf.truncated,
                **kw,
                "findings": self.findings.items,
            }
        )


def _text_findings(tf: TextFile, findings: FindingCollector) -> None:
    if tf.truncated:
        findings.warning(
            "truncated_read", f"file larger than {MAX_BYTES} bytes: only the start was read"
        )
    if tf.replaced:
        findings.warning("not_utf8", "bytes that are not UTF-8 were replaced by U+FFFD")
    if tf.long_lines:
        findings.warning(
            "long_lines",
            f"{len(tf.long_lines)} line(s) longer than {MAX_LINE} characters were cut",
            locator=f"line {tf.long_lines[0]}",
        )


def read(path: str | os.PathLike[str], *, strict: bool = False) -> SimreconModel:
    """Read a SIM reconstruction log or config.

    Parameters
    ----------
    path
        The file (opened read-only; at most `MAX_BYTES` are read).
    strict
        Raise `MalformedFileError` on error-level findings.

    Raises
    ------
    MalformedFileError
        Nothing in the file looks like a SIM reconstruction log or config.
    UnreadableFileError
        The file cannot be read.
    """
    spath = os.fspath(path)
    findings = FindingCollector(spath, READER, strict=strict)
    tf = read_text(spath)
    _text_findings(tf, findings)
    builder = _Builder(spath, tf, findings)
    text = "\n".join(line for _, line in tf.lines)
    if PYSIMRECON_HEAD in text or PYSIMRECON_SEP in text:
        return builder.pysimrecon()
    if looks_like_stdout(text):
        return builder.stdout()
    if looks_like_ini(text):
        sections = {e.section.lower() for e in parse_config(tf.lines)[0] if e.section}
        kind = "pysimrecon_config" if sections & {"configs", "otfs"} else "config"
        return builder.config(kind)
    if RE_SOFTWORX.search(text):
        return builder.softworx()
    if looks_like_config(text):
        return builder.config("config")
    raise MalformedFileError(
        "no SIM reconstruction log or config content recognised (sirecon/cudasirecon output, "
        "PySIMRecon log or config, cudasirecon key=value config)",
        path=spath,
    )
