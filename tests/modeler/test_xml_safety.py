"""Uploaded XML is read safely: no external entities, no entity bombs, a size limit; the message says which."""

from __future__ import annotations

import pytest

from engine.bpmn.dialect import MAX_XML_BYTES, UnsafeXml, safe_xml
from engine.bpmn.lint import lint
from engine.errors import DeploymentError
from engine.services import deployment
from tests.fixtures.make import script_process

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <bpmn:process id="lolz" name="&lol9;" isExecutable="true" />
</bpmn:definitions>
"""


def external_entity(path: str) -> str:
    return f"""<?xml version="1.0"?>
<!DOCTYPE definitions [<!ENTITY secret SYSTEM "file://{path}">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <bpmn:process id="leak" name="&secret;" isExecutable="true" />
</bpmn:definitions>
"""


def test_a_billion_laughs_file_is_refused_as_an_entity_bomb_without_expanding_it():
    with pytest.raises(UnsafeXml) as refused:
        safe_xml(BILLION_LAUGHS)
    assert refused.value.reason == "entities"
    [problem] = lint({"lolz.bpmn": BILLION_LAUGHS}, [])
    assert problem.rule == "xml-entities" and "entity-expansion bombs" in problem.message


def test_an_external_entity_file_is_refused_and_nothing_is_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the municipal manager's password")
    [problem] = lint({"leak.bpmn": external_entity(str(secret))}, [])
    assert problem.rule == "xml-entities" and "external-entity" in problem.message
    assert "password" not in problem.message


def test_entities_hidden_in_utf16_are_found_after_parsing(tmp_path):
    data = BILLION_LAUGHS.replace('encoding="UTF-8"', "").replace('<?xml version="1.0"?>',
                                                                 '<?xml version="1.0" encoding="UTF-16"?>')
    with pytest.raises(UnsafeXml) as refused:
        safe_xml(data.encode("utf-16"))
    assert refused.value.reason == "entities"


def test_an_external_document_type_is_refused():
    doc = '<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd"><x/>'
    with pytest.raises(UnsafeXml) as refused:
        safe_xml(doc)
    assert refused.value.reason == "doctype" and "fetch" in str(refused.value)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    big = script_process("big", "x = 1").replace("<bpmn:process", "<!--" + "x" * MAX_XML_BYTES + "--><bpmn:process")
    [problem] = lint({"big.bpmn": big}, [])
    assert problem.rule == "xml-size" and "MB" in problem.message


def test_malformed_xml_names_the_line():
    [problem] = lint({"broken.bpmn": '<?xml version="1.0"?>\n<bpmn:definitions>\n<unclosed>'}, [])
    assert problem.rule == "xml-syntax" and "line" in problem.message and "not well-formed" in problem.message


def test_deploying_an_entity_bomb_is_refused_and_nothing_is_deployed(batho):
    with pytest.raises(DeploymentError) as refused:
        deployment.deploy_sources(batho, {"lolz.bpmn": BILLION_LAUGHS})
    assert refused.value.problems[0]["rule"] == "xml-entities"
