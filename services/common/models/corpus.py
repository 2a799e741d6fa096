"""Text this project owns, for training the tokenizers of locally built test models.

Written for newsdesk (no third-party text): short news-style sentences in Ukrainian,
Russian and English, expanded by templates, plus every letter of the three alphabets,
digits and punctuation so that the tokenizers trained on it cover any input.
"""

from __future__ import annotations

import itertools

_UK = [
    "Уряд ухвалив нове рішення щодо підтримки громад.",
    "У понеділок у Києві відбулася зустріч міністрів.",
    "Президент заявив, що переговори триватимуть.",
    "Науковці оголосили про важливе відкриття.",
    "Ціни на пальне зросли на 3,5 відсотка.",
    "Мер міста пообіцяв відновити зруйновані школи.",
    "Експерти попереджають про складну зиму.",
    "Делегація прибула до Львова в п'ятницю.",
    "За даними агентства, обсяг експорту збільшився.",
    "Рятувальники працювали на місці всю ніч.",
    "Парламент розгляне законопроєкт наступного тижня.",
    "Їхні сім'ї отримають допомогу від держави.",
    "Ґрунтовий шлях до села відремонтують восени.",
    "Європейські партнери підтримали ініціативу України.",
]
_RU = [
    "Правительство объявило о новых мерах поддержки.",
    "В понедельник в Москве прошла встреча министров.",
    "Президент заявил, что переговоры продолжатся.",
    "Учёные сообщили о важном открытии.",
    "Цены на топливо выросли на 3,5 процента.",
    "Мэр города пообещал восстановить разрушенные школы.",
    "Эксперты предупреждают о трудной зиме.",
    "Делегация прибыла в Санкт-Петербург в пятницу.",
    "По данным агентства, объём экспорта увеличился.",
    "Спасатели работали на месте всю ночь.",
    "Парламент рассмотрит законопроект на следующей неделе.",
    "Этот вопрос обсуждали съезд и его участники.",
    "Объявление было опубликовано в субботу.",
]
_EN = [
    "The government announced new measures to support communities.",
    "On Monday the ministers met in the capital.",
    "The president said that the talks would continue.",
    "Scientists reported an important discovery.",
    "Fuel prices rose by 3.5 percent.",
    "The mayor promised to rebuild the damaged schools.",
    "Experts warn of a difficult winter ahead.",
    "The delegation arrived in Lviv on Friday.",
    "According to the agency, exports increased.",
    "Rescuers worked at the scene throughout the night.",
    "Parliament will consider the bill next week.",
    "Officials said the joint exercises would help stabilise the region.",
    "The report was published by the ministry on Saturday.",
    "Background: talks on the matter began in 2019 and stalled a year later.",
]
_SUBJECTS = {
    "uk": ["Міністр", "Посол", "Голова комітету", "Речниця уряду", "Губернатор області"],
    "ru": ["Министр", "Посол", "Глава комитета", "Пресс-секретарь", "Губернатор области"],
    "en": [
        "The minister",
        "The ambassador",
        "The committee chair",
        "A spokeswoman",
        "The governor",
    ],
}
_VERBS = {
    "uk": ["повідомив про", "прокоментував", "засудив", "підтримав", "оголосив"],
    "ru": ["сообщил о", "прокомментировал", "осудил", "поддержал", "объявил"],
    "en": ["reported on", "commented on", "condemned", "backed", "announced"],
}
_OBJECTS = {
    "uk": ["нові санкції", "план відновлення", "угоду про зерно", "бюджет на 2024 рік"],
    "ru": ["новые санкции", "план восстановления", "сделку по зерну", "бюджет на 2024 год"],
    "en": ["new sanctions", "the recovery plan", "the grain deal", "the 2024 budget"],
}
_ALPHABETS = {
    "uk": "АаБбВвГгҐґДдЕеЄєЖжЗзИиІіЇїЙйКкЛлМмНнОоПпРрСсТтУуФфХхЦцЧчШшЩщЬьЮюЯя’'",
    "ru": "АаБбВвГгДдЕеЁёЖжЗзИиЙйКкЛлМмНнОоПпРрСсТтУуФфХхЦцЧчШшЩщЪъЫыЬьЭэЮюЯя",
    "en": "AaBbCcDdEeFfGgHhIiJjKkLlMmNnOoPpQqRrSsTtUuVvWwXxYyZz",
}
_SYMBOLS = "0123456789 .,;:!?…—–-()[]«»„“”\"'%№$€£/&+*=#@•"


def sentences(language: str) -> list[str]:
    """Owned sentences in `language` ("uk", "ru" or "en"), templates expanded."""
    base = {"uk": _UK, "ru": _RU, "en": _EN}[language]
    generated = [
        f"{s} {v} {o}."
        for s, v, o in itertools.product(_SUBJECTS[language], _VERBS[language], _OBJECTS[language])
    ]
    coverage = [" ".join(_ALPHABETS[language]), _SYMBOLS]
    return [*base, *generated, *coverage]


def article(language: str = "en", sentences_count: int = 40) -> str:
    """A deterministic multi-paragraph article of owned sentences (for tests and benches)."""
    pool = sentences(language)[:-2]
    picked = [pool[(i * 7) % len(pool)] for i in range(sentences_count)]
    paragraphs = [" ".join(picked[i : i + 4]) for i in range(0, len(picked), 4)]
    return "\n\n".join(paragraphs)
