"""Start-up: `clxm-meta inspect` on every sample of each format against the bare imports it cannot avoid.

The headline is the worst ratio over every DV (with and without extended header), MRC, TXRM and
(OME-)TIFF sample, each format's worst shown beside it.

``python -c "import numpy, pydantic"`` is the issue's yardstick; note that ``import pydantic`` is
itself lazy (it loads no BaseModel machinery), so the equal-work yardstick is also shown:
``import numpy; from pydantic import BaseModel``, what any pydantic-model reader of a DV file
pays before reading a byte. Each figure is the wall time of a fresh process (median of 15, the commands' runs alternated
so that a change in the machine's load falls on all of them alike).

clxm_meta's modules are byte-compiled first (``compileall``), as ``pip install`` does and as
numpy's and pydantic's already are: in an editable install on a machine that sets
``PYTHONDONTWRITEBYTECODE=1`` (this one does) every run would otherwise compile every module from
source, which measures the environment, not the code. That case is shown too, as its own row: the
same package copied to a scratch folder and run without bytecode.
"""

from __future__ import annotations

import compileall
import json
import shutil
import subprocess
import sys
from pathlib import Path

from _harness import REAL, ROOT, SCRATCH, Headline, Report, Timing, samples, standalone, walls

import clxm_meta

SECTION = "Start-up"
DV = REAL / "dv" / "tlambert03-mrc__toxo.dv"
FORMATS = {
    "DV": (("dv", (".dv",)), ".dv"),
    "MRC": (("mrc", (".mrc", ".st", ".ali", ".rec", ".map")), ".mrc"),
    "TXRM": (("txrm", (".txrm", ".xrm")), ".txrm"),
    "TIFF": (("tiff", (".tif", ".tiff")), ".tif"),
}
"""Format -> (real samples folder and endings, the ending of its example files)."""


def _samples() -> dict[str, list[Path]]:
    out: dict[str, list[Path]] = {}
    for fmt, ((folder, endings), example) in FORMATS.items():
        found = samples(folder, *endings)
        found += sorted((ROOT / "examples").rglob(f"*{example}"))
        out[fmt] = found
    return out


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("clxm-meta")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "clxm_meta"]


def _modules(code: str) -> int:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys, json\nprint(json.dumps(len(sys.modules)))"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(json.loads(out.stdout.strip().splitlines()[-1]))


def _inspect_code(path: Path) -> str:
    """``inspect PATH`` in-process, for the modules-loaded column."""
    return (
        "import contextlib, io\nfrom clxm_meta.cli import main\n"
        f"with contextlib.redirect_stdout(io.StringIO()): main(['inspect', {str(path)!r}])"
    )


def _torn_down_code(path: Path) -> str:
    """``inspect PATH`` through `main` and an ordinary exit: the program without its fast exit.

    The ``clxm-meta`` program ends a read-only command without the interpreter's teardown
    (`clxm_meta.cli.fast_exit`); the yardstick pays its own. This row shows the ratio without it.
    """
    return f"import sys\nfrom clxm_meta.cli import main\nsys.exit(main(['inspect', {str(path)!r}]))"


def run(report: Report) -> None:
    if not DV.is_file():
        print("bench_startup: toxo.dv not available, skipped")
        return
    py = sys.executable
    inspect_code = _inspect_code(DV)
    jobs: dict[str, tuple[list[str], str | None]] = {
        "python -c pass": ([py, "-c", "pass"], "pass"),
        'python -c "import numpy, pydantic"': (
            [py, "-c", "import numpy, pydantic"],
            "import numpy, pydantic",
        ),
        'python -c "import numpy; from pydantic import BaseModel"': (
            [py, "-c", "import numpy; from pydantic import BaseModel"],
            "import numpy; from pydantic import BaseModel",
        ),
        'python -c "import clxm_meta"': ([py, "-c", "import clxm_meta"], "import clxm_meta"),
        "clxm-meta --help": ([*_cli(), "--help"], None),
        "clxm-meta inspect toxo.dv": ([*_cli(), "inspect", str(DV)], inspect_code),
    }
    per_format = _samples()
    for fmt, paths in per_format.items():
        for path in paths:
            name = f"clxm-meta inspect {path.name} ({fmt})"
            jobs.setdefault(name, ([*_cli(), "inspect", str(path)], _inspect_code(path)))
    package = Path(clxm_meta.__file__).parent
    compileall.compile_dir(str(package), quiet=1)  # what pip does on install
    uncompiled = SCRATCH / "startup_src"
    shutil.rmtree(uncompiled, ignore_errors=True)
    shutil.copytree(package, uncompiled / "clxm_meta", ignore=shutil.ignore_patterns("__pycache__"))
    no_bytecode = "clxm-meta inspect toxo.dv, sources not byte-compiled"
    jobs[no_bytecode] = ([py, "-m", "clxm_meta", "inspect", str(DV)], None)
    torn_down = "inspect toxo.dv in-process through main(), interpreter torn down (no fast exit)"
    jobs[torn_down] = ([py, "-c", _torn_down_code(DV)], None)
    try:
        timings = walls(
            {name: cmd for name, (cmd, _) in jobs.items()},
            repeat=15,
            envs={no_bytecode: {"PYTHONPATH": str(uncompiled), "PYTHONDONTWRITEBYTECODE": "1"}},
            exit_codes=(0, 1),  # inspect exits 1 on a real sample with error findings
        )
    finally:
        shutil.rmtree(uncompiled, ignore_errors=True)
    rows: dict[str, tuple[Timing, int | None]] = {
        name: (timings[name], _modules(code) if code is not None else None)
        for name, (_, code) in jobs.items()
    }
    lines = [
        "| command | wall time, median (min–max) | modules loaded |",
        "|---|---|---|",
    ]
    for name, (t, n) in rows.items():
        lines.append(f"| `{name}` | {t.ms()} | {n if n is not None else '–'} |")
    report.add(SECTION, *lines, "")
    imp_t, imp_n = rows['python -c "import clxm_meta"']
    inspect = rows["clxm-meta inspect toxo.dv"][0].median
    base = rows['python -c "import numpy, pydantic"'][0].median
    equal = rows['python -c "import numpy; from pydantic import BaseModel"'][0].median
    worst_of: dict[str, tuple[float, str]] = {}
    for fmt, paths in per_format.items():
        ratios = [
            (rows[f"clxm-meta inspect {p.name} ({fmt})"][0].median / base, p.name) for p in paths
        ]
        if ratios:
            worst_of[fmt] = max(ratios)
    worst_ratio, worst_file = max(worst_of.values(), default=(inspect / base, DV.name))
    per = "; ".join(f"{fmt} {r:.2f}× ({name})" for fmt, (r, name) in worst_of.items())
    report.headline(
        Headline(
            '`clxm-meta inspect FILE` wall time ÷ `python -c "import numpy, pydantic"`, worst '
            "sample of every format",
            f"{worst_ratio:.2f}× ({worst_file}); per format: {per}; toxo.dv "
            f"{inspect / base:.2f}× ({inspect / equal:.2f}× ÷ numpy + pydantic.BaseModel); "
            f"`import clxm_meta` {imp_t.median * 1e3:.0f} ms, {imp_n} modules",
            "≤ 1.3× for every format",
            worst_ratio <= 1.3,
            f"clxm_meta byte-compiled, as installed; toxo.dv "
            f"{rows[no_bytecode][0].median / base:.2f}× with every module compiled from source, "
            f"{rows[torn_down][0].median / base:.2f}× without the fast exit (interpreter torn "
            "down, as the yardstick is)",
        )
    )


if __name__ == "__main__":
    standalone(run)
