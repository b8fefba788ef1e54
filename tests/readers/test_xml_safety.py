"""XML safety: external entities (XXE) and entity expansion (billion laughs) are refused.

Every XML a reader parses (OME-XML in TIFF ImageDescription, eC-CLEM transform files) goes through
`clxm_meta.readers._xml`, which refuses entity declarations and external DTDs before any parser
builds anything. The payloads below would read a local file, reach the network or expand to
gigabytes if they were honoured; the tests prove they are refused, quickly and without memory.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import tracemalloc
from pathlib import Path

import pytest

import clxm_meta
from clxm_meta.errors import MalformedFileError
from clxm_meta.readers._xml import XmlError, parse_xml, xml_hazard

NS = "http://www.openmicroscopy.org/Schemas/OME/2016-06"
SECRET = "clxm-secret-7f3a"


def billion_laughs(levels: int = 10) -> str:
    ents = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, levels)
    )
    return f'<?xml version="1.0"?><!DOCTYPE r [{ents}]><r a="&l{levels - 1};">&l{levels - 1};</r>'


def xxe_file(target: Path) -> str:
    return (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{target}">]>'
        '<r><MatrixTransformation m00="&x;"/>&x;</r>'
    )


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


@pytest.mark.parametrize(
    "payload",
    [
        billion_laughs(),
        '<!DOCTYPE r [<!ENTITY a "' + "x" * 10_000 + '">]><r>' + "&a;" * 1000 + "</r>",
        '<!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]><r/>',
        '<!DOCTYPE r SYSTEM "http://127.0.0.1:9/x.dtd"><r/>',
        '<!DOCTYPE r PUBLIC "-//X//DTD X//EN" "x.dtd"><r/>',
        '<!DOCTYPE r [<!ENTITY u SYSTEM "x.bin" NDATA png>]><r/>',
        '<!DOCTYPE r [<!ENTITY i "internal">]><r>&i;</r>',
    ],
    ids=[
        "billion_laughs",
        "quadratic",
        "parameter_xxe",
        "external_dtd",
        "public_dtd",
        "unparsed",
        "internal",
    ],
)
def test_hazards_are_refused(payload: str) -> None:
    assert xml_hazard(payload) is not None
    with pytest.raises(XmlError) as info:
        parse_xml(payload)
    assert info.value.refused


def test_xxe_file_is_refused_and_never_read(secret_file: Path) -> None:
    payload = xxe_file(secret_file)
    reason = xml_hazard(payload)
    assert reason is not None and "entity" in reason
    with pytest.raises(XmlError) as info:
        parse_xml(payload)
    assert SECRET not in str(info.value)


def test_plain_documents_pass_and_any_doctype_is_refused() -> None:
    assert xml_hazard('<?xml version="1.0"?><r a="&amp;&#65;"/>') is None
    assert parse_xml("<r>&lt;</r>").text == "<"
    # issue 23: any DTD is refused, even one without entities or an external id
    assert xml_hazard("<!DOCTYPE r><r/>") is not None
    with pytest.raises(XmlError) as info:
        parse_xml("<!DOCTYPE r><r>&lt;</r>")
    assert info.value.refused


INTERNAL_ENTITY = (
    '<?xml version="1.0" encoding="{enc}"?><!DOCTYPE r [<!ENTITY e "EXPANDED">]><r>&e;</r>'
)


@pytest.mark.parametrize("enc", ["UTFnan", "x-unknown", "utf-7", "UTF-32", "cp037", "utf-8"])
@pytest.mark.parametrize("as_bytes", [False, True])
def test_doctype_refused_whatever_the_declared_encoding(enc: str, as_bytes: bool) -> None:
    """Issue 23: an unknown encoding= ended the guard early; ElementTree still expanded &e;."""
    text = INTERNAL_ENTITY.format(enc=enc)
    doc: str | bytes = text.encode("utf-8") if as_bytes else text
    assert xml_hazard(doc) is not None
    with pytest.raises(XmlError) as info:
        parse_xml(doc)
    assert info.value.refused


def test_doctype_in_utf16_is_refused() -> None:
    doc = '<?xml version="1.0" encoding="x-nope"?><!DOCTYPE r [<!ENTITY e "X">]><r>&e;</r>'
    for codec in ("utf-16-le", "utf-16-be"):
        assert xml_hazard(doc.encode(codec)) is not None


def test_malformed_and_undecodable_give_one_error_type() -> None:
    for bad in (
        "<r>",
        "<r></s>",
        "",
        "<r>\ud800</r>",
        b"<r>\xff</r>",
        "\x00<r/>",
        b'<?xml version="1.0" encoding="UTF-x"?><r/>',  # found by the fuzz run (LookupError)
    ):
        assert xml_hazard(bad) is None  # not a hazard: the parser reports it
        with pytest.raises(XmlError) as info:
            parse_xml(bad)
        assert not info.value.refused


def test_unknown_declared_encoding_in_decoded_text() -> None:
    """Found by the fuzz run: expat raised LookupError on encoding="UTFnan"."""
    text = '<?xml version="1.0" encoding="UTFnan"?><r/>'
    assert xml_hazard(text) is None
    with contextlib.suppress(XmlError):  # already-decoded text: the declaration may be ignored
        parse_xml(text)


def test_billion_laughs_refused_fast_and_small() -> None:
    payload = billion_laughs(12)  # 10^12 "lol"s if expanded
    tracemalloc.start()
    try:
        assert xml_hazard(payload) is not None
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


def test_network_dtd_is_not_fetched() -> None:
    """A DOCTYPE pointing at a listening socket: refused without any connection being made."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.5)
    port = server.getsockname()[1]
    connected: list[bool] = []

    def accept() -> None:
        try:
            conn, _ = server.accept()
            connected.append(True)
            conn.close()
        except OSError:
            pass

    thread = threading.Thread(target=accept)
    thread.start()
    try:
        payload = (
            f'<!DOCTYPE r SYSTEM "http://127.0.0.1:{port}/x.dtd">'
            f'<r><MatrixTransformation m00="1"/></r>'
        )
        with pytest.raises(XmlError):
            parse_xml(payload)
    finally:
        thread.join()
        server.close()
    assert not connected


