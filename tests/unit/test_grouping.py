"""Grouping the same story told twice (MinHash over word shingles), without a model."""

from __future__ import annotations

import sys

import pytest

pytest.importorskip("datasketch", reason="grouping needs the group extra (datasketch)")

from newsdesk_client.grouping import GroupingUnavailable, group_texts, shingles

STORY = (
    "Сили ППО збили 12 дронів над Києвом уночі, повідомили у міській військовій "
    "адміністрації. Уламки пошкодили два будинки у Дарницькому районі. Загиблих немає, "
    "двоє людей поранені, їм надали допомогу на місці."
)
RETOLD = "Нічна атака на столицю. " + STORY + " Читайте також: уряд ухвалив рішення про бюджет."
_SENTENCES = [s.strip() + "." for s in STORY.split(".") if s.strip()]
REORDERED = " ".join(_SENTENCES[1:] + _SENTENCES[:1])  # the lead moved to the end
OTHER = (
    "Верховна Рада ухвалила закон про бюджет на наступний рік. За документ проголосували "
    "280 народних депутатів. Уряд має подати зміни до кінця місяця."
)


def test_tellings_of_one_story_are_one_group() -> None:
    groups = group_texts([STORY, OTHER, RETOLD, REORDERED, ""])
    assert [g.members for g in groups] == [(0, 2, 3), (1,), (4,)]
    assert groups[0].lead == 2  # the fullest telling is briefed


def test_threshold() -> None:
    assert [g.members for g in group_texts([STORY, RETOLD], 0.95)] == [(0,), (1,)]
    for bad in (0.0, 1.0, 1.5):
        with pytest.raises(ValueError):
            group_texts([STORY], bad)


def test_shingles() -> None:
    assert shingles("Один два") == {"один два"}
    assert len(shingles(STORY)) == len(STORY.split()) - 4
    assert shingles("…") == set()


def test_without_the_extra(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "datasketch", None)
    with pytest.raises(GroupingUnavailable, match="newsdesk\\[group\\]"):
        group_texts([STORY])


FOOTER = (
    "\n\n👉 Підписуйтесь на наш канал, щоб першими дізнаватися головні новини Харкова та "
    "області | Підтримати редакцію: monobank 4441 1111 2222 3333"
)


def test_a_channel_footer_does_not_make_posts_one_story() -> None:
    posts = ["Вибухи у Харкові.", "Збито ракету над Одесою.", "Відключення світла в Києві."]
    assert [g.members for g in group_texts([p + FOOTER for p in posts])] == [(0,), (1,), (2,)]
    # A story told three times under the footer is still one story.
    assert [g.members for g in group_texts([STORY + FOOTER] * 3)] == [(0, 1, 2)]


def test_identical_texts_are_one_group() -> None:
    alerts = ["Повітряна тривога! Пройдіть в укриття."] * 500 + [OTHER]
    groups = group_texts(alerts)
    assert [len(g.members) for g in groups] == [500, 1]
