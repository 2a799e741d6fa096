"""Ukrainian-or-Russian word evidence for short texts that share every letter.

"Де дощ?", "Я не люблю рибу.", "Я бачив одного." use no letter that only one of uk/ru
has (і ї є ґ / ы э ъ ё), and statistical detectors trained on news split them almost
at random. Common words and endings do tell them apart: Ukrainian writes "де", "що",
"можу", infinitives in -ти, 2nd person in -еш, reflexives in -ться / -вся, nouns in
-ння; Russian writes "где", "что", "могу", -ть, -ешь, -тся, -лся, -ние. Each text gets
a log-odds score, positive for Ukrainian; the detector shifts probability between
uk and ru by it (never towards or away from any other language). Lists written for
this module from the standard grammars of both languages; the weights were tuned on
../shared/eval/langid/dev.tsv and dev_tatoeba.tsv only. Pure functions, no model.
"""

from __future__ import annotations

import re

# Whole words (lower case) used in one of the two languages and not (or only rarely,
# as another word) in the other. Only words without the letters that already decide.
UK_WORDS = frozenset(
    """
    що це цей ця цю цього цьому цих цим як де коли чому хто або але також вже ще лише
    дуже добре мене ми ви вона воно вони його був була було були буде будуть будемо
    будете ласка можу може можна треба хочеш маю має мав мали бачив
    бачила бачу сказав сказала зробив зробила дякую немає нема тато вчора щось тобто
    поки разом багато краще гарно гарний трохи досить завжди потрібно зовсім тепер
    мабуть звичайно знову людина дитина розумію хочете можете зараз котра котрий
    """.split()
)
RU_WORDS = frozenset(
    """
    что как где когда почему кто или тоже также уже еще только очень хорошо меня мне
    тебя он она оно они его ее их будет будут буду будем могу может можно надо хочешь
    хотел хотела сказал сказала сделал сделала спасибо нет да сегодня вчера сейчас
    теперь много ничего никогда всегда здесь чтобы если себя нужно пожалуйста какой
    такой который которая которое котором свой мой твой надеюсь конечно почти между
    после
    """.split()
)
# Word endings: (regex on a lower-case word, weight towards uk (+) or ru (-)).
ENDINGS: tuple[tuple[re.Pattern[str], float], ...] = tuple(
    (re.compile(pattern + r"$"), weight)
    for pattern, weight in (
        (r"[аяиуо]ти", 1.0),  # infinitive: робити, думати (ru: -ть)
        (r"[аяиуое]ть", -0.7),  # ru infinitive; uk 3rd person (робить) keeps it weak
        (r"[еи]ш", 1.2),  # 2nd person: хочеш, робиш (ru: -ешь, -ишь)
        (r"[еи]шь", -1.2),
        (r"тся", -1.5),  # ru reflexive 3rd person: делается (uk: -ться)
        (r"[яюе]ться", 0.6),  # uk 3rd person reflexive: сваряться, сміються
        (r"вся", 1.2),  # uk past reflexive: дражнився (ru: -лся)
        (r"лся", -1.2),
        (r"л[аои]ся", 1.2),  # uk: одягнулася (ru: -лась, -лось, -лись)
        (r"л[аои]сь", -1.2),
        (r"([бвджзлмнпрстчшщ])\1я", 1.0),  # питання, життя (ru: -ние, -тие)
        (r"[нт]ие", -1.2),
        (r"[нт]ия", -1.0),
        (r"ский|ская|ское|ских", -1.2),  # uk: -ський
        (r"ськ[аоийе]|ського|ському", 1.2),
        (r"[аиі]в", 0.4),  # uk past masculine: бачив, сказав (ru: -ил, -ал)
        (r"[аи]л", -0.4),
        (r"его", -0.8),  # ru: его, моего (uk: його, мого)
        (r"ую|юю", -1.0),  # ru adjective accusative: новую (uk: нову)
        (r"ою", 0.5),  # uk instrumental: рукою (ru mostly -ой)
    )
)
_WORD = re.compile(r"[а-яґєіїё'’ʼ-]+")
UK_WORD_WEIGHT = 1.5
RU_WORD_WEIGHT = 1.5


def uk_ru_log_odds(text: str) -> float:
    """Evidence for Ukrainian over Russian in `text` (0.0: none either way)."""
    score = 0.0
    for word in _WORD.findall(text.lower()):
        word = word.strip("'’ʼ-")
        if len(word) < 2:
            continue
        if word in UK_WORDS:
            score += UK_WORD_WEIGHT
        elif word in RU_WORDS:
            score -= RU_WORD_WEIGHT
        if len(word) < 4:
            continue
        for pattern, weight in ENDINGS:
            if pattern.search(word):
                score += weight
                break
    return score
