"""The scan's output, frozen: every reader and normaliser speed-up must leave it byte-identical.

The SHA-256 digests below were taken from main before the issue 21 reader/normaliser speed-ups
(commit 0e625b6): the JSON of the whole `scan` of the example tree, and, for every file of the
example tree and every real third-party sample, its model's JSON and its candidates' JSON. A
change of any value, finding, provenance string or field order changes a digest. A deliberate
output change must update the digest here, saying why in the commit.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from clxm_meta.dataset.scan import scan
from clxm_meta.errors import ClxmMetaError
from clxm_meta.normalise.build import candidates_for
from clxm_meta.readers.registry import detect, read
from conftest import EXAMPLE, REAL


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _file_digests(path: str) -> tuple[str, str, str]:
    """(format, model JSON digest, candidates JSON digest) of one file, read as `scan` does."""
    try:
        fmt = detect(path).name
        model = read(path, format=fmt)
    except ClxmMetaError as exc:  # unsupported or unreadable: the error itself is frozen
        return "error", type(exc).__name__, _sha(str(exc))
    cands = json.dumps([c.model_dump(mode="json") for c in candidates_for(model)])
    return fmt, _sha(model.model_dump_json()), _sha(cands)


SCAN_EXAMPLE = "60d34f919b34068359c276f895cb9ae90f212a8edb2e7d22bb30884207e434dc"

EXAMPLE_FILES: dict[str, tuple[str, str, str]] = {
    "sample1/SIM/cell1.chromagnon.csv": (
        "chromatic",
        "b0195320472bd6bdc76059cd907118f6dfaa4ecaf95993621ffd9c35cfd3912b",
        "c5d754646aba58b60e22c6efe1f2b45abbbf36e6b8f1de4af538706a0d0c98ef",
    ),
    "sample1/SIM/cell1.dv": (
        "dv",
        "50d6f93f259462fed21e9a8ba749415bd3bc7e457079f7e13d8d03a73258ab54",
        "dcfe275cbfa4b5cd5622c4fe70d2f7d1740032b8d456b168900ba3b4491cf1a9",
    ),
    "sample1/SIM/cell1.log": (
        "simrecon",
        "2d1aab6654bfbd12e710f15ec15998f9f47a6e28d72b9b81beda7d063959f786",
        "e50b93e7006d122d790522c31192e44b2c5ddf0d8f9b0ee8258bb47b9b73ed0a",
    ),
    "sample1/SIM/cell1_SIR.dv": (
        "dv",
        "c3217f36f26a810e6d505d616f17b8845e4c7165a36a79e71e9e621db385d7d8",
        "03449e0423b6df5aeaa4043330203207ef18f60e9b68b86fbf6957fe501a5093",
    ),
    "sample1/SXT/align.log": (
        "imod",
        "11f2cac87ef33c463c2d23579262905ab6d231383f419d0bb56129a104729c52",
        "2bd3440d8a1d69bdbf567b7516bd65d0c12c52f3feeb6d520df5454aedda5e87",
    ),
    "sample1/SXT/tilt.com": (
        "imod",
        "df19fd2b2c3770694246957ce568dc8405f144bafa4e7250a2624538aa31dc7a",
        "95896a6ac49741b45957ded4e5f9a94d8b5880614f53c572f541a1da0023e4fb",
    ),
    "sample1/SXT/ts1.rawtlt": (
        "imod",
        "e83728ea844a25d505209a6ffec41493c6384f495dcef9f8f667c432ab800dda",
        "837648cc3c250c5fa3152da83ed932a1b89be8dcd71ae50bf0a3b5668dd30d23",
    ),
    "sample1/SXT/ts1.tlt": (
        "imod",
        "e47ae685d7595fbe7c205dc55c4b65984cf8727e23b5c49e7f45ac7550e59fa0",
        "b1ff52f6b0283118219c03c74dcbe57079e22969d3392f7964e7403a63daa1a2",
    ),
    "sample1/SXT/ts1.txrm": (
        "txrm",
        "ce0e2be62c975dacbbba62f048091a1445df39a96de1680e5ab2750bf1451689",
        "0636ef0752b80838251429e60a1b573535c1525a3b67160c9286bf6ae4b1f890",
    ),
    "sample1/SXT/ts1_rec.mrc": (
        "mrc",
        "e2d1ac449cae257edf80f2a613ecb6f4b228cda6df642cf08a4941d2a6525a3b",
        "3745110075d617e3729ee0e619ff172284b837be5d1c98df7d24619d3e173d8b",
    ),
    "sample1/sim_to_sxt_transform.txt": (
        "correlation",
        "b5eb02deb723585744df3e4bd882d71cb896431b3b5f5665115343b61bd9f266",
        "60348e9bad7e59e5029f006d8303dfb9d3017351527484bc04f1651d1d55402f",
    ),
}

REAL_FILES: dict[str, tuple[str, str, str]] = {
    "dv/cudasirecon__otf.dv": (
        "dv",
        "c4a4bce77fdd4d0e1672f3e0d9a6ee86b925008dff7104e0482eae82a5c8b312",
        "7c329bec4163789c61fffdf583d879c9adba12c2b0b2c307661dad60899f0f6d",
    ),
    "dv/cudasirecon__raw.dv": (
        "dv",
        "b8aa3e90696653dababfd5aa27ed244931c10ef6f8ec9c25a8ebe29685e25d75",
        "785ed0ae75817cdb27713acfe4d3dc4a4b4f9ce22fab5ca94bbb2f3c346bb09a",
    ),
    "dv/tlambert03-mrc__toxo.dv": (
        "dv",
        "39c4b55f05b92bebda05ab591c7b0d59c19510960c86bceff3e2351ed10974f2",
        "d4704440f30dd9797e6e80402484ffc43711d0b097ed6fbb0499969fdd25b3f7",
    ),
    "imod/etomofiles__TS_001.edf": (
        "imod",
        "5339cc1c912c71bbea1384f0bfc8e70e76dc0bef3cf1d7a2acb1d0438d1e36e5",
        "02ef0fdae2d11cd92125b12a08cfbb2d9817bd46b3e808436fae97171d249886",
    ),
    "imod/etomofiles__TS_001.rawtlt": (
        "imod",
        "84510845a4ca8b41cbbd32d81edaae62be24431996705b02f0cacaf9b0cdfd5e",
        "ff0d68f03c5f516388626c10312a2315f857eefd939f3e662229016879341e71",
    ),
    "imod/etomofiles__TS_001.tlt": (
        "imod",
        "8264a93649ab654b1bbd33b23db79b3de4c6533379017f9ee8692d9468e9b454",
        "7e0d8021470a87d16d09920ef4f8c1875a9aff6401838ea095a9f6bf25794f31",
    ),
    "imod/etomofiles__TS_001.xf": (
        "imod",
        "413d4b637ec70fa17e7ce8108dde4c7486d9c0b6367a99a7fea82a8bb7f71395",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ),
    "imod/etomofiles__TS_001.xtilt": (
        "imod",
        "5a0ad913ed2828001557e98d1f0adb9a43a28d94d56ad0beaf0f3aebeb4f371d",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ),
    "imod/imod-etomo__BBa.tlt": (
        "imod",
        "e38e544f6097eea0885d40dddf9b81943c480abe886d4100a5f6279685365d8a",
        "59ebfa59ef86abe6c6165e948bc2a3bced4dec84744c027719a6f423e7d61a07",
    ),
    "imod/imod-etomo__BBa.tltxf": (
        "imod",
        "54b0872e340f1e90b5f61e454f85c6f340419ba6a50e9821aa94000e159d951b",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ),
    "imod/imod-etomo__BBa.xf": (
        "imod",
        "d60b369a9e85516ad8e5a99763b8c4f8c72393c0b4e70fc97152fd865f4328b9",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ),
    "imod/imod-etomo__BBa.xtilt": (
        "imod",
        "33d3e88f1cc14938321054ab7f47383a50da7a0884efca6884a8ec803947ca82",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ),
    "imod/imod-etomo__BBa.zfac": (
        "imod",
        "de967faeead01c2be0344884de6add5dcc83124c2b836ecfdd932e0873cf915f",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ),
    "imod/imod-etomo__BBalocal.xf": (
        "imod",
        "bb5b7c38f1eddd984660afedc0c3a14ec47a1e81d26e9692e39af4cc3b04a543",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ),
    "imod/imod-etomo__aligna.com": (
        "imod",
        "873ad243994b6535a3312c00d1fa04b12a022ab7bcdffb3fd68d9ea8d3e64d89",
        "a169068eefe765d67d75ccac61cbac4988bb8150552c488ddb1d99bb29402f8f",
    ),
    "imod/imod-etomo__aligna.log": (
        "imod",
        "2606c40576d6456bb8dac0f87f93bff7bd1ac30bc1574dc363651377a5a7c0dd",
        "1e6a1a4c4e274f5861a7417136025524fbb97139727b9319148e6e6d23d6b4c7",
    ),
    "imod/imod-etomo__setup_revision_1_5.edf": (
        "imod",
        "a04efdc77fda08bdf3bd27b4969d71bcaadbcd1239b3d2bad25f138e85002510",
        "ef83c4a5cf676982d76f7cc01d9a2d580e33c5eaeb2ade0567a9f0bb2471997e",
    ),
    "imod/imod-etomo__tilta.com": (
        "imod",
        "7046628b2c16d3ebe19f9a27cac710bddefac951ae9407d4bdc9b09d3213da3b",
        "4b8bef55aabbe799e8fdf6d18a080f69987713933b76191c31c21f8ebf5d6345",
    ),
    "imod/mdocfile__frame_set_single.mdoc": (
        "imod",
        "9eaf6946b1e95ee94ab5aa6cc8a30bf796a6c8aeb6a6394ac3ee4aad2f4e2a45",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ),
    "imod/mdocfile__montage_section.mdoc": (
        "imod",
        "8474c2ec4d91b2f42218a21cc7f39f892ec3fa488349b337f375fae2e4b51044",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ),
    "imod/mdocfile__tilt_series.mdoc": (
        "imod",
        "2949e52fd63b0040cd8ae67471713c6da52af2e0c6f0cbd079f9caee28937ff6",
        "ac305bbed9bafa16b50993efb5788cbad46bfcf5e74e1652cc0722ba05cc742d",
    ),
    "imod/tomo_preprocessing__TS_01.mrc.mdoc": (
        "imod",
        "a5e807675533daf9dd5278520e67c2768acd63f90c45dc9e830008f9900ac18b",
        "61bfdae3ead8e1e0ecb59d0cc039d3028bc22e3c2376be101da7c4945a995d33",
    ),
    "imod/tomo_preprocessing__taSolution.log": (
        "imod",
        "e92f57fa6e93fe91efd6b375361de39b8b70d4c29c42d2f69e2efa3caa4d011b",
        "4919f9ab735b3274532feb4b62b824475a5c206a857a4fc808f48ef5a1d858bd",
    ),
    "imod/yaiw__align.log": (
        "imod",
        "1d470a5f42976a42317a2b26c6ba061a57e09cb8b6e15a0f1181c2236e242d61",
        "fcb1f5566e5da4222190ef972330d937ef887f4e0ea7e255db6ea51ec41a2e52",
    ),
    "imod/yaiw__fiducials.adoc": (
        "imod",
        "8be53b7a4047ea7c06563dac25febf899f61beb405eb99a1d3751732f527d643",
        "0f7c46e9e0059af9f4db8208c919571c4b2866693bace3f10ec859d44a689e6c",
    ),
    "imod/yaiw__xf_file.xf": (
        "imod",
        "3d9e89fc5bbddd170698a1285a4c9a74a70d509d49d77aeb5ec64900aa1a852a",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ),
    "mrc/ccpem-mrcfile__EMD-3197.map": (
        "mrc",
        "f1ef99e5031d03775cb55930d5b885c5cbedfa0e581e815fbadbf67ff4251082",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ),
    "mrc/imod-etomo__headerTest.st": (
        "mrc",
        "4c80c6bf3fa914e3f9d90843a16afeedf3070b1ea3e8e78fe14d34ae0c1e3c35",
        "6223e65f34b1910d1243330948e75d840cae094a4e9d67cb19616a8ff0e6f29e",
    ),
    "mrc/tomoauto__test_001_mode1.mrc": (
        "mrc",
        "91fd3473937c78ac3cc27962fc6a92b850bc14b1d15d15082a170e58d3e0697a",
        "e2371f28937dafe970914f5df0aa58a95af6509abc75e009c63bf31c4e554cd9",
    ),
    "mrc/tomoauto__test_002_mode1.st": (
        "mrc",
        "0a5168628cde0dac26faca6390327a709c7f70a069480fb1ec2343272499aca5",
        "49921b768b0ba9d6cc49f21d8c92e8cb35f259f0246a53ba19c58c6be6a6a4ca",
    ),
    "simlog/cudasirecon__config": (
        "simrecon",
        "f904a1fea89fac43d5676d03552dac9c06e441a26844056cb0b70e14f4589bcb",
        "4b91217310089eaa35e3c6e60f653bc874ebe5a5655bfb29b662b5041a8fa957",
    ),
    "simlog/cudasirecon__config-tiff": (
        "simrecon",
        "a39c89c429695f469250bde2adfdccc1a49a35e2ee51470bebc9d81943f00200",
        "dafb82eabadf4a5ad23c6203662b912cbc15ea6c95e29e8c398a821df6da448f",
    ),
    "simlog/simrecon-notebook__analysis_simple_simrecon_cell8.log": (
        "simrecon",
        "984e241ab5b44897212ea6923b22e40d5c484f0edf0a314c1a08af8f787b694a",
        "5c091dd7538a6dd5e3d1075ad42d9fe752f9060c88879a51659ee46783728935",
    ),
    "simlog/simrecon-notebook__explore_overlaps_cell18_earlyexit.log": (
        "simrecon",
        "878859437d0e92b03c86e3cbbb46bc5f86d1bf109ee0fb2c8349314953c38290",
        "b30e2fc2c93bb6ca75fb200597dee1f4e576249dd148d70418b3871a56d5907a",
    ),
    "simlog/simrecon-notebook__processing_simple_simrecon_cell7.log": (
        "simrecon",
        "db7424d3dbdd516ba9259b3ef2c388dcdda512c78d807e535134036eeb7a4003",
        "890ae51042f06be49ed412fa4981a8fc7fee16c7a383f0818450bc487e2e1485",
    ),
    "tiff/cudasirecon__otf.tif": (
        "tiff",
        "b2bc281cd4a8ff6529dd89819209ce6e739aa85bef0034b7ef6382dc1624130d",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ),
    "tiff/cudasirecon__raw.tif": (
        "tiff",
        "44d7140d03a4e2c698671578ee07790f92f6545d2d3f429b99a7db4bdc18a1f8",
        "16098fc0d712aac030d28ddbc1cefaea8e0200db7672b0454b11dcd3d8d04764",
    ),
    "tiff/txrm2tiff-2.2.1__mosaic_4x4_bin8.ome.tiff": (
        "tiff",
        "c94d1e90d7cf357f4f53c48192b49717abc2b1b90cd2d2b044b19b0938ee224b",
        "b8868967758910ef0cd57cd63cc144565330af00e3def79b97b715bf747b5249",
    ),
    "tiff/txrm2tiff-2.2.1__test_chip00.ome.tiff": (
        "tiff",
        "5cc3d91da221378c504032c353b28a5866a00214b3ee08644358ab10f72e31ec",
        "9d2689bf169b0139ba7194f8cd3dfde5719dacab3560191666606bd9a23b45ea",
    ),
    "tiff/txrm2tiff-2.2.1__txrm_test_chip_tomo.ome.tiff": (
        "tiff",
        "1b0a12ede3cc892e081b03d4c9d8532a3e99b45595401500d5d93e7a8456a752",
        "f2e1639f756b79f56c91ff6a9b9a42320bc991043bd294378a552bc61935b2d1",
    ),
    "txrm/dxchange__test_chip00.xrm": (
        "txrm",
        "d7af3117fa1f1993a2167f0f744c536fc021f3df17591fd9293bc831ee00a83e",
        "0bc0e442840df1cad1b7550047ced0737a6158691042c27115a3a3e0c0d39df8",
    ),
    "txrm/dxchange__txrm_test_chip_tomo.txrm": (
        "txrm",
        "3ceb8a07302a294fbdd3056f190c0f4796cea14b7193f1c8cb3b1976fce4f9dc",
        "87693ca358f02620267513e3f288019d78546a75d6a78b63918a392935f3af0b",
    ),
    "txrm/xanespy__mosaic_4x4_bin8.xrm": (
        "txrm",
        "b670e11a850fe1136fdb081bc45f765526d07db52c726510b0d4cdf92a6787d5",
        "c1c2dbd320a1176075bb89ebe5a0002258a4fb3580989bd8298ab66708c0ada6",
    ),
    "txrm/xanespy__rep01_20161456_ssrl-test-data_08324.0_eV_001of003.xrm": (
        "txrm",
        "75290e3b0b42554561b3b312d653302f5a75c75e953067d8df5530a15139379b",
        "3611b889544993bfc6c3a327f84d7cf2ffe6e2e17f1c70e48f7ef1eeb5f4c623",
    ),
    "txrm/xanespy__rep02_000072_ref_20161456_ssrl-test-data_08348.0_eV_002of010.xrm": (
        "txrm",
        "c8874c33b7c64e04aef84ef9178c7a296f234c00053bc808597d5d5741ab07bd",
        "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
    ),
}


def test_scan_of_the_example_tree_is_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLE.parent.parent)  # relative root: the JSON holds no absolute path
    assert _sha(scan("examples/deposition").model_dump_json()) == SCAN_EXAMPLE


@pytest.mark.parametrize("name", sorted(EXAMPLE_FILES))
def test_example_file_model_and_candidates_are_unchanged(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(EXAMPLE.parent.parent)
    assert _file_digests(f"examples/deposition/{name}") == EXAMPLE_FILES[name]


@pytest.mark.parametrize("name", sorted(REAL_FILES))
def test_real_file_model_and_candidates_are_unchanged(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not (REAL / name).is_file():
        pytest.skip(f"real sample {name} not available (../shared absent)")
    monkeypatch.chdir(REAL)
    assert _file_digests(name) == REAL_FILES[name]


def _freeze() -> None:  # pragma: no cover - run by hand to print the tables above
    os.chdir(EXAMPLE.parent.parent)
    print(repr(_sha(scan("examples/deposition").model_dump_json())))
    ex = {}
    for p in sorted(Path("examples/deposition").rglob("*")):
        if p.is_file() and p.name != "clxm.yaml":
            ex[p.relative_to("examples/deposition").as_posix()] = _file_digests(str(p))
    print(repr(ex))
    os.chdir(REAL)
    rl = {}
    for p in sorted(Path(".").rglob("*")):
        if p.is_file() and p.parts[0] != "LICENSES" and p.name != "SOURCES.md":
            rl[p.as_posix()] = _file_digests(p.as_posix())
    print(repr(rl))
