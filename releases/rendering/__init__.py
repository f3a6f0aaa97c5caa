"""One composition of a release, shared by the page, the PDF, the preview, the API and the text export.

content = content_from_release(release)      # or content_from_data(...) for unsaved form data
rendered = render_all(content)               # page_html, fragment_html, plain_text, content_json, pdf
"""

from .compose import ComposedRelease, compose
from .content import ReleaseContent, content_from_data, content_from_release
from .errors import RenderBusy, RenderError
from .outputs import Rendered, render_all, render_fragment, render_page, render_pdf, render_text

__all__ = [
    "ComposedRelease",
    "ReleaseContent",
    "RenderBusy",
    "RenderError",
    "Rendered",
    "compose",
    "content_from_data",
    "content_from_release",
    "render_all",
    "render_fragment",
    "render_page",
    "render_pdf",
    "render_text",
]
