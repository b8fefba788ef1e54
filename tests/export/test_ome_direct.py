"""Issue 21: the OME-XML written directly from its parts is byte-identical to ome-types' own.

The reference is the code before the direct writer: every element built as an ome-types model
and serialised by ``ome_types.to_xml``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clxm_meta
from clxm_meta.errors import UnsupportedFormatError
from clxm_meta.export.ome import build
from clxm_meta.export.ome.direct import direct_xml
from clxm_meta.readers.dv.model import DvFile
from conftest import EXAMPLE, ROOT, real_files

sys.path.insert(0, str(ROOT / "tests"))
from writers.dv import DvSpec, write_dv
from writers.tiff import compose_ome, write_imagej, write_ome_tiff, write_plain

ome_types = pytest.importorskip("ome_types")


def _reference_parts(parts: dict[str, Any]) -> str | None:
    """The document of ``parts`` built and written by ome-types alone (``None``: missing)."""
    ome, _missing = build._build(parts)
    return None if ome is None else str(ome_types.to_xml(ome))


def _direct_parts(parts: dict[str, Any]) -> str | None:
    planes = build._planes_xml(parts["planes"])
    return None if planes is None else direct_xml(parts, planes)


def _both(model: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str, bool]:
    """(document now, document by ome-types alone, whether the direct writer wrote it)."""
    calls: list[bool] = []

    def spy(parts: dict[str, Any], planes: list[str]) -> str | None:
        out = direct_xml(parts, planes)
        calls.append(out is not None)
        return out

    with monkeypatch.context() as m:
        m.setattr(build, "direct_xml", spy)
        ours = build.ome_xml(model).document
    with monkeypatch.context() as m:
        m.setattr(build, "direct_xml", lambda parts, planes: None)
        m.setattr(build, "_planes_xml", lambda planes: None)
        m.setattr(build, "_to_xml", ome_types.to_xml)
        theirs = build.ome_xml(model).document
    return ours, theirs, calls == [True]


def _written_paths(tmp_path: Path) -> list[Path]:
    paths = [write_dv(tmp_path / "written.dv", DvSpec())]
    paths.append(write_dv(tmp_path / "bare.dv", DvSpec(d_um=(0.0, 0.0, 0.0))))
    xml = compose_ome(
        size=(8, 6, 2, 2, 1),
        channels=[{"name": "a & <b>", "ex": 488.0, "em": 525.0}, {"name": 'é "c"', "ex": 561.0}],
        exposures_ms=[50.0, 50.0, 100.0, 100.0],
        instrument=True,
    )
    paths.append(write_ome_tiff(tmp_path / "written.ome.tif", xml, shape=(2, 2, 6, 8)))
    paths.append(write_imagej(tmp_path / "ij.tif", metadata={"unit": "micron", "spacing": 0.125}))
    paths.append(write_plain(tmp_path / "plain.tif"))
    return paths


def test_example_tree_and_written_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = sorted(p for p in EXAMPLE.parent.rglob("*") if p.suffix.lower() in (".dv", ".tif"))
    paths += sorted(p for p in EXAMPLE.parent.rglob("*.tiff"))
    paths += _written_paths(tmp_path)
    direct = 0
    for path in paths:
        model = clxm_meta.read(path)
        try:
            ours, theirs, was_direct = _both(model, monkeypatch)
        except UnsupportedFormatError:
            continue
        assert ours == theirs, path
        direct += was_direct
    assert direct >= 7  # the direct writer wrote them, not the fallback


@pytest.mark.shared
@pytest.mark.parametrize("path", real_files("dv") + real_files("tiff"), ids=lambda p: p.name)
def test_real_files(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = clxm_meta.read(path)
    try:
        ours, theirs, was_direct = _both(model, monkeypatch)
    except UnsupportedFormatError:
        assert "otf" in path.name
        return
    assert ours == theirs
    assert was_direct


@pytest.mark.parametrize(
    "text",
    [
        "a&b",
        "<tag>",
        'say "hi"',
        "it's",
        "both \" and '",
        "line\nbreak\ttab\rcr",
        "ctrl\x01\x1f\x7f",
        "µm é 漢字 🙂",
        " spaced ",
        "",
        "&amp; already",
    ],
)
def test_escaping_as_xsdata(text: str) -> None:
    parts = _parts(name=text)
    parts["channels"] = [{"name": text}]
    parts["microscope"] = {"manufacturer": text, "model": text}
    parts["detectors"] = [{"model": text, "serial_number": text}]
    parts["objective"] = {"manufacturer": text, "model": text, "serial_number": text}
    ours = _direct_parts(parts)
    assert ours is not None
    assert ours == _reference_parts(parts)


def test_unusual_values_fall_back_to_ome_types() -> None:
    for change in (
        {"name": None},
        {"date": "2023-03-14T10:21:05.5"},
        {"date": "2023-03-14T10:21:05Z"},
        {"date": "2023-02-30T10:21:05"},
    ):
        assert _direct_parts(_parts(**change)) is None, change
    for px in ({"type": "UINT16"}, {"size_x": 0}, {"size_c": True}, {"physical_size_x": 0.0}):
        parts = _parts()
        parts["pixels"].update(px)
        assert _direct_parts(parts) is None, px
    parts = _parts()
    parts["channels"] = [{"binning": "3x3", "gain": 1.0}]
    parts["detectors"] = [{"model": "cam"}]
    assert _direct_parts(parts) is None
    parts["channels"] = [{"hue": 1}]
    assert _direct_parts(parts) is None
    # the date ome-types rewrites goes through it, with the same document as before
    model = DvFile.model_construct(path="x.dv")
    weird = _parts(date="2023-03-14T10:21:05.5")
    with pytest.MonkeyPatch.context() as m:
        m.setattr(build, "_dv_parts", lambda model: weird)
        assert build.ome_xml(model).document == _reference_parts(weird)


def test_missing_pixel_values_still_reported() -> None:
    parts = _parts()
    del parts["pixels"]["type"]
    model = DvFile.model_construct(path="x.dv")
    with pytest.MonkeyPatch.context() as m:
        m.setattr(build, "_dv_parts", lambda model: parts)
        exp = build.ome_xml(model)
    assert exp.document == "" and [f.key for f in exp.missing] == ["Pixels@type"]


def _parts(**change: Any) -> dict[str, Any]:
    parts: dict[str, Any] = {
        "name": "x.dv",
        "date": "2023-03-14T10:21:05",
        "pixels": {
            "size_x": 2,
            "size_y": 3,
            "size_z": 4,
            "size_c": 2,
            "size_t": 1,
            "type": "uint16",
            "dimension_order": "XYZCT",
            "physical_size_x": 0.1,
            "physical_size_y": None,
            "physical_size_z": 0.3,
            "significant_bits": 12,
        },
        "channels": [],
        "planes": [],
        "objective": None,
        "detectors": [],
        "microscope": None,
    }
    parts.update(change)
    return parts


# --- generated parts -------------------------------------------------------------------------

_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
_maybe_text = st.none() | _text
_pos = st.floats(min_value=1e-9, max_value=1e12, allow_nan=False) | st.integers(1, 10**6)
_any_float = st.floats(allow_nan=False, allow_infinity=False) | st.integers(-100, 100)
_odd = st.sampled_from([float("nan"), float("inf"), -1.0, 0.0, True, "1.0", 0, -3])


def _maybe(s: st.SearchStrategy[Any], odd: bool) -> st.SearchStrategy[Any]:
    return st.none() | s | _odd if odd else st.none() | s


@st.composite
def _generated_parts(draw: st.DrawFn, odd: bool) -> dict[str, Any]:
    """Parts as the readers make them; with ``odd``, also values ome-types coerces or refuses."""
    size = st.integers(1, 5000)
    pixels = {
        "size_x": draw(size),
        "size_y": draw(size),
        "size_z": draw(size),
        "size_c": draw(st.integers(1, 12)),
        "size_t": draw(size),
        "type": draw(
            st.sampled_from(["uint8", "uint16", "float", "double", "bit", "double-complex"])
            | (st.sampled_from(["UINT16", "float32", ""]) if odd else st.nothing())
        ),
        "dimension_order": draw(st.sampled_from(["XYZCT", "XYZTC", "XYCZT", "XYTCZ"])),
        "physical_size_x": draw(_maybe(_pos, odd)),
        "physical_size_y": draw(_maybe(_pos, odd)),
        "physical_size_z": draw(_maybe(_pos, odd)),
        "significant_bits": draw(_maybe(st.integers(1, 64), odd)),
    }
    binning = st.sampled_from(["1x1", "2x2", "4x4", "8x8", "Other"])
    channel = st.fixed_dictionaries(
        {},
        optional={
            "name": _maybe_text,
            "excitation_wavelength": _maybe(_pos, odd),
            "emission_wavelength": _maybe(_pos, odd),
            "nd_filter": _maybe(_any_float, odd),
            "binning": _maybe(binning | (st.just("3x3") if odd else st.nothing()), odd),
            "gain": _maybe(_any_float, odd),
            "samples_per_pixel": _maybe(st.integers(1, 4), odd),
        },
    )
    maker = st.fixed_dictionaries(
        {}, optional={"manufacturer": _maybe_text, "model": _maybe_text, "serial_number": _text}
    )
    objective = st.fixed_dictionaries(
        {},
        optional={
            "lens_na": _maybe(_any_float, odd),
            "nominal_magnification": _maybe(_any_float, odd),
            "immersion": st.none() | st.sampled_from(["Oil", "Water", "Air", "Glycerol", "Other"]),
            "working_distance": _maybe(_any_float, odd),
            "manufacturer": _maybe_text,
            "model": _maybe_text,
            "serial_number": _maybe_text,
        },
    )
    plane_value = st.none() | st.floats(allow_nan=False, allow_infinity=False)
    plane = st.fixed_dictionaries(
        {"the_z": st.integers(0, 300), "the_c": st.integers(0, 11), "the_t": st.integers(0, 9)},
        optional={
            "exposure_time": plane_value,
            "delta_t": plane_value,
            "position_x": plane_value,
            "position_y": plane_value,
            "position_z": plane_value,
            "position_unit": st.sampled_from(["µm", "reference frame", "nm"]),
        },
    )
    return {
        "name": draw(_maybe_text if odd else _text),
        "date": draw(
            st.none()
            | st.datetimes().map(lambda d: d.replace(microsecond=0).isoformat())
            | (
                st.sampled_from(["2023-03-14T10:21:05.25", "2023-03-14T10:21"])
                if odd
                else st.nothing()
            )
        ),
        "pixels": pixels,
        "channels": draw(st.lists(channel, max_size=12)),
        "planes": draw(st.lists(plane, max_size=40)),
        "objective": draw(st.none() | objective),
        "detectors": draw(st.lists(maker, max_size=3)),
        "microscope": draw(st.none() | maker),
    }


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=_generated_parts(odd=False))
def test_generated_parts_written_directly_byte_identical(parts: dict[str, Any]) -> None:
    """Random names (any unicode), units, missing values, many channels and planes."""
    ours = _direct_parts(parts)
    assert ours is not None  # ordinary values never need the fallback
    assert ours == _reference_parts(parts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=_generated_parts(odd=True))
def test_generated_odd_parts_identical_or_left_to_ome_types(parts: dict[str, Any]) -> None:
    ours = _direct_parts(parts)
    if ours is not None:  # else left to ome-types, which may coerce or refuse the values
        assert ours == _reference_parts(parts)


def test_length_units_are_ome_types_own() -> None:
    from ome_types.model import UnitsLength

    assert {u.value for u in UnitsLength} == build._LENGTH_UNITS


def test_document_written_without_importing_ome_types(tmp_path: Path) -> None:
    """The direct writer does not import ome-types (~0.4 s of CPU in every process)."""
    import subprocess

    path = write_dv(tmp_path / "written.dv", DvSpec())
    code = (
        "import sys, clxm_meta\n"
        "from clxm_meta.export.ome.build import ome_xml\n"
        f"doc = ome_xml(clxm_meta.read({str(path)!r})).document\n"
        "assert doc.startswith('<OME '), doc[:40]\n"
        "print(sorted(m for m in sys.modules if m.startswith(('ome_types', 'xsdata'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
