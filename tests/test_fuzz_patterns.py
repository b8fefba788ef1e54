"""The tag-pattern / reader-text fuzz class (issue 23): every regular expression a reader applies to
file text is attacked with inputs built from its own structure (see `fuzzing.patterns`).

CI runs a seeded subset (at least one attack per pattern); ``scripts/fuzz.py --pattern-cases N``
runs the long one. The detector's self-test feeds it the patterns issue 23 found (as they were)
and expects each to be caught: superlinear, or killed at the timeout.
"""

from __future__ import annotations

import re

import pytest

from fuzzing.patterns import (
    Attack,
    PatternCase,
    Site,
    _PatternWorker,
    attacks,
    collect,
    pick_cases,
    run_patterns,
)

SEED = 11
CASES = 1_500


def test_patterns_are_collected_structurally() -> None:
    sites = collect()
    assert len(sites) >= 100
    where = {s.where.split(":")[0] for s in sites}
    for module in (
        "readers/imod/text.py",
        "readers/imod/align_log_lines.py",
        "readers/simrecon/stdout.py",
        "readers/tiff/reader.py",
        "readers/tiff/ome_subset.py",
        "readers/dv/titles.py",
        "readers/mrc/labels.py",
        "dataset/roles.py",
    ):
        assert module in where, module


def test_every_pattern_is_written_as_a_literal_or_a_module_constant() -> None:
    """A pattern built inside a function (the OME LSID one was) escapes the structural check."""
    dynamic = [s.where for s in collect() if s.pattern is None]
    assert dynamic == []


def test_attacks_reach_each_quantified_part() -> None:
    got = list(attacks(re.compile(r"Residual:\s*(\d+(?:\.\d*)?)\s+nm")))
    assert Attack("Residual:", " ", "\x00") in got
    assert any(a.prefix == "Residual:7" and a.body == "7" for a in got)


def test_seeded_subset_finds_no_superlinear_pattern() -> None:
    cases = pick_cases(CASES, SEED)
    report = run_patterns(cases, workers=2, timeout=30)
    assert report.cases == len(cases) >= len({c.site.where for c in cases}) >= 100
    assert report.failed == 0, report.summary()


OLD = [
    # (where it was, the pattern as it was, an attack the structural generator makes)
    (
        "readers/tiff/ome_subset.py _id",
        r"(urn:lsid:([\w\-\.]+\.[\w\-\.]+)+:Image:\S+)|(Image:\S+)",
        Attack("urn:lsid:", "a.", "\x00"),
    ),
    (
        "readers/tiff/reader.py _SOFTWARE_VERSION",
        r"^\s*([A-Za-z][\w.+-]*?)[\s_-]+v?(\d+(?:\.\d+)+\S*)\s*$",
        Attack("aA", "-", "\x00"),
    ),
    (
        "readers/imod/text.py NUMBER",
        r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eEdD][-+]?\d+)?",
        Attack("", "7", "\x00"),
    ),
    (
        "readers/imod/sniff.py _MDOC",
        r"^[ \t]*\[?[ \t]*(ZValue|FrameSet|MontSection)[ \t]*=|^[ \t]*\[?T[ \t]*=[ \t]*SerialEM",
        Attack("", "\t", "\x00"),
    ),
    (
        "readers/imod/align_log.py weights",
        r"\d+\s+weights:",
        Attack("", "7", "\x00"),
    ),
    (
        "readers/imod/tilt_log.py RE_SIZE",
        r"Number of columns, rows, sections[ .]*\s+(\d+)\s+(\d+)\s+(\d+)",
        Attack("Number of columns, rows, sections", " ", "\x00"),
    ),
    (
        "readers/mrc/labels.py _DATED",
        r"^(?P<body>.*?)\s*(?P<date>\b\d{1,2}-[A-Z][a-z]{2}-\d{2})\s+(?P<time>\d{1,2}:\d{2}:\d{2})\s*$",
        Attack("", " ", "\x00"),
    ),
    (
        "readers/imod/batchruntomo.py RE_SECTION",
        r"^\s*\[\s*(\w+)\s*=\s*(.*?)\s*\]\s*$",
        Attack("[a=", " ", "\x00"),
    ),
    (
        "readers/dv/camera.py _GAIN",
        r"^(?:(EM|EMCCD|analog(?:ue)?|pre-?amp)\s+)?gain\s*[:=]?\s*(-?\d+(?:\.\d*)?)x?$",
        Attack("gain", " ", "\x00"),
    ),
]


@pytest.mark.parametrize(("where", "pattern", "attack"), OLD, ids=[o[0] for o in OLD])
def test_detector_catches_the_patterns_issue_23_found(
    where: str, pattern: str, attack: Attack
) -> None:
    """Each old pattern is caught: superlinear growth, or no answer within the timeout."""
    assert attack in set(attacks(re.compile(pattern)))  # the generator makes this attack itself
    worker = _PatternWorker()
    try:
        answer = worker.ask(PatternCase(0, Site(where, pattern), attack), timeout=8)
    finally:
        worker.stop()
    assert answer is None or answer["slow"], (where, answer)
