"""The suggestion box, its thank-you page, "you said, we did" and the transparency page in Sesotho and Afrikaans.

Each page with ?lang=st and ?lang=af shows its translated heading and none of the English sentences it has in
English; the published date of an outcome is written the way the language writes dates (engine.formatting.long_date).
"""

from __future__ import annotations

import html

import pytest

from engine.formatting import long_date
from engine.models import SuggestionSlip
from tests.metrics import dataset
from web import create_app

PAGES = ("/suggestions/new", "/suggestions/thanks/7", "/you-said-we-did", "/transparency")

# The English a citizen would read on these pages; none may be left on a translated page.
ENGLISH = (
    "Suggestion box", "Tell us what we should do better", "Put it in the box", "How can we reach you?",
    "Thank you", "is in the suggestion box", "The box is opened every Friday",
    "You said, we did", "What residents suggested", "Published", "Nothing published yet", "Put a suggestion in the box",
    "How we are doing", "Batho Pele asks us to be open", "This financial year so far", "Cases received",
    "Cases resolved", "Resolved within our standard", "Citizens satisfied", "Our service standards",
    "We aim to resolve within", "working days", "cases resolved within the standard", "citizens satisfied",
    "Not happy with how we handled your case?", "All departments", "Technical Services", "Finance (billing",
    "Community Services", "Corporate Services",
)

HEADINGS = {
    "st": {"/suggestions/new": "Lebokose la ditlhahiso", "/suggestions/thanks/7": "Re a leboha",
           "/you-said-we-did": "Le itse, re entse", "/transparency": "Re sebetsa jwang"},
    "af": {"/suggestions/new": "Voorstelbus", "/suggestions/thanks/7": "Dankie",
           "/you-said-we-did": "U het gesê, ons het gedoen", "/transparency": "Hoe ons vaar"},
}


@pytest.fixture
def citizen(month):
    """A citizen's client over the hand-built month, with one published "you said, we did" outcome."""
    app, _ = month
    with app.db.transaction() as session:
        session.add(SuggestionSlip(channel="paper", received_at=dataset.local(9, 4, 9, 0), text="Fix the tap",
                                   service_area="community", handled_at=dataset.local(9, 11, 10, 0),
                                   public_you_said="The tap at the community hall leaks.",
                                   public_we_did="We replaced the tap on 15 September.",
                                   published_at=dataset.local(9, 18, 10, 0)))
    return create_app(app, {"TESTING": True}).test_client()


def text(client, path: str, lang: str) -> str:
    response = client.get(f"{path}?lang={lang}")
    assert response.status_code == 200, path
    return html.unescape(response.get_data(as_text=True))


def h1(page: str) -> str:
    return page.split("<h1>", 1)[1].split("</h1>", 1)[0]


@pytest.mark.parametrize("lang", ["st", "af"])
def test_the_four_pages_are_translated_with_no_english_left(citizen, lang):
    for path in PAGES:
        page = text(citizen, path, lang)
        assert f'lang="{lang}"' in page
        assert h1(page) == HEADINGS[lang][path], path
        body = page.split("<main", 1)[1] if "<main" in page else page
        left = [sentence for sentence in ENGLISH if sentence in body]
        assert not left, f"{path} ({lang}) still has English: {left}"


def test_the_english_pages_keep_their_sentences(citizen):
    assert h1(text(citizen, "/transparency", "en")) == "How we are doing"
    page = text(citizen, "/transparency", "en")
    assert ("Technical Services (water, sanitation, roads, electricity): 2 of 3 cases resolved within the standard; "
            "typically 5 working days; 1 of 1 citizen satisfied") in page
    assert "Slip number 7 is in the suggestion box" in text(citizen, "/suggestions/thanks/7", "en")


@pytest.mark.parametrize("lang", ["en", "st", "af"])
def test_the_published_date_is_written_one_way_per_language(citizen, lang):
    page = text(citizen, "/you-said-we-did", lang)
    written = long_date(dataset.local(9, 18, 10, 0), lang, "Africa/Johannesburg")
    assert written in page
    assert "2026-09-18" not in page


