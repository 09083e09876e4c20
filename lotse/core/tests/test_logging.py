from __future__ import annotations

import logging

from lotse.core.logging import RedactPersonalDataFilter


def test_query_strings_are_cut_from_log_lines():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"GET /people/search/?q=Mohammed+Al-Hassan HTTP/1.1" 200 512',
        (),
        None,
    )
    RedactPersonalDataFilter().filter(record)
    assert "Mohammed" not in record.getMessage()
    assert "/people/search/?[redacted]" in record.getMessage()


def test_request_objects_are_not_logged():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found", (), None
    )
    record.request = object()
    RedactPersonalDataFilter().filter(record)
    assert getattr(record, "request", None) == "[redacted]"
