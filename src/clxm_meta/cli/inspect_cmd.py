"""``clxm-meta inspect FILE``: everything the reader found in one file."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from clxm_meta.cli.common import emit, exit_for, plain, print_findings
from clxm_meta.cli.rich_out import use_rich

if TYPE_CHECKING:
    import argparse

    from clxm_meta.readers.base import FormatModel

__all__ = ["add_parser", "run"]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``inspect`` command."""
    p = sub.add_parser("inspect", help="show everything the reader found in one file")
    p.add_argument("file", help="the file to inspect")
    p.add_argument("--format", choices=("text", "json"), default="text", dest="fmt")
    p.add_argument("--reader", help="force a reader (skip detection), e.g. dv, mrc")
    p.add_argument(
        "--strict", action="store_true", help="fail on problems instead of reporting findings"
    )
    p.add_argument(
        "--scan-intensities",
        action="store_true",
        help="also read the pixels (DV, MRC) for exact per-channel min/max/mean, streamed",
    )
    p.set_defaults(run=run)


def _intensity_block(model: FormatModel) -> dict[str, Any]:
    """The ``intensity_scan`` entry of the output (or the reason there is none)."""
    from dataclasses import asdict

    from clxm_meta.errors import ClxmMetaError
    from clxm_meta.pixels.intensity import TRANSFORM, scan_intensities

    try:
        scan = scan_intensities(model)
    except ClxmMetaError as exc:
        return {"error": exc.message}
    except OSError as exc:
        return {"error": f"cannot read the pixels: {exc.strerror or exc}"}
    return {
        "channels": [asdict(c) for c in scan.channels],
        "locator": scan.locator,
        "source": TRANSFORM,
    }


def run(args: argparse.Namespace) -> int:
    """Print the format model of ``args.file``."""
    from clxm_meta.readers.json_data import json_data
    from clxm_meta.readers.registry import read

    model = read(args.file, format=args.reader, strict=args.strict)
    data = json_data(model)  # = model.model_dump(mode="json"), without building a serializer
    if args.scan_intensities:
        data["intensity_scan"] = _intensity_block(model)
    if args.fmt == "json":
        import json  # not for the text output: a few ms of start-up

        emit(json.dumps(data, indent=2, ensure_ascii=False), sys.stdout)
    elif use_rich():
        from clxm_meta.cli.rich_out import print_findings_rich, print_model_rich

        data.pop("findings", None)
        print_model_rich(data, f"{type(model).__name__} ({model.format}): {model.path}")
        print_findings_rich(model.findings)
    else:
        findings = data.pop("findings", [])
        lines: list[str] = []
        plain(data, 0, lines)
        emit("\n".join(lines), sys.stdout)
        if findings:
            emit("findings:", sys.stdout)
            print_findings(model.findings, sys.stdout)
    return exit_for(model.findings)
