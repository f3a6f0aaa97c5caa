"""Legal wording a release carries, in each language's official terms (the catalogues in locale/ hold them).

The inside-information legend follows Article 7 of the Market Abuse Regulation as each language's version
of Regulation (EU) No 596/2014 names it; a company's own legend (a disclaimer of kind inside information)
starts from it in the admin and may be adapted by its lawyers.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.html import escape
from django.utils.translation import pgettext_lazy

MAR_LEGEND = pgettext_lazy(
    "MAR legend",
    "This announcement contains inside information within the meaning of Article 7 of Regulation (EU) "
    "No 596/2014 (Market Abuse Regulation).",
)


def mar_legend_html(language: str) -> str:
    """The standard inside-information legend in `language`, as a paragraph."""
    with translation.override(language):
        return f"<p>{escape(str(MAR_LEGEND))}</p>"
