"""Generate the docs pages that must never be hand-maintained: the Table 1 field reference and the CLI
reference.

Usage: python scripts/gen_docs.py [--check]

``docs/fields.md`` is built from the code, three ways:

* label, unit and origin come from the Table 1 catalogue (`clxm_meta.records.fields`);
* "filled by" is observed: the real normalisers run over a small corpus (the example deposition tree
  in ``examples/`` plus a few files written on the fly by ``tests/writers``: an OME-TIFF, an ImageJ
  TIFF, a SerialEM tilt series, a correlation matrix, IMOD logs) and every value's `Source` (reader,
  locator, transform) is recorded; "normaliser code" lists every reader whose normaliser names the row
  (an AST scan of ``clxm_meta/normalise/<reader>.py``), so rows no corpus file reaches are still
  attributed;
* the export columns are every ``*_MAPPING`` dict keyed by Table 1 ids found in the
  ``clxm_meta.export`` modules (``EMPIAR_MAPPING``, ``REMBI_MAPPING``, ``OME_MAPPING``, ...); a
  mapping that does not exist yet is simply absent.

``docs/cli.md`` is the ``--help`` of every command. ``tests/test_docs_generated.py`` fails when either
page is stale or a Table 1 id has no entry.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import io
import os
import pkgutil
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
FIELDS_PAGE = ROOT / "docs" / "fields.md"
CLI_PAGE = ROOT / "docs" / "cli.md"
NORMALISE = ROOT / "src" / "clxm_meta" / "normalise"
READER_MODULES = ("dv", "mrc", "txrm", "tiff", "imod", "simrecon", "chromatic", "correlation")
READER_PAGES = {r: f"{r}.md" for r in READER_MODULES}
_ID = re.compile(
    r"^(general|sample|related|correlation|setup|acquisition|raw|processing|processed|chromatic_shift)\.[a-z0-9_]+$"
)

__all__ = ["cli_page", "fields_page", "main"]


@dataclass
class Seen:
    """How one (kind, field id) was filled in the corpus."""

    sources: dict[tuple[str, str, str, str], str] = field(default_factory=dict)
    """(reader, source kind, locator, transform) -> corpus file name."""


# --- corpus ------------------------------------------------------------------------------------


def _extra_files(tmp: Path) -> list[list[Path]]:
    """Small files written by the test writers, grouped as the datasets they form."""
    from writers.imod import batchruntomo_log_text, mdoc_text
    from writers.mrc import serialem_label, serialem_tilt_axis_label, write_mrc
    from writers.simlog import matrix_text
    from writers.tiff import compose_ome, write_imagej, write_ome_tiff

    ome = compose_ome(
        size=(8, 6, 2, 2, 1),
        channels=[{"name": "GFP", "ex": 488.0, "em": 525.0, "nd": 0.5}, {"ex": 561.0, "em": 609.0}],
        exposures_ms=[50.0] * 4,
        instrument=True,
    )
    ome_tif = write_ome_tiff(tmp / "cell2.ome.tif", ome, shape=(2, 2, 6, 8))
    imagej = write_imagej(tmp / "cell3.tif", metadata={"unit": "micron", "spacing": 0.125})
    angles = [float(a) for a in range(-30, 31, 3)]
    stack = write_mrc(
        tmp / "ts2.st",
        shape=(len(angles), 8, 8),
        dtype="int16",
        labels=[serialem_label(), serialem_tilt_axis_label(85.3)],
        tilt_angles=angles,
    )
    mdoc = tmp / "ts2.st.mdoc"
    mdoc.write_text(mdoc_text(angles), encoding="utf-8")
    brt = tmp / "batchruntomo.log"
    brt.write_text(batchruntomo_log_text(), encoding="utf-8")
    matrix = tmp / "sim_to_sxt_transform.txt"
    matrix.write_text(
        matrix_text([[1, 0, 0, 1.5], [0, 1, 0, -2.0], [0, 0, 1, 0.25], [0, 0, 0, 1]]),
        encoding="utf-8",
    )
    return [[ome_tif, matrix], [imagej], [stack, mdoc, brt]]


def _observe() -> dict[tuple[str, str], Seen]:
    """Run the normalisers over the corpus; record every value's source."""
    import clxm_meta

    seen: dict[tuple[str, str], Seen] = {}

    def note(records: list[Any]) -> None:
        for rec in records:
            for spec in clxm_meta.records.fields_for(rec.kind):
                slot = rec.get(spec.id)
                if slot is None or slot.source.reader is None:
                    continue
                src = slot.source
                key = (
                    src.reader,
                    src.kind.value,
                    _generic(src.locator or ""),
                    _generic(src.transform or ""),
                )
                name = os.path.basename(src.path or "")
                seen.setdefault((rec.kind.value, spec.id), Seen()).sources.setdefault(key, name)

    result = clxm_meta.scan(ROOT / "examples" / "deposition")
    note(list(result.records))
    with tempfile.TemporaryDirectory() as tmp:
        for group in _extra_files(Path(tmp)):
            note(clxm_meta.records_from_files([str(p) for p in group]))
    return seen


