"""Markdown article text -> plain text, so that its markup is not stored and searched as words.

Headings keep their words without the ``#``; emphasis (``**``, ``__``, ``*``, ``_``, ``~~``),
inline code and block quote marks are dropped; a link ``[text](url)`` or an image
``![alt](url)`` becomes ``text (url)``, so the URL stage still finds the address; a reference
definition ``[1]: url`` keeps its URL. Line structure is kept (one line in, one line out, but
for fence and underline lines, which become blank), so paragraphs stay paragraphs and the first
line can still be read as the title. Everything else, HTML included, is left as written.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^\s{0,3}(?:```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(?:[ \t]+|$)(.*?)(?:[ \t]+#+)?[ \t]*$")
# A setext underline (``Title`` over ``=====``) or a thematic break (``---``, ``***``).
_RULE = re.compile(r"^\s{0,3}(?:=+|(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})\s*$")
_QUOTE = re.compile(r"^\s{0,3}(?:>[ \t]?)+")
_BULLET = re.compile(r"^(\s*)[-*+][ \t]+(?=\S)")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:[ \t]*<?(\S+?)>?(?:[ \t]+[\"'(].*)?$")
# ``[text](url "title")`` and ``![alt](url)``; the text may hold one level of brackets.
_LINK = re.compile(
    r"!?\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?([^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)>?"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
)
_REFERENCE_LINK = re.compile(r"!?\[((?:[^\[\]]|\[[^\[\]]*\])+)\]\[[^\[\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^\s<>]+|[\w.+-]+@[\w-]+\.[\w.-]+)>")
# A span of inline markup is sought within SPAN_CHARS characters of its opening mark: a line
# of unmatched marks ("*a *a *a ...") would otherwise be scanned to its end from every mark,
# quadratic in the line (200,000 characters are allowed). Longer spans keep their marks.
SPAN_CHARS = 500
_SPAN = f".{{1,{SPAN_CHARS}}}?"
_CODE = re.compile(rf"(`+)(?!`)({_SPAN})(?<!`)\1(?!`)")
_STRONG = re.compile(rf"(\*\*|__)(?=\S)({_SPAN})(?<=\S)\1")
_STRIKE = re.compile(rf"~~(?=\S)({_SPAN})(?<=\S)~~")
# Single ``*`` or ``_`` emphasis only at word edges: snake_case and 2*3*4 stay as they are.
_EMPHASIS = re.compile(
    rf"(?<![\w*])\*(?=[^\s*])({_SPAN})(?<=[^\s*])\*(?![\w*])"
    rf"|(?<!\w)_(?=[^\s_])({_SPAN})(?<=[^\s_])_(?!\w)"
)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~>])")


def markdown_text(text: str) -> str:
    """The plain text of a Markdown document (see the module docstring)."""
    lines = []
    for line in text.split("\n"):
        if _FENCE.match(line) or _RULE.match(line):
            lines.append("")
            continue
        reference = _REFERENCE.match(line)
        if reference:
            lines.append(reference.group(1))
            continue
        line = _QUOTE.sub("", line)
        heading = _HEADING.match(line)
        if heading:
            line = heading.group(1)
        lines.append(_inline(_BULLET.sub(r"\1", line)))
    return "\n".join(lines)


def _inline(line: str) -> str:
    line = _CODE.sub(lambda m: m.group(2).strip(), line)
    line = _LINK.sub(_link, line)
    line = _REFERENCE_LINK.sub(r"\1", line)
    line = _AUTOLINK.sub(r"\1", line)
    for _ in range(2):  # ***both*** and **nested *emphasis***
        line = _STRONG.sub(r"\2", line)
        line = _STRIKE.sub(r"\1", line)
        line = _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), line)
    return _ESCAPE.sub(r"\1", line)


def _link(found: re.Match) -> str:
    label, url = found.group(1).strip(), found.group(2)
    if not url:
        return label
    return f"{label} ({url})" if label else url
