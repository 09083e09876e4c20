"""Log hygiene: logs go to operators, who must not see who was looked up or which family.

Request lines carry query strings (``?q=<a name>``), so they are cut off; messages are never
built from personal data in Lotse's own code (audit events hold that, access-controlled).
"""

from __future__ import annotations

import logging
import re

_QUERY_STRING = re.compile(r"\?[^\s\"']*")


class RedactPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _QUERY_STRING.sub("?[redacted]", message)
        if redacted != message:
            record.msg = redacted
            record.args = ()
        # django.request attaches the request object; its repr contains the query string too.
        if hasattr(record, "request"):
            record.request = "[redacted]"
        return True
