"""HTML output: notebook reprs of records, models, scans and checks; the deposition report."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

import clxm_meta
from clxm_meta.checks.completeness import completeness
from clxm_meta.cli import main
from clxm_meta.export.report import build_report
from clxm_meta.render_html import value_text
from conftest import EXAMPLE, snapshot


class _Rows(HTMLParser):
    """Collects table rows: their attributes and the text of each cell; and every URL-bearing tag."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[dict[str, str | None], list[str]]] = []
        self.urls: list[tuple[str, str]] = []
        self.tags: set[str] = set()
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.urls.append((tag, value))
        if tag == "tr":
            self.rows.append((dict(attrs), []))
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1][1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _parse(text: str) -> _Rows:
    parser = _Rows()
    parser.feed(text)
    parser.close()
    return parser


def _table1_rows(parsed: _Rows) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    for attrs, cells in parsed.rows:
        if attrs.get("data-id"):
            out.setdefault(str(attrs["data-id"]), []).append(cells)
    return out


# --- notebook reprs ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scanned() -> clxm_meta.ScanResult:
    return clxm_meta.scan(EXAMPLE)


def test_plain_reprs_stay_short(scanned: clxm_meta.ScanResult) -> None:
    sim = scanned.record("sample1/SIM/cell1")
    filled = sum(1 for r in clxm_meta.rows(sim) if r.value is not None)
    assert repr(sim) == (
        f"<SimRecord 'sample1/SIM/cell1': {filled}/45 rows filled, {len(sim.findings)} findings>"
    )
    assert repr(scanned).startswith("<ScanResult ") and "2 datasets, 1 pairs" in repr(scanned)
    model = clxm_meta.read(EXAMPLE / "sample1" / "SIM" / "cell1.dv")
    assert repr(model) == f"<DvFile dv 'cell1.dv': {len(model.findings)} findings>"
    comp = completeness(scanned.record("sample1/SXT/ts1"))
    assert repr(comp) == f"<Completeness SXT 'sample1/SXT/ts1': {comp.filled}/42 rows filled>"
    for obj in (sim, scanned, model, comp):
        assert len(repr(obj)) < 120 and "\n" not in repr(obj)


def test_record_html_has_every_row_with_value_and_source() -> None:
    sim_dir = EXAMPLE / "sample1" / "SIM"
    [sim] = clxm_meta.records_from_files([str(sim_dir / "cell1.dv"), str(sim_dir / "cell1.log")])
    parsed = _parse(sim._repr_html_())
    table = _table1_rows(parsed)
    rows = clxm_meta.rows(sim)
    assert set(table) == {r.id for r in rows}
    for row in rows:
        [cells] = table[row.id]
        if row.value is None:
            assert cells[2].startswith("missing")
        else:
            assert cells[2] == value_text(row.value, row.unit)
            assert row.source is not None
            assert Path(row.source["path"]).name in cells[4]
    classes = {str(a.get("class")) for a, _c in parsed.rows if a.get("data-id")}
    assert {"missing", "assumption", ""} <= classes


def test_scan_model_and_check_html(scanned: clxm_meta.ScanResult) -> None:
    text = scanned._repr_html_()
    assert "sample1/SIM/cell1" in text and "sample1/SXT/ts1" in text
    assert "lint" not in text  # scan findings only; lint is the check's
    assert 'class="badge info"' in text
    comp = completeness(scanned.record("sample1/SXT/ts1"))
    table = _table1_rows(_parse(comp._repr_html_()))
    assert set(table) == {r.id for r in comp.rows}
    assert table["setup.pixel_size"][0][3] == "from a file"
    model = clxm_meta.read(EXAMPLE / "sample1" / "SIM" / "cell1.dv")
    html = model._repr_html_()
    assert "DvFile" in html and "header" in html


def test_html_escapes_values(tmp_path: Path) -> None:
    from clxm_meta.render_html import findings_table, rows_table

    text = rows_table([{"id": "general.title", "label": "t", "value": "<b>x</b>", "source": {}}])
    assert "<b>x</b>" not in text and "&lt;b&gt;x&lt;/b&gt;" in text
    text = findings_table([{"severity": "error", "code": "c", "message": "<script>"}])
    assert "<script>" not in text


# --- the report -------------------------------------------------------------------------------


def test_report_command_writes_every_filled_row(tree: Path, tmp_path: Path) -> None:
    (tree / "clxm.yaml").unlink()  # no sidecar: depositor and facility rows are surely empty
    before = snapshot(tree)
    out = tmp_path / "report.html"
    assert main(["report", str(tree), "-o", str(out), "--md5"]) == 0
    assert snapshot(tree) == before
    text = out.read_text(encoding="utf-8")
    parsed = _parse(text)
    table = _table1_rows(parsed)
    rep = build_report(tree, md5=True)
    for comp in rep.completeness:
        for row in comp.rows:
            rendered = [c for c in table[row.id] if c[2] == value_text(row.value, row.unit)]
            if row.filled:
                assert rendered, f"{comp.dataset} {row.id} not shown with its value"
    # empty rows grouped by who supplies them
    for heading in ("The depositor supplies", "The facility supplies", "An attached file"):
        assert heading in text
    # findings by severity, manifest summary with one MD5 per file
    assert re.search(r"<h3>warning \(\d+\)</h3>", text)
    md5s = [c[0] for _a, c in parsed.rows if len(c) == 3 and re.fullmatch(r"[0-9a-f]{32}", c[0])]
    assert len(md5s) == sum(1 for f in rep.result.files if f.role != "sidecar")


def test_report_is_self_contained_and_deterministic(tree: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    assert main(["report", str(tree), "-o", str(a)]) == 0
    assert main(["report", str(tree), "-o", str(b)]) == 0
    assert a.read_bytes() == b.read_bytes()
    text = a.read_text(encoding="utf-8")
    parsed = _parse(text)
    assert not {"script", "img", "link", "iframe", "object", "embed"} & parsed.tags
    assert all(url.startswith("#") for _tag, url in parsed.urls), parsed.urls
    assert "url(" not in text and "@import" not in text and "http" not in text.lower()
    assert "Checksums not computed" in text


def test_report_refuses_to_overwrite_and_reports_missing_path(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    out.write_text("keep", encoding="utf-8")
    assert main(["report", str(tree), "-o", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == "keep"
    # not written by clxm-meta: kept even with --force
    assert main(["report", str(tree), "-o", str(out), "--force"]) == 2
    assert out.read_text(encoding="utf-8") == "keep"
    ours = tmp_path / "ours.html"
    assert main(["report", str(tree), "-o", str(ours)]) == 0
    assert main(["report", str(tree), "-o", str(ours), "--force"]) == 0
    assert main(["report", str(tmp_path / "nope"), "-o", str(tmp_path / "x.html")]) == 2


def test_report_refused_inside_the_scanned_tree(tree: Path) -> None:
    before = snapshot(tree)
    assert main(["report", str(tree), "-o", str(tree / "report.html")]) == 2
    assert snapshot(tree) == before
    assert main(["report", str(tree), "-o", str(tree / "r.html"), "--allow-inside-input"]) == 0
    assert (tree / "r.html").is_file()


def test_report_of_a_folder_without_datasets(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("hello", encoding="utf-8")
    out = tmp_path / "r.html"
    assert main(["report", str(empty), "-o", str(out)]) == 3
    assert "Deposition report" in out.read_text(encoding="utf-8")


def _png_gray(data: bytes) -> np.ndarray:
    """Decode an 8-bit RGB/RGBA, non-interlaced PNG (what Chromium writes) to grey levels."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _c, _f, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and color in (2, 6) and interlace == 0
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride, bpp = width * channels, channels
    rows: list[bytearray] = []
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        ftype, cur = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if ftype == 1:
            for x in range(bpp, stride):
                cur[x] = (cur[x] + cur[x - bpp]) & 0xFF
        elif ftype == 2:
            cur = bytearray((c + p) & 0xFF for c, p in zip(cur, prev, strict=True))
        elif ftype == 3:
            for x in range(stride):
                a = cur[x - bpp] if x >= bpp else 0
                cur[x] = (cur[x] + ((a + prev[x]) >> 1)) & 0xFF
        elif ftype == 4:
            for x in range(stride):
                a = cur[x - bpp] if x >= bpp else 0
                b = prev[x]
                c = prev[x - bpp] if x >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                cur[x] = (cur[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(cur)
        prev = cur
    pixels = np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(height, width, channels)
    gray: np.ndarray = pixels[:, :, :3].mean(axis=2)
    return gray


def _browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if path := shutil.which(name):
            return path
    return None


def test_report_renders_in_a_headless_browser(tree: Path, tmp_path: Path) -> None:
    browser = _browser()
    if browser is None:
        pytest.skip("no Chromium on this machine")
    out = tmp_path / "report.html"
    assert main(["report", str(tree), "-o", str(out)]) == 0
    png = tmp_path / "shot.png"
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--window-size=900,1100",
            f"--screenshot={png}",
            out.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert png.is_file(), "the browser wrote no screenshot"
    pixels = _png_gray(png.read_bytes())
    dark = (pixels < 128).mean()
    assert pixels.std() > 10, "blank screenshot"
    assert 0.005 < dark < 0.5, f"share of dark (text) pixels {dark:.3f}"
