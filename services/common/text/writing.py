"""Writing systems: the script of a letter, and the scripts each language is written in.

The detector never answers a language whose scripts cannot write the text (a Cyrillic
article is not Georgian, English or Korean, whatever a statistical model says about a
few of its character n-grams). Scripts are ISO 15924 codes. LANGUAGE_SCRIPTS covers
every label of fastText's lid.176 (tests/unit/test_script_restriction.py checks it);
a language written in two scripts lists both (sr, uz, kk, ku). Pure data, no model.
"""

from __future__ import annotations

from bisect import bisect_right


def _languages(script: str, codes: str) -> dict[str, frozenset[str]]:
    return {code: frozenset(script.split("+")) for code in codes.split()}


LANGUAGE_SCRIPTS: dict[str, frozenset[str]] = {
    **_languages(
        "Latn",
        """af als an ast az bar bcl br bs ca cbk ceb co cs cy da de diq dsb eml en eo es
        et eu fi fr frr fy ga gd gl gn gv hif hr hsb ht hu ia id ie ilo io is it jbo jv
        kw la lb li lmo lt lv mg min ms mt mwl nah nap nds nl nn no oc pam pfl pl pms pt
        qu rm ro sc scn sco sk sl so sq su sv sw tk tl tr vec vep vi vls vo wa war yo""",
    ),
    **_languages(
        "Cyrl",
        """av ba be bg bxr ce cv krc kv ky lez mhr mk mn mrj myv os ru rue sah tg tt tyv
        uk xal""",
    ),
    **_languages("Cyrl+Latn", "sr kk uz"),
    **_languages("Arab", "ar arz azb ckb fa lrc mzn pnb ps sd ug ur"),
    **_languages("Arab+Latn", "ku"),
    **_languages("Hebr", "he yi"),
    **_languages("Deva", "bh dty gom hi mai mr ne new sa"),
    **_languages("Beng", "as bn bpy"),
    **_languages("Geor", "ka xmf"),
    **_languages("Hani", "zh wuu yue"),
    **_languages("Hang+Hani", "ko"),
    **_languages("Hani+Hira+Kana", "ja"),
    "pa": frozenset({"Guru"}),
    "gu": frozenset({"Gujr"}),
    "or": frozenset({"Orya"}),
    "ta": frozenset({"Taml"}),
    "te": frozenset({"Telu"}),
    "kn": frozenset({"Knda"}),
    "ml": frozenset({"Mlym"}),
    "si": frozenset({"Sinh"}),
    "th": frozenset({"Thai"}),
    "lo": frozenset({"Laoo"}),
    "bo": frozenset({"Tibt"}),
    "my": frozenset({"Mymr"}),
    "hy": frozenset({"Armn"}),
    "el": frozenset({"Grek"}),
    "am": frozenset({"Ethi"}),
    "km": frozenset({"Khmr"}),
    "dv": frozenset({"Thaa"}),
}
# The languages written in each script.
LANGUAGES_BY_SCRIPT: dict[str, frozenset[str]] = {
    script: frozenset(lang for lang, scripts in LANGUAGE_SCRIPTS.items() if script in scripts)
    for script in set().union(*LANGUAGE_SCRIPTS.values())
}

# Code point ranges (first, last, script) of the letters of each script, in order.
# Letters outside them (modifier letters such as ʼ, rare scripts) count for no script.
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x024F, "Latn"),
    (0x0250, 0x02AF, "Latn"),
    (0x0370, 0x03FF, "Grek"),
    (0x0400, 0x052F, "Cyrl"),
    (0x0530, 0x058F, "Armn"),
    (0x0590, 0x05FF, "Hebr"),
    (0x0600, 0x06FF, "Arab"),
    (0x0750, 0x077F, "Arab"),
    (0x0780, 0x07BF, "Thaa"),
    (0x08A0, 0x08FF, "Arab"),
    (0x0900, 0x097F, "Deva"),
    (0x0980, 0x09FF, "Beng"),
    (0x0A00, 0x0A7F, "Guru"),
    (0x0A80, 0x0AFF, "Gujr"),
    (0x0B00, 0x0B7F, "Orya"),
    (0x0B80, 0x0BFF, "Taml"),
    (0x0C00, 0x0C7F, "Telu"),
    (0x0C80, 0x0CFF, "Knda"),
    (0x0D00, 0x0D7F, "Mlym"),
    (0x0D80, 0x0DFF, "Sinh"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x0E80, 0x0EFF, "Laoo"),
    (0x0F00, 0x0FFF, "Tibt"),
    (0x1000, 0x109F, "Mymr"),
    (0x10A0, 0x10FF, "Geor"),
    (0x1100, 0x11FF, "Hang"),
    (0x1200, 0x139F, "Ethi"),
    (0x1780, 0x17FF, "Khmr"),
    (0x1C80, 0x1C8F, "Cyrl"),
    (0x1C90, 0x1CBF, "Geor"),
    (0x1E00, 0x1EFF, "Latn"),
    (0x1F00, 0x1FFF, "Grek"),
    (0x2C60, 0x2C7F, "Latn"),
    (0x2D00, 0x2D2F, "Geor"),
    (0x2DE0, 0x2DFF, "Cyrl"),
    (0x3040, 0x309F, "Hira"),
    (0x30A0, 0x30FF, "Kana"),
    (0x3130, 0x318F, "Hang"),
    (0x31F0, 0x31FF, "Kana"),
    (0x3400, 0x4DBF, "Hani"),
    (0x4E00, 0x9FFF, "Hani"),
    (0xA640, 0xA69F, "Cyrl"),
    (0xA720, 0xA7FF, "Latn"),
    (0xAB30, 0xAB6F, "Latn"),
    (0xAC00, 0xD7AF, "Hang"),
    (0xF900, 0xFAFF, "Hani"),
    (0xFB1D, 0xFB4F, "Hebr"),
    (0xFB50, 0xFDFF, "Arab"),
    (0xFE70, 0xFEFF, "Arab"),
    (0xFF21, 0xFF5A, "Latn"),
    (0xFF66, 0xFF9F, "Kana"),
    (0x20000, 0x3FFFF, "Hani"),
)
_STARTS = [first for first, _, _ in _RANGES]


def script_of(letter: str) -> str:
    """The ISO 15924 script of one letter, or "" when it belongs to none listed."""
    point = ord(letter)
    index = bisect_right(_STARTS, point) - 1
    if index >= 0 and point <= _RANGES[index][1]:
        return _RANGES[index][2]
    return ""
