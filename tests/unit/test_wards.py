"""A point's ward and town come from the wards file: inside, outside, in a hole, in either part of a MultiPolygon."""

from __future__ import annotations

import json
import os

import pytest

from engine.config import WARDS_FILE, Config
from engine.services.wards import Ward, load_wards, parse_wards, wards_for

FRANKFORT = (-27.2717, 28.4958)  # the town centre (lat, lon)


def _square(west, south, east, north):
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


def test_a_point_in_frankfort_is_in_ward_1_of_the_example_file():
    wards = load_wards(WARDS_FILE)
    assert wards.find(*FRANKFORT) == Ward("42005001", 1, "Ward 1: Frankfort town", "Frankfort")
    assert wards.municipality == "Mafube"
    assert [ward.number for ward in wards.wards] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert wards.get("42005005").town == "Qalabotjha"
    assert wards.get("nonsense") is None


def test_a_point_outside_every_ward_has_no_ward():
    wards = load_wards(WARDS_FILE)
    assert wards.find(-26.2041, 28.0473) is None, "Johannesburg is not in Mafube"
    assert wards.find(27.2717, 28.4958) is None, "the northern hemisphere mirror of Frankfort"


def test_the_farms_ward_has_the_towns_as_a_hole():
    wards = load_wards(WARDS_FILE)
    assert wards.find(-27.32, 28.55).number == 8, "a farm south-east of Frankfort"
    assert wards.find(-27.28, 28.46).number == 3, "Namahadi south lies in the farms ward's hole"


def test_both_parts_of_a_multipolygon_ward_are_in_it():
    wards = load_wards(WARDS_FILE)
    assert wards.find(-27.2403, 28.8436).number == 6, "Cornelia"
    assert wards.find(-27.245, 28.875).number == 6, "Ntswanatsatsi"
    assert wards.find(-27.245, 28.860) is None, "the veld between the two parts"


def test_a_hole_inside_a_multipolygon_part_is_outside(tmp_path):
    document = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"WardID": "99999001", "WardNo": "1"},
         "geometry": {"type": "MultiPolygon", "coordinates": [
             [_square(0, 0, 10, 10), _square(4, 4, 6, 6)[::-1]], [_square(20, 0, 30, 10)]]}}]}
    path = tmp_path / "wards.geojson"
    path.write_text(json.dumps(document))
    wards = load_wards(path)
    assert wards.find(1, 1).code == "99999001", "the Demarcation Board's own property names are read"
    assert wards.find(5, 5) is None, "in the hole"
    assert wards.find(5, 25).name == "Ward 1"
    assert wards.find(5, 15) is None
    assert wards.geojson == document


def test_the_file_is_read_again_when_it_changes(tmp_path):
    path = tmp_path / "wards.geojson"
    feature = {"type": "Feature", "properties": {"code": "A", "number": 1, "town": "Frankfort"},
               "geometry": {"type": "Polygon", "coordinates": [_square(0, 0, 1, 1)]}}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    assert load_wards(path) is load_wards(str(path)), "cached per path"
    feature["properties"]["town"] = "Villiers"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    os.utime(path, (1, 1))
    assert load_wards(path).find(0.5, 0.5).town == "Villiers"


@pytest.mark.parametrize("document", [
    {"type": "Feature"},
    {"type": "FeatureCollection", "features": [{"properties": {"code": "A"}, "geometry": {"type": "Point"}}]},
    {"type": "FeatureCollection", "features": [
        {"properties": {"code": "A"}, "geometry": {"type": "Polygon", "coordinates": [_square(0, 0, 1, 1)]}}]},
])
def test_a_wrong_wards_file_is_refused_with_a_sentence(document):
    with pytest.raises(ValueError, match=r"\.$"):
        parse_wards(document)


def test_the_config_names_the_wards_file(monkeypatch, tmp_path):
    monkeypatch.setenv("BATHO_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("BATHO_SECRET_KEY", "k")
    monkeypatch.delenv("BATHO_WARDS_FILE", raising=False)
    monkeypatch.delenv("BATHO_MAP_TILES_URL", raising=False)
    config = Config.from_env()
    assert config.wards_file == WARDS_FILE and WARDS_FILE.is_file()
    assert config.map_tiles_url == ""
    assert wards_for(config).find(*FRANKFORT).town == "Frankfort"
    own = tmp_path / "own.geojson"
    own.write_text(json.dumps({"type": "FeatureCollection", "municipality": "Elsewhere", "features": []}))
    monkeypatch.setenv("BATHO_WARDS_FILE", str(own))
    monkeypatch.setenv("BATHO_MAP_TILES_URL", "https://tiles.example/{z}/{x}/{y}.png")
    config = Config.from_env()
    assert wards_for(config).municipality == "Elsewhere" and wards_for(config).find(*FRANKFORT) is None
    assert config.map_tiles_url == "https://tiles.example/{z}/{x}/{y}.png"


def test_the_example_file_says_it_is_an_example():
    assert WARDS_FILE.read_text().count("EXAMPLE") >= 2
    assert "demarcation.org.za" in (WARDS_FILE.parent / "README.md").read_text()


def test_a_missing_or_broken_wards_file_is_named_in_the_sentence(tmp_path):
    with pytest.raises(ValueError, match="BATHO_WARDS_FILE"):
        load_wards(tmp_path / "nowhere.geojson")
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [{"geometry": {"type": "Polygon"}}]}')
    with pytest.raises(ValueError, match="broken.geojson"):
        load_wards(broken)
