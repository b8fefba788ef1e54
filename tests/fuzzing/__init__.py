"""Fuzz harness: seed corpus, mutators, a subprocess worker with per-case invariants, campaigns.

Test-only (not part of the package). Used by ``tests/test_fuzz_ci.py`` (the bounded CI subset) and
``scripts/fuzz.py`` (the long run whose latest result is recorded in docs/robustness.md).
"""
