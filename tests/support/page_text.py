"""What a manager reads on a page (text, and the attributes screen readers and tooltips read),
and the two things that must never be in it: raw snake_case codes and developers' English
validation messages. Keys, snippets and typed values (code, pre, inputs) are data, not words."""

from __future__ import annotations

import re
from html.parser import HTMLParser

SKIPPED = {"code", "pre", "script", "style", "textarea"}
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
DEVELOPER_ENGLISH = re.compile(
    r"Input should|Field required|field required|value is not a valid|Value error|"
    r"String should|should be greater|greater than or equal|less than or equal|"
    r"is not an origin|must be one of|must be vi or en|Extra inputs",
)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self._skipping += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def words_of(html: str) -> str:
    reader = _Reader()
    reader.feed(html)
    return " ".join(" ".join(reader.parts).split())


def problems(html: str) -> list[str]:
    """Raw codes and developers' messages a manager would read on this page."""
    text = words_of(html)
    found = [f"code {m}" for m in sorted(set(SNAKE.findall(text)))]
    found += [f"message {m!r}" for m in sorted(set(DEVELOPER_ENGLISH.findall(text)))]
    return found
