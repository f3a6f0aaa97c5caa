"""Inline styles for the HTML fragment: an email client or a foreign page keeps no stylesheet."""

from __future__ import annotations

import re

FONT = "font-family:Inter,'Helvetica Neue',Arial,sans-serif"
TAG_STYLES = {
    "article": f"{FONT};color:#1d232b;font-size:16px;line-height:1.6;max-width:720px",
    "h1": "font-family:Georgia,'Times New Roman',serif;font-size:28px;line-height:1.25;font-weight:600;"
    "color:#0d1b2a;margin:0 0 12px",
    "h2": "font-size:18px;line-height:1.35;font-weight:600;color:#0d1b2a;margin:32px 0 8px",
    "h3": "font-size:16px;font-weight:600;color:#0d1b2a;margin:24px 0 8px",
    "p": "margin:0 0 14px",
    "ul": "margin:0 0 14px;padding-left:22px",
    "ol": "margin:0 0 14px;padding-left:22px",
    "li": "margin:0 0 6px",
    "a": "color:#0b5cab;text-decoration:underline",
    "blockquote": "margin:0 0 14px;padding-left:16px;border-left:3px solid #c9d3de;color:#33404d",
    "table": "border-collapse:collapse;margin:0 0 14px",
    "td": "border:1px solid #d5dce4;padding:4px 8px",
    "th": "border:1px solid #d5dce4;padding:4px 8px;text-align:left",
    "hr": "border:0;border-top:1px solid #d5dce4;margin:24px 0",
}
CLASS_STYLES = {
    "subheadline": "font-size:18px;line-height:1.45;color:#44515f;margin:0 0 20px",
    "dateline": "font-weight:600;color:#0d1b2a",
    "mar-legend": "font-size:13px;font-style:italic;color:#44515f;border-left:3px solid #0b5cab;padding-left:12px",
    "references": "font-size:13px;color:#44515f",
    "disclaimer": "font-size:12px;line-height:1.5;color:#5b6670",
    "cite": "color:#0b5cab;text-decoration:none;font-size:0.85em",
    "contacts": "font-size:14px",
    "correction": "background:#fff7e0;padding:10px 14px;border-left:3px solid #c98a00",
}
OPEN_TAG_RE = re.compile(r"<([a-z][a-z0-9]*)(\s[^<>]*?)?(/?)>", re.IGNORECASE)
CLASS_RE = re.compile(r'\sclass="([^"]*)"')


def inline_styles(html: str) -> str:
    """Give each element the style its tag and classes ask for; class attributes stay for hooks."""

    def add(match: re.Match) -> str:
        tag, attrs, close = match.group(1).lower(), match.group(2) or "", match.group(3)
        styles = [TAG_STYLES[tag]] if tag in TAG_STYLES else []
        class_match = CLASS_RE.search(attrs)
        if class_match:
            styles += [CLASS_STYLES[c] for c in class_match.group(1).split() if c in CLASS_STYLES]
        if not styles or " style=" in attrs:
            return match.group(0)
        return f'<{tag}{attrs} style="{";".join(styles)}"{close}>'

    return OPEN_TAG_RE.sub(add, html)
