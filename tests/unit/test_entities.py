"""The entity layer (services/common/text/entities.py) on the hand-made set
tests/entity_cases.py, and its rules one by one: inflected forms merged into one entity,
the names glossary before transliteration, no Cyrillic in a rendering, no name made of a
lower-case common word, per-request names validated."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

pytest.importorskip("pymorphy3")
pytest.importorskip("translitua")
pytest.importorskip("iuliia")

from services.common.text.entities import (
    DEFAULT_NAMES,
    Entity,
    NamesEntry,
    NamesGlossary,
    check_extra_names,
    default_glossary,
    find_entities,
    transliterate,
)
from services.common.text.glossary import MAX_EXTRA_ENTRIES, GlossaryError
from tests.entity_cases import ALL_CASES, CASES, HELD_OUT, NBSP, EntityCase

# Measured (pymorphy3 2.0.6, pymorphy3-dicts-uk 2.4.1.1.1663094765, pymorphy3-dicts-ru
# 2.4.417150.4580142, translitua 2.0, iuliia 0.13.0): the rules were written beside CASES,
# 63/63 right. HELD_OUT, written after them, was 15/20 at its one blind run; the four
# misses that were bugs were fixed after, so 82/83 of ALL_CASES are right now (the miss:
# Юлия → "Yuliya" by the Wikipedia scheme, the press writes Yulia). Floors: measured
# minus a margin of about seven cases, and the blind held-out figure minus two.
ALL_FLOOR = 0.90
HELD_OUT_FLOOR = 0.65


def renderings(entities: list[Entity]) -> set[str]:
    """Every rendering the finder gave: each entity's and each of its spans'."""
    return {r for e in entities for r in (e.english, *e.renderings)}


def entity_with(entities: list[Entity], rendering: str) -> Entity | None:
    return next((e for e in entities if rendering in (e.english, *e.renderings)), None)


def case_problems(case: EntityCase) -> list[str]:
    """What the finder got wrong on one case (empty when right)."""
    found = find_entities(case.text, case.language)
    got = renderings(found)
    problems = [f"missing {r!r}" for r in case.expected if r not in got]
    problems += [f"found {r!r}" for r in case.absent if r in got]
    for rendering, sources in case.spans:
        entity = entity_with(found, rendering)
        texts = tuple(case.text[a:b] for a, b in entity.spans) if entity else ()
        if texts != sources:
            problems.append(f"{rendering!r} spans {texts} != {sources}")
    return problems


def share_right(cases: tuple[EntityCase, ...]) -> tuple[float, dict[str, list[str]]]:
    wrong = {c.name: p for c in cases if (p := case_problems(c))}
    return 1 - len(wrong) / len(cases), wrong


def test_the_set_is_big_enough() -> None:
    assert len(ALL_CASES) >= 40
    assert {c.language for c in CASES} == {"uk", "ru"}
    assert len({c.name for c in ALL_CASES}) == len(ALL_CASES)
    assert sum(1 for c in ALL_CASES if NBSP in c.text) >= 2


def test_share_of_the_set_right() -> None:
    share, wrong = share_right(ALL_CASES)
    print(f"entity cases right: {share:.3f} of {len(ALL_CASES)}; wrong: {wrong}")
    assert share >= ALL_FLOOR, wrong


def test_share_of_the_held_out_cases_right() -> None:
    share, wrong = share_right(HELD_OUT)
    print(f"held-out entity cases right: {share:.3f} of {len(HELD_OUT)}; wrong: {wrong}")
    assert share >= HELD_OUT_FLOOR, wrong


@pytest.mark.parametrize(
    ("language", "text", "rendering", "forms"),
    [
        (
            "uk",
            "Зеленський прибув до Львова. Візит Зеленського тривав день, а Зеленському"
            " вручили нагороду.",
            "Zelensky",
            ("Зеленський", "Зеленського", "Зеленському"),
        ),
        (
            "ru",
            "Лавров прилетел в Анкару. Лаврову показали город, о визите Лаврова писали газеты.",
            "Lavrov",
            ("Лавров", "Лаврову", "Лаврова"),
        ),
        (
            "uk",
            "Речник Ігор Скибюк повідомив про атаку. Слова Скибюка підтвердили, а Скибюкові"
            " подякували.",
            "Ihor Skybiuk",
            ("Ігор Скибюк", "Скибюка", "Скибюкові"),
        ),
    ],
)
def test_case_forms_of_one_person_are_one_entity(
    language: str, text: str, rendering: str, forms: tuple[str, ...]
) -> None:
    found = find_entities(text, language)
    people = [e for e in found if e.kind == "person"]
    assert len(people) == 1, people
    entity = people[0]
    assert rendering in (entity.english, *entity.renderings)
    assert tuple(text[a:b] for a, b in entity.spans) == forms
    assert len(entity.renderings) == len(entity.spans)


def test_one_entity_per_lemma_and_spans_in_order() -> None:
    for case in ALL_CASES:
        found = find_entities(case.text, case.language)
        lemmas = [e.lemma for e in found]
        assert len(lemmas) == len(set(lemmas)), (case.name, lemmas)
        for e in found:
            assert list(e.spans) == sorted(e.spans)
            assert all(0 <= a < b <= len(case.text) for a, b in e.spans)
            assert e.kind in ("person", "place", "org")
            assert e.how in ("glossary", "KMU 2010", "Wikipedia")


def test_no_cyrillic_in_any_rendering() -> None:
    texts = [(c.language, c.text) for c in ALL_CASES] + [
        ("uk", "Ґенеральний директор Ґудзь і Їжаченко зустрілися з Щербаківським у Ґорґанах."),
        ("uk", "Учора Эдуард Ёлкин і Ыгыр прибули до Ясинуватої."),  # Russian letters in uk
        ("ru", "Вчера Євген Ґонта и Їжак приехали в Іркутск."),  # Ukrainian letters in ru
        ("ru", "В Нью-Йорке выступил Ёжиков, а Щёкин остался в Подъячем."),
    ]
    for language, text in texts:
        for e in find_entities(text, language):
            for r in (e.english, *e.renderings):
                assert not any("\u0400" <= ch <= "\u052f" for ch in r), (text, r)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("uk", "Кажуть, що надія, віра і любов допомагають вистояти."),
        ("uk", "у громаді ще жевріє надія, а слава героям не згасає"),
        ("ru", "у жителей осталась надежда, вера и любовь к родному городу"),
        ("uk", "Документ ухвалив Кабінет Міністрів, а Президент його підписав."),
        ("uk", "«Слава героям!» — кричали всі."),
    ],
)
def test_common_words_are_not_names(language: str, text: str) -> None:
    assert find_entities(text, language) == []


def test_nadiia_is_a_name_beside_a_surname_and_hope_alone() -> None:
    name = find_entities("Надія Савченко виступила в парламенті.", "uk")
    assert [e.english for e in name] == ["Nadiia Savchenko"]
    assert find_entities("Надія на мир не згасає.", "uk") == []
    assert find_entities("Це наша надія на мир.", "uk") == []


def test_a_sentence_start_counts_when_the_name_recurs_mid_sentence() -> None:
    # A no-plural noun at a sentence start is weak evidence: alone it is dropped…
    assert find_entities("Шостка отримала гуманітарну допомогу.", "uk") == []
    # … and it joins the same lemma found mid-sentence.
    text = "Шостка отримала гуманітарну допомогу. У Шостці відкрили пункт незламності."
    (shostka,) = find_entities(text, "uk")
    assert shostka.english == "Shostka"
    assert [text[a:b] for a, b in shostka.spans] == ["Шостка", "Шостці"]
    assert shostka.evidence == "no-plural noun"


def test_initials_and_patronymics_make_one_person_span() -> None:
    text = f"Указ підписав В.{NBSP}О.{NBSP}Зеленський. Пізніше Володимир Олександрович Зеленський виступив."
    (entity,) = find_entities(text, "uk")
    assert [text[a:b] for a, b in entity.spans] == [
        f"В.{NBSP}О.{NBSP}Зеленський",
        "Володимир Олександрович Зеленський",
    ]
    assert entity.renderings == ("V. O. Zelensky", "Volodymyr Zelensky")
    assert entity.english == "Volodymyr Zelensky"


def test_spans_are_code_points() -> None:
    text = "🇺🇦 𝐍𝐞𝐰𝐬: у Києві Зеленський"
    found = find_entities(text, "uk")
    assert {text[a:b] for e in found for a, b in e.spans} == {"Києві", "Зеленський"}


def test_glossary_beats_transliteration() -> None:
    text = "Дмитро Пєсков прокоментував заяву."
    (desk,) = find_entities(text, "uk")
    assert (desk.english, desk.how, desk.lemma) == ("Dmitry Peskov", "glossary", "пєсков")
    (plain,) = find_entities(text, "uk", glossary=NamesGlossary(()))
    assert (plain.english, plain.how) == ("Dmytro Pieskov", "KMU 2010")
    (kyiv,) = find_entities("Вибухи пролунали в Києві.", "uk")
    assert (kyiv.english, kyiv.kind) == ("Kyiv", "place")  # not "Kyi", a person
    (moscow,) = find_entities("Делегація прибула до Москви.", "uk")
    assert moscow.english == "Moscow"  # not Moskva


def test_extra_names_win_over_glossary_and_transliteration() -> None:
    text = "Речник Ігор Скибюк заявив, що Кличко прибув."
    found = find_entities(
        text, "uk", extra_names=[("скибюк", "Ihor Skybyuk"), ("кличко", "Vitali Klitschko")]
    )
    assert {e.english for e in found} == {"Ihor Skybyuk", "Klitschko"}
    assert all(e.how == "glossary" for e in found)


@pytest.mark.parametrize(
    "item",
    [
        ("", "Nobody"),
        ("  ", "Nobody"),
        ("а", "And"),
        ("в", "In"),
        ("на", "On"),
        ("він", "He"),
        ("*", "Everyone"),
        ("зел*", "Zelensky"),
        (".*", "Everyone"),
        ("zelensky", "Zelensky"),
        ("Зеленський", "Zelensky"),
        (" зеленський", "Zelensky"),
        ("зеленський", "Зеленський"),
        ("зеленський", ""),
        ("зеленський", "Zelensky", "ship"),
        ("зеленський",),
        ("зеленський", 7),
        "зеленський",
    ],
)
def test_extra_names_that_could_match_anything_are_refused(item: object) -> None:
    with pytest.raises(ValueError):
        find_entities("Зеленський прибув.", "uk", extra_names=[item])  # type: ignore[list-item]


def test_extra_names_limits() -> None:
    with pytest.raises(GlossaryError, match="given twice"):
        check_extra_names([("скибюк", "Skybiuk"), ("скибюк", "Skybyuk")], "uk")
    too_many = [(f"прізвище{'а' * (i % 7)}{'б' * (i // 7)}", "Name") for i in range(201)]
    with pytest.raises(GlossaryError, match=str(MAX_EXTRA_ENTRIES)):
        check_extra_names(too_many, "uk")
    with pytest.raises(GlossaryError, match="language"):
        check_extra_names([NamesEntry("ru", "песков", "Peskov", "person")], "uk")
    assert check_extra_names([("госдума", "State Duma", "org")], "ru")[0].kind == "org"


def test_transliteration_schemes() -> None:
    assert transliterate("зеленський", "uk") == "Zelenskyi"
    assert transliterate("запоріжжя", "uk") == "Zaporizhzhia"
    assert transliterate("мар'яна", "uk") == "Mariana"
    assert transliterate("дмитрий", "ru") == "Dmitry"
    assert transliterate("пётр", "ru") == "Pyotr"
    assert transliterate("соловьёв", "ru") == "Solovyov"
    assert transliterate("римский-корсаков", "ru") == "Rimsky-Korsakov"
    assert transliterate("біла церква", "uk") == "Bila Tserkva"
    assert transliterate("ёлкин", "uk") == "Yolkyn"  # ё (Russian) in uk text: yo


def test_all_caps_are_title_cased() -> None:
    (shoigu,) = find_entities("ШОЙГУ ПРИБЫЛ", "ru", glossary=NamesGlossary(()))
    assert shoigu.english == "Shoygu"
    (desk,) = find_entities("ШОЙГУ ПРИБЫЛ", "ru")
    assert desk.english == "Shoigu"


def test_languages_and_empty_text() -> None:
    assert find_entities("", "uk") == []
    assert find_entities("President Zelensky arrived in Kyiv.", "uk") == []
    with pytest.raises(ValueError):
        find_entities("Зеленський", "en")


def test_the_shipped_glossary() -> None:
    glossary = default_glossary()
    assert len(glossary.entries) >= 60
    assert {e.language for e in glossary.entries} == {"uk", "ru"}
    people = {(e.language, e.lemma): e for e in glossary.entries if e.kind == "person"}
    assert people[("uk", "зеленський")].english == "Volodymyr Zelensky"
    assert people[("uk", "зеленський")].surname == "Zelensky"
    # Every single-word name is found from its nominative, capitalised mid-sentence.
    for e in glossary.entries:
        if " " in e.lemma:
            continue
        word = (
            e.lemma.upper()
            if len(e.lemma) <= 4
            else "-".join(p[:1].upper() + p[1:] for p in e.lemma.split("-"))
        )
        prefix = "Учора про " if e.language == "uk" else "Вчера о "
        found = find_entities(f"{prefix}{word} написали.", e.language)
        assert [f.lemma for f in found] == [e.lemma], (e, found)


def test_glossary_file_errors(tmp_path: Path) -> None:
    header = "language\tlemma\tenglish\tkind\tsource\n"
    cases = {
        "uk\tзеленський\tZelensky\n": "needs language",
        "en\tzelensky\tZelensky\tperson\t\n": "not uk or ru",
        "uk\tзеленський\tZelensky\tship\t\n": "kind",
        "uk\tЗеленський\tZelensky\tperson\t\n": "lower case",
        "uk\tзеленський\tЗеленський\tperson\t\n": "Cyrillic",
        "uk\tзеленський\tZelensky\tperson\t\nuk\tзеленський\tZelenskyy\tperson\t\n": "twice",
    }
    for body, problem in cases.items():
        path = tmp_path / "names.tsv"
        path.write_text(header + body, encoding="utf-8")
        with pytest.raises(GlossaryError, match=problem) as info:
            NamesGlossary.from_tsv(path)
        assert "names.tsv" in str(info.value)
    assert DEFAULT_NAMES.name == "names_en.tsv"


def test_threads_share_the_analysers() -> None:
    texts = [c for c in ALL_CASES[:20]]
    expected = [find_entities(c.text, c.language) for c in texts]
    results: list[list[list[Entity]]] = []

    def work() -> None:
        results.append([find_entities(c.text, c.language) for c in texts])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 4
