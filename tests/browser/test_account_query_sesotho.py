"""An account query lodged and followed in Sesotho, with a large adjustment approved by the CFO, in Chromium."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.test_complaint_journey import complete, open_task_from_list
from tests.support.browser import PHONE, assert_accessible, screenshot
from tests.support.drive import status_path


def test_an_account_query_in_sesotho_with_an_adjustment_approved_by_the_cfo(person, batho):
    citizen = person(viewport=PHONE, locale="st-ZA", mobile=True)  # the browser asks for Sesotho
    page = citizen.go("/")
    expect(page.locator("html")).to_have_attribute("lang", "st")
    expect(page.locator("h1")).to_have_text("Re ka o thusa jwang?")
    screenshot(page, "citizen-start-sesotho-phone")
    page.get_by_role("link", name=re.compile("Botsa kapa o hanyetse akhaonte")).click()
    expect(page.get_by_label("Nomoro ya akhaonte")).to_be_visible()
    page.get_by_role("button", name="Romela").click()  # the account holder must give a way to answer them
    expect(page.locator(".flash-error")).to_contain_text("Ka kopo lokisa")
    expect(page.locator("#e-email")).to_have_text("Fana ka aterese ya imeile kapa nomoro ya mohala hore re tle re "
                                                  "o arabe.")
    assert_accessible(page, "account query form with errors (Sesotho)")
    page.get_by_label("Nomoro ya akhaonte").fill("4410023")
    page.select_option("#f-category", label="Palo ya mitha e fosahetse")
    page.get_by_label("Tjhelete eo o e hanyetsang (ranta)").fill("45000")
    page.get_by_label("Hlalosa potso").fill("Akhaonte ya ka e bontsha tefiso habedi.")
    page.get_by_label("Lebitso").fill("Mpho Mofokeng")
    page.get_by_label("Imeile").fill("mpho@example.org")
    expect(page.get_by_role("heading", name="Dintlha tsa hao tsa botho")).to_be_visible()
    screenshot(page, "citizen-account-query-sesotho-phone")
    page.get_by_role("button", name="Romela").click()
    expect(page.locator("h1")).to_have_text("Re a leboha. Re amohetse taba ya hao.")
    reference = page.locator("#reference").inner_text()
    page.get_by_role("link", name="Latela taba ya hao").click()
    expect(page.locator("#status-text")).to_have_text("E ntse e batlisiswa ke lefapha le ikarabellang.")
    expect(page.locator("#expected")).to_contain_text("E lebeletswe ka")
    assert "mpho@example.org" not in page.content() and "Mofokeng" not in page.content()
    assert_accessible(page, "status page (Sesotho)")
    screenshot(page, "citizen-status-sesotho-phone")

    billing = person()
    billing.sign_in("billing")
    open_task_from_list(billing.page, reference, "Verify the account", view="unassigned")
    complete(billing.page, outcome="incorrect", verification_notes="The same charge was billed twice.")
    open_task_from_list(billing.page, reference, "Calculate the adjustment")
    complete(billing.page, adjustment_amount="45000", adjustment_reason="A duplicate charge was removed.",
             corrected_balance="1250.00")

    cfo = person()
    cfo.sign_in("cfo")
    approvals = cfo.go("/supervise/")
    expect(approvals.locator("tr", has_text=reference)).to_contain_text("Approve the adjustment (CFO)")
    approvals.locator("tr", has_text=reference).get_by_role("link", name="Approve the adjustment (CFO)").click()
    assert_accessible(cfo.page, "CFO approval task page")
    screenshot(cfo.page, "cfo-approval-task")
    complete(cfo.page, decision="approve")

    open_task_from_list(billing.page, reference, "Record the adjustment as applied")
    complete(billing.page, applied_on="2026-11-27", ledger_reference="JNL-4410")

    page = citizen.go(status_path(batho, reference))
    expect(page.locator("#status-text")).to_have_text("E kwetswe.")
    expect(page.locator("#updates")).to_contain_text("Re ngodisitse potso ya hao ya akhaonte")
    expect(page.locator("#updates")).to_contain_text("Qeto ka potso ya hao ya akhaonte")
    expect(page.locator("#updates")).to_contain_text("re e kentse R\u00a045\u00a0000,00")
    expect(page.locator("#updates")).to_contain_text("A duplicate charge was removed.")  # the clerk's own words
    expect(page.locator("#updates")).to_contain_text("matsatsi a 21")
    page.get_by_label("5 – E ntle haholo").check()
    page.get_by_role("button", name="Romela tekanyetso").click()
    expect(page.locator(".flash-info")).to_have_text("Re a leboha ka tekanyetso ya hao.")
    assert_accessible(page, "closed status page after rating (Sesotho)")
    screenshot(page, "citizen-status-closed-sesotho-phone")
