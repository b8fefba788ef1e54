"""The seed corpus: every real sample under ../shared/data/real plus the files the test writers make.

A seed is the bytes of one file, its file name (text readers dispatch on names) and the reader that
owns it. Seeds are built in memory; nothing is written next to the real samples.
"""

from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

READERS = ("dv", "mrc", "txrm", "tiff", "imod", "simrecon", "chromatic", "correlation")
"""Every reader the fuzz campaigns exercise (the registry's formats)."""

REAL_FOLDERS = {
    "dv": "dv",
    "mrc": "mrc",
    "txrm": "txrm",
    "tiff": "tiff",
    "imod": "imod",
    "simlog": "simrecon",
}
"""Real-sample subfolder → reader."""

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("CLXM_SHARED", ROOT.parent / "shared"))
REAL = SHARED / "data" / "real"
EXAMPLE = ROOT / "examples" / "deposition"


@dataclass(frozen=True)
class Seed:
    """One corpus file."""

    reader: str
    name: str
    """File name to write the (mutated) bytes under; text readers dispatch on it."""
    data: bytes
    origin: str
    """``real:<subfolder>/<file>``, ``writer:<what>`` or ``example:<rel>``."""


def real_seeds() -> list[Seed]:
    """Every real sample (empty when ../shared is absent)."""
    out: list[Seed] = []
    for folder, reader in REAL_FOLDERS.items():
        base = REAL / folder
        if not base.is_dir():
            continue
        for path in sorted(base.iterdir()):
            if path.is_file():
                # real names are "<source>__<name>": keep the file's own name for dispatch
                name = path.name.split("__", 1)[-1]
                out.append(Seed(reader, name, path.read_bytes(), f"real:{folder}/{path.name}"))
    return out


_EXAMPLE_READERS = {
    ".dv": "dv",
    ".mrc": "mrc",
    ".txrm": "txrm",
    ".tlt": "imod",
    ".rawtlt": "imod",
    ".com": "imod",
    ".csv": "chromatic",
}


