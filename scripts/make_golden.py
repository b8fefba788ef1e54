"""Regenerate tests/golden/*.json from the real samples in ../shared/data/real.

Usage: python scripts/make_golden.py [--only SUBDIR_OR_NAME ...]
Review the diff before committing: a changed golden file is a changed reader output.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden import golden_name, inspect_json, sample_files

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--real", type=Path, default=ROOT.parent / "shared" / "data" / "real")
    parser.add_argument("--only", nargs="*", default=[], help="subfolders or name fragments")
    args = parser.parse_args()
    real = args.real.resolve()
    out_dir = ROOT / "tests" / "golden"
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in sample_files(real):
        name = golden_name(real, path)
        if args.only and not any(o in name for o in args.only):
            continue
        data = inspect_json(real, path)
        (out_dir / name).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        print(f"wrote {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
