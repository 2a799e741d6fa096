"""Hand-made Ukrainian and Russian news sentences with the names in them, for the entity
layer (services/common/text/entities.py). Written for this project (not taken from any
outlet); the people are public figures or invented, the typography is real-outlet:
«ялинки», no-break spaces after initials, em dashes, both Ukrainian apostrophes (’ and ʼ).

Each case lists the English renderings that must be found (an entity's `english` or the
rendering of one of its spans), renderings that must not be (a common word made a
name), and for some an entity's spans as the source text of each, in order. The
expected English follows the desk's rules, not the finder's output: the names glossary
(glossaries/names_en.tsv) where it has the name, else the lemma transliterated (uk: KMU
2010; ru: iuliia's Wikipedia scheme), first names transliterated, patronymics dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

NBSP = "\u00a0"


@dataclass(frozen=True)
class EntityCase:
    """One sentence (or two) and what the finder must return for it."""

    name: str
    language: str
    text: str
    expected: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    # (rendering, source text of each span in order): the entity holding that rendering
    # has exactly these spans.
    spans: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Written after the rules were settled (see HELD_OUT).
    held_out: bool = False


CASES: tuple[EntityCase, ...] = (
    # ---------------------------------------------------------------- Ukrainian
    EntityCase(
        "uk-first-name-surname-instrumental",
        "uk",
        "Президент Володимир Зеленський провів телефонну розмову з Емманюелем Макроном.",
        ("Volodymyr Zelensky", "Emmanuel Macron"),
        spans=(("Volodymyr Zelensky", ("Володимир Зеленський",)),),
    ),
    EntityCase(
        "uk-three-cases-one-person",
        "uk",
        "Зеленський заявив, що союзники готові допомогти. Позицію Зеленського підтримали"
        " в Брюсселі, а Зеленському подякували за візит.",
        ("Zelensky", "Brussels"),
        spans=(("Zelensky", ("Зеленський", "Зеленського", "Зеленському")),),
    ),
    EntityCase(
        "uk-initial-no-break-space",
        "uk",
        f"Указ підписав В.{NBSP}Зеленський, повідомили в Офісі президента.",
        ("V. Zelensky", "Office of the President"),
        spans=(("V. Zelensky", (f"В.{NBSP}Зеленський",)),),
    ),
    EntityCase(
        "uk-patronymic-merged",
        "uk",
        "Головнокомандувач Олександр Станіславович Сирський доповів про ситуацію під Покровськом.",
        ("Oleksandr Syrskyi", "Pokrovsk"),
        spans=(("Oleksandr Syrskyi", ("Олександр Станіславович Сирський",)),),
    ),
    EntityCase(
        "uk-double-surname",
        "uk",
        "Депутатка Оксана Петренко-Коваль внесла законопроєкт до Верховної Ради.",
        ("Oksana Petrenko-Koval", "Verkhovna Rada"),
        spans=(("Oksana Petrenko-Koval", ("Оксана Петренко-Коваль",)),),
    ),
    EntityCase(
        "uk-nadiia-hope-sentence-start",
        "uk",
        "Надія на швидке перемир’я зникла після нового удару по Харкову.",
        ("Kharkiv",),
        absent=("Nadiia",),
    ),
    EntityCase(
        "uk-nadiia-hope-lower-case",
        "uk",
        "У громаді ще жевріє надія, що міст відновлять до зими.",
        absent=("Nadiia",),
    ),
    EntityCase(
        "uk-nadiia-name-with-surname",
        "uk",
        "Надія Савченко дала інтерв’ю «Українській правді».",
        ("Nadiia Savchenko",),
    ),
    EntityCase(
        "uk-glossary-beats-kmu",
        "uk",
        "Дмитро Пєсков прокоментував заяву Кремля — коротко і без подробиць.",
        ("Dmitry Peskov", "Kremlin"),
        absent=("Dmytro Pieskov", "Pieskov"),
    ),
    EntityCase(
        "uk-klitschko",
        "uk",
        "Мер Києва Віталій Кличко закликав киян зберігати спокій.",
        ("Kyiv", "Vitalii Klitschko"),
        absent=("Klychko",),
    ),
    EntityCase(
        "uk-sybiha-unknown-to-dictionary",
        "uk",
        "Міністр закордонних справ Андрій Сибіга зустрівся з колегами, а згодом Сибізі"
        " вручили ноту протесту.",
        ("Andrii Sybiha",),
        spans=(("Andrii Sybiha", ("Андрій Сибіга", "Сибізі")),),
    ),
    EntityCase(
        "uk-budanov-genitive",
        "uk",
        "За словами Кирила Буданова, розвідка має дані про підготовку удару.",
        ("Kyrylo Budanov",),
    ),
    EntityCase(
        "uk-zaluzhnyi-london",
        "uk",
        "Посол Валерій Залужний виступив із лекцією в Лондоні.",
        ("Valerii Zaluzhnyi", "London"),
    ),
    EntityCase(
        "uk-umerov-pentagon",
        "uk",
        "Рустем Умєров підписав меморандум із Пентагоном.",
        ("Rustem Umerov", "Pentagon"),
    ),
    EntityCase(
        "uk-quoted-companies",
        "uk",
        "«Нафтогаз» і «Укренерго» оцінили збитки від обстрілу енергосистеми.",
        ("Naftogaz", "Ukrenergo"),
    ),
    EntityCase(
        "uk-acronyms",
        "uk",
        "СБУ затримала агента ФСБ у Миколаєві.",
        ("SBU", "FSB", "Mykolaiv"),
    ),
    EntityCase(
        "uk-cities-inflected",
        "uk",
        "Ракети влучили по Одесі та Дніпру, а в Запоріжжі оголосили повітряну тривогу.",
        ("Odesa", "Dnipro", "Zaporizhzhia"),
    ),
    EntityCase(
        "uk-donbas-crimea",
        "uk",
        "Бої тривають на Донбасі, а в Криму знову чути вибухи.",
        ("Donbas", "Crimea"),
    ),
    EntityCase(
        "uk-lviv-mayor-kmu",
        "uk",
        "Уночі у Львові пролунали вибухи, — повідомив міський голова Андрій Садовий.",
        ("Lviv", "Andrii Sadovyi"),
    ),
    EntityCase(
        "uk-svyrydenko-genitive",
        "uk",
        "Заяву Юлії Свириденко оприлюднили на урядовому порталі.",
        ("Yulia Svyrydenko",),
    ),
    EntityCase(
        "uk-female-adjectival-surname",
        "uk",
        "Олена Зеленська відвідала школу в Ірпені.",
        ("Olena Zelenska", "Irpin"),
        absent=("Volodymyr Zelensky", "Zelensky"),
    ),
    EntityCase(
        "uk-unknown-surname-three-forms",
        "uk",
        "Речник ОВА Ігор Скибюк повідомив про наслідки атаки. Слова Скибюка підтвердили"
        " рятувальники, а Скибюкові подякував губернатор.",
        ("Ihor Skybiuk",),
        spans=(("Ihor Skybiuk", ("Ігор Скибюк", "Скибюка", "Скибюкові")),),
    ),
    EntityCase(
        "uk-slava-slogan",
        "uk",
        "«Слава Україні!» — скандували люди на площі.",
        ("Ukraine",),
        absent=("Slava",),
    ),
    EntityCase(
        "uk-surname-at-sentence-start",
        "uk",
        "Шмигаль заявив, що уряд виділить кошти Херсонщині.",
        ("Shmyhal", "Kherson region"),
    ),
    EntityCase(
        "uk-general-staff-full",
        "uk",
        "Генеральний штаб ЗСУ повідомив про 120 боєзіткнень за добу.",
        ("General Staff",),
    ),
    EntityCase(
        "uk-general-staff-short",
        "uk",
        "За даними Генштабу, ворог втратив ще 1200 військових.",
        ("General Staff",),
    ),
    EntityCase(
        "uk-kursk-region",
        "uk",
        "Українські сили просунулися в Курській області, заявив Сирський.",
        ("Kursk region", "Syrskyi"),
    ),
    EntityCase(
        "uk-russian-officials",
        "uk",
        "Сергій Лавров і Сергій Шойгу прибули до Москви.",
        ("Sergei Lavrov", "Sergei Shoigu", "Moscow"),
        absent=("Serhii Lavrov", "Shoihu"),
    ),
    EntityCase(
        "uk-putin-genitive",
        "uk",
        "У Кремлі заявили, що Путіна поінформували про атаку на Бєлгород.",
        ("Kremlin", "Putin", "Belgorod"),
    ),
    EntityCase(
        "uk-apostrophe-modifier-letter",
        "uk",
        "Бої точаться поблизу Купʼянська, повідомив речник угруповання Вадим Мисник.",
        ("Kupiansk", "Vadym Mysnyk"),
    ),
    EntityCase(
        "uk-apostrophe-right-quote",
        "uk",
        "Слідча Мар’яна Ковальчук передала справу до суду.",
        ("Mariana Kovalchuk",),
    ),
    EntityCase(
        "uk-all-caps-headline",
        "uk",
        "ЗЕЛЕНСЬКИЙ ЗУСТРІВСЯ З РЮТТЕ У БРЮССЕЛІ",
        ("Zelensky", "Rutte", "Brussels"),
        absent=("ZeLENSKYI", "Zelenskyi"),
    ),
    EntityCase(
        "uk-small-town-and-region",
        "uk",
        "Ворог атакував дронами Шостку на Сумщині.",
        ("Shostka", "Sumy region"),
    ),
    EntityCase(
        "uk-two-people-white-house",
        "uk",
        "Зустріч Дональда Трампа та Володимира Зеленського відбулася в Білому домі.",
        ("Donald Trump", "Volodymyr Zelensky", "White House"),
    ),
    EntityCase(
        "uk-official-order",
        "uk",
        "Наказ підписав Умєров Рустем Енверович.",
        ("Rustem Umerov",),
        spans=(("Rustem Umerov", ("Умєров Рустем Енверович",)),),
    ),
    EntityCase(
        "uk-capitalised-common-nouns",
        "uk",
        "Документ ухвалив Кабінет Міністрів, а Президент його підписав.",
        absent=("Kabinet", "Ministriv", "Ministr", "Prezydent"),
    ),
    EntityCase(
        "uk-lower-case-virtues",
        "uk",
        "Кажуть, що надія, віра і любов допомагають вистояти навіть у темряві.",
        absent=("Nadiia", "Vira", "Liubov"),
    ),
    EntityCase(
        "uk-quoted-unit-and-village",
        "uk",
        "Бійці бригади «Азов» звільнили Андріївку.",
        ("Azov", "Andriivka"),
    ),
    EntityCase(
        "uk-foreign-minister-and-nato",
        "uk",
        "Генсек НАТО Марк Рютте прибув до Києва, де його зустрів Андрій Сибіга.",
        ("NATO", "Mark Rutte", "Kyiv", "Andrii Sybiha"),
        absent=("Nata",),
    ),
    EntityCase(
        "uk-dash-and-nbsp",
        "uk",
        f"Голова Нацбанку Андрій Пишний — про курс гривні: «Ситуація{NBSP}контрольована».",
        ("Andrii Pyshnyi",),
        absent=("Sytuatsiia",),
    ),
    # ---------------------------------------------------------------- Russian
    EntityCase(
        "ru-peskov-putin-kremlin",
        "ru",
        "Пресс-секретарь Кремля Дмитрий Песков заявил, что Владимир Путин не планирует поездку.",
        ("Kremlin", "Dmitry Peskov", "Vladimir Putin"),
    ),
    EntityCase(
        "ru-three-cases-one-person",
        "ru",
        "Лавров встретился с коллегой, позже Лаврову передали ноту, а без Лаврова"
        " переговоры не начнутся.",
        ("Lavrov",),
        spans=(("Lavrov", ("Лавров", "Лаврову", "Лаврова")),),
    ),
    EntityCase(
        "ru-patronymic-female",
        "ru",
        "Глава ЦБ Эльвира Сахипзадовна Набиуллина сохранила ключевую ставку.",
        ("Elvira Nabiullina",),
        spans=(("Elvira Nabiullina", ("Эльвира Сахипзадовна Набиуллина",)),),
    ),
    EntityCase(
        "ru-initial",
        "ru",
        f"Документ подписал С.{NBSP}Лавров.",
        ("S. Lavrov",),
        spans=(("S. Lavrov", (f"С.{NBSP}Лавров",)),),
    ),
    EntityCase(
        "ru-russian-places",
        "ru",
        "В Москве и Белгороде объявили тревогу, а над Курском сбили беспилотники.",
        ("Moscow", "Belgorod", "Kursk"),
    ),
    EntityCase(
        "ru-ukrainian-places",
        "ru",
        "Удар по Киеву и Харькову осудили в Брюсселе.",
        ("Kyiv", "Kharkiv", "Brussels"),
        absent=("Kiev", "Kharkov"),
    ),
    EntityCase(
        "ru-organisations",
        "ru",
        "«Газпром» сократил поставки, сообщили в ФСБ и «Росатоме».",
        ("Gazprom", "FSB", "Rosatom"),
    ),
    EntityCase(
        "ru-nadezhda-hope",
        "ru",
        "Надежда на переговоры угасает, признал Песков.",
        ("Peskov",),
        absent=("Nadezhda",),
    ),
    EntityCase(
        "ru-nadezhda-name",
        "ru",
        "Надежда Толоконникова дала интервью журналистам.",
        ("Nadezhda Tolokonnikova",),
    ),
    EntityCase(
        "ru-lower-case-hope",
        "ru",
        "У жителей ещё осталась надежда на перемирие.",
        absent=("Nadezhda",),
    ),
    EntityCase(
        "ru-yo-written",
        "ru",
        "Алёна Фёдорова и Пётр Соловьёв выступили на форуме в Санкт-Петербурге.",
        ("Alyona Fyodorova", "Pyotr Solovyov", "St Petersburg"),
    ),
    EntityCase(
        "ru-yo-not-written",
        "ru",
        "Федор Кузнецов и Семен Петров приехали в Шебекино.",
        ("Fyodor Kuznetsov", "Semyon Petrov", "Shebekino"),
    ),
    EntityCase(
        "ru-double-surname",
        "ru",
        "Депутат Ирина Волкова-Сидоренко потребовала ответа от министерства.",
        ("Irina Volkova-Sidorenko",),
        spans=(("Irina Volkova-Sidorenko", ("Ирина Волкова-Сидоренко",)),),
    ),
    EntityCase(
        "ru-female-surname-genitive",
        "ru",
        "Заявление Марии Захаровой прозвучало на брифинге.",
        ("Maria Zakharova",),
    ),
    EntityCase(
        "ru-zelensky-biden",
        "ru",
        "Зеленский встретился с Байденом в Вашингтоне.",
        ("Zelensky", "Biden", "Washington"),
        absent=("Zelenskiy", "Zelenskyi"),
    ),
    EntityCase(
        "ru-medvedev-europe",
        "ru",
        "Зампред Совбеза Дмитрий Медведев снова пригрозил Европе.",
        ("Dmitry Medvedev", "Europe"),
    ),
    EntityCase(
        "ru-governor-unknown-to-glossary",
        "ru",
        "Губернатор Вячеслав Гладков сообщил о пострадавших в Шебекине.",
        ("Vyacheslav Gladkov", "Shebekino"),
    ),
    EntityCase(
        "ru-all-caps",
        "ru",
        "ПУТИН ПРОВЁЛ СОВБЕЗ",
        ("Putin",),
        absent=("ShOYGU", "PUTIN"),
    ),
    EntityCase(
        "ru-country-at-sentence-start",
        "ru",
        "Украина получила новую партию ПВО от США.",
        ("Ukraine", "US"),
    ),
    EntityCase(
        "ru-rada-speaker",
        "ru",
        "Верховная Рада приняла закон, сообщил Руслан Стефанчук.",
        ("Verkhovna Rada", "Ruslan Stefanchuk"),
    ),
    EntityCase(
        "ru-companies",
        "ru",
        "Сбербанк и «Роснефть» отчитались о прибыли за квартал.",
        ("Sberbank", "Rosneft"),
    ),
    EntityCase(
        "ru-shoigu-belousov",
        "ru",
        "Андрей Белоусов сменил Сергея Шойгу на посту министра обороны.",
        ("Andrei Belousov", "Sergei Shoigu"),
        absent=("Andrey Belousov", "Shoygu"),
    ),
    EntityCase(
        "ru-crimea-donbas",
        "ru",
        "Ситуация в Крыму и Донбассе обострилась, — сообщил источник.",
        ("Crimea", "Donbas"),
        absent=("Krym", "Donbass"),
    ),
)

# Held out: written after the finder's rules were settled and run once, blind: 15/20
# right. The misses then led to fixes (a hyphenated common noun at a sentence start, "з"
# + instrumental read as a place, an adjective before a capitalised noun, a surname the
# dictionary knows only as an adjective; Госдума and Гаага added to the glossary) and to
# one expectation corrected ("Hague" → "The Hague"), so these cases are no longer held
# out for today's rules: 15/20 is the blind figure.
HELD_OUT: tuple[EntityCase, ...] = tuple(
    EntityCase(name, language, text, expected, absent, held_out=True)
    for name, language, text, expected, absent in (
        (
            "uk-h-premier-and-minister",
            "uk",
            "Прем’єр-міністерка Юлія Свириденко провела нараду з Германом Галущенком.",
            ("Yulia Svyrydenko", "Herman Halushchenko"),
            (),
        ),
        (
            "uk-h-ombudsman-red-cross",
            "uk",
            "Омбудсман Дмитро Лубінець звернувся до Червоного Хреста.",
            ("Dmytro Lubinets",),
            ("Khrest", "Chervonyi"),
        ),
        (
            "uk-h-region-governor",
            "uk",
            "У Харківській області загинули двоє людей, повідомив Олег Синєгубов.",
            ("Kharkiv region", "Oleh Syniehubov"),
            (),
        ),
        (
            "uk-h-zakharova-moldova",
            "uk",
            "Речниця МЗС Росії Марія Захарова знову погрожувала Молдові.",
            ("Russia", "Maria Zakharova", "Moldova"),
            (),
        ),
        (
            "uk-h-crimea-cities",
            "uk",
            "Вибухи пролунали в Севастополі та Мелітополі.",
            ("Sevastopol", "Melitopol"),
            (),
        ),
        (
            "uk-h-two-leaders",
            "uk",
            "Петро Порошенко і Юлія Тимошенко проголосували проти.",
            ("Petro Poroshenko", "Yulia Tymoshenko"),
            (),
        ),
        (
            "uk-h-other-tymoshenko",
            "uk",
            "Кирило Тимошенко раніше працював в Офісі президента.",
            ("Kyrylo Tymoshenko", "Office of the President"),
            ("Yulia Tymoshenko",),
        ),
        (
            "uk-h-latin-word-and-governor",
            "uk",
            "Про це написав у Telegram очільник Дніпропетровської ОВА Сергій Лисак.",
            ("Serhii Lysak",),
            (),
        ),
        (
            "uk-h-two-women",
            "uk",
            "Надія Мельник і Віра Коваль виграли конкурс.",
            ("Nadiia Melnyk", "Vira Koval"),
            (),
        ),
        (
            "uk-h-love-sentence-start",
            "uk",
            "Любов до рідного краю — це те, що тримає нас разом.",
            (),
            ("Liubov",),
        ),
        (
            "uk-h-bucha-irpin-hague",
            "uk",
            "Злочини в Бучі та Ірпені розслідують у Гаазі.",
            ("Bucha", "Irpin", "The Hague"),
            (),
        ),
        (
            "uk-h-boxer",
            "uk",
            "Олександр Усик захистив титул чемпіона світу.",
            ("Oleksandr Usyk",),
            (),
        ),
        (
            "ru-h-defence-ministry",
            "ru",
            "Министр обороны Андрей Белоусов провёл совещание с Валерием Герасимовым.",
            ("Andrei Belousov", "Valery Gerasimov"),
            (),
        ),
        (
            "ru-h-chechnya",
            "ru",
            "Глава Чечни Рамзан Кадыров заявил о готовности.",
            ("Chechnya", "Ramzan Kadyrov"),
            (),
        ),
        (
            "ru-h-prigozhin-tver",
            "ru",
            "Евгений Пригожин погиб в авиакатастрофе под Тверью.",
            ("Yevgeny Prigozhin", "Tver"),
            (),
        ),
        (
            "ru-h-moscow-mayor",
            "ru",
            "Мэр Москвы Сергей Собянин объявил нерабочий день.",
            ("Moscow", "Sergey Sobyanin"),
            (),
        ),
        (
            "ru-h-faith-sentence-start",
            "ru",
            "Вера в победу сильнее страха, сказал Навальный.",
            ("Navalny",),
            ("Vera",),
        ),
        (
            "ru-h-navalny-couple",
            "ru",
            "Алексей Навальный и Юлия Навальная поженились в 2000 году.",
            ("Alexei Navalny", "Yulia Navalnaya"),
            (),
        ),
        (
            "ru-h-donetsk-luhansk",
            "ru",
            "В Донецке и Луганске прошли обстрелы.",
            ("Donetsk", "Luhansk"),
            (),
        ),
        (
            "ru-h-duma",
            "ru",
            "Эльвира Набиуллина выступила в Госдуме.",
            ("Elvira Nabiullina", "State Duma"),
            (),
        ),
    )
)

ALL_CASES: tuple[EntityCase, ...] = CASES + HELD_OUT
