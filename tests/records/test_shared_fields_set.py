"""Instances given the same fields share one fields-set (`clxm_meta.unvalidated.every_field`).

A fields-set is at least 216 bytes per instance; in a scan's result they were about half of the
memory of all records and format models. Sharing must be invisible: the same contents as a
validated instance, and no instance's set changed by what is done to another.
"""

from __future__ import annotations

import pickle

from pydantic import BaseModel, ConfigDict

from clxm_meta.dataset import transport
from clxm_meta.records.provenance import Source, SourceKind
from clxm_meta.unvalidated import construct, every_field


class Loose(BaseModel):
    a: int
    b: str = "x"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)

    a: int
    b: str = "x"
    c: float = 0.0


def test_every_field_given_shares_one_set_with_the_validated_contents() -> None:
    one, two = construct(Loose, {"a": 1, "b": "y"}), construct(Loose, {"a": 2, "b": "z"})
    assert one.__pydantic_fields_set__ is two.__pydantic_fields_set__ is every_field(Loose)
    assert one.model_fields_set == Loose(a=1, b="y").model_fields_set == {"a", "b"}


def test_assigning_to_one_instance_changes_no_other() -> None:
    one, two = construct(Loose, {"a": 1, "b": "y"}), construct(Loose, {"a": 2, "b": "z"})
    one.a = 5  # pydantic adds the name to the fields-set: already there
    assert two.model_fields_set == {"a", "b"} and two.a == 2
    copied = one.model_copy(update={"b": "w"})
    assert copied.model_fields_set == {"a", "b"}
    assert every_field(Loose) == {"a", "b"}


def test_a_partial_mutable_model_keeps_its_own_set() -> None:
    # Assignment adds a name to a partial set: it must not reach another instance.
    one, two = construct(Loose, {"a": 1}), construct(Loose, {"a": 2})
    assert one.__pydantic_fields_set__ is not two.__pydantic_fields_set__
    one.b = "q"
    assert one.model_fields_set == {"a", "b"}
    assert two.model_fields_set == {"a"}
    assert two.model_dump(exclude_unset=True) == {"a": 2}


def test_a_partial_frozen_model_shares_per_combination() -> None:
    one, two = construct(Frozen, {"a": 1}), construct(Frozen, {"a": 2})
    assert one.__pydantic_fields_set__ is two.__pydantic_fields_set__
    assert one.model_fields_set == Frozen(a=1).model_fields_set == {"a"}
    other = construct(Frozen, {"a": 1, "c": 2.0})
    assert other.model_fields_set == {"a", "c"}
    assert one.model_fields_set == {"a"}
    copied = one.model_copy(update={"b": "y"})  # copies the set before adding to it
    assert copied.model_fields_set == {"a", "b"}
    assert two.model_fields_set == {"a"}
    assert one.model_dump(exclude_unset=True) == {"a": 1}


def test_sources_share_their_class_set() -> None:
    made = Source.file("a.dv", "dv", "header nx (bytes 0-3)")
    derived = Source.derived(None, None, "x", "y")
    assert made.__pydantic_fields_set__ is derived.__pydantic_fields_set__
    assert made == Source(
        kind=SourceKind.FILE, path="a.dv", reader="dv", locator="header nx (bytes 0-3)"
    ).model_copy(update={"transform": None})
    assert made.model_fields_set == set(Source.model_fields)
    assert pickle.loads(pickle.dumps(made)) == made


def test_the_scan_transport_gives_back_shared_sets() -> None:
    made = construct(Frozen, {"a": 1, "b": "y", "c": 3.0})
    back = transport.loads(transport.dumps([made, construct(Loose, {"a": 1})]))
    assert back[0] == made
    assert back[0].__pydantic_fields_set__ is every_field(Frozen)
    assert back[1].model_fields_set == {"a"}
    assert back[1].__pydantic_fields_set__ is not every_field(Loose)
