"""Lens ID → objective: the DeltaVision lens table.

The DV header stores the objective as an integer lens ID (int16 at byte 162). This module maps the
IDs to objective facts. The facts (ID, name, magnification, numerical aperture, immersion, working
distance in mm, model/part number, correction) were collected from public sources and written here
in the project's own table format:

- tlambert03/mrc ``src/mrc/lenses.py`` @679bf8d (BSD-3-Clause), a table of 190 IDs;
- ome/bioformats ``DeltavisionReader.populateObjective`` (GPL), described in
  docs/reference/formats-binary.md §1.8; both agree on the IDs the project tests (10003, 10612,
  12, 13).

Manufacturer is the one stated by the source, else the first word of the name when it is a maker
(``Olympus``, ``Nikon``, ``Zeiss``, ``Leica``; ``API`` → Applied Precision), else unknown. An ID that
is not in the table stays an ID: `lookup` returns ``None`` and the reader reports a finding; no
manufacturer or magnification is guessed from the ID's range.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

__all__ = ["Lens", "known_ids", "lookup"]


@dataclass(frozen=True)
class Lens:
    """One objective of the lens table (units in the names; ``None`` = not in the source)."""

    lens_id: int
    name: str
    manufacturer: str | None
    magnification: float | None
    na: float | None
    immersion: str | None
    working_distance_mm: float | None
    model: str | None
    correction: str | None


# id|name|manufacturer|magnification|NA|immersion|working distance mm|model|correction
_TABLE = """\
1|Zeiss 10X/.25|Zeiss|10|0.25|Air|||
2|Zeiss 25X/.50|Zeiss|25|0.5|Air|||
3|Zeiss 50X/1.00|Zeiss|50|1|Oil|||
4|Zeiss 63X/1.25|Zeiss|63|1.25|Oil|||
5|Zeiss 100X/1.30|Zeiss|100|1.3|Oil|||
6|Neofluor 100X/1.30||100|1.3|Oil|||Neofluor
7|Leitz Plan Apo Brightfield|Leitz|63|1.4|Oil|||PlanApo
8|Coverslip-less water immersion||63|1.2|Water|||
9|Olympus 10X/0.40|Olympus|10|0.4|Air|0.3||
10|Olympus 20X/0.80|Olympus|20|0.8|Oil|0.3||
11|Olympus 40X/1.30|Olympus|40|1.3|Oil|0.3||
12|Olympus 60X/1.40|Olympus|60|1.4|Oil|0.3||
13|Nikon 100X/1.40|Nikon|100|1.4|Oil|0.3||
10000|Olympus 100X/1.30, DApo/340, IMT2|Olympus|100|1.3|Oil||1-LB393|Apo
10001|Olympus 100X/1.30, D Plan Apo UV, IMT2|Olympus|100|1.3|Oil||1-LB392|UV
10002|Olympus 100X/1.40, Plan Apo, IX70|Olympus|100|1.4|Oil|0.1|1-UB935|PlanApo
10003|Olympus 100X/1.35, U Plan Apo, IX70|Olympus|100|1.35|Oil|0.1|1-UB836|PlanApo
10004|Olympus 100X/1.30, UPLFL|Olympus|100|1.3|Oil||1-UB535|
10005|Olympus 100X/1.35, U Plan Apo, PSF, IX70|Olympus|100|1.35|Oil|0.1||PlanApo
10006|Olympus 100X/1.40, Plan Apo, PSF, IX70|Olympus|100|1.4|Oil|0.1||PlanApo
10007|Olympus 100X/1.40, UPLS Apo, UIS2, 1-U2B836|Olympus|100|1.4|Oil|0.13|1-U2B836|
10008|Olympus U-Plan Fluorite 100X/1.30|Olympus|100|1.3|Oil|0.2|1-U2B5352|
10009|Olympus U-Plan Fluorite 100X/0.55-1.30 w/Corr. Collar|Olympus|100|1.3|Oil|0.2|1-U2B5362|
10010|Olympus PlanApo TIRFM 100X/1.45|Olympus|100|1.45|Oil|0.1|1-UB617R|PlanApo
10011|Olympus U-Apo N TIRF 100X/1.49 w/Corr. Collar|Olympus|100|1.49|Oil|0.1|1-U2B725|
10012|Olympus 100X/0.95, PLFL, Corr Collar 0.14-0.20, Iris|Olympus|100|0.95|Air|0.2|XXXXXXXX|
10100|Olympus 10X/0.30, S Plan Achromat, phase, IMT2|Olympus|10|0.3|Air||1-LP134|Achromat
10101|Olympus 10X/0.40, DApo/340, IMT2|Olympus|10|0.4|Air||1-LB331|Apo
10102|Olympus 10X/0.30, SPlan 10, Positive Low, phase, IMT2|Olympus|10|0.3|Air||1-LP134|
10103|Olympus 4X/0.13, SPlan 4, Positive Low, phase, IMT2|Olympus|4|0.13|Air||1-LP124|
10104|Olympus 10X/0.40, D Plan Apo UV, IMT2|Olympus|10|0.4|Air||1-LB331|UV
10105|Olympus 10X/0.40, D Plan Apo UV, phase, fluor free, IMT2|Olympus|10|0.4|Air|3.1|1-LP331|UV
10106|Olympus 4X/0.16, U Plan Apo, Infinity/-, IX70|Olympus|4|0.16|Air|13|1-UB822|PlanApo
10107|Olympus 10X/0.40, U Plan Apo, IX70|Olympus|10|0.4|Air|3.1|1-UB823|PlanApo
10108|Olympus 10X/0.25,C Plan Achromat, phase, IX70|Olympus|10|0.25|Air|9.8|1-UC243|Achromat
10109|Olympus 10X/0.30, UPlanFl, IX70|Olympus|10|0.3|Air||1-UB532|PlanFluor
10110|Olympus 4X/0.13|Olympus|4|0.13|Air|||
10111|Olympus 2X/0.08, SPlan FL 2|Olympus|2|0.08|Air|||
10112|Olympus 4X/0.13, UPlanFL, Infinity/170, IX70|Olympus|4|0.13|Air||1-UB522|PlanFluor
10113|Olympus 1.25X/0.04, PlanApo, IX70|Olympus|1.25|0.04|Air|5.1|1-UB920|PlanApo
10114|Olympus 2X/0.08, PlanApo, IX70|Olympus|2|0.08|Air|6|1-UB921|PlanApo
10115|Olympus U-Plan S-Apo 10X/0.4|Olympus|10|0.4|Air|3.1|1-U2B823|
10116|Olympus 4X/0.16, U-Plan S-Apo, UIS2, 1-U2B822|Olympus|4|0.16|Air|13|1-U2B822|
10117|Olympus 10X/0.40, U-Plan S-Apo, UIS2, 1-U2B824|Olympus|10|0.4|Air|3.1|1-U2B824|
10200|Olympus 20X/0.40, LWD, CD Plan Achromat, phase, IMT2|Olympus|20|0.4|Air|3||Achromat
10201|Olympus 20X/0.65, DApo/340, IMT2, 1-LB343|Olympus|20|0.65|Air|1.03|1-LB343|Apo
10202|Olympus 20X/0.40, ULWD, CDPlan 20PL, phase, IMT2, 1-LP146|Olympus|20|0.4|Air||1-LP146|
10203|Olympus 20X/0.80, D Plan Apo/340, IMT2, 1-LB342|Olympus|20|0.8|Oil||1-LB342|PlanApo
10204|Olympus 20X/0.70, D Plan Apo UV, IMT2, 1-LB341|Olympus|20|0.7|Air||1-LB341|UV
10205|Olympus 20X/0.75, U Apo 340, IX70, 1-UB765|Olympus|20|0.75|Air|0.55|1-UB765|Apo
10206|Olympus 20X/0.50, Phase, UPLFL, IX70, 1-UC525|Olympus|20|0.5|Air|0.55|1-UC525|
10207|Olympus 20X/0.40, LWD, C Achromat, phase, IX70|Olympus|20|0.4|Air|3|1-UC145|Achromat
10208|Olympus 20X/0.50, Phase, UPLFL, IX70, 1-UB525|Olympus|20|0.5|Air|0.55|1-UB525|
10209|Olympus 20X/0.40, LCPLFL, Phase, IX70|Olympus|20|0.4|Air|6.9|1-UC345|
10210|Olympus 20X/0.40, LCPLFL, IX70|Olympus|20|0.4|Air|6.9|1-UB345|
10211|Olympus U-Plan S-Apo 20X/0.75|Olympus|20|0.75|Air|0.65|1-U2B825|
10212|Olympus U-Plan Fluorite PH1 20X/0.45 w/Corr. Collar|Olympus|20|0.45|Air||1-U2C375|
10213|Olympus U-Plan Fluorite PH1 20X/0.50|Olympus|20|0.5|Air|2|1-U2C525|
10214|Olympus U-Apo 340nm 20X/0.75|Olympus|20|0.75|Air|0.55|1-UB765R|
10215|Olympus 20X/0.45, LWD U-Plan FL, w/Corr. Collar, UIS2, 1-U2B375|Olympus|20|0.45|Air|6.6|1-U2B375|PlanFluor
10400|Olympus 40X/0.55, LWD, CDPlan Achromat, phase, IMT2|Olympus|40|0.55|Air|2.04||Achromat
10401|Olympus 40X/0.85, IMT2|Olympus|40|0.85|Air|0.25||
10402|Olympus 40X/1.30, DApo/340, IMT2, 1-LB356|Olympus|40|1.3|Oil|0.12|1-LB356|Apo
10403|Olympus 40X/1.35, UApo/340, IX70, 1-UB768|Olympus|40|1.35|Oil|0.1|1-UB768|Apo
10404|Olympus 40X/0.85, U Plan Apo, IX70, 1-UB827|Olympus|40|0.85|Air|0.2|1-UB827|PlanApo
10405|Olympus 40X/0.95, Plan Apo, IX70|Olympus|40|0.95|Air|0.14|1-UB927|PlanApo
10406|Olympus 40X/1.0, U Plan Apo, Iris|Olympus|40|1|Oil||1-UB828|PlanApo
10407|Olympus 40X/0.75, UPlanFl, IX70, 1-UB527|Olympus|40|0.75|Air||1-UB527|PlanFluor
10408|Olympus 40X/0.60, LCPLFL, IX70|Olympus|40|0.6|Air|2.15|1-UB347|
10409|Olympus 40X/0.60, LCPLFL, Phase, IX70|Olympus|40|0.6|Air|2.15|1-UC347|
10410|Olympus 40X/1.15, UApo340, IX70|Olympus|40|1.15|Water||1-UB769|
10411|Olympus 40X/0.75, UPlanFl, IX70, Ph2|Olympus|40|0.75|Air||1-UC527|PlanFluor
10412|Olympus 40X/1.35, UApo/340, PSF, IX70|Olympus|40|1.35|Oil|0.1||Apo
10413|Olympus U-Apo 340nm 40X/1.15 Water w/Corr. Collar|Olympus|40|1.15|Water|0.26|1-UB769R|
10414|Olympus 40X/0.60, LWD U-Plan FL, w/Corr. Collar, UIS2, 1-U2B377|Olympus|40|0.6|Air|2.7|1-U2B377|PlanFluor
10415|Olympus 40X/1.35, U-Apo O340, UIS2, 1-U2B768|Olympus|40|1.35|Oil|0.1|1-U2B768|
10416|Olympus 40X/1.30, UPLFLN 40XO, U PLAN Fluorite 40X Oil, 1-U2B530|Olympus|40|1.3|Oil|0.2|1-U2B530|
10600|Olympus 60X/1.40, DApo/340, IMT2|Olympus|60|1.4|Oil|0.3||Apo
10601|Olympus 60X/1.40, S Plan Apo, UV/340, IMT2|Olympus|60|1.4|Oil||1-LB751|UV
10602|Olympus 60X/1.40, Plan Apo, IX70|Olympus|60|1.4|Oil|0.1|1-UB932|PlanApo
10603|Olympus 60X/1.20, U Plan Apo, IX70|Olympus|60|1.2|Water|0.25|1-UB891|PlanApo
10604|Olympus 60X/1.20, IMT2|Olympus|60|1.2|Water|0.25||
10605|Olympus 60X/0.70, LCPLPL, IX70|Olympus|60|0.7|Air|1.1|1-UB351|
10606|Olympus 60X/0.70, LCPLPL, Phase, IX70|Olympus|60|0.7|Air|1.1|1-UC351|
10607|Olympus 60X/1.40, Plan Apo, Ph3|Olympus|60|1.4|Oil||1-UC932|PlanApo
10608|Olympus 60X/1.25, UPLFL|Olympus|60|1.25|Oil||1-UB532|
10609|Olympus 60X/1.40, Plan Apo, BFP-1, IX70|Olympus|60|1.4|Oil|0.15|1-UB933|PlanApo
10610|Olympus 60X/1.40, Plan Apo, PSF, IX70|Olympus|60|1.4|Oil|0.15||PlanApo
10611|Olympus 60X/1.20, U Plan Apo, Water, PSF, IX70|Olympus|60|1.2|Water|0.25||PlanApo
10612|Olympus 60X/1.42, Plan Apo N, UIS2, 1-U2B933|Olympus|60|1.42|Oil|0.15|1-U2B933|PlanApo
10613|Olympus PlanApo TIRFM 60X/1.45 w/Corr. Collar|Olympus|60|1.45|Oil|0.1|1-U2B616|PlanApo
10614|Olympus Apo TIRFM 60X/1.49 w/Corr. Collar|Olympus|60|1.49|Oil|0.1|1-U2B617|
10615|Olympus 60X/1.30, U-Apo N, Sil FV UIS2, PSF, w/Corr. Collar|Olympus|60|1.3|Other|0.3||
10616|Olympus 60X/1.20, U-Plan S-Apo PSF, UIS2, 1-U2B893S|Olympus|60|1.2|Water|0.28|1-U2B893S|
10617|Olympus 60X/1.49, APON 60XOTIRF, UIS2, 1-U2B720|Olympus|60|1.49|Oil|0.1|1-U2B720|
11500|Olympus U-Apo TIRFM 150X/1.45 w/Corr. Collar|Olympus|150|1.45|Oil|0.1|1-U2B618|
12000|Nikon 100X/1.40, CF N Plan Apochromat, 160mm tube length|Nikon|100|1.4|Oil|0.1|85025|PlanApo
12001|Nikon 100X/1.30, CF Fluor, 160mm tube length|Nikon|100|1.3|Oil|0.14|85005|
12002|Nikon 100X/1.30, CF UV F, 160mm tube length|Nikon|100|1.3|Glycerol|0.13|78821|UV
12003|Nikon 100X/1.40, Plan Apo, DIC H, CFI/60|Nikon|100|1.4|Oil|0.13|93110|PlanApo
12004|Nikon 100X/0.5-1.30, S Fluor, Oil Iris, CFI 60|Nikon|100|1.3|Oil|0.2|93129|
12005|Nikon 100X/0.90, Plan Fluor, Corr Collar 0.14-0.20, CFI 60|Nikon|100|0.9|Air|0.3|MRH00900|PlanFluor
12101|Nikon 2X/0.10, Plan Apo, 160mm tube length|Nikon|2|0.1|Air||202294|PlanApo
12102|Nikon 4X/0.20, Plan Apo, 160mm tube length|Nikon|4|0.2|Air||108388|PlanApo
12103|Nikon 4X/0.20, Plan Apo, CFI/60|Nikon|4|0.2|Air|15.7|93102|PlanApo
12104|Nikon 10X/0.45, Plan Apo, CFI/60|Nikon|10|0.45|Air|4|93103|PlanApo
12105|Nikon 10X/0.30, Plan Fluor, CFI/60|Nikon|10|0.3|Air|16|93134|PlanFluor
12106|Nikon 10X/0.50, Super Fluor, CFI/60|Nikon|10|0.5|Air|1.2|MRF00100/93126|SuperFluor
12107|Nikon 10X/0.25, Plan Achromat, CFI/60|Nikon|10|0.25|Air|10.5|93183|Achromat
12108|Nikon 10X/0.25, Achromat Flatfield, CFI/60|Nikon|10|0.25|Air|6.1|93161|Achromat
12109|Nikon 2X/0.10, Plan Apo, CFI/60|Nikon|2|0.1|Air|8.5|MRD00020, MRD00025|PlanApo
12110|Nikon 4X/0.20, Plan Apo, CFI/60|Nikon|4|0.2|Air|20|MRD00041, MRD00045|PlanApo
12111|Nikon 10X/0.45, Plan Apo, CFI/60|Nikon|10|0.45|Air|4|MRD00101, MRD00105|PlanApo
12201|Nikon 20X/0.75, Plan Apo, CFI/60|Nikon|20|0.75|Air|1|93104|PlanApo
12202|Nikon 20X/0.75, Plan Fluor, DIC M, CFI/60|Nikon|20|0.75|Multi||93146|PlanFluor
12203|Nikon 20X/0.45, Plan Fluor ELWD, CFI/60|Nikon|20|0.45|Air|7.4|93150|PlanFluor
12204|Nikon 20X/0.45, LU Plan EPI P, CFI/60|Nikon|20|0.45|Air|4.5|MUE01200/92777|
12205|Nikon 20X/0.50, Plan Fluor, CFI/60|Nikon|20|0.5|Air|2.1|MRH00200/93135|PlanFluor
12206|Nikon 20X/0.45, Plan Fluor, ELWD, Corr Collar 0-2.0, CFI/60|Nikon|20|0.45|Air|7|MRH08230|PlanFluor
12207|Nikon 20X/0.75, Plan Apo, CFI/60|Nikon|20|0.75|Air|1|MRD00201, MRD00205|PlanApo
12208|Nikon 20X/0.75, Super Fluor, CFI/60|Nikon|20|0.75|Air|1||SuperFluor
12401|Nikon 40X/1.30, PlanFluar, 160mm tube length|Nikon|40|1.3|Oil|0.16|85028|
12402|Nikon 40X/1.30, CF Fluor, 160mm tube length|Nikon|40|1.3|Oil|0.22|85004|
12403|Nikon 40X/0.75, CF Fluor, 160mm tube length|Nikon|40|0.75|Air||140508|
12404|Nikon 40X/1.30, S Fluor, CFI/60|Nikon|40|1.3|Oil|0.22||
12405|Nikon 40X/0.95, Plan Apo, DIC M, CFI/60|Nikon|40|0.95|Air|||PlanApo
12406|Nikon 40X/1.00, DIC H, CFI/60|Nikon|40|1|Oil|0.16||
12407|Nikon 40X/0.60, Plan Fluor, ELWD, Corr Collar, CFI/60|Nikon|40|0.6|Air|3.2||PlanFluor
12408|Nikon 40X/0.60, Plan Fluor, ELWD, Corr Collar 0-2.0, CFI/60|Nikon|40|0.6|Air|2.7|MRH08430|PlanFluor
12409|Nikon 40X/0.95, Plan Apo, Corr Collar 0.11-0.23, CFI/60|Nikon|40|0.95|Air|0.14|MRD00400|PlanApo
12410|Nikon 40X/0.65, Plan Apo, NCG, CFI/60|Nikon|40|0.65|Air|0.48||PlanApo
12411|Nikon 40X/0.95, Plan Apo, Corr Collar 0.11-0.23, CFI/60 Lambda|Nikon|40|0.95|Air|0.14|MRD00405|PlanApo
12412|Nikon 40X/0.90, S Fluor, Corr Collar 0.11-0.23, CFI/60 Lambda|Nikon|40|0.9|Air|0.3|MRF00400|
12413|Nikon 40X/0.75, Plan Fluor, CFI/60 Lambda|Nikon|40|0.75|Air|0.66||PlanFluor
12600|Nikon 60X/1.40, CF N Plan Apochromat, 160mm tube length|Nikon|60|1.4|Oil|0.17|85020|PlanApo
12601|Nikon 60X/1.40, Plan Apo, DIC H|Nikon|60|1.4|Oil|0.21|93108|PlanApo
12602|Nikon 60X/1.20, Plan Apo, WI (Water), DIC H, CFI/60|Nikon|60|1.2|Water|0.22|93109|PlanApo
12603|Nikon 60X/0.95, Plan Apo, Corr Collar 0.11-0.23, CFI/60|Nikon|60|0.95|Air|0.15|MRD00600|PlanApo
12604|Nikon 60X/0.70, Plan Fluor, ELWD, Corr Collar 0.5-1.5, CFI/60|Nikon|60|0.7|Air|1.5|MRH08630|PlanFluor
12605|Nikon 60X/0.95, Plan Apo, Corr Collar 0.11-0.23, CFI/60 Lambda|Nikon|60|0.95|Air|0.15|MRD00605|PlanApo
12606|Nikon 60X/0.85, Plan Fluor, Corr Collar 0.11-0.23, CFI/60 Lambda|Nikon|60|0.85|Air|0.3|MRH00602|PlanFluor
14001|Zeiss 100X/1.40, Plan - APOCHROMAT|Zeiss|100|1.4|Oil|0.1|44 07 08 (02)|PlanApo
14002|Zeiss 100X/1.30, Oil Iris (0.8 - 1.30)|Zeiss|100|1.3|Oil|0.1|44 07 86|
14003|Zeiss 100X/1.40, Plan - APOCHROMAT|Zeiss|100|1.4|Oil||44 07 80 (02)|PlanApo
14004|Zeiss 100X/1.30, Planapo, 160mm tube length|Zeiss|100|1.3|Oil||46 19 46 - 9903|PlanApo
14005|Zeiss 100X/1.40, Oil Iris (0.7 - 1.40)|Zeiss|100|1.4|Oil||44 07 86 (02)|
14006|Zeiss 100X/1.30|Zeiss|100|1.3|Oil|||
14101|Zeiss 10X/0.30, Plan - NEOFLUAR|Zeiss|10|0.3|Air||44 03 30|PlanNeofluar
14102|Zeiss 10X/0.25, Acrostigmat|Zeiss|10|0.25|Air||44 01 31|
14103|Zeiss 10X/0.25, Achroplan, Phase1|Zeiss|10|0.25|Air||44 00 31|
14104|Zeiss 10X/0.45, Plan - ApoChromat|Zeiss|10|0.45|Air||44 06 39|PlanApo
14105|Zeiss 5X/0.16, Plan - ApoChromat|Zeiss|5|0.16|Air||44 06 20|PlanApo
14201|Zeiss 20X/0.50, Plan - NEOFLUAR, Phase2|Zeiss|20|0.5|Air||44 03 41 (01)|PlanNeofluar
14202|Zeiss 20X/0.60, Plan - APOCHROMAT|Zeiss|20|0.6|Air||44 06 40|PlanApo
14203|Zeiss 20X/0.75, PLAN APO|Zeiss|20|0.75|Air||44 06 49|PlanApo
14204|Zeiss 20X/0.75, Fluar|Zeiss|20|0.75|Air||44 01 45|Fluar
14301|Zeiss 25X/0.80, Plan - NEOFLUAR|Zeiss|25|0.8|Multi|0.8|44 05 44|PlanNeofluar
14302|Zeiss 25X/0.80, Plan - NEOFLUAR, DIC|Zeiss|25|0.8|Multi|0.8|44 05 42|PlanNeofluar
14303|Zeiss 25X/0.80, Plan - NEOFLUAR, Phase2|Zeiss|25|0.8|Air||44 05 45|PlanNeofluar
14401|Zeiss 40X/1.30, FLUAR|Zeiss|40|1.3|Oil|0.14|44 02 55 (01)|Fluar
14402|Zeiss 40X/1.00, Plan - APOCHROMAT, Phase3|Zeiss|40|1|Oil||44 07 51|PlanApo
14403|Zeiss 40X/1.20, Water Immersion, Corr Collar, C - APOCHROMAT|Zeiss|40|1.2|Water||44 00 52|Apo
14404|Zeiss 40X/0.75, Plan - NEOFLUAR, Phase2|Zeiss|40|0.75|Air||44 03 51|PlanNeofluar
14405|Zeiss 40X/1.30, Plan - NEOFLUAR|Zeiss|40|1.3|Oil|0.15|44 04 50|PlanNeofluar
14406|Zeiss 40X/0.60, LD ACHROPLAN, Phase2|Zeiss|40|0.6|Air||44 08 65|
14407|Zeiss 40X/1.30, Plan - NEOFLUAR, DIC, Strainfree|Zeiss|40|1.3|Oil|||PlanNeofluar
14601|Zeiss 63X/1.40, Plan - APOCHROMAT|Zeiss|63|1.4|Oil|0.09|44 07 60 (03)|PlanApo
14602|Zeiss 63X/1.40, Plan - APOCHROMAT, DIC|Zeiss|63|1.4|Oil|0.09|44 07 62 (02)|PlanApo
14603|Zeiss 63X/0.90, Achroplan, W, Ph3|Zeiss|63|0.9|Water||44 00 69|
14604|Zeiss 63X/1.20, C - APOCHROMAT, Water|Zeiss|63|1.2|Water|0.09|44 06 68|Apo
18101|API 4X, Plan Apo, AWCE|Applied Precision|4|0.2|Air|3.33||PlanApo
18102|API 2.5X, Plan Apo, AWe|Applied Precision|2.46|0.2|Air|2.883||PlanApo
18103|API 4X, Plan Apo, AWe|Applied Precision|4|0.2|Air|2.883||PlanApo
18104|API 6X, Plan Apo, AWe|Applied Precision|6.15|0.45|Air|2.883||PlanApo
18105|API 10X, Plan Apo, AWe, CW|Applied Precision|10|0.45|Air|2.883||PlanApo
18106|API 1X, DIGE|Applied Precision|1|0.1|Air|24||
18107|API 10X, BH|Nikon|10|0.15|Air|15||PlanFluor
18108|= 20.0,|Nikon||0.75||||PlanApo
18109|= 40.0,|Nikon||0.95||||PlanApo
18110|= 40.0,|Nikon||0.6||||PlanFluor
18111|= 4.0,|Nikon||0.2||||PlanApo
18201|API 20X, HiRes A, CW|Applied Precision|20|0.55|Air|13||
18202|API 20X, HiRes B, CW|Applied Precision|20|0.5|Air|13||
18204|API 20X, HiRes C, CW|Applied Precision|20|0.45|Air|4.5|MUE01200/92777|
18205|API 20X, HiRes D, CW|Applied Precision|20|0.5|Air|2.1|MRH00200/93135|
18206|API 20X, HiRes, MF|Applied Precision|20|0.55|Air|2.1||
18207|API 20X, DF|Applied Precision|20|0.45|Air|7.4||
18208|API 20X|Applied Precision|20|0.75|Air|1||
18401|API 40X, NCG|Applied Precision|40|0.65|Air|0.48||
20007|Applied Precision 100X/1.4|Applied Precision|100|1.4|Oil|||
"""


def _num(text: str) -> float | None:
    return float(text) if text else None


@cache
def _lenses() -> dict[int, Lens]:
    out: dict[int, Lens] = {}
    for line in _TABLE.splitlines():
        if not line.strip():
            continue
        cells = line.split("|")
        out[int(cells[0])] = Lens(
            lens_id=int(cells[0]),
            name=cells[1],
            manufacturer=cells[2] or None,
            magnification=_num(cells[3]),
            na=_num(cells[4]),
            immersion=cells[5] or None,
            working_distance_mm=_num(cells[6]),
            model=cells[7] or None,
            correction=cells[8] or None,
        )
    return out


def lookup(lens_id: int) -> Lens | None:
    """Return the objective of ``lens_id``, or ``None`` when the ID is not in the table."""
    return _lenses().get(lens_id)


def known_ids() -> frozenset[int]:
    """Every lens ID in the table."""
    return frozenset(_lenses())
