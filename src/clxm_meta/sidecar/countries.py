"""Country codes a deposition may carry: ISO 3166-1 alpha-2 as EMPIAR accepts them.

EMPIAR's deposition schema enumerates the codes it accepts for a contact's country. That set is
ISO 3166-1 alpha-2 with two differences worth knowing: it has no ``AX`` (Åland Islands) nor ``BQ``
(Bonaire, Sint Eustatius and Saba), and it keeps ``FX`` (metropolitan France, withdrawn from ISO)
and ``XK`` (Kosovo, a user-assigned code). ``UK`` is not a code: the United Kingdom is ``GB``.
tests/test_empiar_schema.py checks this set against the schema file when ../shared is present.
"""

from __future__ import annotations

__all__ = ["COUNTRY_ALIASES", "EMPIAR_COUNTRIES", "country_hint"]

_CODES = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BR BS BT
    BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE
    EG EH ER ES ET FI FJ FK FM FO FR FX GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY
    HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ
    LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW
    MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA
    RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH
    TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM
    ZW
"""

EMPIAR_COUNTRIES: frozenset[str] = frozenset(_CODES.split())
"""The 249 country codes EMPIAR accepts."""

COUNTRY_ALIASES: dict[str, str] = {
    "UK": "GB",
    "ENGLAND": "GB",
    "SCOTLAND": "GB",
    "WALES": "GB",
    "UNITED KINGDOM": "GB",
    "GREAT BRITAIN": "GB",
    "USA": "US",
    "UNITED STATES": "US",
    "GERMANY": "DE",
    "FRANCE": "FR",
    "SPAIN": "ES",
    "ITALY": "IT",
    "NETHERLANDS": "NL",
    "SWITZERLAND": "CH",
    "JAPAN": "JP",
    "CHINA": "CN",
}
"""Common non-codes and the code meant, used only to suggest a fix (never applied silently)."""


def country_hint(text: str) -> str:
    """A short hint for an invalid country (``" (did you mean GB?)"`` or ``""``)."""
    alias = COUNTRY_ALIASES.get(text.strip().upper())
    return f" (did you mean {alias}?)" if alias else ""
