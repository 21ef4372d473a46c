"""A decision table uploaded alone in the modeler, in Debian's Chromium: it deploys and is listed (issue 16)."""

from __future__ import annotations

from pathlib import Path

from tests.modeler.test_decision_versions import fees
from tests.support.browser import assert_accessible, screenshot


def test_an_owner_uploads_a_dmn_file_alone_deploys_it_and_finds_it_under_decisions(person, tmp_path: Path):
    (tmp_path / "fees.dmn").write_text(fees(), encoding="utf-8")
    owner = person()
    owner.sign_in("owner")
    page = owner.go("/modeler/")
    page.set_input_files("#upload-files", str(tmp_path / "fees.dmn"))
    page.click("text=Upload and check")
    page.wait_for_selector("#modeler[data-ready=true]")
    page.click("button[data-modeler-action=deploy]")
    dialog = page.locator("dialog#deploy-confirm")
    dialog.wait_for(state="visible")
    assert "fees.dmn): a new decision (version 1)" in dialog.inner_text()
    dialog.locator("text=Deploy now").click()
    page.wait_for_url("**/modeler/")
    main = page.inner_text("main")
    assert "Deployed: decision fee_band version 1" in main
    row = page.locator("#decisions tbody tr:has-text('fee_band')").inner_text()
    assert "fee_band" in row and "fees.dmn" in row and "by owner" in row
    assert page.locator("#decisions a:has-text('Download fee_band version 1')").count() == 1
    assert_accessible(page, "process list with decisions")
    screenshot(page, "modeler-decisions")
