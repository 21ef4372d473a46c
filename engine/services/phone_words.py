"""What the USSD menus and SMS answers say, in English, Sesotho and Afrikaans (at most 160 characters each)."""

from __future__ import annotations

LANGUAGES = ("en", "st", "af")
CHOOSE_LANGUAGE = "Mafube: language / puo / taal\n1 English\n2 Sesotho\n3 Afrikaans"

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "menu": "Mafube Municipality\n1 Report a problem\n2 Track a case",
        "more": "0 More",
        "town": "Which town is it in?",
        "ward": "Which ward?",
        "not_sure": "Not sure",
        "describe": "Describe the problem in a few words (street, what is wrong):",
        "send": "1 Send\n2 Cancel",
        "lodged": "Thank you. Your case is {reference}, access code {code}. We will send it by SMS too.",
        "cancelled": "Nothing was sent. Dial again to start over.",
        "reference": "Type your case number, e.g. 2026000123 for MAF-2026-000123:",
        "expected": "Expected by {date}.",
        "choose": "Please choose one of the numbers shown.",
        "too_short": "Please type a few words about the problem.",
        "not_found": "We could not find that case number. Check it and try again.",
        "unsaved": "Your case could not be saved just now. Please try again in a few minutes.",
        "sms_help": "Send STATUS and your case number, e.g. STATUS MAF-2026-000123, to hear where your case stands.",
        "sms_not_found": "We could not find case {reference}. Check the number and send STATUS with it again.",
        "sms_not_yours": "Case {reference}: send STATUS {reference} and its access code, or ask from the phone that "
                         "reported it.",
    },
    "st": {
        "menu": "Masepala wa Mafube\n1 Tlaleha bothata\n2 Sala taba morao",
        "more": "0 Tse ding",
        "town": "E toropong efe?",
        "ward": "Wate efe?",
        "not_sure": "Ha ke tsebe",
        "describe": "Hlalosa bothata ka mantswe a mmalwa (seterata, se fosahetseng):",
        "send": "1 Romela\n2 Hlakola",
        "lodged": "Re a leboha. Taba ya hao ke {reference}, khoutu {code}. Re tla e romela ka SMS hape.",
        "cancelled": "Ha ho letho le rometsweng. Letsetsa hape ho qala botjha.",
        "reference": "Ngola nomoro ya taba, mohl. 2026000123 bakeng sa MAF-2026-000123:",
        "expected": "Letsatsi le lebelletsweng: {date}.",
        "choose": "Ka kopo kgetha e nngwe ya dinomoro tse bontshitsweng.",
        "too_short": "Ka kopo ngola mantswe a mmalwa ka bothata.",
        "not_found": "Ha re a fumana nomoro eo ya taba. E hlahlobe o leke hape.",
        "unsaved": "Taba ya hao ha e a bolokwa hona jwale. Ka kopo leka hape kamora metsotso e mmalwa.",
        "sms_help": "Romela STATUS le nomoro ya taba ya hao, mohl. STATUS MAF-2026-000123, ho tseba boemo ba yona.",
        "sms_not_found": "Ha re a fumana taba {reference}. Hlahloba nomoro o romele STATUS le yona hape.",
        "sms_not_yours": "Taba {reference}: romela STATUS {reference} le khoutu ya yona, kapa o botse ka fono e e "
                         "tlalehileng.",
    },
    "af": {
        "menu": "Mafube Munisipaliteit\n1 Meld 'n probleem\n2 Volg 'n saak",
        "more": "0 Meer",
        "town": "In watter dorp is dit?",
        "ward": "Watter wyk?",
        "not_sure": "Weet nie",
        "describe": "Beskryf die probleem in 'n paar woorde (straat, wat is fout):",
        "send": "1 Stuur\n2 Kanselleer",
        "lodged": "Dankie. U saak is {reference}, toegangskode {code}. Ons stuur dit ook per SMS.",
        "cancelled": "Niks is gestuur nie. Skakel weer om oor te begin.",
        "reference": "Tik u saaknommer, bv. 2026000123 vir MAF-2026-000123:",
        "expected": "Verwag teen {date}.",
        "choose": "Kies asseblief een van die nommers wat gewys word.",
        "too_short": "Tik asseblief 'n paar woorde oor die probleem.",
        "not_found": "Ons kon nie daardie saaknommer vind nie. Kontroleer dit en probeer weer.",
        "unsaved": "U saak kon nie nou gestoor word nie. Probeer asseblief oor 'n paar minute weer.",
        "sms_help": "Stuur STATUS en u saaknommer, bv. STATUS MAF-2026-000123, om te hoor hoe u saak staan.",
        "sms_not_found": "Ons kon nie saak {reference} vind nie. Kontroleer die nommer en stuur weer STATUS daarmee.",
        "sms_not_yours": "Saak {reference}: stuur STATUS {reference} en die toegangskode, of vra van die foon wat dit "
                         "gemeld het.",
    },
}


def say(language: str, key: str, **values: str) -> str:
    """The sentence `key` in `language` (English where the language is unknown), with its {names} filled in."""
    return WORDS.get(language, WORDS["en"])[key].format(**values)
