"""The TIFF models are built without validation (`readers.base.assemble`): same as validated.

For every real TIFF and for files written here (OME, txrm2tiff-like, ImageJ, plain, CImg OTF-like,
odd resolution and date tags, a schema-invalid OME unit), the model as read must serialise byte for
byte like the same data validated by pydantic: an ``int`` left in a ``float`` field, a numpy scalar
or a misspelt field would show as a difference.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import clxm_meta
from clxm_meta.readers.tiff import TiffMetadata
from conftest import real_files
from writers.tiff import compose_ome, fluorescence_ome, write_imagej, write_ome_tiff, write_plain


def _assert_as_validated(path: Path) -> None:
    model = clxm_meta.read(path)
    assert isinstance(model, TiffMetadata)
    validated = TiffMetadata.model_validate(model.model_dump())
    assert validated.model_dump_json() == model.model_dump_json()


@pytest.mark.parametrize("path", real_files("tiff"), ids=lambda p: p.name)
def test_real_tiffs(path: Path) -> None:
    _assert_as_validated(path)


def _written(tmp_path: Path) -> list[Path]:
    fluorescence = fluorescence_ome()
    txrm = compose_ome(
        size=(8, 6, 3, 1, 1),
        physical_size=(10.0, 10.0, 1.0),
        physical_z_unit="reference frame",
        exposures_ms=[1000, 2000, 1500],
    )
    bad_unit = compose_ome(size=(8, 6, 1, 1, 1)).replace(
        'PhysicalSizeXUnit="nm"', 'PhysicalSizeXUnit="parsec-ish"'
    )
    return [
        write_ome_tiff(tmp_path / "f.ome.tif", fluorescence, shape=(2, 2, 6, 8)),
        write_ome_tiff(tmp_path / "t.ome.tif", txrm, shape=(3, 6, 8), software="txrm2tiff 2.2.1"),
        write_ome_tiff(tmp_path / "u.ome.tif", bad_unit, shape=(6, 8)),
        write_ome_tiff(tmp_path / "b.ome.tif", "<OME", shape=(6, 8)),
        write_imagej(tmp_path / "ij.tif", metadata={"unit": "micron", "spacing": 0.125}),
        write_imagej(tmp_path / "px.tif", metadata={"unit": "pixel", "finterval": 2}),
        write_plain(tmp_path / "otf.tif", shape=(4, 6), dtype="float32", software="CImg"),
        write_plain(
            tmp_path / "p.tif",
            resolution=(1e4, 2e4),
            resolutionunit=3,
            description="hello",
            software="Acme 1.2.3",
            datetime_text="2024:01:02 03:04:05",
        ),
        write_plain(tmp_path / "q.tif", resolution=(72, 72), datetime_text="2024-01-02 03:04:xx"),
        write_plain(tmp_path / "r.tif", shape=(2, 4, 4), resolution=(1, 1), resolutionunit=1),
    ]


def test_written_tiffs(tmp_path: Path) -> None:
    for path in _written(tmp_path):
        _assert_as_validated(path)