def test_the_transparency_figures_read_in_plain_words_per_department(citizen):
    english = text(citizen, "/transparency", "en")
    assert ("All departments: 2 of 4 cases resolved within the standard; typically 5.5 working days; "
            "1 of 2 citizens satisfied") in english
    assert "Finance (billing and revenue): 0 of 1 case resolved within the standard; typically 23 working days" in english
    sesotho = text(citizen, "/transparency", "st")
    assert ("Ditshebeletso tsa Setekniki (metsi, bohlweki, ditsela, motlakase): ditaba tse 2 ho tse 3 di rarollotswe "
            "ka hare ho maemo; hangata matsatsi a 5 a mosebetsi; moahi a 1 ho ba 1 o kgotsofetse") in sesotho
    afrikaans = text(citizen, "/transparency", "af")
    assert ("Alle departemente: 2 van 4 sake binne die standaard opgelos; gewoonlik 5,5 werksdae; "
            "1 van 2 burgers tevrede") in afrikaans


def test_the_slip_form_counts_its_errors_in_the_chosen_language(month):
    app, _ = month
    client = create_app(app, {"TESTING": True, "WTF_CSRF_ENABLED": False}).test_client()
    page = text(client, "/suggestions/new", "af")
    assert "Sit dit in die bus" in page and "Hoe kan ons u bereik? (opsioneel" in page


# The other public pages (issue 15's and 17's): the lodge forms with the map and photos, the status page with its
# follow-up forms, "send me my code again", the printed slip and the slip of a suggestion.
MORE_ENGLISH = (
    "How can we help?", "Report a problem or complain", "Follow a case with its reference number",
    "What is it about?", "Describe the problem", "Where is it?", "Show us on a map", "Use my location",
    "Remove the pin", "Is it one of these?", "Photos (optional", "Take a photo with your phone",
    "Your personal information", "Send", "Account number", "Amount you dispute",
    "Thank you. We received your case.", "Your reference number is", "Your access code is", "Keep it private",
    "Follow your case", "Reference number", "Show progress",
    "Opened on", "Expected by", "Updates on your case", "We registered your complaint",
    "Add information", "Anything new we should know", "Add to my case", "Still not fixed?", "What is still wrong?",
    "It is not fixed: reopen my case", "How well did we handle your case?", "Send rating",
    "Thank you: we added what you told us", "We reopened your case", "Lost your access code?",
    "Send me my code again", "Your phone number or email address", "we never show it here",
    "It is in the suggestion box", "Received on", "Follow your slip", "Your slip reference is",
    "We have your case", "What you reported", "Complaint:", "Reported on", "We aim to resolve it by",
    "How to follow your case", "By phone", "Lost the code?",
    "Water supply: no water", "Account query:", "Refuse removal and illegal dumping", "Roads and stormwater: potholes",
)


@pytest.fixture
def public_pages(browsers, batho, people) -> dict[str, str]:
    """Name -> path of every public page in each of its states, over real cases: open, closed, and a slip."""
    from tests.support.drive import do, lodge, status_path, to_response

    open_case = lodge(batho, None, name="Jane", email="jane@example.org")
    closed = to_response(batho, people)
    do(batho, people["agent"], closed, "Task_satisfaction", satisfaction="satisfied")
    sent = browsers("citizen").post("/suggestions/new", {"kind_hint": "suggestion", "text": "A bench, please."},
                                    page="/suggestions/new")
    slip = sent.headers["Location"].split("reference=")[1].split("&")[0]
    opened, done = status_path(batho, open_case), status_path(batho, closed)
    return {"home": "/", "lodge": "/lodge/complaint", "account query": "/lodge/account_query", "track": "/track",
            "lodged": opened.replace("/status/", "/lodged/"), "status": opened, "added": opened + "&added=1",
            "closed": done, "reopened": done + "&reopened=1", "no code": f"/status/{open_case}",
            "code": f"/status/{open_case}/code", "slip status": f"/status/{slip}",
            "slip thanks": sent.headers["Location"], "transparency": "/transparency",
            "printed slip": f"/cases/{open_case}/slip"}


