"""Sign-in throttling per address and per username at an address: nobody can lock staff out from elsewhere."""

from __future__ import annotations

import dataclasses
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from engine.services import identity
from tests.support.database import DEMO_PASSWORD
from tests.support.web import Browser
from web import create_app

ATTACKER, STAFF = "203.0.113.7", "198.51.100.20"


def browser_at(app, address: str) -> Browser:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return Browser(client)


def token_request(client, username: str, password: str, address: str):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


@pytest.fixture
def frozen(batho):
    """Stops the clock of the app under test; `frozen.move(minutes)` moves it on."""
    class Clock:
        now = batho.now()

        def move(self, minutes: float) -> None:
            self.now += timedelta(minutes=minutes)

    clock = Clock()
    batho.clock = lambda: clock.now
    return clock


def test_wrong_passwords_from_one_address_do_not_keep_the_right_password_out_from_another(app):
    attacker, admin = browser_at(app, ATTACKER), browser_at(app, STAFF)
    for _ in range(5):
        assert attacker.login("admin", "guess").status_code == 401
    assert attacker.login("admin").status_code == 429  # the attacker's own address is locked for this username
    assert admin.login("admin").status_code == 302


def test_wrong_token_requests_from_one_address_do_not_keep_the_right_password_out_from_another(app):
    client = app.test_client()
    for _ in range(5):
        assert token_request(client, "admin", "guess", ATTACKER).status_code == 401
    locked = token_request(client, "admin", DEMO_PASSWORD, ATTACKER)
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) == 300
    assert token_request(client, "admin", DEMO_PASSWORD, STAFF).status_code == 200


def test_the_lockout_of_a_username_at_an_address_doubles_each_time(app, frozen):
    attacker = browser_at(app, ATTACKER)
    for wait in (5, 10, 20):
        for _ in range(5):
            assert attacker.login("manager", "guess").status_code == 401
        locked = attacker.login("manager")
        assert locked.status_code == 429
        assert f"Too many failed sign-ins. Wait {wait} minutes and try again" in locked.get_data(as_text=True)
        frozen.move(wait - 1)
        assert attacker.login("manager").status_code == 429  # still locked a minute before the end
        frozen.move(1.01)
    assert attacker.login("manager").status_code == 302  # the right password, once the lockout is over


def test_web_sign_in_and_token_requests_share_one_count(app):
    client, browser = app.test_client(), browser_at(app, ATTACKER)
    for _ in range(3):
        assert token_request(client, "officer", "guess", ATTACKER).status_code == 401
    for _ in range(2):
        assert browser.login("officer", "guess").status_code == 401
    assert token_request(client, "officer", DEMO_PASSWORD, ATTACKER).status_code == 429


def test_an_address_guessing_many_usernames_is_locked_for_every_username(app):
    attacker, colleague = browser_at(app, ATTACKER), browser_at(app, STAFF)
    for username in ("agent", "officer", "supervisor", "manager", "billing", "cfo"):
        for _ in range(5):
            assert attacker.login(username, "guess").status_code == 401
    assert attacker.login("owner").status_code == 429  # 30 failures from one address: every name waits
    assert colleague.login("owner").status_code == 302


def test_right_passwords_from_a_busy_address_are_not_counted_as_failures(app):
    office = browser_at(app, ATTACKER)
    for username in ("agent", "officer", "supervisor", "manager", "billing", "cfo"):
        for _ in range(5 if username != "cfo" else 4):
            assert office.login(username, "typo").status_code == 401
    assert office.login("owner").status_code == 302  # the 30th attempt was right: no lockout
    assert office.login("admin").status_code == 302
    assert office.login("meter", "typo").status_code == 401  # the 30th failure
    assert office.login("meter").status_code == 429


@pytest.fixture
def password_checks(monkeypatch):
    """Counts the real password checks made while signing in."""
    calls: list[bool] = []
    guard = threading.Lock()
    real = identity.check_password

    def counted(stored: str, password: str) -> bool:
        with guard:
            calls.append(True)
        return real(stored, password)

    monkeypatch.setattr(identity, "check_password", counted)
    return calls


def test_32_parallel_wrong_token_requests_check_the_password_at_most_five_times(app, password_checks):
    clients = [app.test_client() for _ in range(32)]
    with ThreadPoolExecutor(max_workers=32) as pool:
        codes = list(pool.map(lambda c: token_request(c, "supervisor", "guess", ATTACKER).status_code, clients))
    assert len(password_checks) == 5
    assert sorted(codes) == [401] * 5 + [429] * 27


def test_32_parallel_wrong_web_sign_ins_check_the_password_at_most_five_times(app, password_checks):
    browsers = [browser_at(app, ATTACKER) for _ in range(32)]
    tokens = [b.token() for b in browsers]

    def guess(pair: tuple[Browser, str]) -> int:
        browser, token = pair
        data = {"username": "supervisor", "password": "guess", "csrf_token": token}
        return int(browser.client.post("/login", data=data).status_code)

    with ThreadPoolExecutor(max_workers=32) as pool:
        codes = list(pool.map(guess, zip(browsers, tokens, strict=True)))
    assert len(password_checks) == 5
    assert sorted(codes) == [401] * 5 + [429] * 27


def test_x_forwarded_for_is_ignored_without_trusted_proxies(app):
    attacker, colleague = browser_at(app, ATTACKER), browser_at(app, STAFF)
    for n in range(5):  # a different made-up client address on every guess
        attacker.client.environ_base["HTTP_X_FORWARDED_FOR"] = f"192.0.2.{n}"
        assert attacker.login("agent", "guess").status_code == 401
    attacker.client.environ_base["HTTP_X_FORWARDED_FOR"] = STAFF
    assert attacker.login("agent").status_code == 429
    colleague.client.environ_base["HTTP_X_FORWARDED_FOR"] = ATTACKER  # nor can it put a colleague in the lock
    assert colleague.login("agent").status_code == 302


def test_x_forwarded_for_from_one_trusted_proxy_names_the_client(batho):
    behind_proxy = dataclasses.replace(batho, config=dataclasses.replace(batho.config, trusted_proxies=1))
    app = create_app(behind_proxy, {"TESTING": True})
    proxy = browser_at(app, "10.0.0.2")
    proxy.client.environ_base["HTTP_X_FORWARDED_FOR"] = ATTACKER
    for _ in range(5):
        assert proxy.login("agent", "guess").status_code == 401
    # What the client itself wrote in front of the proxy's entry is not believed.
    proxy.client.environ_base["HTTP_X_FORWARDED_FOR"] = f"{STAFF}, {ATTACKER}"
    assert proxy.login("agent").status_code == 429
    proxy.client.environ_base["HTTP_X_FORWARDED_FOR"] = STAFF
    assert proxy.login("agent").status_code == 302
