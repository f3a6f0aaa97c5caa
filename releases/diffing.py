"""Differences of text as a reader sees them: words struck through and words marked new, never HTML tags.

`word_diff` gives one changed text with a little context around each change (the history pages);
`paragraph_diff` gives a whole document paragraph by paragraph, unchanged paragraphs whole and each
changed one marked word by word (the review screen, over the composed release's plain text).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

# Words kept around each change, so a long text shows where it changed without being printed whole.
CONTEXT_WORDS = 8
# Below this share of words in common, a changed paragraph reads better as one taken out and one put in.
SAME_PARAGRAPH = 0.4

PARAGRAPH_BREAK_RE = re.compile(r"\n[ \t]*\n+")
UNDERLINE_RE = re.compile(r"^(?:-{3,}|={3,})$")


def word_diff(old: str, new: str, *, context: int | None = CONTEXT_WORDS) -> SafeString:
    """The difference between two texts as words: <del> what went, <ins> what came.

    With `context`, long unchanged runs are cut to that many words around each change; with None, every
    word is kept.
    """
    before, after = old.split(), new.split()
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    pieces: list[str] = []
    opcodes = matcher.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = before[i1:i2]
            first, last = index == 0, index == len(opcodes) - 1
            if context is not None and (
                len(words) > 2 * context + 1 or (first and len(words) > context) or (last and len(words) > context)
            ):
                head = [] if first else words[:context]
                tail = [] if last else words[-context:]
                pieces.append(" ".join([*(escape(w) for w in head), "…", *(escape(w) for w in tail)]).strip())
            else:
                pieces.append(escape(" ".join(words)))
            continue
        if i2 > i1:
            pieces.append(format_html("<del>{}</del>", " ".join(before[i1:i2])))
        if j2 > j1:
            pieces.append(format_html("<ins>{}</ins>", " ".join(after[j1:j2])))
    return mark_safe(" ".join(p for p in pieces if p))  # every piece is escaped above


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a compared document: "same", "changed", "added" or "removed", its HTML, and whether the
    document sets it as a heading (plain text underlines one with a row of dashes or equals signs)."""

    state: str
    html: SafeString
    heading: bool = False


def paragraphs(text: str) -> list[tuple[str, bool]]:
    """The paragraphs of a plain text (blank lines between them), each with its lines joined, and whether it is
    a heading (its last line a rule of dashes or equals signs, which is dropped)."""
    found = []
    for block in PARAGRAPH_BREAK_RE.split(text.strip()):
        lines = [line for line in block.splitlines() if line.strip()]
        heading = len(lines) > 1 and bool(UNDERLINE_RE.match(lines[-1].strip()))
        if heading:
            lines = lines[:-1]
        if lines:
            found.append((" ".join(" ".join(lines).split()), heading))
    return found


def paragraph_diff(old: str, new: str) -> list[Paragraph]:
    """`new` paragraph by paragraph, with what `old` had that it lost, each change marked word by word."""
    before, after = paragraphs(old), paragraphs(new)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    result: list[Paragraph] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result += [Paragraph("same", escape(text), heading) for text, heading in after[j1:j2]]
            continue
        gone, came = before[i1:i2], after[j1:j2]
        # Pair the changed paragraphs in order while they still read as the same paragraph rewritten.
        while gone and came:
            (old_text, _was_heading), (new_text, heading) = gone[0], came[0]
            similarity = difflib.SequenceMatcher(None, old_text.split(), new_text.split(), autojunk=False).ratio()
            if similarity < SAME_PARAGRAPH:
                break
            gone.pop(0), came.pop(0)
            result.append(Paragraph("changed", word_diff(old_text, new_text, context=None), heading))
        result += [Paragraph("removed", format_html("<del>{}</del>", text), heading) for text, heading in gone]
        result += [Paragraph("added", format_html("<ins>{}</ins>", text), heading) for text, heading in came]
    return result
