"""What a BIA RO-Crate is built from: the shared `Sources`, naming the crate in its missing values.

`Sources` is shared by the modules that write the crate's entities (`study`, `rembi`, `files`):
the Table 1 values of the SIM dataset worded as the PageTab words them, the ``biostudies:`` block
of the sidecar, and the list of required values none of them gives (`MissingField`, document
``BIA RO-Crate``). All but the crate's choice of related entries is
`clxm_meta.export.biostudies.sources.Sources`, which the PageTab builders share.
"""

from __future__ import annotations

from clxm_meta.export.biostudies import sources
from clxm_meta.export.biostudies.sources import sidecar_key

__all__ = ["DOCUMENT", "Sources", "sidecar_key"]

DOCUMENT = "BIA RO-Crate"
"""The document named by the crate's `MissingField` entries."""


class Sources(sources.Sources):
    """The records and sidecar one SIM study's crate is built from, and the values they lack.

    Raises `KeyError` (a dataset not in the scan) or `ValueError` (``sim`` not a SIM dataset,
    ``sxt`` not an SXT dataset) when made.
    """

    document = DOCUMENT

    def accessions(self) -> list[str]:
        """Related entries: the SIM record's, and the partner's EMPIAR entries.

        The SXT record's BioStudies accessions are left out: after README step 2 they hold this
        study's own S-BIAD accession, and a study does not link to itself.
        """
        out: list[str] = []
        for rec, only_empiar in ((self.record, False), (self.sxt_record, True)):
            slot = rec.get("related.accessions") if rec is not None else None
            for acc in slot.value if slot is not None else []:
                if only_empiar and not acc.startswith("EMPIAR"):
                    continue
                if acc not in out:
                    out.append(acc)
        return out
