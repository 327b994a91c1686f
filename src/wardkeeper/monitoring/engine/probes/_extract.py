"""Pick the part of a web page whose changes matter (content-change checks):
the text of the first element a simple CSS selector names, or what a regular
expression captures. The selector subset is enough for "the news block of the
hospital's home page": ``tag``, ``#id``, ``.class``, their compounds
(``div.news#top``) and descendant chains (``main .news p``). The standard
library's HTMLParser does the parsing, so no new dependency is needed."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input",
    "link", "meta", "source", "track", "wbr",
}  # fmt: skip
_SIMPLE = re.compile(r"([a-zA-Z][\w-]*)?((?:[#.][\w-]+)*)$")


class SelectorError(ValueError):
    """The selector uses more CSS than this subset understands."""


def _compile(selector: str) -> list[tuple[str | None, str | None, set[str]]]:
    steps = []
    for part in selector.split():
        match = _SIMPLE.match(part)
        if not match or not part:
            raise SelectorError(f"unsupported selector part {part!r}")
        tag, rest = match.group(1), match.group(2)
        ids = re.findall(r"#([\w-]+)", rest)
        steps.append(
            (tag.lower() if tag else None, ids[0] if ids else None,
             set(re.findall(r"\.([\w-]+)", rest)))
        )  # fmt: skip
    if not steps:
        raise SelectorError("empty selector")
    return steps


def _fits(
    step: tuple[str | None, str | None, set[str]], tag: str, attrs: dict[str, str]
) -> bool:
    want_tag, want_id, want_classes = step
    if want_tag and want_tag != tag:
        return False
    if want_id and attrs.get("id") != want_id:
        return False
    return want_classes <= set(attrs.get("class", "").split())


class _Finder(HTMLParser):
    def __init__(self, steps: list[tuple[str | None, str | None, set[str]]]) -> None:
        super().__init__(convert_charrefs=True)
        self.steps = steps
        self.stack: list[tuple[str, int]] = []  # (tag, steps matched so far)
        self.capture_depth: int | None = None
        self.parts: list[str] = []
        self.found = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.found and self.capture_depth is None:
            return
        matched = self.stack[-1][1] if self.stack else 0
        attributes = {name: value or "" for name, value in attrs}
        if matched < len(self.steps) and _fits(self.steps[matched], tag, attributes):
            matched += 1
        if tag in _VOID:
            if matched == len(self.steps) and self.capture_depth is None:
                self.found = True
            return
        self.stack.append((tag, matched))
        if matched == len(self.steps) and self.capture_depth is None and not self.found:
            self.capture_depth = len(self.stack)
            self.found = True

    def handle_endtag(self, tag: str) -> None:
        # Pop to the matching open tag: tolerates unclosed <p>, <li> …
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break
        if self.capture_depth is not None and len(self.stack) < self.capture_depth:
            self.capture_depth = None

    def handle_data(self, data: str) -> None:
        if self.capture_depth is not None:
            self.parts.append(data)


def select_text(html: str, selector: str) -> str | None:
    """Whitespace-normalised text of the first element matching selector,
    or None when nothing matches. Raises SelectorError for unsupported CSS."""
    finder = _Finder(_compile(selector))
    finder.feed(html)
    finder.close()
    if not finder.found:
        return None
    return " ".join("".join(finder.parts).split())


def regex_part(text: str, pattern: str) -> str | None:
    """The first group (or the whole match) of pattern in text, or None."""
    match = re.search(pattern, text, re.S)
    if match is None:
        return None
    return match.group(1) if match.groups() else match.group(0)
