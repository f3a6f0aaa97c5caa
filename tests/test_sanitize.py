"""The one allow-list for rich text: what the editor can make is what the database keeps, and numbers in
attributes kept small enough to render."""

import pytest

from releases.sanitize import sanitize_html


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        (
            '<table><tr><td colspan="10000000">x</td></tr></table>',
            '<table><tbody><tr><td colspan="50">x</td></tr></tbody></table>',
        ),
        (
            '<table><tr><td rowspan="3">x</td></tr></table>',
            '<table><tbody><tr><td rowspan="3">x</td></tr></tbody></table>',
        ),
        ('<table><tr><td colspan="²">x</td></tr></table>', "<table><tbody><tr><td>x</td></tr></tbody></table>"),
        ('<table><tr><td colspan="-4">x</td></tr></table>', "<table><tbody><tr><td>x</td></tr></tbody></table>"),
        ('<ol start="99999999999"><li>x</li></ol>', '<ol start="10000"><li>x</li></ol>'),
        ('<p onclick="x()">Hi <script>alert(1)</script></p>', "<p>Hi </p>"),
    ],
)
def test_rich_text_keeps_only_what_renders_safely(written, kept):
    assert sanitize_html(written) == kept


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        # Empty paragraphs (Enter pressed twice, a paste's leftovers) go: the stylesheets space the text.
        ("<p>One.</p><p></p><p>&nbsp;</p><p><br></p><p> </p><p>Two.</p>", "<p>One.</p><p>Two.</p>"),
        ("<p></p>", ""),
        ("<p><br></p>", ""),
        # A paragraph with words and a no-break space keeps both.
        ("<p>Le 1er\u00a0juillet : résultats.</p>", "<p>Le 1er&nbsp;juillet : résultats.</p>"),
        # A link keeps its exact address: scheme, host, path and trailing slash.
        (
            '<p><a href="https://www.ose-immuno.com/en/">www.ose-immuno.com</a></p>',
            '<p><a href="https://www.ose-immuno.com/en/" rel="noopener">www.ose-immuno.com</a></p>',
        ),
        # Office markup and styles are not kept.
        ('<p class="MsoNormal" style="margin:0"><o:p>x</o:p></p>', "<p>x</p>"),
    ],
)
def test_rich_text_is_cleaned_to_the_allow_list(given, kept):
    assert sanitize_html(given) == kept
