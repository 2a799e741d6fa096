"""Web pages made for the tests: an article's paragraphs in the markup of three kinds of
news site (a WordPress-like theme, a portal with a "Read also" box between paragraphs,
a bare page with inline scripts and comments), each with menus, share buttons, related
links, a cookie banner and a footer. Invented content, uk and ru."""

from __future__ import annotations

TITLE_UK = "Зеленський провів нараду щодо посилення ППО"
PARAGRAPHS_UK = (
    "Президент Володимир Зеленський у суботу провів нараду з керівником Офісу Андрієм "
    "Єрмаком щодо посилення протиповітряної оборони.",
    "Сторони обговорили постачання 12 систем від партнерів до кінця року, повідомили в "
    "Офісі Президента.",
    "За даними Генштабу, за минулу добу сили ППО збили 38 із 40 ударних дронів.",
)
TITLE_RU = "Лавров заявил о продолжении переговоров"
PARAGRAPHS_RU = (
    "Министр иностранных дел России Сергей Лавров заявил журналистам, что переговоры "
    "продолжатся на следующей неделе.",
    "По его словам, стороны обсудили обмен пленными и гуманитарные вопросы.",
)
BOILERPLATE = (
    "Читайте також",
    "Поділитися",
    "Курс долара",
    "Усі права захищено",
    "Ми використовуємо cookies",
    "Головна",
    "var analytics",
)


def page(template: int, title: str, paragraphs: tuple[str, ...], lang: str = "uk") -> str:
    """One page in template 0, 1 or 2."""
    body = [f"<p>{p}</p>" for p in paragraphs]
    read_also = (
        '<div class="read-also"><strong>Читайте також:</strong> '
        '<a href="/news/2">Україна може отримати нові системи ППО</a></div>'
    )
    nav = '<nav><a href="/">Головна</a> <a href="/news">Новини</a> <a href="/sport">Спорт</a></nav>'
    share = '<div class="share">Поділитися: Facebook Twitter Telegram</div>'
    aside = '<aside><h3>Популярне</h3><ul><li><a href="/1">Курс долара на сьогодні</a></li></ul></aside>'
    footer = "<footer>© 2024 Приклад Новини. Усі права захищено.</footer>"
    cookies = (
        '<div id="cookies">Ми використовуємо cookies для роботи сайту. <button>OK</button></div>'
    )
    meta = (
        f"<title>{title} — Приклад Новини</title>"
        '<meta property="article:published_time" content="2024-03-30T07:19:00+02:00">'
        '<meta name="author" content="Олена Петренко">'
    )
    if template == 0:
        article = (
            f'<article class="post"><h1 class="entry-title">{title}</h1>'
            f'<div class="entry-content">{"".join(body)}{share}</div></article>'
        )
        inner = f"{nav}<main>{article}</main>{aside}{footer}{cookies}"
    elif template == 1:
        middle = [*body[:1], read_also, *body[1:]]
        article = f'<div class="article"><h1>{title}</h1>{"".join(middle)}{share}</div>'
        inner = f'<header>{nav}</header><div class="content">{article}</div>{aside}{footer}'
    else:
        article = f"<h1>{title}</h1><!-- article start -->{''.join(body)}<!-- end -->"
        inner = (
            f"<script>var analytics = {{id: 1}};</script>{nav}<div>{article}</div>"
            f"<script>document.write('x')</script>{footer}"
        )
    return f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">{meta}</head><body>{inner}</body></html>'