def _generic(text: str) -> str:
    """Drop absolute paths from a locator or transform so the page does not depend on where it runs."""
    text = text.replace(str(ROOT) + os.sep, "")
    return re.sub(r"/tmp[^\s;,)]*/", "", text)


# --- static: which normaliser names which row ----------------------------------------------------


def _named_rows(module: str) -> set[tuple[str, str]]:
    """(kind, id) of every Table 1 id the normaliser names, for each kind the module produces.

    A module that produces both kinds (mrc, tiff, correlation) is credited with a row for both
    kinds where the row exists in both; the "filled in the example corpus" entries say which.
    A normaliser that is a package (``normalise/tiff/``) is read as the union of its modules.
    """
    package = NORMALISE / module
    files = sorted(package.glob("*.py")) if package.is_dir() else [NORMALISE / f"{module}.py"]
    kinds: set[str] = set()
    ids: set[str] = set()
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        kinds |= {
            node.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "DatasetKind"
        }
        ids |= {
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and _ID.match(node.value)
        }
    return {(k, i) for k in kinds for i in ids}


# --- export mappings ---------------------------------------------------------------------------


def _mappings() -> dict[str, dict[str, Any]]:
    """Every ``*_MAPPING`` dict of the ``clxm_meta.export`` modules, by name."""
    import clxm_meta.export as export

    found: dict[str, dict[str, Any]] = {}
    infos = pkgutil.walk_packages(export.__path__, prefix="clxm_meta.export.")
    for info in sorted(infos, key=lambda i: i.name):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (
                name.endswith("_MAPPING")
                and isinstance(value, dict)
                and name not in found
                and any(_is_field_key(k) for k in value)
            ):
                found[name] = value
    return dict(sorted(found.items()))


MAPPING_KINDS = {"EMPIAR_MAPPING": ("SXT",), "REMBI_MAPPING": ("SIM",), "OME_MAPPING": ("SIM",)}
"""Which dataset kind each archive mapping applies to (EMPIAR takes the SXT data, BioStudies and
OME the SIM data); a mapping not named here applies to both."""


MAPPING_LABELS = {
    "EMPIAR_MAPPING": "EMPIAR JSON",
    "REMBI_MAPPING": "BioStudies PageTab (REMBI module › section › attribute)",
    "OME_MAPPING": "OME-XML",
}


def mapping_column(name: str) -> str:
    """The row label of a mapping's column: what document it is, and the code name."""
    label = MAPPING_LABELS.get(name)
    return f"{label} (`{name}`)" if label else f"`{name}`"


