"""The one allow-list for rich text, and numbers in attributes kept small enough to render."""

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
