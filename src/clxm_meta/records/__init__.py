"""Table 1 records: the deposition vocabulary (see shared/docs/table1.md)."""

from clxm_meta.records.fields import FIELDS, DatasetKind, FieldSpec, field_spec, fields_for
from clxm_meta.records.models import Record, SimRecord, SxtRecord, record_class
from clxm_meta.records.provenance import Source, SourceKind
from clxm_meta.records.rows import Row, rows
from clxm_meta.records.value import Value

__all__ = [
    "FIELDS",
    "DatasetKind",
    "FieldSpec",
    "Record",
    "Row",
    "SimRecord",
    "Source",
    "SourceKind",
    "SxtRecord",
    "Value",
    "field_spec",
    "fields_for",
    "record_class",
    "rows",
]
