"""An incremental parser of the Server-Sent Events wire format (text/event-stream)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional

_END_OF_LINE = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class SseMessage:
    """One dispatched message: the last `id` seen, its `event` type and its `data` lines joined by newlines."""

    id: Optional[str]
    event: str
    data: str


class SseParser:
    """Feed it text as it arrives, cut anywhere, and it returns the messages completed so far.

    Lines may end in CRLF, LF or CR. Comment lines (starting with `:`) are skipped, `retry:` sets `retry_ms`,
    and a message without data is dropped (as EventSource does) though its `id` still counts.
    """

    def __init__(self) -> None:
        self.retry_ms: Optional[int] = None
        self.last_event_id: Optional[str] = None
        self._buffer = ""
        self._event = ""
        self._data: List[str] = []

    def feed(self, text: str) -> List[SseMessage]:
        buffer = self._buffer + text
        messages: List[SseMessage] = []
        start = 0
        for match in _END_OF_LINE.finditer(buffer):
            # A CR as the last character may be the first half of a CRLF: wait for the next chunk.
            if match.group() == "\r" and match.end() == len(buffer):
                break
            message = self._line(buffer[start : match.start()])
            start = match.end()
            if message is not None:
                messages.append(message)
        self._buffer = buffer[start:]
        return messages

    def _line(self, line: str) -> Optional[SseMessage]:
        if line == "":
            return self._dispatch()
        if line.startswith(":"):
            return None
        field, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if field == "data":
            self._data.append(value)
        elif field == "event":
            self._event = value
        elif field == "id" and "\0" not in value:
            self.last_event_id = value
        elif field == "retry" and value.isascii() and value.isdigit():
            self.retry_ms = int(value)
        return None

    def _dispatch(self) -> Optional[SseMessage]:
        message = (
            SseMessage(self.last_event_id, self._event or "message", "\n".join(self._data)) if self._data else None
        )
        self._event = ""
        self._data = []
        return message