@pytest.mark.parametrize("lang", ["st", "af"])
def test_every_public_page_and_its_states_are_in_the_language_with_no_english_left(browsers, public_pages, lang):
    citizen, agent = browsers("citizen"), browsers("agent")
    for name, path in public_pages.items():
        reader = agent if name == "printed slip" else citizen  # the counter prints it in the citizen's language
        response = reader.get(f"{path}{'&' if '?' in path else '?'}lang={lang}")
        assert response.status_code == 200, name
        page = html.unescape(response.get_data(as_text=True))
        assert f'<html lang="{lang}"' in page, name
        shown = page.split('id="slip"', 1)[1] if name == "printed slip" else page.split("<main", 1)[1]
        left = [s for s in ENGLISH + MORE_ENGLISH if s in shown]
        assert not left, f"{name} ({lang}) still has English: {left}"


def test_the_service_standards_are_listed_in_the_readers_language(citizen):
    assert "Water supply: no water, leaks, burst pipes" in text(citizen, "/transparency", "en")
    assert "Phepelo ya metsi: ho se be le metsi, ho dutla, diphaephe tse phatlohileng" in text(citizen, "/transparency",
                                                                                              "st")
    assert "Watervoorsiening: geen water, lekkasies, gebarste pype" in text(citizen, "/transparency", "af")


def _extracted() -> set[str]:
    """Every msgid the templates, web/*.py and the diagrams give the catalogs (as `pybabel extract` finds them)."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    from engine.config import PROJECT_ROOT

    with open(PROJECT_ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {**DEFAULT_KEYWORDS, "lazy_gettext": None}
    found = extract_from_dir(str(PROJECT_ROOT), method_map, options_map, keywords=keywords)
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


@pytest.mark.parametrize("lang", ["st", "af"])
def test_every_string_for_citizens_has_its_translation_in_the_catalog(lang):
    from babel.messages.pofile import read_po

    from engine.config import PROJECT_ROOT

    with open(PROJECT_ROOT / "web" / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po)
    placeholders = {"$manager_response"}  # a note that is only the manager's own words: nothing to translate
    missing = sorted(m for m in _extracted() - placeholders
                     if catalog.get(m) is None or not all(catalog[m].string if isinstance(catalog[m].string, tuple)
                                                          else [catalog[m].string]))
    assert not missing, f"{lang}: {len(missing)} strings without a translation: {missing[:10]}"


WARD_ENGLISH = ("My ward", "The cases reported in your ward", "Your ward's figures", "Resolved within standard",
                "Open cases by age", "By category", "Cases in your ward", "Open cases first", "cases are open now",
                "No case of your ward with a service standard", "working days open", "Figures computed",
                "Water supply", "Roads and stormwater", "Complaint")


@pytest.mark.parametrize(("lang", "heading"), [("st", "Dipalo tsa wate ya hao"), ("af", "U wyk se syfers")])
def test_a_ward_councillors_view_reads_in_sesotho_and_afrikaans(browsers, batho, lang, heading):
    """A councillor is an elected resident, not staff: "My ward" follows the language chosen like public pages."""
    from sqlalchemy import update

    from engine.models import Case
    from tests.support.drive import lodge

    reference = lodge(batho, None, name="Jane", email="jane@example.org")
    with batho.db.transaction() as session:
        session.execute(update(Case).where(Case.reference == reference).values(ward="42005001", town="Frankfort"))
    page = html.unescape(browsers("councillor").get(f"/ward?lang={lang}").get_data(as_text=True))
    assert f'<html lang="{lang}"' in page and heading in page and reference in page
    left = [s for s in WARD_ENGLISH if s in page.split("<main", 1)[1]]
    assert not left, f"My ward ({lang}) still has English: {left}"
    english = html.unescape(browsers("councillor").get("/ward?lang=en").get_data(as_text=True))
    assert "Your ward's figures" in english and "1 case is open now, 0 of them overdue." in english