# ---------------------------------------------------------------- through the readers


def test_correlation_reader_refuses_xxe(tmp_path: Path, secret_file: Path) -> None:
    path = tmp_path / "transfo.xml"
    path.write_text(xxe_file(secret_file))
    with pytest.raises(MalformedFileError) as info:
        clxm_meta.read(path, format="correlation")
    assert "refused" in str(info.value)
    assert SECRET not in str(info.value)


def test_correlation_reader_refuses_billion_laughs(tmp_path: Path) -> None:
    path = tmp_path / "transfo.xml"
    payload = billion_laughs().replace('<r a="', '<r><MatrixTransformation m00="1"/><x a="')
    payload = payload.replace("</r>", "</x></r>")
    path.write_text(payload)
    with pytest.raises(MalformedFileError, match="refused"):
        clxm_meta.read(path, format="correlation")


def _ome_tiff(tmp_path: Path, xml: str) -> Path:
    from writers.tiff import write_ome_tiff

    return write_ome_tiff(tmp_path / "evil.ome.tif", xml, software="txrm2tiff 2.2.1")


@pytest.mark.parametrize("kind", ["xxe", "billion_laughs", "external_dtd"])
def test_tiff_reader_refuses_hostile_ome_xml(tmp_path: Path, secret_file: Path, kind: str) -> None:
    pixels = (
        '<Image ID="Image:0" Name="&x;"><Pixels ID="Pixels:0" DimensionOrder="XYZCT" '
        'Type="uint16" SizeX="8" SizeY="6" SizeZ="2" SizeC="1" SizeT="1"/></Image>'
    )
    dtd = {
        "xxe": f'<!DOCTYPE OME [<!ENTITY x SYSTEM "file://{secret_file}">]>',
        "billion_laughs": billion_laughs()
        .split("<r ", 1)[0]
        .split("?>", 1)[1]
        .replace("DOCTYPE r", "DOCTYPE OME")
        .replace("]>", '<!ENTITY x "&l9;">]>'),
        "external_dtd": '<!DOCTYPE OME SYSTEM "http://127.0.0.1:9/ome.dtd">',
    }[kind]
    if kind == "external_dtd":
        pixels = pixels.replace("&x;", "x")
    xml = f'<?xml version="1.0"?>{dtd}<OME xmlns="{NS}">{pixels}</OME>'
    path = _ome_tiff(tmp_path, xml)
    model = clxm_meta.read(path)
    assert model.ome is None
    assert any(f.code == "tiff.ome_refused" for f in model.findings)
    assert SECRET not in model.model_dump_json()
    assert model.first_page.width == 8  # the plain tags are still read
    with pytest.raises(MalformedFileError, match="refused"):
        clxm_meta.read(path, strict=True)
