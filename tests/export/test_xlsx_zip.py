"""`xlsx_zip.zip_bytes` writes the very bytes `zipfile` writes (issue 21: the SIM workbook's zip)."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from clxm_meta.export.biostudies import xlsx_writer, xlsx_zip
from clxm_meta.export.biostudies.xlsx_writer import Sheet


def by_zipfile(
    parts: list[tuple[str, bytes, bool]], date_time: tuple[int, ...], mode: int
) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data, _ in parts:
            info = zipfile.ZipInfo(name, date_time=date_time)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = mode << 16
            archive.writestr(info, data)
    return buf.getvalue()


def random_part(rng: random.Random, i: int) -> tuple[str, bytes, bool]:
    alphabet = "abcXYZ019_-./[]() " + ("é☃" if rng.random() < 0.2 else "")
    name = f"{i}" + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
    kind = rng.randrange(4)
    if kind == 0:
        data = b""
    elif kind == 1:
        data = rng.randbytes(rng.randint(1, 5000))  # incompressible
    elif kind == 2:
        data = b"<row>" * rng.randint(1, 3000)  # compressible
    else:
        data = "".join(rng.choice("aé☃<>&\n") for _ in range(rng.randint(1, 2000))).encode()
    return name, data, rng.random() < 0.5


@pytest.mark.parametrize("seed", range(40))
def test_random_archives_identical_to_zipfile(seed: int) -> None:
    rng = random.Random(seed)
    parts = [random_part(rng, i) for i in range(rng.randint(1, 12))]
    date_time = (
        rng.randint(1980, 2107),
        rng.randint(1, 12),
        rng.randint(1, 28),
        rng.randint(0, 23),
        rng.randint(0, 59),
        rng.randint(0, 59),
    )
    mode = rng.choice((0o600, 0o644, 0o755, 0o100644, 0))
    expected = by_zipfile(parts, date_time, mode)
    assert xlsx_zip.zip_bytes(parts, date_time=date_time, mode=mode) == expected
    # a second archive, with the constant parts' deflated forms now cached, is the same too
    assert xlsx_zip.zip_bytes(parts, date_time=date_time, mode=mode) == expected


def test_workbooks_identical_to_zipfile(monkeypatch: pytest.MonkeyPatch) -> None:
    """The writer's own workbooks, packed by zipfile instead, are the same bytes."""
    sheets = [
        Sheet("SIM Table 1", ("a", "b"), [["x", 1.5], [None, "=1+1"], ["é ☃", True]], (10, 20)),
        Sheet("Files", ("path",), [], (30,)),
    ]
    ours = [xlsx_writer.workbook_bytes(sheets, creator="clxm_meta") for _ in range(2)]
    monkeypatch.setattr(
        xlsx_writer,
        "zip_bytes",
        lambda parts, *, date_time, mode: by_zipfile(list(parts), date_time, mode),
    )
    theirs = xlsx_writer.workbook_bytes(sheets, creator="clxm_meta")
    assert ours == [theirs, theirs]
    with zipfile.ZipFile(io.BytesIO(ours[0])) as archive:
        assert archive.testzip() is None
        assert "xl/theme/theme1.xml" in archive.namelist()


def test_constant_parts_deflated_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 21: the theme and the other fixed parts were deflated again for every workbook."""
    xlsx_zip._deflate_constant.cache_clear()
    sheets = [Sheet("S", ("a",), [["x"]], (10,))]
    for _ in range(5):
        xlsx_writer.workbook_bytes(sheets, creator="clxm_meta")
    info = xlsx_zip._deflate_constant.cache_info()
    assert info.misses == 7  # app, core, theme, styles, two relationship parts, content types
    assert info.hits == 4 * 7
