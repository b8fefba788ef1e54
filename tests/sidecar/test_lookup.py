"""Look-ups by ORCID, DOI, PubMed id and ROR: the real HTTP client against a local server.

The server (`lookup_server.py`) listens on 127.0.0.1 and serves recorded answers written from each
API's documented format; the services' base URLs are pointed at it through their environment
variables. No test touches the internet.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from lookup_server import lookup_server

from clxm_meta.cli import main
from clxm_meta.errors import LookupFailedError
from clxm_meta.sidecar import load_sidecar
from clxm_meta.sidecar.lookup import lookup_all

CARBERRY = "0000-0002-1825-0097"
QUILL = "0000-0003-1234-5674"
DOI = "10.5555/12345678"


def _point_at(monkeypatch: pytest.MonkeyPatch, base: str, cache: Path) -> None:
    monkeypatch.setenv("CLXM_META_ORCID_URL", f"{base}/orcid")
    monkeypatch.setenv("CLXM_META_CROSSREF_URL", f"{base}/crossref")
    monkeypatch.setenv("CLXM_META_EUROPEPMC_URL", f"{base}/epmc")
    monkeypatch.setenv("CLXM_META_ROR_URL", f"{base}/ror")
    monkeypatch.setenv("CLXM_META_ENA_URL", f"{base}/ena")
    monkeypatch.setenv("CLXM_META_CACHE", str(cache))


@pytest.fixture
def services(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[str]]:
    """The recorded services on 127.0.0.1; yields the list of requests the server saw."""
    with lookup_server() as server:
        host, port = server.server_address[:2]
        _point_at(monkeypatch, f"http://{host!s}:{port}", tmp_path / "cache")
        yield server.requests  # type: ignore[attr-defined]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_orcid_gives_name_current_affiliation_ror_and_country(services: list[str]) -> None:
    found = lookup_all(orcids=[CARBERRY, f"https://orcid.org/{QUILL}"])
    carberry, quill = found.people
    assert carberry == {
        "name": "Josiah Carberry",
        "first_name": "Josiah",
        "last_name": "Carberry",
        "orcid": CARBERRY,
        "email": "josiah.carberry@example.org",
        # the current employment (no end date), not the earlier one
        "affiliation": "Brown University, Department of Psychoceramics",
        "ror": "https://ror.org/05gq02987",
        "country": "US",
    }
    # no ROR id in ORCID: ROR's affiliation matching chose one organisation (the fuzzy one is not)
    assert quill["ror"] == "https://ror.org/0abcde165" and quill["country"] == "GB"
    assert "email" not in quill
    assert any(r.startswith(f"/orcid/{CARBERRY}/record") for r in services)
    assert any(r.startswith("/ror/organizations/05gq02987") for r in services)


def test_doi_gives_the_citation_with_author_orcids(services: list[str]) -> None:
    found = lookup_all(doi=f"https://doi.org/{DOI}")
    cit = found.citation
    assert cit["title"].startswith("Toward a Unified Theory of High-Energy Metaphysics")
    assert cit["status"] == "published"
    assert (cit["journal"], cit["volume"], cit["issue"]) == ("Journal of Psychoceramics", "5", "11")
    assert (cit["first_page"], cit["last_page"], cit["year"]) == ("1", "3", 2008)
    assert cit["authors"] == [
        {"name": "Carberry, Josiah", "orcid": CARBERRY},
        {"name": "Quill, Ada"},
    ]
    assert cit["doi"] == DOI and cit["pubmed_id"] == "99999999"  # Europe PMC adds the PubMed id
    assert found.abstract is not None and "<" not in found.abstract  # markup removed
    assert found.keywords == ["psychoceramics", "cryo-SIM", "soft X-ray tomography"]


def test_pmid_gives_the_citation_from_europe_pmc(services: list[str]) -> None:
    cit = lookup_all(pmid="99999999").citation
    assert cit["title"].endswith("Silly String Theory")  # Europe PMC's final period dropped
    assert cit["journal_abbreviation"] == "J Psychoceram"
    assert cit["authors"][0] == {"name": "Carberry, J", "orcid": CARBERRY}


def test_organism_gives_its_ncbi_taxon(services: list[str]) -> None:
    found = lookup_all(organism="homo sapiens")
    assert found.organism == {
        "scientific_name": "Homo sapiens",
        "ncbi_taxon": "9606",
        "common_name": "human",
    }
    with pytest.raises(LookupFailedError, match="organism 'Homo sapien'"):
        lookup_all(organism="Homo sapien")


def test_answers_are_cached_and_reused_offline(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with lookup_server() as server:
        host, port = server.server_address[:2]
        _point_at(monkeypatch, f"http://{host!s}:{port}", tmp_path / "cache")
        first = lookup_all(orcids=[CARBERRY])
    assert list((tmp_path / "cache").glob("*.json"))
    # the server is gone: the cache answers, with --offline or without
    assert lookup_all(orcids=[CARBERRY], offline=True).people == first.people
    assert lookup_all(orcids=[CARBERRY]).people == first.people


def test_unknown_record_and_bad_ids_are_named(services: list[str]) -> None:
    with pytest.raises(LookupFailedError) as err:
        lookup_all(orcids=["0000-0001-5109-3700", "0000-0002-1825-0098"], doi="not-a-doi")
    text = str(err.value)
    assert "ORCID 0000-0001-5109-3700: no such record" in text
    assert "'0000-0002-1825-0098' (not dddd-dddd-dddd-dddX with a valid check digit)" in text
    assert "DOI 'not-a-doi'" in text and "\n" not in text


def test_cli_writes_lookups_into_the_sidecar_with_their_urls(
    services: list[str], tree: Path, tmp_path: Path
) -> None:
    out = tmp_path / "clxm.yaml"
    code = main(["-q", "sidecar", str(tree), "--orcid", CARBERRY, "--doi", DOI, "-o", str(out)])
    assert code == 0
    text = out.read_text()
    data = yaml.safe_load(text)
    people = data["all"]["general.people"]
    # the example sidecar's person (same ORCID) keeps its own values and gains the empty ones
    assert people[0]["affiliation"] == "Example University, Department of Microscopy"
    assert people[0]["corresponding_author"] is True
    assert people[0]["email"] == "j.carberry@example.org"
    # ORCID's affiliation is another one: its ROR id and country are not put on this one
    assert "ror" not in people[0] and people[0]["country"] == "GB"
    assert "looked up: http://127.0.0.1" in text and f"/orcid/{CARBERRY}/record" in text
    # the sidecar's own citation values win; the empty ones are filled from Crossref
    assert (
        data["citation"]["title"] == "Correlative cryo-SIM and cryo-SXT of a synthetic example cell"
    )
    assert data["citation"]["journal"] == "Journal of Psychoceramics"
    assert data["citation"]["authors"][0] == {"name": "Carberry, Josiah", "orcid": CARBERRY}
    assert data["all"]["general.publication_doi"] == DOI
    # no looked-up ROR id belongs to the sidecar's own affiliation: no organisation is added
    assert data["biostudies"]["organisations"] is None
    # the example sidecar's description is kept; keywords too
    assert data["biostudies"]["description"].startswith("Correlative cryo-SIM and cryo-SXT")
    sc = load_sidecar(out)
    assert not [f for f in sc.findings if f.severity.value == "error"]
    assert sc.citation is not None and sc.citation.author_orcids == [CARBERRY, None]


def test_cli_offline_says_what_failed_in_one_line_and_writes_nothing(
    monkeypatch: pytest.MonkeyPatch,
    tree: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _point_at(monkeypatch, f"http://127.0.0.1:{_closed_port()}", tmp_path / "cache")
    out = tmp_path / "clxm.yaml"
    code = main(["sidecar", str(tree), "--orcid", CARBERRY, "--doi", DOI, "-o", str(out)])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert f"ORCID {CARBERRY}: cannot reach the service" in err[0]
    assert f"DOI {DOI}: cannot reach the service" in err[0] and err[0].endswith("nothing written")
    assert not out.exists()


def test_a_hostile_answer_is_a_lookup_error_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    bodies = {
        "/deep": b"[" * 100_000 + b"]" * 100_000,
        "/big": b" " * (5 << 20),
        "/text": b"<html>",
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = bodies.get(self.path.split("/0000")[0], b"")
            self.send_response(200)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for name, why in (("deep", "not JSON"), ("big", "larger than"), ("text", "not JSON")):
            _point_at(monkeypatch, f"http://127.0.0.1:{server.server_address[1]}", tmp_path / name)
            monkeypatch.setenv(
                "CLXM_META_ORCID_URL", f"http://127.0.0.1:{server.server_address[1]}/{name}"
            )
            with pytest.raises(LookupFailedError, match=why):
                lookup_all(orcids=[CARBERRY])
    finally:
        server.shutdown()
        server.server_close()
