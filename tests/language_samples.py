"""One news sentence per language of the language-ID eval set, and two-sentence
documents of them (60+ letters: the model services' light gate and the detector decide
them alike). Written for the tests."""

from __future__ import annotations

SENTENCES = {
    "uk": "Уряд України ухвалив нове рішення щодо підтримки біженців.",
    "ru": "Правительство России объявило о новых мерах поддержки экономики.",
    "en": "The government announced new measures to support the economy.",
    "be": "Урад Беларусі абвясціў пра новыя меры падтрымкі эканомікі краіны.",
    "bg": "Правителството обяви нови мерки в подкрепа на икономиката.",
    "mk": "Владата на Македонија објави нови мерки за поддршка на економијата.",
    "sr": "Влада Србије је објавила нове мере за подршку привреди земље.",
    "kk": "Үкімет елдің экономикасын қолдаудың жаңа шараларын жариялады.",
}
DOCUMENTS = {lang: f"{text} {text}" for lang, text in SENTENCES.items()}
# Languages the translator never translates (be only when its model declares it).
NEVER_TRANSLATED = ("bg", "mk", "sr", "kk")