def example_seeds() -> list[Seed]:
    """The files of examples/deposition (made by scripts/make_examples.py from the writers)."""
    out: list[Seed] = []
    if not EXAMPLE.is_dir():
        return out
    for path in sorted(EXAMPLE.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(EXAMPLE).as_posix()
        reader = _EXAMPLE_READERS.get(path.suffix)
        if path.name == "align.log":
            reader = "imod"
        elif path.suffix == ".log":
            reader = "simrecon"
        if reader is not None:
            out.append(Seed(reader, path.name, path.read_bytes(), f"example:{rel}"))
    return out


def _tiff_seeds(tmp: Path) -> list[Seed]:
    from writers.tiff import compose_ome, plain_bytes, write_imagej, write_ome_tiff, write_plain

    out = [Seed("tiff", "plain.tif", plain_bytes(), "writer:tiff.plain_bytes")]
    ome = compose_ome(
        channels=[{"name": "GFP", "ex": 488.0, "em": 525.0}], exposures_ms=[10.0, 20.0]
    )
    files = {
        "ome.ome.tif": lambda p: write_ome_tiff(p, ome, software="txrm2tiff 2.2.1"),
        "big.ome.tif": lambda p: write_ome_tiff(p, ome, bigtiff=True),
        "hyper.tif": lambda p: write_imagej(p, metadata={"unit": "micron", "spacing": 0.125}),
        "res.tif": lambda p: write_plain(
            p, resolution=(1e4, 1e4), resolutionunit=3, description="CImg", software="CImg"
        ),
    }
    for name, make in files.items():
        path = tmp / name
        make(path)
        out.append(Seed("tiff", name, path.read_bytes(), f"writer:tiff.{name}"))
    return out


def _binary_seeds(tmp: Path) -> list[Seed]:
    from writers.cfb import build_cfb
    from writers.dv import DvSpec, SectionSpec, dv_bytes
    from writers.mrc import write_mrc
    from writers.txrm import txrm_streams

    out: list[Seed] = []
    sections = [SectionSpec(floats={2: 10.0, 10: 525.0, 11: 528.0})] * 4
    for big in (False, True):
        spec = DvSpec(
            nz=2, n_waves=2, waves=(525, 605), big_endian=big, sections=sections, lens_id=10612
        )
        out.append(Seed("dv", f"cell{int(big)}.dv", dv_bytes(spec), f"writer:dv big={big}"))
    out.append(
        Seed("dv", "titles.dv", dv_bytes(DvSpec(titles=["a", "b" * 80])), "writer:dv titles")
    )
    mrcs: dict[str, dict[str, object]] = {
        "ts.st": {"shape": (3, 4, 4), "dtype": "int16", "tilt_angles": [-3.0, 0.0, 3.0]},
        "rec.mrc": {"shape": (2, 4, 4), "labels": ["Tilt: reconstruction"]},
        "be.mrc": {"shape": (2, 4, 4), "big_endian": True},
        "fei.mrc": {"shape": (2, 4, 4), "fei": "FEI1"},
    }
    for name, kw in mrcs.items():
        path = tmp / name
        write_mrc(path, **kw)  # type: ignore[arg-type]
        out.append(Seed("mrc", name, path.read_bytes(), f"writer:mrc.{name}"))
    for version in (3, 5):
        data = build_cfb(txrm_streams(version=version))
        out.append(Seed("txrm", f"v{version}.txrm", data, f"writer:txrm v{version}"))
    out.extend(_tiff_seeds(tmp))
    return out


def _text_seeds() -> list[Seed]:
    from writers import imod, simlog

    texts: list[tuple[str, str, str]] = [
        ("imod", "align.log", imod.align_log_text()),
        ("imod", "aligna.log", imod.align_log_text(0.315, 0.176, None, 10)),
        ("imod", "tilt.com", imod.tilt_com_text()),
        ("imod", "xcorr_pt.com", imod.xcorr_pt_com_text()),
        ("imod", "tilt.log", imod.tilt_log_text()),
        ("imod", "batchruntomo.log", imod.batchruntomo_log_text()),
        ("imod", "ts.aln", imod.aln_text()),
        ("imod", "ts.mrc.mdoc", imod.mdoc_text()),
        ("imod", "d.adoc", imod.adoc_text()),
        ("imod", "ts.rawtlt", imod.rawtlt_text([-60.0, 0.0, 60.0])),
        ("imod", "ts.tlt", imod.tlt_text([-59.5, 0.5, 60.5])),
        ("simrecon", "cuda.log", simlog.cudasirecon_log_text()),
        ("simrecon", "config", simlog.cudasirecon_config_text()),
        ("simrecon", "cell_recon.log", simlog.pysimrecon_log_text()),
        ("simrecon", "config.cfg", simlog.pysimrecon_config_ini_text()),
        ("chromatic", "cell.chromagnon.csv", simlog.chromagnon_csv_text()),
        (
            "correlation",
            "matrix.txt",
            simlog.matrix_text([[1, 0, 0, 1], [0, 1, 0, 2], [0, 0, 1, 3], [0, 0, 0, 1]]),
        ),
        (
            "correlation",
            "transfo.xml",
            simlog.ecclem_xml_text([[[1, 0, 0, 5], [0, 1, 0, 6], [0, 0, 1, 0], [0, 0, 0, 1]]]),
        ),
    ]
    return [Seed(r, n, t.encode("utf-8"), f"writer:{r}.{n}") for r, n, t in texts]


def writer_seeds() -> list[Seed]:
    """Files made by the project's test writers (tests/writers)."""
    with tempfile.TemporaryDirectory(prefix="clxm-corpus-") as tmp:
        return [*_binary_seeds(Path(tmp)), *_text_seeds()]


def build_corpus() -> dict[str, list[Seed]]:
    """Every seed, grouped by reader (each reader has at least its writer-made seeds)."""
    by_reader: dict[str, list[Seed]] = {r: [] for r in READERS}
    for seed in [*real_seeds(), *example_seeds(), *writer_seeds()]:
        by_reader[seed.reader].append(seed)
    return by_reader


def describe(corpus: dict[str, list[Seed]]) -> str:
    """One line per reader: seed count and bytes."""
    buf = io.StringIO()
    for reader, seeds in corpus.items():
        buf.write(f"{reader}: {len(seeds)} seeds, {sum(len(s.data) for s in seeds)} bytes\n")
    return buf.getvalue()
