"""Open311 GeoReport v2 documents in XML and JSON, from plain dicts and lists (one serialisation for both)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from xml.etree import ElementTree

from flask import Response

XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
# The element name of one item of each list, as the standard spells it.
ITEM = {"services": "service", "service_requests": "request", "attributes": "attribute", "values": "value",
        "notes": "note", "endpoints": "endpoint", "formats": "format", "errors": "error"}


def stamp(value: datetime | None, tz: Any) -> str:
    """ISO 8601 with the municipality's offset, e.g. 2026-11-26T09:15:00+02:00 ('' when unknown)."""
    return value.astimezone(tz).isoformat(timespec="seconds") if value else ""


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _element(parent: ElementTree.Element, name: str, value: Any) -> None:
    node = ElementTree.SubElement(parent, name)
    _fill(node, name, value)


def _fill(node: ElementTree.Element, name: str, value: Any) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _element(node, key, inner)
    elif isinstance(value, list):
        for inner in value:
            _element(node, ITEM.get(name, "item"), inner)
    else:
        node.text = _text(value)


def to_xml(root: str, value: Any) -> bytes:
    node = ElementTree.Element(root)
    _fill(node, root, value)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(node, encoding="utf-8",
                                                                           xml_declaration=False)


def respond(fmt: str, root: str, value: Any, status: int = 200) -> Response:
    """`value` as XML (under `root`) or JSON; lists of requests/services are bare arrays in JSON."""
    if fmt == "json":
        return Response(json.dumps(value, ensure_ascii=False), status=status, content_type=JSON_TYPE)
    return Response(to_xml(root, value), status=status, content_type=XML_TYPE)


def errors(fmt: str, status: int, descriptions: list[str]) -> Response:
    """The standard's error list: [{code, description}] / <errors><error>..."""
    return respond(fmt, "errors", [{"code": status, "description": d} for d in descriptions], status)
