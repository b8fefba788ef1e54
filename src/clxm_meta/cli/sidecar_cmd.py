"""``clxm-meta sidecar PATH``: write the depositor sidecar template (YAML).

``--facility`` names the facility profile merged beneath it; ``--orcid``/``--doi``/``--pmid`` look
people and the citation up online (opt-in; all or nothing); ``--ask`` prompts on a terminal for the
required values still missing.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from clxm_meta.cli.common import EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from clxm_meta.records.scan import ScanResult
    from clxm_meta.sidecar.template import Fills

__all__ = ["add_parser", "run"]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``sidecar`` command."""
    p = sub.add_parser("sidecar", help="write the depositor sidecar template (YAML)")
    p.add_argument("path", metavar="PATH", help="the deposition folder")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.add_argument("--sidecar", help="existing sidecar whose values to keep")
    p.add_argument(
        "--force",
        action="store_true",
        help="replace a template clxm-meta wrote (never one that was edited, never one inside "
        "the scanned tree)",
    )
    p.add_argument(
        "--facility",
        metavar="NAME|FILE",
        help="facility profile merged beneath the sidecar: a shipped name (diamond-b24) or a "
        "profile YAML file; written as the sidecar's `facility` key",
    )
    p.add_argument(
        "--orcid",
        action="append",
        default=[],
        metavar="ORCID",
        help="look up a person (name, current affiliation, its ROR id and country) in the ORCID "
        "public API and ROR; repeatable; online",
    )
    p.add_argument(
        "--doi",
        help="look up the citation (title, authors with ORCIDs, journal, year, volume, pages) "
        "in Crossref and Europe PMC; online",
    )
    p.add_argument("--pmid", help="look up the citation by PubMed id in Europe PMC; online")
    p.add_argument(
        "--organism",
        metavar="NAME",
        help="look up the NCBI taxon of an organism by scientific name (ENA taxonomy); online. "
        "Done too with any other look-up when the sidecar names an organism without its taxon",
    )
    p.add_argument(
        "--offline",
        action="store_true",
        help="look-ups use only answers cached by an earlier run",
    )
    p.add_argument(
        "--ask",
        action="store_true",
        help="prompt on the terminal for the required values still missing, and write them",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the sidecar template for ``args.path``."""
    from clxm_meta.cli.deposition_common import write_file_output
    from clxm_meta.dataset.scan import scan
    from clxm_meta.errors import LookupFailedError
    from clxm_meta.io.output import check_not_input, check_replace_file
    from clxm_meta.sidecar.template import Fills, render_template

    quiet = getattr(args, "quiet", False)
    facility = getattr(args, "facility", None)
    if getattr(args, "ask", False) and not sys.stdin.isatty():
        print("clxm-meta: --ask needs a terminal (standard input is not one)", file=sys.stderr)
        return EXIT_USAGE
    if args.output is not None:
        # the sidecar lives in the tree: a new one may be written there, nothing there replaced
        check_not_input(args.output, args.path, allow_inside=True)
        check_replace_file(args.output, force=args.force)
    result = scan(args.path, sidecar=args.sidecar, facility=facility)
    fills = Fills()
    orcids, doi = getattr(args, "orcid", []), getattr(args, "doi", None)
    pmid, organism = getattr(args, "pmid", None), getattr(args, "organism", None)
    if orcids or doi or pmid or organism:
        try:
            fills = _lookups(result, orcids, doi, pmid, organism, getattr(args, "offline", False))
        except LookupFailedError as exc:
            print(f"clxm-meta: {exc}", file=sys.stderr)
            return EXIT_USAGE
    text = render_template(result, fills=fills, facility=facility)
    if getattr(args, "ask", False):
        from clxm_meta.cli.ask import ask_missing

        text = ask_missing(args.path, result, fills, facility, input, sys.stderr) or text
    if args.output is not None:
        check_not_input(args.output, result.root, allow_inside=True)
        write_file_output(
            args.output, text, force=args.force, command="sidecar", roots=[args.path, result.root]
        )
        if not quiet:
            print(f"clxm-meta: sidecar template written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _lookups(
    result: ScanResult,
    orcids: list[str],
    doi: str | None,
    pmid: str | None,
    organism: str | None,
    offline: bool,
) -> Fills:
    """Look everything up first (all or nothing), then merge with the sidecar's values."""
    from clxm_meta.sidecar.biostudies import load_biostudies
    from clxm_meta.sidecar.fill import fills_from_lookup
    from clxm_meta.sidecar.load import load_sidecar
    from clxm_meta.sidecar.lookup import lookup_all

    if organism is None and result.sidecar:
        named = load_biostudies(result.sidecar).values.get("organism") or {}
        if named.get("scientific_name") and not named.get("ncbi_taxon"):
            organism = named["scientific_name"]
    found = lookup_all(orcids=orcids, doi=doi, pmid=pmid, organism=organism, offline=offline)
    people = None
    publication_doi = None
    if result.sidecar:
        sc = load_sidecar(result.sidecar)
        for e in sc.entries:
            if e.scope == "all" and e.field == "general.people":
                people = e.value
            if e.scope == "all" and e.field == "general.publication_doi":
                publication_doi = e.value
    return fills_from_lookup(found, people=people, publication_doi=publication_doi)
