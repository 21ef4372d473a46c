"""Sessions live on the server: signing out, changing a password or disabling an account ends them at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from engine.models import User
from engine.passwords import check_password, hash_password
from engine.services import api_tokens, identity
from tests.support.database import DEMO_PASSWORD
from tests.support.web import Browser

MEMBER = "session_member"
NEW_PASSWORD = "blue heron at dawn"


@pytest.fixture
def member(batho) -> str:
    """An account of its own (users outlive a test), with the demo password and active."""
    with batho.db.transaction() as session:
        user = session.scalars(select(User).where(User.username == MEMBER)).first()
        if user is None:
            user = identity.create_user(session, MEMBER, "Session Member", DEMO_PASSWORD, ["meter_reader"], [])
        user.password_hash, user.is_active = hash_password(DEMO_PASSWORD), True
    return MEMBER


def signed_in(app, username: str) -> Browser:
    browser = Browser(app.test_client())
    assert browser.login(username).status_code == 302
    return browser


def cookie_of(browser: Browser) -> str:
    cookie = browser.client.get_cookie("batho")
    assert cookie is not None
    return cookie.value


def is_signed_in(browser: Browser) -> bool:
    return browser.get("/tasks/").status_code == 200


def change_password(browser: Browser, current: str, new: str, repeat: str | None = None):
    return browser.post("/account/password", {"current": current, "new": new, "repeat": new if repeat is None
                                              else repeat}, page="/account/password")


def test_a_cookie_replayed_after_signing_out_is_signed_out(app, member):
    browser = signed_in(app, member)
    stolen = cookie_of(browser)
    assert browser.post("/logout", page="/tasks/").status_code == 302
    replay = Browser(app.test_client())
    replay.client.set_cookie("batho", stolen)
    page = replay.get("/tasks/")
    assert page.status_code == 302 and "/login" in page.headers["Location"]


def test_changing_the_password_signs_out_the_other_session_but_keeps_this_one(app, batho, member):
    here, elsewhere = signed_in(app, member), signed_in(app, member)
    token = api_tokens.issue_token(batho, member, DEMO_PASSWORD).token
    changed = change_password(here, DEMO_PASSWORD, NEW_PASSWORD)
    assert changed.status_code == 302
    assert "Your password is changed" in here.get(changed.headers["Location"]).get_data(as_text=True)
    assert is_signed_in(here) and not is_signed_in(elsewhere)
    with pytest.raises(api_tokens.Unauthenticated):  # tokens were opened with the old password: revoked too
        api_tokens.identify(batho, token)
    assert Browser(app.test_client()).login(member, NEW_PASSWORD).status_code == 302
    assert Browser(app.test_client()).login(member, DEMO_PASSWORD).status_code == 401


@pytest.mark.parametrize(("current", "new", "repeat", "field", "sentence"), [
    (DEMO_PASSWORD, "short", "short", "new", "Choose a password of at least 10 characters"),
    (DEMO_PASSWORD, "password123", "password123", "new", "That password is too easy to guess"),
    (DEMO_PASSWORD, f"my {MEMBER} pass", f"my {MEMBER} pass", "new", "contains your username"),
    (DEMO_PASSWORD, NEW_PASSWORD, "blue heron at dusk", "repeat", "The two new passwords are not the same"),
    ("not my password", NEW_PASSWORD, NEW_PASSWORD, "current", "That is not your current password"),
])
def test_a_new_password_that_breaks_the_policy_is_refused_with_a_sentence(app, batho, member, current, new, repeat,
                                                                           field, sentence):
    browser = signed_in(app, member)
    refused = change_password(browser, current, new, repeat)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and sentence in page and f'id="e-{field}"' in page
    assert "Your password was not changed" in page
    with batho.db.reading() as session:
        stored = session.scalars(select(User.password_hash).where(User.username == member)).one()
    assert check_password(stored, DEMO_PASSWORD)


def test_guessing_the_current_password_on_the_change_page_is_throttled(app, member):
    browser = signed_in(app, member)
    for _ in range(5):
        assert change_password(browser, "a guess", NEW_PASSWORD).status_code == 400
    locked = change_password(browser, DEMO_PASSWORD, NEW_PASSWORD)
    assert locked.status_code == 429 and "Too many failed sign-ins" in locked.get_data(as_text=True)


def test_the_password_page_needs_a_sign_in_and_is_in_the_staff_navigation(app, member):
    assert Browser(app.test_client()).get("/account/password").status_code == 302
    browser = signed_in(app, member)
    assert 'href="/account/password"' in browser.get("/tasks/").get_data(as_text=True)
    assert "Change your password" in browser.get("/account/password").get_data(as_text=True)


def test_a_disabled_account_loses_its_session_at_once(app, batho, member):
    browser = signed_in(app, member)
    with batho.db.transaction() as session:
        session.scalars(select(User).where(User.username == member)).one().is_active = False
    assert not is_signed_in(browser)


def test_a_session_unused_for_a_working_day_is_over(app, batho, member):
    browser = signed_in(app, member)
    later = batho.now() + timedelta(hours=9, minutes=1)
    batho.clock = lambda: later
    assert not is_signed_in(browser)


def test_an_expired_form_token_is_refused_with_a_page_saying_so(app, member, monkeypatch):
    browser = signed_in(app, member)
    token = browser.token("/account/password")
    issued = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: issued(self) + 8 * 3600 + 1)
    refused = browser.client.post("/account/password", data={"csrf_token": token, "current": DEMO_PASSWORD,
                                                             "new": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert refused.status_code == 400
    assert "This form has expired" in refused.get_data(as_text=True)
    assert "Traceback" not in refused.get_data(as_text=True)


def test_a_form_token_within_the_time_limit_is_accepted(app, member, monkeypatch):
    browser = signed_in(app, member)
    token = browser.token("/account/password")
    issued = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: issued(self) + 7 * 3600)
    kept = browser.client.post("/account/password", data={"csrf_token": token, "current": DEMO_PASSWORD,
                                                          "new": "short", "repeat": "short"})
    assert kept.status_code == 400 and "at least 10 characters" in kept.get_data(as_text=True)
