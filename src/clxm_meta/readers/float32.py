"""The shortest decimal form of a float32 read from a file header, without numpy.

A header float32 widened to a Python float (``0.07999999821186066``) is written as its writer
meant it (``0.08``): the shortest decimal that reads back as the same float32, the form numpy's
``str(np.float32(v))`` gives (tests/readers/test_float32.py holds this on random bit patterns,
every power of two and ten with their neighbours, and the range's ends). The DV and MRC readers
convert every non-integral header float this way, so it is done here in pure Python at about a
third of numpy's cost per value, numpy being kept for the rare values it alone decides.
"""

from __future__ import annotations

import math

__all__ = ["F32_TINY", "shortest"]

F32_TINY = 1.1754943508222875e-38
"""Smallest normal float32 (``np.finfo(np.float32).tiny``); non-zero values below it are denormal."""

_F32_EXACT_INT = 16777216.0
"""2**24: every integer up to it is a float32, and its shortest decimal form is the integer."""

_POW10 = tuple(float(f"1e{k}") for k in range(-46, 40))
"""``_POW10[k + 46]`` is the float64 closest to 10**k, for every decade a float32 can fall in
(and one either side). None of them for k < 0 is a float32 (tests/readers/test_float32.py holds
this), so a float32 compares with it exactly as with 10**k itself."""

_HALF_ULP = 268435456.0
"""2**28: a float64's unit in the last place times this is half a float32's (both normal)."""


def _numpy_shortest(value: float) -> float:
    import numpy as np

    return float(str(np.float32(value)))


def _decade(a: float) -> int:
    """``k`` with 10**k <= a < 10**(k+1), for a normal positive float32 ``a``."""
    k = math.floor(math.log10(a))
    if a < _POW10[k + 46]:
        return k - 1
    if a >= _POW10[k + 47]:
        return k + 1
    return k


def shortest(value: float) -> float | None:
    """The float32 ``value`` (exactly representable) as its shortest decimal; ``None`` if not finite.

    Zero and integers up to 2**24 already are that form. Otherwise the closest decimal of 6, 7, 8
    significant digits that reads back as the value is the shortest one (at most one decimal of
    up to 6 digits lies within a float32's rounding interval, and for 7 and 8 digits the closest
    is the one numpy picks); 9 digits always read back. The closest decimal of ``n`` significant
    digits is ``round(value, n - 1 - k)`` for a value in the decade 10**k: correctly rounded, as
    ``float("%.{n-1}e" % value)`` is, at half its cost. Denormals, and powers of two whose closest
    6-digit decimal does not read back (a lopsided rounding interval), go to numpy.
    """
    if value.is_integer():  # never true of an infinity or a NaN
        if -_F32_EXACT_INT <= value <= _F32_EXACT_INT:
            return value
    elif value - value != 0.0:  # an infinity or a NaN
        return None
    a = value if value > 0.0 else -value
    if a < F32_TINY:  # denormal (zero returned above): a fixed spacing, not one unit per binade
        return _numpy_shortest(value)
    half = math.ulp(a) * _HALF_ULP  # half a float32 unit in the last place
    significand = a / (half + half)  # the float32's 24-bit integer significand
    places = 5 - _decade(a)
    if significand == 8388608.0:  # a power of two: a lopsided rounding interval
        # The float32 below lies half as far as the one above; a tie goes to ``value``, whose
        # significand is even. Only the 6-digit form is decided here, numpy decides the rest.
        back = round(value, places)
        below = back < value if value > 0.0 else back > value
        gap = back - value if back > value else value - back
        return back if gap <= (half / 2 if below else half) else _numpy_shortest(value)
    # Both float32 neighbours lie one unit in the last place away: a decimal reads back as
    # ``value`` when its float64 lies within half of it (a tie goes to the even significand),
    # which is what packing it to float32 decides, without the pack and unpack.
    even = not int(significand) & 1
    for digits in (0, 1, 2):  # 6, 7, 8 significant digits
        back = round(value, places + digits)
        gap = back - value if back > value else value - back
        if gap < half or (gap == half and even):
            return back
    return round(value, places + 3)
