#!/usr/bin/env bash
# Validate BIA submission RO-Crates with the BioImage Archive's own validator, offline.
#
#   scripts/validate_rocrate.sh [CRATE_DIR ...]
#
# Without arguments: the crate(s) `clxm-meta deposit examples/deposition` writes
# (biostudies/ro-crate/). Exit 1 on any validator error, 0 when every crate passes.
#
# bia-ro-crate-validator needs Python >= 3.13: taken from $CLXM_PY313, else python3.13 / python3.14
# on PATH, else pyenv's versions/3.13*/ or 3.14*/. Without one this prints that the crate could NOT
# be validated and exits 0 (CI stays usable on older machines, never a silent pass); set
# CLXM_REQUIRE_ROCRATE=1 to make that an error.
#
# The validator lives in its own virtual environment, $CLXM_BIA_VENV (default
# ~/.cache/clxm-meta/bia-ro-crate-venv), made on first use and reused while it holds the pinned
# versions; the test suite uses the same one (tests/export/test_rocrate_validator.py).
# It also holds ro-crate-py (rocrate, without its dependencies) only for the RO-Crate 1.1 JSON-LD
# context file it ships: scripts/bia_rocrate_offline.py serves that file to the validator instead
# of the network (see its docstring).
set -euo pipefail
cd "$(dirname "$0")/.."

VALIDATOR="bia-ro-crate-validator>=0.3.1,<0.4"
CONTEXT_PACKAGE="rocrate==0.15.0" # the last release whose data/ro-crate.jsonld is the 1.1 context
VENV="${CLXM_BIA_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/clxm-meta/bia-ro-crate-venv}"
CLXM_PYTHON="${CLXM_PYTHON:-python}"

is_py313() { [ -n "$1" ] && [ -x "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info < (3, 13))' 2>/dev/null; }

find_py313() {
    local candidates=("${CLXM_PY313:-}")
    candidates+=("$(command -v python3.13 || true)" "$(command -v python3.14 || true)")
    local root
    root="$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"
    for p in "$root"/versions/3.13*/bin/python3 "$root"/versions/3.14*/bin/python3; do
        candidates+=("$p")
    done
    for c in "${candidates[@]}"; do
        if is_py313 "$c"; then
            echo "$c"
            return 0
        fi
    done
    return 1
}

venv_ok() {
    [ -x "$VENV/bin/python" ] && "$VENV/bin/python" - <<'EOF' 2>/dev/null
import importlib.metadata as m
import importlib.util as u
assert m.version("bia-ro-crate-validator").startswith("0.3.")
assert m.version("rocrate") == "0.15.0"
assert u.find_spec("bia_ro_crate") is not None
EOF
}

if ! venv_ok; then
    if ! py="$(find_py313)"; then
        echo "RO-Crate NOT VALIDATED: bia-ro-crate-validator needs Python >= 3.13 and none was found"
        echo "  (set CLXM_PY313, or install 3.13 with pyenv); the crate was not checked."
        [ "${CLXM_REQUIRE_ROCRATE:-0}" = 1 ] && exit 1
        exit 0
    fi
    echo "making the validator's environment $VENV with $py"
    rm -rf "$VENV.new"
    mkdir -p "$(dirname "$VENV")"
    "$py" -m venv "$VENV.new"
    "$VENV.new/bin/python" -m pip install --quiet --disable-pip-version-check "$VALIDATOR"
    "$VENV.new/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps "$CONTEXT_PACKAGE"
    rm -rf "$VENV"
    mv "$VENV.new" "$VENV"
    venv_ok || { echo "the validator's environment $VENV is not usable"; exit 1; }
fi

crates=("$@")
if [ ${#crates[@]} -eq 0 ]; then
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    "$CLXM_PYTHON" -m clxm_meta deposit examples/deposition -o "$work/deposit" -q
    while IFS= read -r meta; do
        crates+=("$(dirname "$meta")")
    done < <(find "$work/deposit" -name ro-crate-metadata.json | sort)
    if [ ${#crates[@]} -eq 0 ]; then
        echo "clxm-meta deposit examples/deposition wrote no ro-crate-metadata.json"
        exit 1
    fi
fi
"$VENV/bin/python" scripts/bia_rocrate_offline.py "${crates[@]}"
