"""What an uploaded file is taken to be, and what it may be called when downloaded."""
from __future__ import annotations

import io
import zipfile

from engine.attachment_storage import CONTENT_TYPES, safe_filename, sniff


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


def test_the_content_type_is_read_from_the_bytes():
    assert sniff(b"%PDF-1.7 ...") == "application/pdf"
    assert sniff(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert sniff(b"\xff\xd8\xff\xe0JFIF") == "image/jpeg"
    assert sniff(_zip("word/document.xml")).endswith("wordprocessingml.document")
    assert sniff(_zip("xl/workbook.xml")).endswith("spreadsheetml.sheet")
    assert sniff(_zip("notes.txt")) == "application/zip"
    assert sniff("Procès-verbal".encode()) == "text/plain"
    assert sniff(b"<html><script>") == "text/plain"  # never served as a page
    assert sniff(b"PK\x03\x04 broken") == "application/octet-stream"
    assert sniff(b"\x00\x01\x02") == "application/octet-stream"
    assert {sniff(x) for x in (b"%PDF-", b"GIF89a", b"\x00")} <= set(CONTENT_TYPES)


def test_a_file_name_keeps_only_a_plain_last_component():
    assert safe_filename("C:\\fakepath\\Budget 2027.pdf") == "Budget 2027.pdf"
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename('a"b\r\nContent-Type: x.pdf') == "a_b__Content-Type_ x.pdf"
    assert safe_filename("Résumé.docx") == "Résumé.docx"
    assert safe_filename("..") == "attachment" and safe_filename(None) == "attachment"
    long = safe_filename("x" * 400 + ".pdf")
    assert len(long) <= 255 and long.endswith(".pdf")


def test_a_file_field_must_be_a_string_marked_true_at_deploy():
    import json

    from engine.form_attachments import attachment_values
    from engine.forms import check_form_file
    good = {"type": "object", "properties": {"letter": {"type": "string", "x-attachment": True},
                                             "annexes": {"type": "array", "items": {"type": "string",
                                                                                     "x-attachment": True}}}}
    assert check_form_file("good.schema.json", json.dumps(good))[1] == []
    bad = {"type": "object", "properties": {"letter": {"type": "integer", "x-attachment": True},
                                            "note": {"type": "string", "x-attachment": "yes"}}}
    problems = check_form_file("bad.schema.json", json.dumps(bad))[1]
    assert [p.message.split(" must")[0] for p in problems] == ["x-attachment at /properties/letter",
                                                              "x-attachment at /properties/note"]
    assert attachment_values(good, {"letter": "3", "annexes": ["4", "5"]}) == \
        {"letter": "3", "annexes.0": "4", "annexes.1": "5"}