def _sheet_rows() -> dict[str, str] | None:
    """Table 1 id prefix -> where the SIM spreadsheet puts the row (None: no spreadsheet writer)."""
    try:
        xlsx = importlib.import_module("clxm_meta.export.biostudies.sim_xlsx")
    except ImportError:
        return None
    sheet = getattr(xlsx, "SHEET_TITLE", "SIM Table 1")
    return {prefix: f"sheet {sheet}, section {title}" for prefix, title in xlsx.SECTIONS}


def _is_field_key(key: Any) -> bool:
    """``"setup.pixel_size"``, ``"SXT:setup.pixel_size"`` or ``("SXT", "setup.pixel_size")``."""
    if isinstance(key, tuple) and key:
        key = key[-1]
    return isinstance(key, str) and _ID.match(key.split(":")[-1]) is not None


def _target_text(target: Any) -> str:
    if isinstance(target, str):
        return target
    if isinstance(target, tuple):
        return " › ".join(_target_text(t) for t in target if t not in (None, ""))
    if isinstance(target, list | set | frozenset):
        return "; ".join(_target_text(t) for t in target)
    if hasattr(target, "model_dump"):
        return _target_text(tuple(v for v in target.model_dump().values() if v))
    if hasattr(target, "__dataclass_fields__"):
        return _target_text(tuple(getattr(target, f) for f in target.__dataclass_fields__))
    return str(target)


def _lookup(mapping: dict[str, Any], kind: str, field_id: str) -> Any:
    for key in (f"{kind}:{field_id}", (kind, field_id), field_id):
        if key in mapping:
            return mapping[key]
    return None


# --- pages -------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _entries(seen: Seen | None) -> Iterator[str]:
    if seen is None:
        return
    for (reader, how, locator, transform), name in sorted(seen.sources.items()):
        text = f"**{reader}** ({how}) `{name}`: {locator}"
        if transform:
            text += f" — *{transform}*"
        yield _cell(text)


def _fillers(
    field_id: str, kind: str, named: dict[str, set[str]], attached: dict[tuple[str, str], str]
) -> str:
    """Readers whose normaliser names the row, the attached-file role, or the sidecar only."""
    parts = [f"[{r}]({READER_PAGES[r]})" for r in READER_MODULES if (kind, field_id) in named[r]]
    role = attached.get((kind, field_id))
    if role is not None:
        parts.append(f"attached file (role `{role}`, [datasets](datasets.md))")
    return ", ".join(parts) or "sidecar `clxm.yaml` only"


