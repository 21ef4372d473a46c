"""What the WhatsApp conversation says, in English, Sesotho and Afrikaans; diagram words through the web catalogs."""

from __future__ import annotations

import gettext
from pathlib import Path

LANGUAGES = ("en", "st", "af")
CHOOSE_LANGUAGE = ("Welcome to Mafube Local Municipality's customer care.\n"
                   "Choose your language / Kgetha puo ya hao / Kies u taal:\n1 English\n2 Sesotho\n3 Afrikaans")
LANGUAGE_BUTTONS = (("lang:en", "English"), ("lang:st", "Sesotho"), ("lang:af", "Afrikaans"))

TEXTS: dict[str, dict[str, str]] = {
    "menu": {
        "en": "What would you like to do? Reply with a number:\n1 Report a problem\n2 Follow a case\n"
              "3 Change language\nSend *menu* at any time to come back here.",
        "st": "O batla ho etsa eng? Araba ka nomoro:\n1 Tlaleha bothata\n2 Latela taba\n3 Fetola puo\n"
              "Romela *menu* nako efe kapa efe ho kgutlela mona.",
        "af": "Wat wil u doen? Antwoord met 'n nommer:\n1 Rapporteer 'n probleem\n2 Volg 'n saak\n3 Verander taal\n"
              "Stuur enige tyd *menu* om hierheen terug te keer.",
    },
    "category": {
        "en": "What is it about? Choose from the list, or reply with its number:",
        "st": "E mabapi le eng? Kgetha lenaneng, kapa o arabe ka nomoro ya yona:",
        "af": "Waaroor gaan dit? Kies uit die lys, of antwoord met sy nommer:",
    },
    "list_button": {"en": "Choose", "st": "Kgetha", "af": "Kies"},
    "list_section": {"en": "Categories", "st": "Mefuta", "af": "Kategorieë"},
    "describe": {
        "en": "Describe the problem in one message: what is wrong, and since when.",
        "st": "Hlalosa bothata molaetseng o le mong: ho fosahetse eng, mme ho tloha neng.",
        "af": "Beskryf die probleem in een boodskap: wat is verkeerd, en sedert wanneer.",
    },
    "describe_words": {
        "en": "Please describe the problem in words (a text message).",
        "st": "Ka kopo hlalosa bothata ka mantswe (molaetsa o ngotsweng).",
        "af": "Beskryf asseblief die probleem in woorde ('n teksboodskap).",
    },
    "too_long": {
        "en": "That is too long: at most {limit} characters, and you sent {count}. Please send a shorter description.",
        "st": "Seo se selelele haholo: ho fihla ho ditlhaku tse {limit}, mme o rometse tse {count}. Ka kopo romela "
              "tlhaloso e kgutshwanyane.",
        "af": "Dit is te lank: hoogstens {limit} karakters, en u het {count} gestuur. Stuur asseblief 'n korter "
              "beskrywing.",
    },
    "location": {
        "en": "Where is it? Send a location pin (tap the paperclip, then Location), or type the street address or a "
              "landmark.",
        "st": "Ho kae? Romela sebaka (tobetsa sekgomaretsi sa pampiri, ebe Location), kapa o ngole aterese ya "
              "seterata kapa letshwao le tsebahalang.",
        "af": "Waar is dit? Stuur 'n liggingspeld (tik die skuifspeld, dan Ligging), of tik die straatadres of 'n "
              "landmerk.",
    },
    "photos": {
        "en": "Thank you. You may now send up to 3 photos of the problem. Reply 1 when you are done, or to go on "
              "without a photo.",
        "st": "Re a leboha. Jwale o ka romela ho fihla ho ditshwantsho tse 3 tsa bothata. Araba ka 1 ha o qetile, "
              "kapa ho tswela pele ntle le setshwantsho.",
        "af": "Dankie. U kan nou tot 3 foto's van die probleem stuur. Antwoord 1 wanneer u klaar is, of om sonder 'n "
              "foto voort te gaan.",
    },
    "photo_received": {
        "en": "Photo {count} of 3 received. Send another, or reply 1 to go on.",
        "st": "Setshwantsho sa {count} ho tse 3 se amohetswe. Romela se seng, kapa araba ka 1 ho tswela pele.",
        "af": "Foto {count} van 3 ontvang. Stuur nog een, of antwoord 1 om voort te gaan.",
    },
    "photos_full": {
        "en": "That is 3 photos, the most a case can have.",
        "st": "Ke ditshwantsho tse 3, tse ngata ka ho fetisisa tseo taba e ka bang le tsona.",
        "af": "Dit is 3 foto's, die meeste wat 'n saak kan hê.",
    },
    "confirm": {
        "en": "Please check your report:\nCategory: {category}\nProblem: {description}\nPlace: {place}\n"
              "Photos: {photos}\nReply 1 to send it, or 2 to start again.",
        "st": "Ka kopo hlahloba tlaleho ya hao:\nMofuta: {category}\nBothata: {description}\nSebaka: {place}\n"
              "Ditshwantsho: {photos}\nAraba ka 1 ho e romela, kapa 2 ho qala hape.",
        "af": "Gaan asseblief u verslag na:\nKategorie: {category}\nProbleem: {description}\nPlek: {place}\n"
              "Foto's: {photos}\nAntwoord 1 om dit te stuur, of 2 om oor te begin.",
    },
    "send_button": {"en": "Send", "st": "Romela", "af": "Stuur"},
    "report_button": {"en": "Report a problem", "st": "Tlaleha bothata", "af": "Rapporteer probleem"},
    "follow_button": {"en": "Follow a case", "st": "Latela taba", "af": "Volg 'n saak"},
    "language_button": {"en": "Change language", "st": "Fetola puo", "af": "Verander taal"},
    "nearby": {
        "en": "Is it one of these open cases nearby? To follow one instead, send its reference; otherwise go on.\n"
              "{cases}",
        "st": "Na ke e nngwe ya ditaba tsena tse bulehileng haufi? Ho latela e nngwe ya tsona, romela nomoro ya yona "
              "ya tshupiso; ho seng jwalo, tswela pele.\n{cases}",
        "af": "Is dit een van hierdie oop sake naby? Om eerder een te volg, stuur sy verwysing; gaan andersins "
              "voort.\n{cases}",
    },
    "outside_wards": {
        "en": "That pin is outside the municipality's wards. Send the pin again where the problem is, or type the "
              "street address.",
        "st": "Sebaka seo se ka ntle ho diwate tsa masepala. Romela sebaka hape moo bothata bo leng teng, kapa o "
              "ngole aterese ya seterata.",
        "af": "Daardie speld is buite die munisipaliteit se wyke. Stuur die speld weer waar die probleem is, of tik "
              "die straatadres.",
    },
    "again_button": {"en": "Start again", "st": "Qala hape", "af": "Begin oor"},
    "pin": {"en": "the pin you sent", "st": "sebaka seo o se rometseng", "af": "die speld wat u gestuur het"},
    "lodged": {
        "en": "Thank you. We registered your complaint.\nReference: {reference}\nAccess code: {code}\nKeep both. To "
              "follow your case, send the reference and the code here, for example: {reference} {code}",
        "st": "Re a leboha. Re ngodisitse tletlebo ya hao.\nNomoro ya tshupiso: {reference}\nKhoutu ya ho fihlella: "
              "{code}\nBoloka tsena ka bobedi. Ho latela taba ya hao, romela nomoro ya tshupiso le khoutu mona, "
              "mohlala: {reference} {code}",
        "af": "Dankie. Ons het u klagte geregistreer.\nVerwysing: {reference}\nToegangskode: {code}\nHou albei. Om u "
              "saak te volg, stuur die verwysing en die kode hierheen, byvoorbeeld: {reference} {code}",
    },
    "photos_not_kept": {
        "en": "{count} photo(s) could not be added to the case: {reason}",
        "st": "Ditshwantsho tse {count} ha di a kgona ho kenngwa tabeng: {reason}",
        "af": "{count} foto('s) kon nie by die saak gevoeg word nie: {reason}",
    },
    "photo_unreadable": {
        "en": "we could not fetch or read them. The case itself is registered.",
        "st": "ha re a kgona ho di fumana kapa ho di bala. Taba ka boyona e ngodisitswe.",
        "af": "ons kon hulle nie haal of lees nie. Die saak self is geregistreer.",
    },
    "follow": {
        "en": "Send your reference number, with your access code after it to see our messages to you, for example: "
              "MAF-2026-000123 ABCD234EFG",
        "st": "Romela nomoro ya hao ya tshupiso, le khoutu ya hao ya ho fihlella ka mora yona ho bona melaetsa ya "
              "rona ho wena, mohlala: MAF-2026-000123 ABCD234EFG",
        "af": "Stuur u verwysingsnommer, met u toegangskode daarna om ons boodskappe aan u te sien, byvoorbeeld: "
              "MAF-2026-000123 ABCD234EFG",
    },
    "status": {
        "en": "Case {reference}: {status}\nLodged on {opened}.",
        "st": "Taba {reference}: {status}\nE kentswe ka {opened}.",
        "af": "Saak {reference}: {status}\nIngedien op {opened}.",
    },
    "expected": {"en": "Expected by {date}.", "st": "E lebeletswe ka {date}.", "af": "Verwag teen {date}."},
    "closed_on": {"en": "Closed on {date}.", "st": "E kwetswe ka {date}.", "af": "Gesluit op {date}."},
    "latest": {"en": "Our latest message: {note}", "st": "Molaetsa wa rona wa morao-rao: {note}",
               "af": "Ons jongste boodskap: {note}"},
    "public_only": {
        "en": "Send the reference with your access code to see our messages to you.",
        "st": "Romela nomoro ya tshupiso le khoutu ya hao ya ho fihlella ho bona melaetsa ya rona ho wena.",
        "af": "Stuur die verwysing met u toegangskode om ons boodskappe aan u te sien.",
    },
    "wrong_code": {
        "en": "That access code does not match this case, so this is only the public status.",
        "st": "Khoutu eo ya ho fihlella ha e tshwane le taba ena, kahoo ena ke boemo ba setjhaba feela.",
        "af": "Daardie toegangskode pas nie by hierdie saak nie, dus is dit net die openbare status.",
    },
    "not_understood": {
        "en": "Sorry, I did not understand that.",
        "st": "Tshwarelo, ha ke a utlwisisa seo.",
        "af": "Jammer, ek het dit nie verstaan nie.",
    },
    "not_saved": {
        "en": "Sorry, your complaint could not be registered: {reason}",
        "st": "Tshwarelo, tletlebo ya hao ha e a kgona ho ngodiswa: {reason}",
        "af": "Jammer, u klagte kon nie geregistreer word nie: {reason}",
    },
}


def say(language: str | None, key: str, **values: object) -> str:
    """The sentence `key` in the language (English when none was chosen yet), with its values filled in."""
    texts = TEXTS[key]
    text = texts.get(language or "en", texts["en"])
    return text.format(**values) if values else text


def translator(catalogs: Path, language: str | None) -> gettext.NullTranslations:
    """The web pages' catalog for the language: it already translates the diagrams' words (categories, statuses)."""
    if language in (None, "en"):
        return gettext.NullTranslations()
    return gettext.translation("messages", localedir=str(catalogs), languages=[language], fallback=True)
