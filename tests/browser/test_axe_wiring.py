"""The accessibility check itself: axe-core in Chromium reports a page that breaks WCAG, so a pass means something."""

from __future__ import annotations

import pytest

from tests.support.browser import assert_accessible


def test_the_axe_check_fails_on_an_unlabelled_field_and_unreadable_text(chromium):
    context = chromium.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_content('<html lang="en"><head><title>Bad</title></head><body><main>'
                     '<input id="x"><p style="color:#ccc;background:#fff">faint</p></main></body></html>')
    with pytest.raises(AssertionError) as failed:
        assert_accessible(page, "bad page")
    assert "label" in str(failed.value) and "color-contrast" in str(failed.value)
    context.close()
