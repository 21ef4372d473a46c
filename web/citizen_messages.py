"""Sentences the engine and shared pages show citizens, marked here so the catalogs translate them."""

from __future__ import annotations

from flask_babel import lazy_gettext

# The suggestion slip's fields (engine/services/suggestions.py), rendered by the shared form macro.
SLIP_FIELDS = (
    lazy_gettext("What would you like to give us?"),
    lazy_gettext("Your suggestion, comment, compliment or query"),
    lazy_gettext("Which service is it about?"),
    lazy_gettext("Staff member or office (for a compliment)"),
    lazy_gettext("Water, sanitation, roads, electricity"),
    lazy_gettext("Refuse, parks, cemeteries, facilities"),
    lazy_gettext("Accounts, billing, pay points"),
    lazy_gettext("Customer care, service by staff, anything else"),
    lazy_gettext("A suggestion"),
    lazy_gettext("A comment"),
    lazy_gettext("A compliment"),
    lazy_gettext("A complaint"),
    lazy_gettext("A query about my account"),
)

MESSAGES = (
    lazy_gettext("Report a problem or complain"),
    lazy_gettext("Query my account"),
    lazy_gettext("Query or dispute your municipal account"),
    lazy_gettext("Make a suggestion, comment or compliment"),
    lazy_gettext("We could not find a case with that reference. Check it and try again."),
    lazy_gettext("Email: enter an address like name@example.co.za."),
    lazy_gettext("Phone: enter a number like 058 813 9700."),
    lazy_gettext("Name: shorten this to at most 200 characters."),
    lazy_gettext("Give an email address or a phone number so that we can answer you."),
    lazy_gettext("Choose a rating from 1 (very poor) to 5 (very good)."),
    lazy_gettext("This case cannot be rated now."),
    lazy_gettext("This form has expired or did not come from this site. Go back, reload the page and try again."),
    lazy_gettext("Something went wrong on our side; what you sent may not have been saved. Please try again shortly."),
    lazy_gettext("What you sent was not saved because the system could not write to its database."
                 " Please try again in a few minutes."),
    lazy_gettext("The system could not reach its database. Please try again in a few minutes."),
)
