"""The one error a rendering raises, in words a writer can act on."""


class RenderError(Exception):
    """A release could not be rendered: time bound exceeded, refused resource, broken input."""


class RenderBusy(RenderError):
    """Every render slot is taken: the release can be rendered a little later."""
