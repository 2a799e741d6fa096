"""Retrieval-quality cases for the archive (issue 24): clusters of related news stories,
distractors and unrelated articles, written for the newsdesk project (not copied from
any outlet, corpus or data set).

Each `Cluster` is one running story: 3–5 `earlier` stories the desk briefed before, and
one `new` article that needs background. The archive matches on English text — the
translator's output — so each story's `english` stands in for a good translation of
its Ukrainian or Russian `original` (given for many stories, with the typography of
uk/ru outlets: «» quotes, no-break spaces in thousands, em dashes, names with
patronymics); stories without an original are English-language wire copy. Stories
follow public reporting loosely: dates, figures and quotes are there to make realistic
text, not to be cited, and the URLs are illustrative (outlet domains, made-up paths).

Hard cases, on purpose:
- clusters that share the generic vocabulary of the war ("Ukraine", "Russian", "said",
  "military", "Zelensky", "Kyiv") or of one field — two central banks' rate decisions
  (Russia's and Ukraine's), the Black Sea Fleet / the Crimean Bridge / the grain
  corridor (Black Sea, Kerch, Sevastopol), the Kakhovka dam / the Zaporizhzhia plant /
  the energy strikes (Zaporizhzhia, Energoatom), Moldova's elections / Transnistria's
  gas / EU accession (Moldova, Sandu), the mobilisation law / the commander's
  dismissal (Syrskyi);
- `near_duplicates`: the new article filed again by another outlet, already in the
  archive — it must never be returned;
- `later`: a story of the same cluster dated AFTER the new article — it must never be
  returned;
- `DISTRACTORS` (36): other topics, and same-field stories that are not background to
  any cluster (a daily General Staff report, a Polish grain ban, the rouble's fall,
  Ukraine's inflation, another country's election, another nuclear plant…);
- `UNRELATED`: new articles with nothing related in the archive — their background
  must be empty (shortfall NO_RELATED_ITEMS).

Clusters and unrelated articles are split into DEV (the archive's thresholds are tuned
on it) and TEST (held out, the reported figure). Every story of every split goes into
one archive: a query is answered against all of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

_DOMAINS = {
    "Ukrinform": "www.ukrinform.net",
    "Ukrainska Pravda": "www.pravda.com.ua",
    "Ekonomichna Pravda": "www.epravda.com.ua",
    "Interfax-Ukraine": "interfax.com.ua",
    "UNIAN": "www.unian.info",
    "Suspilne": "suspilne.media",
    "Kyiv Independent": "kyivindependent.com",
    "RBC-Ukraine": "newsukraine.rbc.ua",
    "Hromadske": "hromadske.ua",
    "Radio Svoboda": "www.radiosvoboda.org",
    "Sport.ua": "sport.ua",
    "Meduza": "meduza.io",
    "TASS": "tass.com",
    "Interfax": "www.interfax.ru",
    "Kommersant": "www.kommersant.ru",
    "Novaya Gazeta Europe": "novayagazeta.eu",
    "NewsMaker": "newsmaker.md",
    "Reuters": "www.reuters.com",
    "AP": "apnews.com",
}


@dataclass(frozen=True)
class Story:
    """One news story as the desk briefed it (English = the translator's output)."""

    published: date
    source: str
    headline: str
    english: str
    entities: tuple[str, ...] = ()
    original: str = ""
    language: str = "en"
    url: str = ""

    @property
    def text(self) -> str:
        """The article's English as the archive is asked with it: headline, then body."""
        return f"{self.headline}\n\n{self.english}"


@dataclass(frozen=True)
class Cluster:
    """One running story: earlier items, and the new article that needs background."""

    name: str
    split: str
    new: Story
    earlier: tuple[Story, ...]
    near_duplicates: tuple[Story, ...] = field(default_factory=tuple)
    later: tuple[Story, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Unrelated:
    """A new article with nothing related in the archive: no background."""

    name: str
    split: str
    new: Story


def _s(
    day: str,
    source: str,
    headline: str,
    english: str,
    entities: tuple[str, ...] = (),
    *,
    uk: str = "",
    ru: str = "",
) -> Story:
    slug = re.sub(r"[^a-z0-9]+", "-", headline.lower()).strip("-")[:64]
    published = date.fromisoformat(day)
    url = f"https://{_DOMAINS[source]}/news/{published:%Y/%m/%d}/{slug}"
    language = "uk" if uk else "ru" if ru else "en"
    return Story(published, source, headline, english, entities, uk or ru, language, url)


# ---------------------------------------------------------------------------- DEV

KAKHOVKA = Cluster(
    "kakhovka_dam",
    "dev",
    new=_s(
        "2023-06-13",
        "Interfax-Ukraine",
        "Kakhovka breach leaves 584 000 hectares of farmland without irrigation",
        "The destruction of the Kakhovka dam has left 31 irrigation systems in the "
        "Dnipropetrovsk, Zaporizhzhia and Kherson regions without a source of water, the "
        "Ministry of Agrarian Policy said. Some 584\u00a0000 hectares of farmland were "
        "irrigated from the reservoir before the breach, and the south risks turning into "
        "a desert as soon as next year. In Kherson, flood waters have receded by almost a "
        "metre since Friday.",
        ("Kakhovka HPP", "Ministry of Agrarian Policy"),
        uk="Руйнування греблі Каховської ГЕС залишило без джерела води 31 зрошувальну "
        "систему на Дніпропетровщині, Запоріжжі та Херсонщині, повідомили в Міністерстві "
        "аграрної політики. До підриву з водосховища зрошували близько 584\u00a0000 гектарів "
        "угідь — уже наступного року південь ризикує перетворитися на пустелю. У Херсоні "
        "вода від п'ятниці відступила майже на метр.",
    ),
    earlier=(
        _s(
            "2022-10-20",
            "Ukrainska Pravda",
            "Zelensky: Russia has mined the Kakhovka dam",
            "President Volodymyr Zelensky said on Thursday that Russian forces had mined the "
            "dam and the units of the Kakhovka hydroelectric power plant. A breach would "
            "flood more than 80 settlements, including Kherson, and cut off water to much of "
            "southern Ukraine, he warned.",
            ("Volodymyr Zelensky", "Kakhovka HPP"),
            uk="Президент Володимир Зеленський у четвер заявив, що російські окупанти "
            "замінували греблю та агрегати Каховської ГЕС. За його словами, у разі "
            "руйнування греблі під загрозою затоплення опиняться понад 80 населених пунктів, "
            "зокрема Херсон, а значна частина півдня України залишиться без води.",
        ),
        _s(
            "2022-11-11",
            "Reuters",
            "Retreating Russians blow up road span on Kakhovka dam",
            "KYIV, Nov 11 (Reuters) — Retreating Russian troops blew up part of the road "
            "across the Kakhovka dam as they pulled out of the west bank of the Dnipro "
            "river, satellite images showed. Ukrainian officials said the dam itself was "
            "damaged but still holding.",
            ("Kakhovka HPP",),
        ),
        _s(
            "2023-02-14",
            "Suspilne",
            "Kakhovka reservoir falls to 30-year low",
            "The water level in the Kakhovka reservoir has fallen to its lowest in three "
            "decades after Russian forces opened the sluice gates of the dam, Ukrhydroenergo "
            "said. The drop threatens the water supply of Nikopol, Marhanets and Enerhodar.",
            ("Ukrhydroenergo", "Kakhovka HPP"),
            uk="Рівень води в Каховському водосховищі впав до найнижчої позначки за 30 років "
            "після того, як російські війська відкрили затвори греблі, повідомили в "
            "«Укргідроенерго». Падіння загрожує водопостачанню Нікополя, Марганця та "
            "Енергодара.",
        ),
        _s(
            "2023-06-06",
            "Ukrinform",
            "Russian troops blow up Kakhovka dam",
            "Russian troops blew up the dam of the Kakhovka hydroelectric power plant at "
            "about 2.50 am on Tuesday, Operational Command South said. Authorities began "
            "evacuating residents of ten villages and parts of Kherson as the water in the "
            "Dnipro rose.",
            ("Kakhovka HPP", "Operational Command South"),
        ),
    ),
    later=(
        _s(
            "2024-06-05",
            "Suspilne",
            "A forest grows on the bed of the former Kakhovka reservoir",
            "A year after the Kakhovka dam was destroyed, a young willow and poplar forest "
            "has grown on the bed of the drained reservoir, ecologists said. They urged the "
            "government not to rebuild the dam before the war ends.",
            ("Kakhovka HPP",),
        ),
    ),
)

GRAIN = Cluster(
    "grain_corridor",
    "dev",
    new=_s(
        "2023-07-17",
        "Kyiv Independent",
        "Russia quits Black Sea grain deal",
        "Russia has pulled out of the Black Sea Grain Initiative, Kremlin spokesman Dmitry "
        "Peskov said on July 17, hours before the deal was due to expire. Under the "
        "year-old agreement, Ukraine shipped nearly 33 million tonnes of grain and other "
        "food from Odesa, Chornomorsk and Pivdennyi. Peskov said Moscow would return to the "
        "deal once its demands on its own grain and fertiliser exports were met.",
        ("Dmitry Peskov", "Black Sea Grain Initiative"),
    ),
    earlier=(
        _s(
            "2022-07-22",
            "Ukrinform",
            "Ukraine and Russia sign grain deals in Istanbul",
            "Ukraine and Russia signed separate agreements with Turkey and the United "
            "Nations in Istanbul on Friday to unblock grain exports from three Black Sea "
            "ports. Infrastructure Minister Oleksandr Kubrakov signed for Ukraine, and "
            "Defence Minister Sergei Shoigu for Russia.",
            ("Oleksandr Kubrakov", "Sergei Shoigu", "United Nations"),
            uk="Україна та Росія в п'ятницю в Стамбулі підписали окремі угоди з Туреччиною та "
            "ООН про розблокування експорту зерна з трьох чорноморських портів. Від України "
            "документ підписав міністр інфраструктури Олександр Кубраков, від Росії — "
            "міністр оборони Сергій Шойгу.",
        ),
        _s(
            "2022-08-01",
            "Reuters",
            "First grain ship leaves Odesa under UN-brokered deal",
            "ISTANBUL, Aug 1 (Reuters) — The Sierra Leone-flagged ship Razoni left the port "
            "of Odesa on Monday carrying 26,527 tonnes of corn, the first grain cargo to "
            "leave Ukraine under the deal brokered by the United Nations and Turkey. It is "
            "bound for Lebanon.",
            ("Razoni", "United Nations"),
        ),
        _s(
            "2022-10-29",
            "Meduza",
            "Russia suspends its participation in the grain deal",
            "Russia suspended its participation in the grain deal after what it called a "
            "massive drone attack on ships in Sevastopol, the Defence Ministry said on "
            "Saturday. Moscow said it could no longer guarantee the safety of civilian "
            "cargo ships leaving Ukrainian ports.",
            ("Russian Defence Ministry",),
            ru="Россия приостановила участие в «зерновой сделке» после, как заявили в "
            "Минобороны в субботу, массированной атаки беспилотников на корабли в "
            "Севастополе. В Москве заявили, что больше не могут гарантировать безопасность "
            "гражданских судов, выходящих из украинских портов.",
        ),
        _s(
            "2023-05-17",
            "Ukrinform",
            "Grain deal extended for two more months",
            "President Recep Tayyip Erdogan announced that the Black Sea Grain Initiative "
            "had been extended for another two months. Ukrainian officials said Russia was "
            "blocking the registration of new ships in Istanbul, and inspections had slowed "
            "to about three a day.",
            ("Recep Tayyip Erdogan", "Black Sea Grain Initiative"),
        ),
    ),
    near_duplicates=(
        _s(
            "2023-07-17",
            "Ukrinform",
            "Russia withdraws from Black Sea grain deal",
            "Russia has pulled out of the Black Sea Grain Initiative, Kremlin spokesman Dmitry "
            "Peskov said on July 17, hours before the deal was due to expire. Under the "
            "year-old agreement, Ukraine shipped nearly 33 million tonnes of grain and other "
            "food from Odesa, Chornomorsk and Pivdennyi. Peskov said Moscow would return to "
            "the deal once its demands on its own grain and fertiliser exports were met.",
            ("Dmitry Peskov", "Black Sea Grain Initiative"),
        ),
    ),
    later=(
        _s(
            "2023-07-20",
            "Interfax-Ukraine",
            "Russia says ships bound for Ukrainian ports are potential military targets",
            "Russia's Defence Ministry said it would regard all ships heading for Ukrainian "
            "Black Sea ports as potential carriers of military cargo from July 20. The "
            "warning came three days after Moscow quit the grain deal.",
            ("Russian Defence Ministry",),
        ),
    ),
)

PRISONERS = Cluster(
    "prisoner_exchange",
    "dev",
    new=_s(
        "2024-02-08",
        "Ukrinform",
        "100 Ukrainian defenders return home in new prisoner swap",
        "One hundred Ukrainian servicemen returned home from Russian captivity in the "
        "first exchange since the Il-76 crash in the Belgorod region, President Volodymyr "
        "Zelensky said. The United Arab Emirates again mediated the swap, and Russia "
        "received the same number of prisoners. Among those freed were defenders of "
        "Mariupol and Snake Island, the Coordination Headquarters for the Treatment of "
        "Prisoners of War said.",
        ("Volodymyr Zelensky", "Coordination Headquarters", "United Arab Emirates"),
        uk="Сто українських військових повернулися додому з російського полону — це "
        "перший обмін після катастрофи Іл-76 на Бєлгородщині, повідомив Президент "
        "Володимир Зеленський. Посередником знову виступили Об'єднані Арабські Емірати, "
        "Росія отримала стільки ж полонених. Серед звільнених — захисники Маріуполя та "
        "острова Зміїний, повідомили в Координаційному штабі з питань поводження з "
        "військовополоненими.",
    ),
    earlier=(
        _s(
            "2022-09-22",
            "Ukrainska Pravda",
            "215 defenders, including Azovstal commanders, freed in swap",
            "Ukraine brought home 215 prisoners of war, including 108 fighters of the Azov "
            "regiment and the commanders of the Azovstal defence, in a swap mediated by "
            "Turkey and Saudi Arabia. In return Ukraine handed over 55 people, among them "
            "the pro-Russian politician Viktor Medvedchuk.",
            ("Viktor Medvedchuk", "Azov", "Azovstal"),
            uk="Україна повернула додому 215 полонених, серед них — 108 бійців «Азову» та "
            "командири оборони «Азовсталі»; посередниками обміну виступили Туреччина та "
            "Саудівська Аравія. Натомість Україна передала 55 осіб, зокрема проросійського "
            "політика Віктора Володимировича Медведчука.",
        ),
        _s(
            "2022-12-31",
            "Suspilne",
            "140 defenders return home on New Year's Eve",
            "On New Year's Eve, 140 Ukrainian defenders returned home from Russian "
            "captivity, the head of the President's Office, Andriy Yermak, said. Among them "
            "were soldiers who had defended Mariupol, Bakhmut and Snake Island.",
            ("Andriy Yermak",),
            uk="Напередодні Нового року з російського полону додому повернулися 140 "
            "українських захисників, повідомив керівник Офісу Президента Андрій Єрмак. "
            "Серед них — військові, які обороняли Маріуполь, Бахмут та острів Зміїний.",
        ),
        _s(
            "2024-01-03",
            "Interfax-Ukraine",
            "Largest prisoner exchange of the war brings 230 Ukrainians home",
            "Ukraine and Russia carried out their largest prisoner exchange since the start "
            "of the full-scale invasion, with 230 Ukrainians returning home, the "
            "Coordination Headquarters for the Treatment of Prisoners of War said. The "
            "United Arab Emirates mediated the swap after a pause of almost five months.",
            ("Coordination Headquarters", "United Arab Emirates"),
        ),
        _s(
            "2024-01-24",
            "TASS",
            "Il-76 crashes in Belgorod region; Moscow says prisoners were on board",
            "A Russian Il-76 military transport plane crashed in the Belgorod region, and "
            "the Defence Ministry said 65 captured Ukrainian servicemen being flown for an "
            "exchange were on board. Kyiv said it had no reliable information on who was on "
            "the plane and called for an international investigation.",
            ("Russian Defence Ministry", "Il-76"),
            ru="Военно-транспортный самолёт Ил-76 разбился в Белгородской области; в "
            "Минобороны России заявили, что на борту находились 65 пленных украинских "
            "военнослужащих, которых везли на обмен. В Киеве заявили, что не располагают "
            "достоверной информацией о том, кто был на борту, и призвали к международному "
            "расследованию.",
        ),
    ),
    later=(
        _s(
            "2024-05-31",
            "Ukrinform",
            "75 more Ukrainians freed from Russian captivity",
            "Seventy-five Ukrainian servicemen and civilians returned home in another "
            "prisoner exchange mediated by the United Arab Emirates, the Coordination "
            "Headquarters said. It was the 52nd exchange since the full-scale invasion.",
            ("Coordination Headquarters", "United Arab Emirates"),
        ),
    ),
)

ENERGY = Cluster(
    "energy_strikes",
    "dev",
    new=_s(
        "2024-04-11",
        "Kyiv Independent",
        "Russian strike destroys Trypilska power plant, Kyiv region's largest",
        "A Russian missile and drone attack destroyed the Trypilska thermal power plant, "
        "the largest generator of electricity for the Kyiv, Cherkasy and Zhytomyr "
        "regions, state-owned Centrenergo said. The company has now lost all of its "
        "generation after the strikes on its plants in Kharkiv and Zmiiv last month. "
        "Ukrenergo said energy facilities in five regions had been hit overnight.",
        ("Centrenergo", "Ukrenergo", "Trypilska TPP"),
    ),
    earlier=(
        _s(
            "2022-10-10",
            "Ukrainska Pravda",
            "Russia hits energy facilities in massive missile attack",
            "Russia fired 84 cruise missiles and 24 attack drones at Ukrainian cities on "
            "Monday morning, hitting energy facilities in Kyiv, Lviv, Kharkiv and Dnipro, "
            "the General Staff said. Ukrenergo introduced emergency power cuts in several "
            "regions.",
            ("General Staff", "Ukrenergo"),
            uk="Росія в понеділок уранці випустила по українських містах 84 крилаті ракети "
            "та 24 ударні дрони, уразивши енергетичні об'єкти в Києві, Львові, Харкові та "
            "Дніпрі, повідомили в Генштабі. «Укренерго» запровадило аварійні відключення "
            "електроенергії в кількох областях.",
        ),
        _s(
            "2022-11-23",
            "Reuters",
            "Russian strikes plunge Ukraine into darkness, nuclear plants cut off",
            "KYIV, Nov 23 (Reuters) — A wave of Russian missile strikes plunged much of "
            "Ukraine into darkness on Wednesday, forcing all three of the country's working "
            "nuclear power plants to disconnect from the grid. The water supply failed in "
            "Kyiv, where Mayor Vitali Klitschko said 70% of the capital was without power.",
            ("Vitali Klitschko",),
        ),
        _s(
            "2023-03-09",
            "Interfax-Ukraine",
            "Russia fires six Kinzhal missiles at energy facilities",
            "Russia used six Kinzhal hypersonic missiles in an overnight attack on energy "
            "facilities across Ukraine, the Air Force said. Power was cut in parts of "
            "Kharkiv, Odesa and Zhytomyr, and Ukrenergo said repairs to the grid would take "
            "days.",
            ("Ukrenergo", "Kinzhal"),
        ),
        _s(
            "2024-03-22",
            "Suspilne",
            "Largest attack on Ukraine's energy system hits Dnipro hydroelectric plant",
            "Russia launched its largest attack on Ukraine's energy system since the "
            "full-scale invasion began, hitting the Dnipro hydroelectric power plant, "
            "Energy Minister Herman Halushchenko said. Ukrenergo said more than a million "
            "consumers were left without electricity.",
            ("Herman Halushchenko", "Ukrenergo", "DniproHES"),
            uk="Росія завдала наймасованішого удару по енергосистемі України від початку "
            "повномасштабного вторгнення, уразивши Дніпровську ГЕС, повідомив міністр "
            "енергетики Герман Галущенко. В «Укренерго» заявили, що без світла залишилися "
            "понад мільйон споживачів.",
        ),
    ),
    later=(
        _s(
            "2024-05-15",
            "Ukrinform",
            "Ukrenergo introduces scheduled power outages across Ukraine",
            "Ukrenergo introduced scheduled power outages for households in all regions "
            "after Russian strikes destroyed a large share of the country's generating "
            "capacity. The grid operator urged consumers to save electricity in the evening.",
            ("Ukrenergo",),
        ),
    ),
)

IMF = Cluster(
    "imf_tranche",
    "dev",
    new=_s(
        "2024-06-29",
        "Ekonomichna Pravda",
        "IMF completes fourth review, Ukraine to get $2.2 billion",
        "The IMF Executive Board completed the fourth review of Ukraine's Extended Fund "
        "Facility, allowing a disbursement of about $2.2 billion, Finance Minister Serhiy "
        "Marchenko said. Total disbursements under the $15.6 billion programme will reach "
        "$7.6 billion. The Fund said Ukraine's economy had been more resilient than "
        "expected, but warned of risks from the attacks on the energy system.",
        ("IMF", "Serhiy Marchenko", "Extended Fund Facility"),
        uk="Рада директорів МВФ завершила четвертий перегляд програми розширеного "
        "фінансування для України, що дає змогу отримати близько 2,2 млрд доларів, "
        "повідомив міністр фінансів Сергій Марченко. Загальний обсяг виплат за програмою "
        "на 15,6 млрд доларів сягне 7,6 млрд. У Фонді зазначили, що економіка України "
        "виявилася стійкішою, ніж очікувалося, але попередили про ризики через атаки на "
        "енергосистему.",
    ),
    earlier=(
        _s(
            "2023-03-31",
            "Ekonomichna Pravda",
            "IMF approves $15.6 billion programme for Ukraine",
            "The IMF Executive Board approved a four-year Extended Fund Facility for Ukraine "
            "worth $15.6 billion, the first such programme for a country at war. Ukraine "
            "will receive about $2.7 billion immediately, Prime Minister Denys Shmyhal said.",
            ("IMF", "Denys Shmyhal", "Extended Fund Facility"),
        ),
        _s(
            "2023-06-29",
            "Interfax-Ukraine",
            "IMF completes first review of Ukraine's programme",
            "The IMF board completed the first review of Ukraine's programme, allowing the "
            "immediate disbursement of about $890 million. Mission chief Gavin Gray said "
            "Ukraine had met all the quantitative performance criteria for the end of April.",
            ("IMF", "Gavin Gray"),
        ),
        _s(
            "2023-12-12",
            "Ukrinform",
            "Ukraine receives $900 million from IMF after second review",
            "Ukraine received $900 million from the International Monetary Fund after the "
            "second review of the Extended Fund Facility, the National Bank said. The money "
            "went to the state budget to finance priority spending.",
            ("IMF", "National Bank of Ukraine", "Extended Fund Facility"),
            uk="Україна отримала 900 млн доларів від Міжнародного валютного фонду після "
            "другого перегляду програми розширеного фінансування, повідомили в Національному "
            "банку. Кошти надійшли до державного бюджету на фінансування пріоритетних "
            "видатків.",
        ),
        _s(
            "2024-03-21",
            "Reuters",
            "IMF board approves third review of Ukraine loan, releasing $880 million",
            "WASHINGTON, March 21 (Reuters) — The International Monetary Fund's board "
            "approved the third review of Ukraine's $15.6 billion loan programme, releasing "
            "about $880 million. Finance Minister Serhiy Marchenko said the money would go "
            "to social spending.",
            ("IMF", "Serhiy Marchenko"),
        ),
    ),
)

CHURCH = Cluster(
    "church_law",
    "dev",
    new=_s(
        "2024-08-24",
        "Ukrinform",
        "Zelensky signs law banning Moscow-linked church",
        "President Volodymyr Zelensky signed the law banning religious organisations "
        "affiliated with the Russian Orthodox Church, saying Ukraine was strengthening its "
        "spiritual independence. The law comes into force 30 days after publication, and "
        "communities of the Ukrainian Orthodox Church will have nine months to cut their "
        "ties with Moscow.",
        ("Volodymyr Zelensky", "Russian Orthodox Church", "Ukrainian Orthodox Church"),
        uk="Президент Володимир Зеленський підписав закон про заборону релігійних "
        "організацій, афілійованих із Російською православною церквою, заявивши, що "
        "Україна зміцнює свою духовну незалежність. Закон набирає чинності через 30 днів "
        "після опублікування, а громади Української православної церкви матимуть дев'ять "
        "місяців, щоб розірвати зв'язки з Москвою.",
    ),
    earlier=(
        _s(
            "2022-11-22",
            "Suspilne",
            "SBU searches Kyiv-Pechersk Lavra",
            "The Security Service of Ukraine searched the Kyiv-Pechersk Lavra early on "
            "Tuesday as part of an operation against what it called subversive activities "
            "of the Russian special services. Officers also checked a convent in the Rivne "
            "region.",
            ("SBU", "Kyiv-Pechersk Lavra"),
            uk="Служба безпеки України зранку у вівторок провела обшуки в Києво-Печерській "
            "лаврі в межах операції проти, як там заявили, підривної діяльності російських "
            "спецслужб. Правоохоронці також перевірили жіночий монастир на Рівненщині.",
        ),
        _s(
            "2023-03-10",
            "Ukrainska Pravda",
            "Monks of the Moscow-linked church told to leave the Lavra",
            "The Kyiv-Pechersk Lavra reserve terminated the lease under which the Ukrainian "
            "Orthodox Church of the Moscow Patriarchate used the monastery, telling the "
            "monks to leave by March 29. Metropolitan Pavlo, the abbot, said the monks would "
            "not go.",
            ("Kyiv-Pechersk Lavra", "Metropolitan Pavlo", "Ukrainian Orthodox Church"),
            uk="Заповідник «Києво-Печерська лавра» розірвав договір оренди, за яким "
            "монастирем користувалася Українська православна церква Московського "
            "патріархату, і зобов'язав ченців виїхати до 29 березня. Намісник лаври "
            "митрополит Павло (Петро Дмитрович Лебідь) заявив, що ченці не підуть.",
        ),
        _s(
            "2023-10-19",
            "Interfax-Ukraine",
            "Rada backs ban on Russia-linked church in first reading",
            "The Verkhovna Rada approved in the first reading bill No. 8371, which would ban "
            "religious organisations affiliated with the Russian Orthodox Church; 267 "
            "lawmakers voted in favour. The Ukrainian Orthodox Church said the bill violated "
            "freedom of conscience.",
            ("Verkhovna Rada", "Russian Orthodox Church", "Ukrainian Orthodox Church"),
        ),
        _s(
            "2024-08-20",
            "Kyiv Independent",
            "Parliament bans Russian Orthodox Church in Ukraine",
            "Parliament passed a law banning the Russian Orthodox Church in Ukraine and "
            "religious groups affiliated with it, with 265 lawmakers voting in favour. The "
            "State Service for Ethnopolitics and Freedom of Conscience will examine whether "
            "the Ukrainian Orthodox Church remains tied to Moscow.",
            ("Verkhovna Rada", "Russian Orthodox Church", "Ukrainian Orthodox Church"),
        ),
    ),
    later=(
        _s(
            "2024-09-27",
            "Suspilne",
            "State service starts review of the Ukrainian Orthodox Church's ties to Moscow",
            "The State Service for Ethnopolitics and Freedom of Conscience began a review of "
            "whether the Ukrainian Orthodox Church is affiliated with the Russian Orthodox "
            "Church, the service's head Viktor Yelenskyi said.",
            ("Viktor Yelenskyi", "Ukrainian Orthodox Church"),
        ),
    ),
)

MOBILISATION = Cluster(
    "mobilisation_law",
    "dev",
    new=_s(
        "2024-04-11",
        "Kyiv Independent",
        "Parliament passes mobilization law without demobilization clause",
        "The Verkhovna Rada adopted the law on mobilisation in the second reading with 283 "
        "votes after removing the clause on the demobilisation of soldiers who have served "
        "36 months. Under the law, men liable for military service must update their data "
        "within 60 days, and those who evade call-up papers can be barred from driving. "
        "Commander-in-Chief Oleksandr Syrskyi had asked for demobilisation to be dealt with "
        "in a separate bill.",
        ("Verkhovna Rada", "Oleksandr Syrskyi"),
    ),
    earlier=(
        _s(
            "2023-12-25",
            "Ukrainska Pravda",
            "Government submits bill tightening mobilisation rules",
            "The Cabinet of Ministers submitted to parliament a bill tightening mobilisation "
            "rules, which would lower the conscription age to 25 and require men to update "
            "their data online. President Volodymyr Zelensky said the military had proposed "
            "mobilising 450\u00a0000 to 500\u00a0000 more people.",
            ("Cabinet of Ministers", "Volodymyr Zelensky"),
            uk="Кабінет Міністрів вніс до парламенту законопроєкт про посилення правил "
            "мобілізації, який знижує призовний вік до 25 років і зобов'язує чоловіків "
            "оновити свої дані онлайн. Президент Володимир Зеленський заявив, що військові "
            "запропонували мобілізувати ще 450–500 тисяч людей.",
        ),
        _s(
            "2024-01-11",
            "Interfax-Ukraine",
            "Government withdraws mobilisation bill for revision",
            "The government withdrew its mobilisation bill after the parliamentary committee "
            "on national security found that parts of it violated human rights. Defence "
            "Minister Rustem Umerov said a revised version would be submitted within days.",
            ("Rustem Umerov",),
        ),
        _s(
            "2024-02-07",
            "Suspilne",
            "Rada passes revised mobilisation bill in first reading",
            "The Verkhovna Rada passed the revised mobilisation bill in the first reading "
            "with 243 votes, and lawmakers then filed more than 4\u00a0000 amendments. The "
            "bill provides for demobilisation after 36 months of service.",
            ("Verkhovna Rada",),
            uk="Верховна Рада ухвалила в першому читанні доопрацьований законопроєкт про "
            "мобілізацію — за проголосували 243 депутати, після чого вони подали понад "
            "4\u00a0000 поправок. Документ передбачає демобілізацію після 36 місяців служби.",
        ),
        _s(
            "2024-04-02",
            "Ukrinform",
            "Zelensky signs law lowering mobilisation age to 25",
            "President Volodymyr Zelensky signed a law lowering the minimum age at which "
            "men can be mobilised from 27 to 25. Parliament had passed the law in May 2023, "
            "but it awaited the president's signature for almost a year.",
            ("Volodymyr Zelensky",),
        ),
    ),
    later=(
        _s(
            "2024-05-18",
            "Suspilne",
            "Mobilisation law comes into force",
            "The new law on mobilisation came into force, and men aged 18 to 60 have 60 days "
            "to update their data at enlistment offices, administrative service centres or "
            "in the Reserve+ app. The Defence Ministry said the app had been downloaded "
            "more than a million times on its first day.",
            ("Reserve+",),
        ),
    ),
)

MOLDOVA = Cluster(
    "moldova_elections",
    "dev",
    new=_s(
        "2024-11-04",
        "NewsMaker",
        "Sandu re-elected Moldova's president in run-off",
        "Maia Sandu won a second term as Moldova's president, taking 55.4% of the vote in "
        "Sunday's run-off against Alexandr Stoianoglo, who was backed by the pro-Russian "
        "Party of Socialists. Votes from the diaspora, which exceeded 325\u00a0000, decided "
        "the outcome. Sandu's camp accused Russia of vote-buying and of organising "
        "transport for voters from Transnistria to polling stations.",
        ("Maia Sandu", "Alexandr Stoianoglo", "Party of Socialists"),
        ru="Майя Санду переизбрана президентом Молдовы: во втором туре в воскресенье она "
        "набрала 55,4% голосов, опередив Александра Стояногло, которого поддерживала "
        "пророссийская Партия социалистов. Исход определили голоса диаспоры — более "
        "325\u00a0000. В штабе Санду обвинили Россию в подкупе избирателей и организации "
        "подвоза избирателей из Приднестровья на участки.",
    ),
    earlier=(
        _s(
            "2020-11-16",
            "NewsMaker",
            "Maia Sandu wins Moldova's presidential election",
            "Former Prime Minister Maia Sandu won Moldova's presidential run-off with 57.7% "
            "of the vote, defeating the pro-Russian incumbent Igor Dodon, the Central "
            "Electoral Commission said.",
            ("Maia Sandu", "Igor Dodon"),
            ru="Бывший премьер-министр Майя Санду победила во втором туре президентских "
            "выборов в Молдове с 57,7% голосов, опередив пророссийского действующего "
            "президента Игоря Николаевича Додона, сообщил Центризбирком.",
        ),
        _s(
            "2021-07-12",
            "Reuters",
            "Pro-Western party wins majority in Moldova election",
            "CHISINAU, July 12 (Reuters) — President Maia Sandu's pro-Western Party of "
            "Action and Solidarity won an outright majority in Moldova's snap parliamentary "
            "election, the first time a single pro-European party will control the "
            "legislature since independence.",
            ("Maia Sandu", "Party of Action and Solidarity"),
        ),
        _s(
            "2023-06-19",
            "Meduza",
            "Moldova's Constitutional Court bans Ilan Shor's party",
            "Moldova's Constitutional Court declared the party of the fugitive businessman "
            "Ilan Shor unconstitutional and ordered it dissolved. Shor, sentenced in absentia "
            "to 15 years in prison for bank fraud, lives in Israel and campaigns against "
            "President Maia Sandu.",
            ("Ilan Shor", "Maia Sandu"),
            ru="Конституционный суд Молдовы признал неконституционной партию беглого "
            "бизнесмена Илана Шора и постановил её распустить. Шор, заочно приговорённый к "
            "15 годам заключения за банковское мошенничество, живёт в Израиле и выступает "
            "против президента Майи Санду.",
        ),
        _s(
            "2024-10-21",
            "NewsMaker",
            "Moldova narrowly backs EU path; Sandu faces run-off",
            "Moldovans narrowly backed enshrining the goal of EU membership in the "
            "constitution, with 50.4% voting yes in Sunday's referendum. In the presidential "
            "election held the same day, Maia Sandu won 42% and will face the former "
            "prosecutor-general Alexandr Stoianoglo in a run-off on November 3.",
            ("Maia Sandu", "Alexandr Stoianoglo"),
        ),
    ),
)

CBR = Cluster(
    "cbr_rate",
    "dev",
    new=_s(
        "2024-12-20",
        "Interfax",
        "Bank of Russia unexpectedly keeps key rate at 21%",
        "The Bank of Russia kept its key rate at 21% per annum, although most analysts had "
        "expected an increase to 23%. Governor Elvira Nabiullina said tighter lending "
        "conditions were already cooling demand. President Vladimir Putin had criticised "
        "high rates a day earlier, and businesses complained that borrowing costs were "
        "choking investment.",
        ("Bank of Russia", "Elvira Nabiullina", "Vladimir Putin"),
        ru="Банк России сохранил ключевую ставку на уровне 21% годовых, хотя большинство "
        "аналитиков ожидали её повышения до 23%. Глава ЦБ Эльвира Сахипзадовна Набиуллина "
        "заявила, что ужесточение условий кредитования уже охлаждает спрос. Накануне "
        "президент Владимир Путин раскритиковал высокие ставки, а бизнес жаловался, что "
        "стоимость заимствований душит инвестиции.",
    ),
    earlier=(
        _s(
            "2022-02-28",
            "Interfax",
            "Bank of Russia raises key rate to 20% at emergency meeting",
            "The Bank of Russia raised its key rate to 20% from 9.5% at an emergency "
            "meeting as Western sanctions sent the rouble to a record low. The regulator "
            "also ordered exporters to sell 80% of their foreign currency revenue.",
            ("Bank of Russia",),
            ru="Банк России на внеочередном заседании повысил ключевую ставку до 20% с 9,5% "
            "годовых, после того как западные санкции обрушили рубль до рекордного минимума. "
            "Регулятор также обязал экспортёров продавать 80% валютной выручки.",
        ),
        _s(
            "2023-08-15",
            "Reuters",
            "Russia's central bank hikes rate to 12% after rouble slump",
            "MOSCOW, Aug 15 (Reuters) — Russia's central bank raised its key interest rate "
            "by 350 basis points to 12% at an extraordinary meeting on Tuesday, a day after "
            "the rouble weakened past 100 per dollar.",
            ("Bank of Russia",),
        ),
        _s(
            "2024-07-26",
            "Kommersant",
            "Bank of Russia raises key rate to 18%",
            "“Inflation is well above our forecast,” Governor Elvira Nabiullina said after "
            "the Bank of Russia raised its key rate by 200 basis points to 18%. She did not "
            "rule out a further increase in September.",
            ("Bank of Russia", "Elvira Nabiullina"),
            ru="«Инфляция значительно выше нашего прогноза», — заявила глава ЦБ Эльвира "
            "Набиуллина после того, как Банк России повысил ключевую ставку на 200 б.п., до "
            "18% годовых. Она не исключила дальнейшего повышения в сентябре.",
        ),
        _s(
            "2024-10-25",
            "Meduza",
            "Central bank raises key rate to record 21%",
            "The Bank of Russia raised its key rate to a record 21%, the highest level since "
            "the rate was introduced in 2013. The regulator said inflation was running at "
            "8.5% and the economy was overheating.",
            ("Bank of Russia",),
        ),
    ),
    later=(
        _s(
            "2025-02-14",
            "Interfax",
            "Bank of Russia keeps key rate at 21% for second meeting in a row",
            "The Bank of Russia kept its key rate at 21% for the second meeting in a row, "
            "saying inflation expectations remained high. Elvira Nabiullina said a cut was "
            "not being discussed.",
            ("Bank of Russia", "Elvira Nabiullina"),
        ),
    ),
)

WAGNER = Cluster(
    "wagner_prigozhin",
    "dev",
    new=_s(
        "2023-08-24",
        "Meduza",
        "Prigozhin listed among passengers of jet that crashed in Tver region",
        "An Embraer business jet crashed near the village of Kuzhenkino in the Tver "
        "region, killing all ten people on board, the Emergencies Ministry said. Russia's "
        "aviation agency said Wagner founder Yevgeny Prigozhin and his deputy Dmitry Utkin "
        "were on the passenger list. The crash came exactly two months after the Wagner "
        "mutiny.",
        ("Yevgeny Prigozhin", "Dmitry Utkin", "Wagner"),
        ru="Бизнес-джет Embraer разбился у деревни Кужёнкино в Тверской области, все "
        "десять человек на борту погибли, сообщили в МЧС. По данным Росавиации, в списке "
        "пассажиров значились основатель ЧВК «Вагнер» Евгений Викторович Пригожин и его "
        "заместитель Дмитрий Уткин. Катастрофа произошла ровно через два месяца после "
        "мятежа «Вагнера».",
    ),
    earlier=(
        _s(
            "2023-05-20",
            "Meduza",
            "Prigozhin claims capture of Bakhmut",
            "Wagner Group founder Yevgeny Prigozhin said his fighters had taken full control "
            "of Bakhmut after a battle that had lasted 224 days. Ukraine's Deputy Defence "
            "Minister Hanna Maliar said fighting continued on the outskirts of the city.",
            ("Yevgeny Prigozhin", "Wagner", "Hanna Maliar"),
            ru="Основатель ЧВК «Вагнер» Евгений Пригожин заявил, что его бойцы полностью "
            "взяли под контроль Бахмут (Артёмовск) после боёв, длившихся 224 дня. "
            "Замминистра обороны Украины Анна Маляр заявила, что бои на окраинах города "
            "продолжаются.",
        ),
        _s(
            "2023-06-24",
            "Novaya Gazeta Europe",
            "Wagner mutiny: Prigozhin marches on Moscow, then turns back",
            "Wagner fighters led by Yevgeny Prigozhin seized military facilities in "
            "Rostov-on-Don and moved north towards Moscow, in what Vladimir Putin called an "
            "armed mutiny and a stab in the back. By evening Prigozhin had agreed to turn "
            "his columns around under a deal brokered by Belarusian leader Alexander "
            "Lukashenko.",
            ("Yevgeny Prigozhin", "Wagner", "Vladimir Putin", "Alexander Lukashenko"),
        ),
        _s(
            "2023-06-27",
            "Reuters",
            "Lukashenko says Prigozhin is in Belarus",
            "MINSK, June 27 (Reuters) — Wagner chief Yevgeny Prigozhin has arrived in "
            "Belarus, President Alexander Lukashenko said on Tuesday, confirming that he had "
            "left Russia under the deal that ended the mutiny.",
            ("Yevgeny Prigozhin", "Alexander Lukashenko", "Wagner"),
        ),
        _s(
            "2023-07-10",
            "Interfax",
            "Kremlin says Putin met Prigozhin after the mutiny",
            "Vladimir Putin met Yevgeny Prigozhin and 34 Wagner commanders in the Kremlin "
            "on June 29, five days after the mutiny, Kremlin spokesman Dmitry Peskov said "
            "on Monday. The meeting lasted almost three hours.",
            ("Vladimir Putin", "Yevgeny Prigozhin", "Dmitry Peskov", "Wagner"),
        ),
    ),
    near_duplicates=(
        _s(
            "2023-08-24",
            "Novaya Gazeta Europe",
            "Prigozhin was on board the jet that crashed in Tver region",
            "An Embraer business jet crashed near the village of Kuzhenkino in the Tver "
            "region, killing all ten people on board, the Emergencies Ministry said. Russia's "
            "aviation agency said Wagner founder Yevgeny Prigozhin and his deputy Dmitry "
            "Utkin were on the passenger list. The crash came exactly two months after the "
            "Wagner mutiny.",
            ("Yevgeny Prigozhin", "Dmitry Utkin", "Wagner"),
        ),
    ),
    later=(
        _s(
            "2023-08-29",
            "Meduza",
            "Prigozhin buried in St Petersburg",
            "Yevgeny Prigozhin was buried at the Porokhovskoye cemetery in St Petersburg "
            "in a closed ceremony, his press service said. The Kremlin said Putin did not "
            "plan to attend.",
            ("Yevgeny Prigozhin",),
        ),
    ),
)

# --------------------------------------------------------------------------- TEST

FLEET = Cluster(
    "black_sea_fleet",
    "test",
    new=_s(
        "2024-03-05",
        "Ukrainska Pravda",
        "Ukraine sinks Russian patrol ship Sergei Kotov near Kerch Strait",
        "Ukrainian naval drones hit and sank the Russian Black Sea Fleet patrol ship "
        "Sergei Kotov near the Kerch Strait overnight, the Defence Intelligence of Ukraine "
        "said. The ship, worth an estimated $65 million, was attacked by Magura V5 drones. "
        "Navy spokesman Dmytro Pletenchuk said Russia had lost a third of its warships in "
        "the Black Sea.",
        ("Sergei Kotov", "Defence Intelligence of Ukraine", "Dmytro Pletenchuk"),
        uk="Українські морські дрони вночі уразили й потопили патрульний корабель "
        "Чорноморського флоту РФ «Сергей Котов» поблизу Керченської протоки, повідомили в "
        "ГУР Міноборони. Вартість корабля оцінюють у 65 млн доларів, його атакували дрони "
        "Magura V5. Речник ВМС Дмитро Плетенчук заявив, що Росія втратила третину своїх "
        "кораблів у Чорному морі.",
    ),
    earlier=(
        _s(
            "2022-04-14",
            "Ukrinform",
            "Flagship of Russia's Black Sea Fleet Moskva sinks",
            "The Russian Black Sea Fleet's flagship, the missile cruiser Moskva, sank after "
            "being hit by two Neptune missiles, Ukrainian officials said. Russia's Defence "
            "Ministry said the ship sank while being towed in a storm after a fire had "
            "detonated ammunition.",
            ("Moskva", "Neptune"),
            uk="Флагман Чорноморського флоту РФ ракетний крейсер «Москва» затонув після "
            "влучання двох ракет «Нептун», повідомили українські посадовці. У Міноборони "
            "Росії стверджують, що корабель затонув під час буксирування в шторм після "
            "пожежі, через яку здетонували боєприпаси.",
        ),
        _s(
            "2023-09-22",
            "Reuters",
            "Ukraine strikes Black Sea Fleet headquarters in Sevastopol",
            "KYIV, Sept 22 (Reuters) — Ukraine struck the headquarters of Russia's Black Sea "
            "Fleet in Sevastopol with missiles on Friday, sending a plume of smoke over the "
            "Crimean port city.",
            ("Black Sea Fleet",),
        ),
        _s(
            "2023-12-26",
            "Kyiv Independent",
            "Landing ship Novocherkassk destroyed in Feodosia",
            "The Russian landing ship Novocherkassk was destroyed at the port of Feodosia in "
            "occupied Crimea, Air Force Commander Mykola Oleshchuk said. Videos showed a huge "
            "explosion in the port at about 2.30 am.",
            ("Novocherkassk", "Mykola Oleshchuk"),
        ),
        _s(
            "2024-02-01",
            "Suspilne",
            "Naval drones sink Russian corvette Ivanovets",
            "Naval drones of the Defence Intelligence of Ukraine sank the Russian missile "
            "corvette Ivanovets in Donuzlav Bay, the agency said, publishing a video of the "
            "attack. The ship cost an estimated $60–70 million.",
            ("Ivanovets", "Defence Intelligence of Ukraine"),
            uk="Морські дрони ГУР Міноборони потопили російський ракетний катер «Івановец» "
            "у бухті Донузлав, повідомили в розвідці й оприлюднили відео атаки. Вартість "
            "корабля оцінюють у 60–70 млн доларів.",
        ),
    ),
    later=(
        _s(
            "2024-03-19",
            "Ukrinform",
            "Russia replaces commander of the Black Sea Fleet",
            "Russia has replaced the commander of its Black Sea Fleet, Admiral Viktor "
            "Sokolov, after a series of Ukrainian strikes on its ships, Navy spokesman Dmytro "
            "Pletenchuk said.",
            ("Viktor Sokolov", "Dmytro Pletenchuk"),
        ),
    ),
)

METRO = Cluster(
    "kyiv_metro_flood",
    "test",
    new=_s(
        "2024-02-15",
        "Suspilne",
        "Trains run again between Teremky and Demiivska as a separate section",
        "Trains began running again between Teremky and Demiivska as a separate section of "
        "the blue line, Kyiv Metro said, while the flooded tunnel to Lybidska stays closed "
        "for repair. Passengers change to shuttle buses at Demiivska. Mayor Vitali "
        "Klitschko said the damaged section would be rebuilt by the end of the year.",
        ("Kyiv Metro", "Vitali Klitschko"),
        uk="Поїзди знову курсують між станціями «Теремки» та «Деміївська» як окрема "
        "ділянка синьої гілки, повідомили в КП «Київський метрополітен»; затоплений тунель "
        "до «Либідської» залишається закритим на ремонт. На «Деміївській» пасажири "
        "пересідають на автобуси. Міський голова Віталій Кличко заявив, що пошкоджену "
        "ділянку відбудують до кінця року.",
    ),
    earlier=(
        _s(
            "2023-12-06",
            "Kyiv Independent",
            "Six blue-line metro stations closed after tunnel leak",
            "Kyiv Metro closed six stations of the blue line between Lybidska and Teremky "
            "after water seeped into the tunnel between Lybidska and Demiivska. The city "
            "launched shuttle buses along the route.",
            ("Kyiv Metro",),
        ),
        _s(
            "2023-12-07",
            "Ukrainska Pravda",
            "Klitschko suspends head of Kyiv Metro over tunnel leak",
            "Mayor Vitali Klitschko suspended the head of Kyiv Metro, Viktor Braginsky, "
            "pending an investigation into the leak in the tunnel under the Lybid river. "
            "Prosecutors opened criminal proceedings over official negligence.",
            ("Vitali Klitschko", "Viktor Braginsky", "Kyiv Metro"),
            uk="Міський голова Віталій Кличко відсторонив керівника КП «Київський "
            "метрополітен» Віктора Брагінського на час розслідування протікання в тунелі під "
            "річкою Либідь. Прокуратура відкрила кримінальне провадження за фактом службової "
            "недбалості.",
        ),
        _s(
            "2024-01-10",
            "Suspilne",
            "Repairing Kyiv metro tunnel could take a year",
            "Engineers said the tunnel between Lybidska and Demiivska lies in water-logged "
            "soil and its rings had shifted by up to 20 centimetres. Repairing the section "
            "could take up to a year and cost more than 1.5 billion hryvnias, the city "
            "administration said.",
            ("Kyiv City Administration",),
            uk="Інженери повідомили, що тунель між «Либідською» та «Деміївською» пролягає у "
            "водонасичених ґрунтах, а його кільця змістилися на 20\u00a0см. Ремонт ділянки "
            "може тривати до року й коштувати понад 1,5 млрд гривень, повідомили в КМДА.",
        ),
    ),
)

ZNPP = Cluster(
    "zaporizhzhia_npp",
    "test",
    new=_s(
        "2024-08-12",
        "Suspilne",
        "Fire breaks out at cooling tower of Zaporizhzhia nuclear plant",
        "A fire broke out in one of the cooling towers of the occupied Zaporizhzhia nuclear "
        "power plant in Enerhodar, President Volodymyr Zelensky said, accusing Russian "
        "forces of starting it. The Russian-installed authorities blamed Ukrainian "
        "shelling. The International Atomic Energy Agency said its experts had heard "
        "explosions and seen dark smoke, but reported no impact on nuclear safety.",
        ("Zaporizhzhia NPP", "IAEA", "Volodymyr Zelensky"),
    ),
    earlier=(
        _s(
            "2022-03-04",
            "Interfax-Ukraine",
            "Russian troops seize Zaporizhzhia nuclear plant",
            "Russian troops seized the Zaporizhzhia nuclear power plant in Enerhodar after "
            "shelling set fire to a training building, the State Emergency Service said. "
            "Radiation levels remained normal, the International Atomic Energy Agency said.",
            ("Zaporizhzhia NPP", "IAEA"),
            uk="Російські війська захопили Запорізьку атомну електростанцію в Енергодарі "
            "після того, як через обстріл зайнявся навчальний корпус, повідомили в ДСНС. "
            "Радіаційний фон залишається в нормі, заявили в МАГАТЕ.",
        ),
        _s(
            "2022-09-01",
            "Reuters",
            "IAEA team reaches Zaporizhzhia plant, two experts to stay",
            "ENERHODAR, Sept 1 (Reuters) — An International Atomic Energy Agency team led by "
            "Rafael Grossi reached the Zaporizhzhia nuclear power plant after crossing the "
            "front line, and two experts will remain there permanently.",
            ("IAEA", "Rafael Grossi", "Zaporizhzhia NPP"),
        ),
        _s(
            "2022-09-11",
            "Ukrinform",
            "Last reactor of Zaporizhzhia NPP shut down",
            "Energoatom shut down the sixth and last operating reactor of the Zaporizhzhia "
            "nuclear power plant, putting it into cold shutdown after the plant was cut off "
            "from external power.",
            ("Energoatom", "Zaporizhzhia NPP"),
            uk="«Енергоатом» зупинив шостий, останній енергоблок Запорізької АЕС, що "
            "працював, і перевів його в режим холодного зупину після того, як станцію "
            "відключили від зовнішнього живлення.",
        ),
        _s(
            "2024-04-07",
            "Kyiv Independent",
            "Drones hit reactor dome at Zaporizhzhia plant",
            "“This is a serious incident that must not be repeated,” IAEA Director General "
            "Rafael Grossi said after drones struck the dome of the sixth reactor at the "
            "Zaporizhzhia nuclear plant. The damage did not compromise nuclear safety, the "
            "agency said.",
            ("IAEA", "Rafael Grossi", "Zaporizhzhia NPP"),
        ),
    ),
    near_duplicates=(
        _s(
            "2024-08-12",
            "Ukrinform",
            "Fire at cooling tower of Zaporizhzhia nuclear power plant",
            "A fire broke out in one of the cooling towers of the occupied Zaporizhzhia "
            "nuclear power plant in Enerhodar, President Volodymyr Zelensky said, accusing "
            "Russian forces of starting it. The Russian-installed authorities blamed "
            "Ukrainian shelling. The International Atomic Energy Agency said its experts had "
            "heard explosions and seen dark smoke, but reported no impact on nuclear safety.",
            ("Zaporizhzhia NPP", "IAEA", "Volodymyr Zelensky"),
        ),
    ),
    later=(
        _s(
            "2024-08-27",
            "Interfax-Ukraine",
            "Grossi visits Zaporizhzhia plant again after cooling tower fire",
            "IAEA Director General Rafael Grossi said the cooling tower of the Zaporizhzhia "
            "nuclear plant damaged by fire would have to be demolished.",
            ("IAEA", "Rafael Grossi", "Zaporizhzhia NPP"),
        ),
    ),
)

FOOTBALL = Cluster(
    "football_mudryk",
    "test",
    new=_s(
        "2025-03-07",
        "Sport.ua",
        "Rebrov leaves Mudryk out of Nations League squad",
        "Ukraine head coach Serhiy Rebrov left Chelsea winger Mykhailo Mudryk out of the "
        "squad for the Nations League play-off against Belgium, as the player remains "
        "provisionally suspended over a failed doping test. Rebrov called up 26 players, "
        "including three newcomers.",
        ("Serhiy Rebrov", "Mykhailo Mudryk", "Chelsea"),
        uk="Головний тренер збірної України Сергій Ребров не включив вінгера «Челсі» "
        "Михайла Мудрика до заявки на плей-оф Ліги націй проти Бельгії — гравець "
        "залишається тимчасово відстороненим через допінг-тест. Ребров викликав 26 "
        "футболістів, зокрема трьох новачків.",
    ),
    earlier=(
        _s(
            "2022-12-20",
            "Sport.ua",
            "Shakhtar will not sell Mudryk for less than €100 million",
            "Shakhtar Donetsk chief executive Serhiy Palkin said the club would not sell "
            "winger Mykhailo Mudryk for less than €100 million, after reports of interest "
            "from Arsenal.",
            ("Serhiy Palkin", "Mykhailo Mudryk", "Shakhtar Donetsk", "Arsenal"),
            uk="Генеральний директор «Шахтаря» Сергій Палкін заявив, що клуб не продасть "
            "вінгера Михайла Мудрика дешевше ніж за 100 млн євро, після повідомлень про "
            "інтерес «Арсеналу».",
        ),
        _s(
            "2023-01-15",
            "Reuters",
            "Chelsea sign Mudryk from Shakhtar in deal worth up to €100 million",
            "LONDON, Jan 15 (Reuters) — Chelsea signed Ukraine winger Mykhailo Mudryk from "
            "Shakhtar Donetsk for an initial €70 million, with another €30 million in "
            "add-ons, on an eight-and-a-half-year contract. Arsenal had made two bids for "
            "the 22-year-old.",
            ("Chelsea", "Mykhailo Mudryk", "Shakhtar Donetsk"),
        ),
        _s(
            "2023-01-16",
            "Ukrainska Pravda",
            "Akhmetov to give $25 million from Mudryk deal to Mariupol defenders",
            "Shakhtar owner Rinat Akhmetov pledged $25 million from the Mudryk transfer to "
            "help the defenders of Mariupol and the families of those who died.",
            ("Rinat Akhmetov", "Mykhailo Mudryk", "Shakhtar Donetsk"),
            uk="Власник «Шахтаря» Рінат Леонідович Ахметов пообіцяв спрямувати 25 млн "
            "доларів від трансферу Мудрика на допомогу захисникам Маріуполя та родинам "
            "загиблих.",
        ),
        _s(
            "2024-12-17",
            "Kyiv Independent",
            "Mudryk provisionally suspended after failed drug test",
            "Chelsea winger Mykhailo Mudryk has been provisionally suspended after a urine "
            "sample contained meldonium, the Football Association said. Mudryk said he had "
            "never knowingly used banned substances.",
            ("Mykhailo Mudryk", "Chelsea", "Football Association"),
        ),
    ),
)

NBU = Cluster(
    "nbu_rate",
    "test",
    new=_s(
        "2025-01-23",
        "Interfax-Ukraine",
        "NBU raises key policy rate to 14.5%",
        "The National Bank of Ukraine raised its key policy rate by one percentage point to "
        "14.5% and signalled a further increase to 15.5% in March. Governor Andriy Pyshnyi "
        "said inflation, which reached 12% in December, was driven by food prices and a "
        "shortage of workers.",
        ("National Bank of Ukraine", "Andriy Pyshnyi"),
        uk="Національний банк України підвищив облікову ставку на один відсотковий пункт — "
        "до 14,5% — і дав сигнал про подальше підвищення до 15,5% у березні. Голова НБУ "
        "Андрій Пишний заявив, що інфляцію, яка в грудні сягнула 12%, розганяють ціни на "
        "продукти та нестача працівників.",
    ),
    earlier=(
        _s(
            "2022-06-02",
            "Interfax-Ukraine",
            "NBU raises discount rate to 25%",
            "The National Bank of Ukraine raised its key policy rate from 10% to 25% to "
            "protect the hryvnia and fight inflation, Governor Kyrylo Shevchenko said.",
            ("National Bank of Ukraine", "Kyrylo Shevchenko"),
            uk="Національний банк України підвищив облікову ставку з 10% до 25%, щоб "
            "захистити гривню та протидіяти інфляції, повідомив голова НБУ Кирило "
            "Шевченко.",
        ),
        _s(
            "2023-07-27",
            "Ukrinform",
            "NBU cuts key rate for first time since invasion",
            "The National Bank of Ukraine cut its key policy rate for the first time since "
            "the invasion, from 25% to 22%, as inflation slowed faster than expected. "
            "Governor Andriy Pyshnyi said further cuts were possible.",
            ("National Bank of Ukraine", "Andriy Pyshnyi"),
        ),
        _s(
            "2023-12-14",
            "Ekonomichna Pravda",
            "NBU lowers key rate to 15%",
            "The National Bank of Ukraine lowered its key policy rate to 15% from 16% and "
            "expects inflation of about 5% at the end of the year.",
            ("National Bank of Ukraine",),
            uk="Національний банк знизив облікову ставку з 16% до 15% і очікує інфляції на "
            "рівні близько 5% на кінець року.",
        ),
        _s(
            "2024-12-12",
            "Reuters",
            "Ukraine's central bank raises rate for first time since 2022",
            "KYIV, Dec 12 (Reuters) — Ukraine's central bank raised its key interest rate to "
            "13.5% from 13%, its first hike since 2022, as inflation accelerated to 11.2%.",
            ("National Bank of Ukraine",),
        ),
    ),
)

BRIDGE = Cluster(
    "crimean_bridge",
    "test",
    new=_s(
        "2023-08-12",
        "Kyiv Independent",
        "Russia says it shot down missiles fired at Crimean Bridge",
        "Russia's Defence Ministry said its air defences had shot down three S-200 missiles "
        "fired at the Crimean Bridge, while the Russian-installed authorities put up a "
        "smokescreen over the bridge. Traffic on the bridge across the Kerch Strait was "
        "suspended for several hours. Ukraine has not commented on the attack.",
        ("Crimean Bridge", "Russian Defence Ministry"),
    ),
    earlier=(
        _s(
            "2018-05-15",
            "TASS",
            "Putin opens Crimean Bridge",
            "Vladimir Putin opened the road section of the Crimean Bridge across the Kerch "
            "Strait, driving a KamAZ truck at the head of a column of construction vehicles. "
            "The 19-kilometre bridge is the longest in Europe.",
            ("Vladimir Putin", "Crimean Bridge"),
            ru="Владимир Владимирович Путин открыл автомобильную часть Крымского моста через "
            "Керченский пролив, проехав за рулём КамАЗа во главе колонны строительной "
            "техники. Мост длиной 19 километров — самый длинный в Европе.",
        ),
        _s(
            "2022-10-08",
            "Ukrainska Pravda",
            "Explosion on Crimean Bridge collapses part of road section",
            "A powerful explosion on the Crimean Bridge early on Saturday caused part of the "
            "road section to collapse and set fuel tanks on a train on fire. Russia's "
            "Investigative Committee said a truck had exploded.",
            ("Crimean Bridge",),
            uk="Потужний вибух на Кримському мосту в суботу вранці призвів до обвалу частини "
            "автомобільного полотна та пожежі цистерн із пальним на потязі. У Слідчому "
            "комітеті РФ заявили, що вибухнула вантажівка.",
        ),
        _s(
            "2023-07-17",
            "Meduza",
            "Crimean Bridge attacked again; traffic halted",
            "Traffic on the Crimean Bridge was halted after an attack at about 3.05 am "
            "damaged a span of the road section. A couple from the Belgorod region were "
            "killed and their daughter was injured, Russian officials said, blaming "
            "Ukrainian naval drones.",
            ("Crimean Bridge",),
            ru="Движение по Крымскому мосту остановлено после атаки около 03:05, в "
            "результате которой повреждён пролёт автомобильной части. Погибли супруги из "
            "Белгородской области, их дочь ранена, сообщили российские власти, обвинив "
            "украинские безэкипажные катера.",
        ),
    ),
    later=(
        _s(
            "2025-06-03",
            "Ukrinform",
            "SBU says it hit Crimean Bridge supports with underwater explosives",
            "The Security Service of Ukraine said it had damaged the underwater supports of "
            "the Crimean Bridge with 1\u00a0100 kilograms of explosives.",
            ("SBU", "Crimean Bridge"),
        ),
    ),
)

GAS = Cluster(
    "transnistria_gas",
    "test",
    new=_s(
        "2025-01-01",
        "Ukrainska Pravda",
        "Russian gas transit through Ukraine ends",
        "Russian gas stopped flowing through Ukraine to Europe at 7.00 am on January 1 "
        "after the transit agreement between Naftogaz and Gazprom expired, Energy Minister "
        "Herman Halushchenko said. Moldova's breakaway Transnistria region, which depended "
        "on the gas, cut heating and hot water to households. Slovakia had lobbied Kyiv to "
        "extend the deal.",
        ("Gazprom", "Naftogaz", "Herman Halushchenko", "Transnistria"),
        uk="Російський газ припинив надходити через Україну до Європи о 07:00 1 січня "
        "після завершення дії транзитної угоди між «Нафтогазом» і «Газпромом», повідомив "
        "міністр енергетики Герман Галущенко. Невизнане Придністров'я, яке залежало від "
        "цього газу, відключило домогосподарствам опалення та гарячу воду. Словаччина "
        "наполягала, щоб Київ продовжив угоду.",
    ),
    earlier=(
        _s(
            "2024-08-27",
            "Ukrainska Pravda",
            "Zelensky: Ukraine will not extend gas transit deal with Russia",
            "President Volodymyr Zelensky said Ukraine would not extend its gas transit "
            "agreement with Gazprom, which expires at the end of the year. Kyiv was ready "
            "to carry gas from Azerbaijan if Europe asked, he said.",
            ("Volodymyr Zelensky", "Gazprom"),
        ),
        _s(
            "2024-12-13",
            "NewsMaker",
            "Moldova declares energy emergency over gas supplies to Transnistria",
            "Moldova's parliament declared a 60-day state of emergency in the energy sector "
            "over the risk that Russian gas supplies to Transnistria would stop on January "
            "1. Prime Minister Dorin Recean said the region's Kuchurgan power plant, which "
            "supplies most of Moldova's electricity, might shut down.",
            ("Dorin Recean", "Transnistria", "Kuchurgan power plant"),
            ru="Парламент Молдовы ввёл 60-дневное чрезвычайное положение в энергетике из-за "
            "риска прекращения поставок российского газа в Приднестровье с 1 января. "
            "Премьер-министр Дорин Речан заявил, что Кучурганская ГРЭС, которая обеспечивает "
            "большую часть электроэнергии Молдовы, может остановиться.",
        ),
        _s(
            "2024-12-28",
            "Interfax",
            "Gazprom to halt gas supplies to Moldova on January 1",
            "Gazprom said it would cut gas supplies to Moldova from 8.00 am on January 1, "
            "citing unpaid debts that Chisinau disputes.",
            ("Gazprom", "Moldovagaz"),
            ru="«Газпром» заявил, что прекратит поставки газа в Молдову с 08:00 1 января из-за "
            "неоплаченного долга, который Кишинёв оспаривает.",
        ),
    ),
    later=(
        _s(
            "2025-01-02",
            "NewsMaker",
            "Transnistria's factories halt as gas runs out",
            "Almost all industrial enterprises in Transnistria stopped work after Russian "
            "gas supplies ended, the region's leader Vadim Krasnoselsky said. Rolling power "
            "cuts began in the region.",
            ("Vadim Krasnoselsky", "Transnistria"),
        ),
    ),
)

ZALUZHNYI = Cluster(
    "zaluzhnyi",
    "test",
    new=_s(
        "2024-05-09",
        "Ukrainska Pravda",
        "Zaluzhnyi appointed ambassador to the United Kingdom",
        "President Volodymyr Zelensky appointed the former commander-in-chief Valerii "
        "Zaluzhnyi as Ukraine's ambassador to the United Kingdom. Zaluzhnyi led the Armed "
        "Forces from July 2021 until February, when he was replaced by Oleksandr Syrskyi. "
        "The post had been vacant since Vadym Prystaiko was dismissed in July 2023.",
        ("Valerii Zaluzhnyi", "Volodymyr Zelensky", "Oleksandr Syrskyi", "Vadym Prystaiko"),
        uk="Президент Володимир Зеленський призначив колишнього головнокомандувача Валерія "
        "Федоровича Залужного послом України у Великій Британії. Залужний очолював Збройні "
        "сили з липня 2021 року до лютого, коли його замінив Олександр Сирський. Посада "
        "була вакантною з липня 2023 року, коли звільнили Вадима Пристайка.",
    ),
    earlier=(
        _s(
            "2023-11-01",
            "Ukrainska Pravda",
            "Zaluzhnyi says the war has reached a stalemate",
            "“Just like in the First World War, we have reached the level of technology that "
            "puts us into a stalemate,” Commander-in-Chief Valerii Zaluzhnyi told The "
            "Economist. He said there would most likely be no deep breakthrough without new "
            "technology. The Kremlin rejected his assessment.",
            ("Valerii Zaluzhnyi", "The Economist"),
        ),
        _s(
            "2024-02-08",
            "Ukrinform",
            "Zelensky replaces Zaluzhnyi with Syrskyi",
            "President Volodymyr Zelensky dismissed Valerii Zaluzhnyi as commander-in-chief "
            "of the Armed Forces and appointed Colonel General Oleksandr Syrskyi in his "
            "place. Zelensky said Zaluzhnyi had agreed to remain part of his team.",
            ("Volodymyr Zelensky", "Valerii Zaluzhnyi", "Oleksandr Syrskyi"),
            uk="Президент Володимир Зеленський звільнив Валерія Федоровича Залужного з "
            "посади головнокомандувача Збройних сил і призначив на неї генерал-полковника "
            "Олександра Станіславовича Сирського. За словами Зеленського, Залужний погодився "
            "залишитися в його команді.",
        ),
        _s(
            "2024-02-09",
            "Interfax-Ukraine",
            "Zaluzhnyi awarded Hero of Ukraine title",
            "Valerii Zaluzhnyi was awarded the title of Hero of Ukraine a day after his "
            "dismissal as commander-in-chief, the President's Office said.",
            ("Valerii Zaluzhnyi",),
        ),
        _s(
            "2024-03-07",
            "Suspilne",
            "Kyiv asks London for agrément for Zaluzhnyi as ambassador",
            "The Foreign Ministry has asked the United Kingdom to approve Valerii Zaluzhnyi "
            "as Ukraine's ambassador in London, a source in the ministry said.",
            ("Valerii Zaluzhnyi",),
            uk="МЗС звернулося до Великої Британії з проханням погодити кандидатуру Валерія "
            "Залужного на посаду посла України в Лондоні, повідомило джерело в міністерстві.",
        ),
    ),
)

EU = Cluster(
    "eu_accession",
    "test",
    new=_s(
        "2024-06-25",
        "Ukrinform",
        "Ukraine opens EU membership talks in Luxembourg",
        "Ukraine formally began accession negotiations with the European Union at the first "
        "intergovernmental conference in Luxembourg, Deputy Prime Minister Olha "
        "Stefanishyna said. Moldova opened its talks on the same day. The screening of "
        "Ukrainian legislation against EU law will start in July.",
        ("European Union", "Olha Stefanishyna"),
        uk="Україна офіційно розпочала переговори про вступ до Європейського Союзу на першій "
        "міжурядовій конференції в Люксембурзі, повідомила віцепрем'єр-міністерка Ольга "
        "Стефанішина. Того ж дня переговори розпочала й Молдова. Скринінг українського "
        "законодавства на відповідність праву ЄС стартує в липні.",
    ),
    earlier=(
        _s(
            "2022-06-23",
            "Reuters",
            "EU makes Ukraine and Moldova membership candidates",
            "BRUSSELS, June 23 (Reuters) — European Union leaders granted Ukraine and "
            "Moldova the status of candidates for membership, a step Commission President "
            "Ursula von der Leyen called a historic moment.",
            ("European Union", "Ursula von der Leyen"),
        ),
        _s(
            "2023-11-08",
            "Ukrinform",
            "European Commission recommends opening accession talks with Ukraine",
            "The European Commission recommended opening accession negotiations with "
            "Ukraine and Moldova, provided Kyiv completes reforms on corruption, lobbying "
            "and national minorities.",
            ("European Commission",),
            uk="Європейська комісія рекомендувала розпочати переговори про вступ з Україною "
            "та Молдовою за умови, що Київ завершить реформи щодо корупції, лобізму та "
            "національних меншин.",
        ),
        _s(
            "2023-12-14",
            "Kyiv Independent",
            "EU leaders agree to open accession talks with Ukraine",
            "EU leaders agreed to open accession talks with Ukraine and Moldova after "
            "Hungarian Prime Minister Viktor Orbán left the room during the decision. "
            "Zelensky called it a victory for Ukraine and for all of Europe.",
            ("European Union", "Viktor Orbán", "Volodymyr Zelensky"),
        ),
        _s(
            "2024-06-21",
            "Interfax-Ukraine",
            "EU approves negotiating framework for Ukraine",
            "EU member states approved the negotiating framework for Ukraine and Moldova, "
            "clearing the way for the first intergovernmental conferences next week, the "
            "Belgian presidency of the EU Council said.",
            ("European Union",),
            uk="Країни — члени ЄС затвердили переговорні рамки для України та Молдови, що "
            "відкриває шлях до перших міжурядових конференцій наступного тижня, повідомило "
            "бельгійське головування в Раді ЄС.",
        ),
    ),
)

EUROVISION = Cluster(
    "eurovision",
    "test",
    new=_s(
        "2024-02-03",
        "Suspilne",
        "alyona alyona and Jerry Heil to represent Ukraine at Eurovision",
        "Rapper alyona alyona and singer Jerry Heil won Ukraine's national selection for "
        "the Eurovision Song Contest with the song “Teresa & Maria”. The votes of the jury "
        "and of viewers in the Diia app were combined. The contest will be held in Malmö, "
        "Sweden, in May.",
        ("alyona alyona", "Jerry Heil", "Eurovision"),
        uk="Реперка alyona alyona та співачка Jerry Heil перемогли в національному відборі "
        "на «Євробачення» з піснею «Teresa & Maria». Голоси журі та глядачів у застосунку "
        "«Дія» підсумували. Конкурс відбудеться в травні в Мальме (Швеція).",
    ),
    earlier=(
        _s(
            "2016-05-15",
            "Ukrainska Pravda",
            "Jamala wins Eurovision for Ukraine",
            "Ukraine's Jamala won the Eurovision Song Contest in Stockholm with the song "
            "“1944” about the deportation of the Crimean Tatars.",
            ("Jamala", "Eurovision"),
            uk="Українська співачка Джамала перемогла на «Євробаченні» в Стокгольмі з піснею "
            "«1944» про депортацію кримських татар.",
        ),
        _s(
            "2022-05-15",
            "Suspilne",
            "Kalush Orchestra wins Eurovision in Turin",
            "Kalush Orchestra won the Eurovision Song Contest in Turin with the song "
            "“Stefania”, collecting a record 439 points from viewers. Frontman Oleh Psiuk "
            "used the stage to call for help for the defenders of Mariupol and Azovstal.",
            ("Kalush Orchestra", "Oleh Psiuk", "Eurovision"),
            uk="Kalush Orchestra переміг на «Євробаченні» в Турині з піснею «Стефанія», "
            "набравши рекордні 439 балів від глядачів. Фронтмен гурту Олег Псюк закликав зі "
            "сцени допомогти захисникам Маріуполя та «Азовсталі».",
        ),
        _s(
            "2022-07-25",
            "AP",
            "Britain to host Eurovision 2023 on Ukraine's behalf",
            "Next year's Eurovision Song Contest will be held in Britain on behalf of "
            "Ukraine, which cannot host it safely because of the war, the European "
            "Broadcasting Union said.",
            ("European Broadcasting Union", "Eurovision"),
        ),
        _s(
            "2023-05-14",
            "Ukrinform",
            "Tvorchi finish sixth at Eurovision in Liverpool",
            "Tvorchi finished sixth at the Eurovision Song Contest in Liverpool, which "
            "Britain hosted on behalf of Ukraine; Sweden's Loreen won.",
            ("Tvorchi", "Loreen", "Eurovision"),
        ),
    ),
)

CLUSTERS: tuple[Cluster, ...] = (
    KAKHOVKA,
    GRAIN,
    PRISONERS,
    ENERGY,
    IMF,
    CHURCH,
    MOBILISATION,
    MOLDOVA,
    CBR,
    WAGNER,
    FLEET,
    METRO,
    ZNPP,
    FOOTBALL,
    NBU,
    BRIDGE,
    GAS,
    ZALUZHNYI,
    EU,
    EUROVISION,
)

# ---------------------------------------------------------------------- DISTRACTORS
# Background to nothing here: other topics, and same-field stories.

DISTRACTORS: tuple[Story, ...] = (
    _s(
        "2024-04-10",
        "Ukrinform",
        "General Staff: 63 combat clashes in the past day",
        "Ukrainian forces repelled 63 Russian assaults in the past day, most of them near "
        "Avdiivka and Novopavlivka, the General Staff of the Armed Forces said in its "
        "morning report. Russia also launched 12 missile strikes and 70 air strikes.",
        ("General Staff",),
        uk="За минулу добу українські воїни відбили 63 російські атаки, найбільше — на "
        "Авдіївському та Новопавлівському напрямках, повідомив Генштаб ЗСУ у ранковому "
        "зведенні. Росія також завдала 12 ракетних і 70 авіаційних ударів.",
    ),
    _s(
        "2023-06-12",
        "TASS",
        "Russian air defences down 20 drones over border regions",
        "Russian air defence systems shot down 20 Ukrainian drones over the Belgorod and "
        "Kursk regions overnight, the Russian Defence Ministry said. No casualties were "
        "reported.",
        ("Russian Defence Ministry",),
    ),
    _s(
        "2024-02-19",
        "Interfax-Ukraine",
        "Ukraine receives more Leopard tanks from Germany",
        "Ukraine's army received a new batch of Leopard 1A5 tanks from Germany, Defence "
        "Minister Rustem Umerov said, thanking Berlin for its military aid.",
        ("Rustem Umerov", "Leopard"),
    ),
    _s(
        "2022-10-12",
        "Ukrainska Pravda",
        "Five villages liberated in Kherson region",
        "Ukrainian troops liberated five villages in the Beryslav district of the Kherson "
        "region, President Volodymyr Zelensky said in his evening address.",
        ("Volodymyr Zelensky",),
        uk="Українські військові звільнили п'ять сіл у Бериславському районі Херсонщини, "
        "заявив Президент Володимир Зеленський у вечірньому зверненні.",
    ),
    _s(
        "2023-06-27",
        "Suspilne",
        "Russian missile hits restaurant in Kramatorsk",
        "A Russian Iskander missile hit a restaurant in the centre of Kramatorsk in the "
        "evening, killing 13 people, including three children, the National Police said.",
        ("National Police",),
    ),
    _s(
        "2024-08-07",
        "Kyiv Independent",
        "Ukrainian troops cross into Russia's Kursk region",
        "Ukrainian troops crossed the border into Russia's Kursk region and advanced up to "
        "ten kilometres, Russian military bloggers said. The Russian General Staff said it "
        "was repelling the attack.",
        ("Kursk region",),
    ),
    _s(
        "2024-01-23",
        "Ukrinform",
        "Government expands affordable mortgages for servicemen",
        "The Cabinet of Ministers expanded the eOselia programme of affordable mortgages at "
        "3% for servicemen, teachers and doctors, Prime Minister Denys Shmyhal said.",
        ("Denys Shmyhal", "eOselia"),
    ),
    _s(
        "2024-10-10",
        "Ekonomichna Pravda",
        "Rada raises military levy to 5%",
        "The Verkhovna Rada passed a law raising the military levy on personal income from "
        "1.5% to 5% and introducing a tax on the profits of banks at 50% for 2024.",
        ("Verkhovna Rada",),
        uk="Верховна Рада ухвалила закон про підвищення військового збору з доходів фізосіб "
        "з 1,5% до 5% та запровадження податку на прибуток банків за ставкою 50% за 2024 рік.",
    ),
    _s(
        "2024-05-06",
        "UNIAN",
        "Naftogaz and US company sign LNG deal",
        "Naftogaz signed an agreement with an American company to supply liquefied natural "
        "gas to Ukraine through terminals in Poland and Lithuania, the company's chief "
        "executive Oleksiy Chernyshov said.",
        ("Naftogaz", "Oleksiy Chernyshov"),
    ),
    _s(
        "2024-06-14",
        "Ukrinform",
        "Ukrzaliznytsia launches direct train from Kyiv to Budapest",
        "Ukrzaliznytsia launched a direct train from Kyiv to Budapest via Chop, the first "
        "such route since the full-scale invasion.",
        ("Ukrzaliznytsia",),
    ),
    _s(
        "2024-09-19",
        "Suspilne",
        "Kyiv renames 15 streets named after Russian cities",
        "The Kyiv City Council renamed 15 streets and squares whose names were linked to "
        "Russia, including Novosibirska and Omska streets. Residents had voted for the new "
        "names in the Kyiv Digital app.",
        ("Kyiv City Council",),
        uk="Київська міська рада перейменувала 15 вулиць і площ, назви яких пов'язані з "
        "Росією, зокрема Новосибірську та Омську. Нові назви кияни обрали в застосунку "
        "«Київ Цифровий».",
    ),
    _s(
        "2024-07-29",
        "Suspilne",
        "Olha Kharlan wins bronze at Paris Olympics",
        "Ukrainian fencer Olha Kharlan won a bronze medal in the individual sabre at the "
        "Paris Olympics, Ukraine's first medal of the Games.",
        ("Olha Kharlan",),
    ),
    _s(
        "2024-11-30",
        "Sport.ua",
        "Dynamo Kyiv beat Shakhtar in Ukrainian derby",
        "Dynamo Kyiv beat Shakhtar Donetsk 1–0 in the Ukrainian Premier League, extending "
        "their lead at the top of the table to seven points.",
        ("Dynamo Kyiv", "Shakhtar Donetsk"),
        uk="Київське «Динамо» обіграло донецький «Шахтар» з рахунком 1:0 в Українській "
        "Прем'єр-лізі й збільшило відрив на чолі таблиці до семи очок.",
    ),
    _s(
        "2024-03-26",
        "Sport.ua",
        "Ukraine qualify for Euro 2024 after beating Iceland",
        "Ukraine qualified for Euro 2024 after coming from behind to beat Iceland 2–1 in the "
        "play-off final in Wroclaw.",
        ("Euro 2024",),
    ),
    _s(
        "2024-05-16",
        "Meduza",
        "Drones disrupt flights at Moscow airports",
        "Moscow's Sheremetyevo and Vnukovo airports restricted flights for several hours "
        "after drones were shot down near the capital, Mayor Sergei Sobyanin said.",
        ("Sergei Sobyanin",),
    ),
    _s(
        "2022-11-24",
        "Novaya Gazeta Europe",
        "State Duma passes law banning LGBT 'propaganda'",
        "The State Duma passed in the third reading a law banning the “propaganda” of "
        "non-traditional sexual relations among people of all ages.",
        ("State Duma",),
    ),
    _s(
        "2024-02-16",
        "Meduza",
        "Alexei Navalny dies in Arctic penal colony",
        "Alexei Navalny died in the IK-3 penal colony in the Yamalo-Nenets region, the "
        "Federal Penitentiary Service said, saying he had felt unwell after a walk.",
        ("Alexei Navalny",),
        ru="Алексей Анатольевич Навальный умер в колонии ИК-3 в Ямало-Ненецком автономном "
        "округе, сообщила ФСИН, по данным которой ему стало плохо после прогулки.",
    ),
    _s(
        "2024-11-27",
        "Kommersant",
        "Rouble falls past 110 per dollar after Gazprombank sanctions",
        "The rouble fell past 110 per dollar on the interbank market for the first time "
        "since March 2022, after the United States imposed sanctions on Gazprombank.",
        ("Gazprombank",),
        ru="Курс рубля на межбанковском рынке впервые с марта 2022 года опустился ниже 110 за "
        "доллар после введения США санкций против Газпромбанка.",
    ),
    _s(
        "2024-01-10",
        "Interfax-Ukraine",
        "Ukraine's inflation slows to 5.1% in December",
        "Consumer inflation in Ukraine slowed to 5.1% year on year in December from 26.6% a "
        "year earlier, the State Statistics Service said.",
        ("State Statistics Service",),
    ),
    _s(
        "2023-11-02",
        "AP",
        "Storm Ciarán batters western Europe",
        "Storm Ciarán battered western Europe with winds of up to 200 kilometres per hour, "
        "killing at least seven people and cutting power to 1.2 million homes in France.",
        ("Storm Ciarán",),
    ),
    _s(
        "2023-09-12",
        "AP",
        "Apple unveils iPhone 15 with USB-C port",
        "Apple unveiled the iPhone 15, its first phone with a USB-C port, complying with a "
        "European Union rule on common chargers.",
        ("Apple",),
    ),
    _s(
        "2023-02-06",
        "Reuters",
        "Powerful earthquake hits Turkey and Syria",
        "ANKARA, Feb 6 (Reuters) — A magnitude 7.8 earthquake struck southern Turkey and "
        "northern Syria at 4.17 am on Monday, toppling thousands of buildings and killing "
        "more than 2,000 people.",
        ("Turkey", "Syria"),
    ),
    _s(
        "2023-04-15",
        "Ukrainska Pravda",
        "Poland bans imports of Ukrainian grain",
        "Poland banned imports of grain and other food from Ukraine until the end of June "
        "after protests by Polish farmers, who said cheap imports had driven down prices.",
        ("Poland",),
        uk="Польща заборонила імпорт зерна та інших продуктів з України до кінця червня "
        "після протестів польських фермерів, які заявили, що дешевий імпорт обвалив ціни.",
    ),
    _s(
        "2022-10-07",
        "AP",
        "Nobel Peace Prize goes to rights defenders from Ukraine, Russia and Belarus",
        "The Nobel Peace Prize was awarded to the Ukrainian Center for Civil Liberties, "
        "the Russian group Memorial and the jailed Belarusian activist Ales Bialiatski.",
        ("Center for Civil Liberties", "Memorial", "Ales Bialiatski"),
    ),
    _s(
        "2020-04-14",
        "Hromadske",
        "Wildfire in Chornobyl zone comes close to nuclear plant",
        "A forest fire in the Chornobyl exclusion zone came within two kilometres of the "
        "decommissioned nuclear power plant, the State Emergency Service said. Radiation "
        "levels in Kyiv remained normal.",
        ("Chornobyl NPP", "State Emergency Service"),
        uk="Лісова пожежа в Чорнобильській зоні відчуження підійшла на відстань двох "
        "кілометрів до виведеної з експлуатації атомної електростанції, повідомили в ДСНС. "
        "Радіаційний фон у Києві в нормі.",
    ),
    _s(
        "2023-05-12",
        "Meduza",
        "Second unit of Belarusian nuclear plant starts operation",
        "The second power unit of the Belarusian nuclear power plant in Astravets began "
        "commercial operation, the Belarusian Energy Ministry said. Lithuania has called "
        "the Rosatom-built plant unsafe.",
        ("Rosatom", "Astravets"),
    ),
    _s(
        "2024-12-06",
        "Reuters",
        "Romania's top court annuls presidential election",
        "BUCHAREST, Dec 6 (Reuters) — Romania's Constitutional Court annulled the "
        "presidential election two days before the run-off, after intelligence documents "
        "alleged a Russian-backed campaign for far-right candidate Calin Georgescu.",
        ("Calin Georgescu", "Romania"),
    ),
    _s(
        "2024-10-27",
        "Radio Svoboda",
        "Georgian Dream claims victory in Georgia's parliamentary election",
        "Georgia's ruling Georgian Dream party won 54% of the vote in the parliamentary "
        "election, the Central Election Commission said; the opposition refused to "
        "recognise the result.",
        ("Georgian Dream",),
    ),
    _s(
        "2023-09-06",
        "Ukrinform",
        "Pope meets head of Ukrainian Greek Catholic Church",
        "Pope Francis met the head of the Ukrainian Greek Catholic Church, Sviatoslav "
        "Shevchuk, in the Vatican and assured him of his closeness to the Ukrainian people.",
        ("Pope Francis", "Sviatoslav Shevchuk"),
    ),
    _s(
        "2024-07-08",
        "Suspilne",
        "Russian missile hits Okhmatdyt children's hospital in Kyiv",
        "A Russian Kh-101 missile hit the Okhmatdyt children's hospital in Kyiv during a "
        "massive daytime attack, the Security Service of Ukraine said. Across the country, "
        "the strikes killed at least 38 people.",
        ("Okhmatdyt", "SBU"),
        uk="Російська ракета Х-101 влучила в дитячу лікарню «Охматдит» у Києві під час "
        "масованої денної атаки, повідомили в СБУ. Загалом по країні внаслідок ударів "
        "загинули щонайменше 38 людей.",
    ),
    _s(
        "2023-04-19",
        "Interfax-Ukraine",
        "Ukraine resumes electricity exports",
        "Ukraine resumed exports of electricity to Poland, Slovakia and Moldova for the "
        "first time since October, Energy Minister Herman Halushchenko said.",
        ("Herman Halushchenko",),
    ),
    _s(
        "2023-02-23",
        "Ukrinform",
        "UN General Assembly demands Russian withdrawal from Ukraine",
        "The UN General Assembly adopted a resolution calling for a just and lasting peace "
        "in Ukraine and demanding that Russia withdraw its troops, with 141 countries "
        "voting in favour.",
        ("UN General Assembly",),
    ),
    _s(
        "2024-03-07",
        "Reuters",
        "Sweden formally joins NATO",
        "WASHINGTON, March 7 (Reuters) — Sweden formally became the 32nd member of NATO, "
        "ending two centuries of non-alignment, after Prime Minister Ulf Kristersson "
        "handed over the accession documents in Washington.",
        ("NATO", "Ulf Kristersson", "Sweden"),
    ),
    _s(
        "2024-03-23",
        "Meduza",
        "Gunmen attack Crocus City Hall near Moscow",
        "Gunmen opened fire on concertgoers at Crocus City Hall near Moscow and set the "
        "building on fire, killing more than 140 people, the Investigative Committee said.",
        ("Crocus City Hall",),
        ru="Вооружённые люди открыли огонь по зрителям в «Крокус Сити Холле» в "
        "Подмосковье и подожгли здание, погибли более 140 человек, сообщил Следственный "
        "комитет.",
    ),
    _s(
        "2024-04-01",
        "Ukrinform",
        "Minimum wage rises to 8 000 hryvnias",
        "Ukraine's minimum wage rose to 8\u00a0000 hryvnias a month from April 1, the "
        "Ministry of Economy said.",
        ("Ministry of Economy",),
    ),
    _s(
        "2024-02-22",
        "AP",
        "Japan's Nikkei hits record high for first time since 1989",
        "Japan's Nikkei share index closed at a record high, beating the peak it reached "
        "in December 1989 before the country's asset bubble burst.",
        ("Nikkei",),
    ),
)

# ------------------------------------------------------------------------ UNRELATED

UNRELATED: tuple[Unrelated, ...] = (
    Unrelated(
        "kharkiv_startup",
        "dev",
        _s(
            "2024-05-20",
            "RBC-Ukraine",
            "Kharkiv start-up raises $3 million for children's coding app",
            "A start-up from Kharkiv that makes an app teaching children to code raised $3 "
            "million from European investors, its founder said. The company plans to hire "
            "20 developers and launch in Poland and Germany this year.",
            ("Kharkiv",),
        ),
    ),
    Unrelated(
        "dubai_floods",
        "dev",
        _s(
            "2024-04-17",
            "AP",
            "Record rain floods Dubai, metro stations closed",
            "The heaviest rain recorded in the United Arab Emirates in 75 years flooded "
            "roads and metro stations in Dubai, and flights were diverted from the city's "
            "airport. Schools switched to remote learning.",
            ("Dubai",),
        ),
    ),
    Unrelated(
        "english_language_law",
        "dev",
        _s(
            "2024-07-04",
            "Ukrinform",
            "Zelensky signs law on English in Ukraine",
            "President Volodymyr Zelensky signed a law making English one of the languages "
            "of international communication in Ukraine. Officials, police officers and "
            "customs officers will be required to know English.",
            ("Volodymyr Zelensky",),
            uk="Президент Володимир Зеленський підписав закон про застосування англійської "
            "мови як однієї з мов міжнародного спілкування в Україні. Знати англійську "
            "зобов'язані посадовці, поліцейські та митники.",
        ),
    ),
    Unrelated(
        "bolshoi_premiere",
        "dev",
        _s(
            "2023-10-14",
            "Kommersant",
            "Bolshoi Theatre opens season with new production",
            "The Bolshoi Theatre in Moscow opened its season with a new production of "
            "Tchaikovsky's opera “The Queen of Spades”, directed by Alexei Frandetti.",
            ("Bolshoi Theatre",),
            ru="Большой театр открыл сезон новой постановкой оперы Чайковского «Пиковая "
            "дама» в режиссуре Алексея Франдетти.",
        ),
    ),
    Unrelated(
        "starship_test",
        "test",
        _s(
            "2024-06-06",
            "AP",
            "SpaceX Starship survives re-entry in fourth test flight",
            "SpaceX's Starship rocket survived re-entry and splashed down in the Indian "
            "Ocean in its fourth test flight, a first for the largest rocket ever built.",
            ("SpaceX", "Starship"),
        ),
    ),
    Unrelated(
        "f16_arrive",
        "test",
        _s(
            "2024-08-04",
            "Kyiv Independent",
            "First F-16 fighter jets arrive in Ukraine",
            "President Volodymyr Zelensky showed the first F-16 fighter jets delivered to "
            "Ukraine at an air base and said pilots were already using them. The Netherlands, "
            "Denmark and Norway pledged the aircraft.",
            ("Volodymyr Zelensky", "F-16"),
        ),
    ),
    Unrelated(
        "russia_population",
        "test",
        _s(
            "2024-03-01",
            "Meduza",
            "Russia's birth rate falls to lowest in a quarter century",
            "Russia recorded 1.26 million births in 2023, the lowest since 1999, according "
            "to the state statistics service Rosstat.",
            ("Rosstat",),
            ru="В 2023 году в России родились 1,26 млн детей — меньше всего с 1999 года, "
            "следует из данных Росстата.",
        ),
    ),
    Unrelated(
        "odesa_opera",
        "test",
        _s(
            "2024-09-28",
            "Suspilne",
            "Odesa Opera opens season with Verdi's Nabucco",
            "The Odesa National Academic Opera and Ballet Theatre opened its new season "
            "with Verdi's “Nabucco”; performances move to the bomb shelter during air raid "
            "alerts.",
            ("Odesa Opera",),
            uk="Одеський національний академічний театр опери та балету відкрив новий сезон "
            "оперою Верді «Набукко»; під час повітряних тривог вистави переносять до "
            "укриття.",
        ),
    ),
    Unrelated(
        "moldova_wine",
        "test",
        _s(
            "2024-02-12",
            "NewsMaker",
            "Moldova's wine exports rise to record",
            "Moldova exported wine worth a record $200 million in 2023, with Romania, "
            "Poland and China the largest buyers, the National Office for Vine and Wine "
            "said.",
            ("National Office for Vine and Wine",),
        ),
    ),
)

DEV = tuple(c for c in CLUSTERS if c.split == "dev")
TEST = tuple(c for c in CLUSTERS if c.split == "test")


def archive_stories() -> list[tuple[str, Story]]:
    """Every story the archive holds, each with its label: the cluster's name, or
    "distractor". New articles are not in it; near-duplicates and later items are."""
    stories: list[tuple[str, Story]] = []
    for cluster in CLUSTERS:
        for story in (*cluster.earlier, *cluster.near_duplicates, *cluster.later):
            stories.append((cluster.name, story))
    stories += [("distractor", story) for story in DISTRACTORS]
    return stories
