"""IMOD / etomo / SerialEM / AreTomo text files.

Align, tilt, newstack and batchruntomo logs, ``.com``, ``.edf``, ``.adoc``, ``.tlt``, ``.xf``,
``.zfac``, ``.mdoc`` and AreTomo ``.aln``; each kind's model sits beside its parser.

`read` (in ``reader.py``) and the format model (``model.py``) are imported on first use.

Text format: ``sniff.py`` recognises a file from its name and first bytes and imports no parser; the
registry calls it before this package's reader is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clxm_meta.readers._exports import lazy_exports

if TYPE_CHECKING:
    from clxm_meta.readers.imod.align_log_model import AlignLog
    from clxm_meta.readers.imod.angles import AngleFile
    from clxm_meta.readers.imod.aretomo import AreTomoAln
    from clxm_meta.readers.imod.batchruntomo import BatchruntomoAdoc, BatchruntomoLog
    from clxm_meta.readers.imod.comfile import ComFile
    from clxm_meta.readers.imod.edf import Edf
    from clxm_meta.readers.imod.mdoc import Mdoc
    from clxm_meta.readers.imod.model import ImodFile
    from clxm_meta.readers.imod.newst_log import NewstLog
    from clxm_meta.readers.imod.reader import read
    from clxm_meta.readers.imod.tilt_log import TiltLog
    from clxm_meta.readers.imod.xf import LocalXf, XfFile
    from clxm_meta.readers.imod.zfac import ZfacFile

__all__ = [
    "AlignLog",
    "AngleFile",
    "AreTomoAln",
    "BatchruntomoAdoc",
    "BatchruntomoLog",
    "ComFile",
    "Edf",
    "ImodFile",
    "LocalXf",
    "Mdoc",
    "NewstLog",
    "TiltLog",
    "XfFile",
    "ZfacFile",
    "read",
]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "AlignLog": "align_log_model",
        "AngleFile": "angles",
        "AreTomoAln": "aretomo",
        "BatchruntomoAdoc": "batchruntomo",
        "BatchruntomoLog": "batchruntomo",
        "ComFile": "comfile",
        "Edf": "edf",
        "ImodFile": "model",
        "LocalXf": "xf",
        "Mdoc": "mdoc",
        "NewstLog": "newst_log",
        "TiltLog": "tilt_log",
        "XfFile": "xf",
        "ZfacFile": "zfac",
        "read": "reader",
    },
)
