"""The normaliser: format models → Table 1 records (it never opens a file)."""

from clxm_meta.normalise.build import build_record, build_records, candidates_for, values_agree
from clxm_meta.normalise.candidate import Candidate, Precedence

__all__ = [
    "Candidate",
    "Precedence",
    "build_record",
    "build_records",
    "candidates_for",
    "values_agree",
]
