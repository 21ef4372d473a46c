"""Figures by ward and town: the dashboard's table and map, grouping, the drill-down, overdue list and their CSV
filtered by ward, the Council report's table and the public page's words (tests/metrics/dataset.py's month).

Wards given to the month's cases (config/wards/mafube-example.geojson):
ward 1 Frankfort: A, B (closed in September within standard), G (opened 1 October, open);
ward 2 Namahadi: E (opened in August, closed late), H (opened and closed late in September);
ward 4 Villiers: C (open, not yet due), D (open, 18 working days overdue); F has no ward.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import update

from engine.metrics import service
from engine.models import Case
from tests.support.web import signed_in
from web import create_app

WARD_OF = {"A": ("42005001", "Frankfort"), "B": ("42005001", "Frankfort"), "G": ("42005001", "Frankfort"),
           "E": ("42005002", "Namahadi"), "H": ("42005002", "Namahadi"),
           "C": ("42005004", "Villiers"), "D": ("42005004", "Villiers")}


@pytest.fixture
def placed(month):
    app, refs = month
    with app.db.transaction() as session:
        for letter, (ward, town) in WARD_OF.items():
            session.execute(update(Case).where(Case.reference == refs[letter]).values(ward=ward, town=town))
    get = signed_in(app)

    return app, refs, get


def _csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv", response.get_data(as_text=True)[:300]
    header, *body = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    return [dict(zip(header, row, strict=True)) for row in body]


def test_figures_grouped_by_ward_name_each_ward_and_count_its_cases(placed, people):
    app, _, _ = placed
    data = service.metrics_data(app, people["manager"], "2026-09", "ward")
    rows = {g["label"]: g for g in data["groups"]}
    assert list(rows) == ["Ward 1: Frankfort town", "Ward 2: Namahadi north", "Ward 4: Villiers town",
                          "No ward (no place given)"]
    one, two, four = rows["Ward 1: Frankfort town"], rows["Ward 2: Namahadi north"], rows["Ward 4: Villiers town"]
    assert (one["opened"], one["closed"], one["within_standard_share"], one["open_now"]) == (2, 2, 1.0, 1)
    assert (two["opened"], two["closed"], two["within_standard_share"], two["open_now"]) == (1, 2, 0.0, 0)
    assert (four["opened"], four["closed"], four["open_now"], four["overdue_now"]) == (2, 0, 2, 1)
    assert "ward" in data["groups_available"] and "town" in data["groups_available"]


def test_figures_grouped_by_town(placed, people):
    app, _, _ = placed
    rows = {g["label"]: g for g in service.metrics_data(app, people["manager"], "2026-09", "town")["groups"]}
    assert {k: (v["opened"], v["open_now"]) for k, v in rows.items()} == {
        "Frankfort": (2, 1), "Namahadi": (1, 0), "Villiers": (2, 2), "No town": (1, 1)}


def test_the_dashboard_has_every_ward_in_its_table_and_on_its_map(placed):
    _, _, get = placed
    page = get("manager").get("/dashboard/?period=2026-09").get_data(as_text=True)
    table = page.split('id="table-wards"')[1].split("</table>")[0]
    assert table.count("<tr data-ward=") == 9  # the file's 8 wards, then the cases with no ward
    quiet = table.split('data-ward="42005005"')[1].split("</tr>")[0]
    assert "Ward 5: Qalabotjha" in quiet and ">0</a>" in quiet
    assert page.count('<path class="ward"') == 8
    villiers = re.search(r'<a href="([^"]+)" aria-label="Ward 4: Villiers town: 2 open now[^"]*">', page)
    assert villiers and "ward=42005004" in villiers[1] and "figure=open_now" in villiers[1]
    fills = dict(re.findall(r'<path class="ward" data-ward="(\d+)" d="[^"]+" fill="(#[0-9a-f]+)"', page))
    assert (fills["42005004"], fills["42005001"], fills["42005005"]) == ("#6baed6", "#bdd7e7", "#eff3ff")
    legend = page.split('class="ward-legend"')[1].split("</ul>")[0]
    assert [w.strip() for w in re.findall(r"</span>([^<]+)</li>", legend)] == [
        "no open cases", "1 open", "2 open", "3 open", "4 open"]
    assert "Ward 4: Villiers town has the most open cases now (2); 6 of 8 wards have none." in page
    towns = page.split('id="table-towns"')[1].split("</table>")[0]
    assert "Villiers" in towns and "town=Villiers" in towns


def test_the_drill_down_and_its_csv_filter_by_ward(placed):
    _, refs, get = placed
    manager = get("manager")
    rows = _csv(manager.get("/dashboard/cases.csv?figure=open_now&period=2026-09&ward=42005004"))
    assert {r["Reference"] for r in rows} == {refs["C"], refs["D"]}
    assert {(r["Ward"], r["Town"]) for r in rows} == {("42005004", "Villiers")}
    nowhere = _csv(manager.get("/dashboard/cases.csv?figure=open_now&period=2026-09&ward=(none)"))
    assert [r["Reference"] for r in nowhere] == [refs["F"]]
    page = manager.get("/dashboard/cases?figure=open_now&period=2026-09&ward=42005004").get_data(as_text=True)
    assert '<option value="42005004" selected>Ward 4: Villiers town</option>' in page
    assert refs["C"] in page and refs["G"] not in page and "Ward 4: Villiers town · Villiers" in page
    assert "ward=42005004" in page.split('id="drill-csv"')[0].rsplit("<a", 1)[1]
    by_town = _csv(manager.get("/dashboard/cases.csv?figure=opened&period=2026-09&town=Frankfort"))
    assert {r["Reference"] for r in by_town} == {refs["A"], refs["B"]}


def test_the_overdue_list_and_its_csv_filter_by_ward(placed):
    _, refs, get = placed
    manager = get("manager")
    rows = _csv(manager.get("/supervise/overdue.csv?ward=42005004"))
    assert [(r["Reference"], r["Ward"]) for r in rows] == [(refs["D"], "42005004")]
    assert _csv(manager.get("/supervise/overdue.csv?ward=42005001")) == []
    page = manager.get("/supervise/overdue?ward=42005004").get_data(as_text=True)
    assert refs["D"] in page and "Ward 4: Villiers town" in page and 'value="42005004"' in page


def test_a_supervisor_sees_the_wards_of_their_own_department_only(placed):
    _, _, get = placed
    page = get("supervisor").get("/dashboard/?period=2026-09").get_data(as_text=True)  # technical
    namahadi = page.split('id="table-wards"')[1].split('data-ward="42005002"')[1].split("</tr>")[0]
    assert re.findall(r">(\d+)</a>", namahadi) == ["1", "1", "0"]  # H only: E is finance's


def test_the_council_report_has_a_table_by_ward(placed):
    _, _, get = placed
    page = get("manager").get("/reports/council?period=2026-09").get_data(as_text=True)
    part = page.split('id="by-ward"')[1].split("</section>")[0]
    assert "4b. Performance by ward" in part
    assert "5 of the 6 cases opened in the period carry a ward" in part
    frankfort = part.split('data-ward="42005001"')[1].split("</tr>")[0]
    assert re.findall(r"<td>([^<]*)</td>", frankfort) == ["Frankfort", "2", "2", "100.0%", "1"]
    assert part.count("<tr data-ward=") == 9


def test_the_transparency_page_gives_each_wards_figures_in_plain_words(placed):
    app, refs, _ = placed
    page = create_app(app, {"TESTING": True}).test_client().get("/transparency").get_data(as_text=True)
    part = page.split('id="ward-figures"')[1].split("</section>")[0]
    assert ("Ward 1: Frankfort town (3 cases received): 2 of 2 cases resolved within the standard" in
            " ".join(part.split()))
    assert "Ward 5: Qalabotjha (0 cases received): no cases resolved against a standard yet" in " ".join(part.split())
    assert not any(ref in page for ref in refs.values())
    sesotho = create_app(app, {"TESTING": True}).test_client().get("/transparency?lang=st").get_data(as_text=True)
    assert "Ka wate: selemo sena sa ditjhelete ho fihlela jwale" in sesotho
