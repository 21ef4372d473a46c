"""The Council report as a PDF made on the server, and the yearly policy review that opens with it."""

from __future__ import annotations

import shutil
import subprocess

from engine.metrics import review
from web import create_app

from .test_report import council  # noqa: F401 - the month with deviations and a published suggestion


def _client(app, who: str):
    from tests.support.web import Browser

    client = create_app(app, {"TESTING": True}).test_client()
    Browser(client).login(who)
    return client


def _pages(pdf: bytes, tmp_path) -> int:
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_the_yearly_report_downloads_as_a_pdf_of_several_pages_with_the_standards_sentences(council, tmp_path):  # noqa: F811 - the fixture imported above
    app, _ = council
    answer = _client(app, "manager").get("/reports/council.pdf?period=2026")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert 'filename="council-report-2026.pdf"' in answer.headers["Content-Disposition"]
    pdf = answer.get_data()
    assert pdf.startswith(b"%PDF")
    # Like Chromium for the browser tests: a missing tool fails the test, it never silently passes it.
    assert shutil.which("pdftotext"), "poppler-utils is missing: apt-get install -y poppler-utils (.ci/run does)"
    assert _pages(pdf, tmp_path) >= 2
    text = " ".join(_text(pdf, tmp_path).split())
    assert "met the standard for" in text and "against a target of 80 %: not met" in text
    assert "What changed since the last report" in text
    assert "Municipal Manager" in text and "Speaker of the Council" in text and "Page 1 of" in text


def test_the_report_page_says_in_words_whether_each_department_met_the_standard(council):  # noqa: F811 - the fixture imported above
    app, _ = council
    page = _client(app, "manager").get("/reports/council?period=2026-09").get_data(as_text=True)
    assert "met the standard for" in page and ": <strong>not met</strong>" in page
    assert "What changed since the last report (August 2026)" in page
    assert "Speaker of the Council" in page and "/reports/council.pdf?period=2026-09" in page


def test_an_officer_gets_no_pdf(council):  # noqa: F811 - the fixture imported above
    app, _ = council
    assert _client(app, "officer").get("/reports/council.pdf?period=2026").status_code == 403


def test_the_review_lists_standards_often_missed_and_categories_that_grew(council, people):  # noqa: F811 - the fixture imported above
    app, _ = council
    found = review.policy_review(app, people["owner"], "2026")
    kinds = {p.kind for p in found.points}
    assert "missed" in kinds and "grew" in kinds
    missed = next(p.sentence for p in found.points if p.kind == "missed")
    assert "working days in" in missed and "against a target of 80 %" in missed