def fields_page() -> str:
    """The Markdown of docs/fields.md."""
    from clxm_meta.dataset.attached import ATTACHED_FIELDS
    from clxm_meta.records.fields import FIELDS

    seen = _observe()
    named = {m: _named_rows(m) for m in READER_MODULES}
    attached = {(k.value, f): role for (k, role), (f, _) in ATTACHED_FIELDS.items()}
    maps = _mappings()
    sheets = _sheet_rows()
    out = [
        "# Table 1 field reference",
        "",
        "<!-- Generated by scripts/gen_docs.py from the code; do not edit by hand. -->",
        "",
        "Every row of the deposition protocol's Table 1, per dataset kind (SIM → BioStudies, SXT → "
        "EMPIAR). **Origin** is the protocol's code for who knows the value: *file* (a header, stream "
        "or log line), *facility*, *depositor* (the sidecar `clxm.yaml`), *reconstruction* (the "
        "reconstruction software's logs), *attached* (a file of its own).",
        "",
        "**Filled in the example corpus** shows where the real normalisers found each value when run "
        "on `examples/deposition` and a few written test files (reader, how: `file` as stored, "
        "`derived` computed, `assumption` a stated default; the example file; the locator; and, in "
        "italics, the transform). Line numbers and section numbers are those of the example files. "
        "**Normaliser code** lists every reader whose normaliser can propose the row (its page says "
        "when). The export columns say where the value goes in each archive document; "
        "\u201c—\u201d means the exporter does not carry the row; an EMPIAR target `details` means the "
        "row goes into the entry's free-text details.",
        "",
    ]
    if maps:
        used = ", ".join(
            f"`{n}` ({' and '.join(MAPPING_KINDS.get(n, ('SIM', 'SXT')))})" for n in maps
        )
        out.append(f"Export mappings found in the code: {used}.")
    else:
        out.append(
            "No export mapping (`EMPIAR_MAPPING`, `REMBI_MAPPING`, `OME_MAPPING`) exists yet."
        )
    out.append("")
    for kind, specs in FIELDS.items():
        archive = "BioStudies" if kind.value == "SIM" else "EMPIAR"
        out += [f"## {kind.value} datasets ({archive})", ""]
        out += ["| id | label | unit | origin | filled by |", "|---|---|---|---|---|"]
        for spec in specs:
            anchor = f"{kind.value.lower()}-{spec.id.replace('.', '-')}"
            out.append(
                f"| [`{spec.id}`](#{anchor}) | {_cell(spec.label)} | {spec.unit or ''} | "
                f"{spec.origin} | {_fillers(spec.id, kind.value, named, attached)} |"
            )
        out.append("")
        for spec in specs:
            out.append(f"### `{spec.id}` {{ #{kind.value.lower()}-{spec.id.replace('.', '-')} }}")
            out.append("")
            out.append(f"*{_cell(spec.label)}*")
            out.append("")
            out.append("| | |")
            out.append("|---|---|")
            out.append(f"| unit | {spec.unit or '—'} |")
            out.append(f"| origin | {spec.origin} |")
            out.append(f"| filled by | {_fillers(spec.id, kind.value, named, attached)} |")
            entries = list(_entries(seen.get((kind.value, spec.id))))
            if entries:
                out.append(f"| filled in the example corpus | {'<br>'.join(entries)} |")
            else:
                out.append("| filled in the example corpus | — |")
            if kind.value == "SIM" and sheets is not None:
                where = sheets.get(spec.id.split(".", 1)[0])
                text = f"{where}, field {_cell(spec.label)}" if where else "—"
                out.append(f"| SIM spreadsheet | {text} |")
            for name, mapping in maps.items():
                if kind.value not in MAPPING_KINDS.get(name, ("SIM", "SXT")):
                    continue
                target = _lookup(mapping, kind.value, spec.id)
                text = _cell(_target_text(target)) if target is not None else "—"
                out.append(f"| {mapping_column(name)} | {text} |")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def cli_page() -> str:
    """The Markdown of docs/cli.md: ``--help`` of the command and of each subcommand."""
    from clxm_meta.cli import _parser

    os.environ["COLUMNS"] = "100"
    parser = _parser()
    out = [
        "# Command-line reference",
        "",
        "<!-- Generated by scripts/gen_docs.py from the argument parser; do not edit by hand. -->",
        "",
        "Exit codes: **0** ok; **1** at least one finding of severity error; **2** bad usage or "
        "unreadable / unsupported input; **3** nothing to report.",
        "",
        "## clxm-meta",
        "",
        "```text",
        parser.format_help().rstrip(),
        "```",
        "",
    ]
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, cmd in sub.choices.items():
        out += [f"## clxm-meta {name}", "", "```text", cmd.format_help().rstrip(), "```", ""]
    return "\n".join(out).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--check", action="store_true", help="exit 1 if a page is stale")
    args = ap.parse_args(argv)
    stale = []
    with redirect_stdout(io.StringIO()):
        pages = {FIELDS_PAGE: fields_page(), CLI_PAGE: cli_page()}
    for path, text in pages.items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if args.check:
            stale.append(path)
        else:
            path.write_text(text, encoding="utf-8", newline="\n")
            print(f"wrote {path.relative_to(ROOT)}")
    for path in stale:
        print(f"stale: {path.relative_to(ROOT)} (run python scripts/gen_docs.py)")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
