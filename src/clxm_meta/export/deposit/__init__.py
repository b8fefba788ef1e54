"""The deposit folder: every document of each correlative pair, md5.txt and README.txt."""

from __future__ import annotations

from typing import TYPE_CHECKING

from clxm_meta.readers._exports import lazy_exports

if TYPE_CHECKING:
    from clxm_meta.export.deposit.build import (
        DepositOutput,
        Unit,
        build_deposit,
        deposition_units,
        write_tree,
    )

__all__ = ["DepositOutput", "Unit", "build_deposit", "deposition_units", "write_tree"]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "DepositOutput": "build",
        "Unit": "build",
        "build_deposit": "build",
        "deposition_units": "build",
        "write_tree": "build",
    },
)
