"""The tagged structure of a PDF read back with pypdf: what a screen reader walks through."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    kids = kids.get_object() if isinstance(kids, IndirectObject) else kids
    return list(kids) if isinstance(kids, ArrayObject) else [kids]


def structure(pdf: bytes) -> tuple[dict, list[tuple[int, str, dict]]]:
    """The catalog's accessibility entries and the structure tree, depth first: (depth, role, attributes)."""
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    info = {
        "lang": str(root.get("/Lang", "")),
        "marked": bool(root.get("/MarkInfo", {}).get("/Marked")),
        "display_title": bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle")),
    }
    rows: list[tuple[int, str, dict]] = []
    tree = root.get("/StructTreeRoot")
    if tree is None:
        return info, rows

    def walk(node, depth: int) -> None:
        for kid in _kids(node):
            kid = kid.get_object() if isinstance(kid, IndirectObject) else kid
            if not isinstance(kid, DictionaryObject) or "/S" not in kid:
                continue  # marked content or an annotation reference
            attributes = {}
            if "/Alt" in kid:
                attributes["alt"] = str(kid["/Alt"])
            if "/Lang" in kid:
                attributes["lang"] = str(kid["/Lang"])
            rows.append((depth, str(kid["/S"]).lstrip("/"), attributes))
            walk(kid, depth + 1)

    walk(tree.get_object(), 0)
    return info, rows


INLINE = ("Span", "NonStruct")


def roles(pdf: bytes, *, skip=INLINE) -> list[str]:
    """The structure elements' roles in reading order, inline wrappers left out."""
    return [role for _depth, role, _attributes in structure(pdf)[1] if role not in skip]


def outline(pdf: bytes, *, skip=INLINE) -> str:
    """The structure tree as indented lines, leaving out inline wrappers: for a reader of test artifacts."""
    info, rows = structure(pdf)
    lines = [f"Lang={info['lang']} Marked={info['marked']} DisplayDocTitle={info['display_title']}"]
    for depth, role, attributes in rows:
        if role in skip:
            continue
        extra = "".join(f' {key}="{value}"' for key, value in attributes.items())
        lines.append(f"{'  ' * min(depth, 12)}{role}{extra}")
    return "\n".join(lines) + "\n"
