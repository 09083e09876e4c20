"""Reading HSDS JSON: a list of services one object at a time, so that an import of a large
file holds one service in memory, not the file."""

from __future__ import annotations

import codecs
import io
import json
from collections.abc import Iterator
from typing import IO, Any, cast

from django.utils.translation import gettext as _

from .validation import HsdsFormatError

#: The largest JSON text of one service an import reads.
MAX_OBJECT_CHARS = 16 * 1024 * 1024


def text_stream(source: IO[bytes] | IO[str]) -> IO[str]:
    """Text from a file of either kind; bytes are read as UTF-8 (with or without BOM)."""
    if isinstance(source, io.TextIOBase):
        return cast(IO[str], source)
    # A StreamReader wants nothing but read(): uploaded files, zip members, pipes.
    return cast(IO[str], codecs.getreader("utf-8-sig")(cast(IO[bytes], source)))


def iter_json_array(stream: IO[str], *, piece: int = 1 << 16) -> Iterator[Any]:
    """The items of a JSON array read piece by piece (memory: one item, not the file). A top
    level object is read whole: one service, or an HSDS API page with ``contents``."""
    decoder = json.JSONDecoder()
    buffer, pos = "", 0

    def more() -> bool:
        nonlocal buffer, pos
        data = stream.read(piece)
        if not data:
            return False
        buffer, pos = buffer[pos:] + data, 0
        return True

    def skip_space() -> bool:
        nonlocal pos
        while True:
            while pos < len(buffer) and buffer[pos] in " \t\r\n":
                pos += 1
            if pos < len(buffer) or not more():
                return pos < len(buffer)

    def broken(number: int, error: object = None) -> HsdsFormatError:
        detail = f" ({error})" if error else ""
        return HsdsFormatError(
            _("Not valid JSON at service number %(number)s%(detail)s.")
            % {"number": number, "detail": detail}
        )

    if not skip_space():
        return
    if buffer[pos] == "{":
        while more():
            pass
        try:
            whole = json.loads(buffer[pos:])
        except json.JSONDecodeError as error:
            raise broken(1, error) from error
        items = whole.get("contents", [whole])
        yield from items if isinstance(items, list) else [items]
        return
    if buffer[pos] != "[":
        raise HsdsFormatError(_("Not valid JSON: expected a list of services."))
    pos += 1
    number = 0
    while True:
        if not skip_space():
            raise broken(number + 1)
        if buffer[pos] == "]":
            return
        if number:
            if buffer[pos] != ",":
                raise broken(number + 1)
            pos += 1
            if not skip_space():
                raise broken(number + 1)
        number += 1
        while True:
            try:
                item, end = decoder.raw_decode(buffer, pos)
            except json.JSONDecodeError as error:
                # Incomplete so far, or broken: read on, up to a sane size for one service.
                if len(buffer) - pos < MAX_OBJECT_CHARS and more():
                    continue
                raise broken(number, error.msg) from error
            # A number cut off at the piece's end decodes too: have the next character.
            if end < len(buffer) or not more():
                break
        pos = end
        yield item
