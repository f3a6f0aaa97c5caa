"""HTML to PDF with WeasyPrint, in a forked child bounded in time: a PDF comes out whole or not at all."""

from __future__ import annotations

import contextlib
import fcntl
import gc
import os
import pickle
import re
import resource
import select
import signal
import time
import warnings
from pathlib import Path

from django.conf import settings

from .errors import RenderBusy, RenderError
from .fetcher import RefusedResource, SafeURLFetcher
from .pagefit import fitted_document

ATTACHMENT_RE = re.compile(r"<link\b[^>]*\brel\s*=\s*[\"']?[^\"'>]*\battachment\b", re.IGNORECASE)
# PDF/A-3a: archival (PDF/A) and tagged (level A: structure, reading order, language, alternative texts).
PDF_VARIANT = "pdf/a-3a"
MEMORY_MESSAGE = "The PDF needed more memory than a render may use and was stopped; nothing was produced."
# How a child dies when its C libraries cannot allocate (GLib traps, others abort or fault).
CRASH_SIGNALS = {signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS, signal.SIGTRAP}


def base_url() -> str:
    return settings.SITE_URL + "/"


def write_pdf(html: str, *, identifier: bytes, variant: str | None = PDF_VARIANT) -> bytes:
    """Render in this process (no time bound): the step the child runs, and what the benchmark compares."""
    from weasyprint import HTML

    if ATTACHMENT_RE.search(html):
        raise RenderError("The document asks to attach a file to the PDF; attachments are refused.")
    fetcher = SafeURLFetcher()
    try:
        document = fitted_document(
            html,
            lambda source: HTML(string=source, base_url=base_url(), url_fetcher=fetcher),
            pdf_variant=variant,
            optimize_images=False,
        )
        return document.write_pdf(
            pdf_identifier=identifier,
            pdf_variant=variant,
            attachments=[],
            uncompressed_pdf=False,
            optimize_images=False,
        )
    except RefusedResource as error:
        raise RenderError(str(error)) from None


@contextlib.contextmanager
def render_slot():
    """One of settings.PDF_RENDER_SLOTS slots on this machine, shared by every worker process (file locks).

    A render waits a few seconds for a slot; when none frees up it is refused with RenderBusy, so a burst
    of previews cannot take every core. A slot held by a process that dies is released with it.
    """
    folder = Path(settings.PDF_RENDER_SLOT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + settings.PDF_RENDER_SLOT_WAIT
    while True:
        for number in range(max(1, settings.PDF_RENDER_SLOTS)):
            handle = open(folder / f"slot-{number}.lock", "a+b")  # noqa: SIM115 - held until the render ends
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()
            return
        if time.monotonic() >= deadline:
            raise RenderBusy(
                "Every PDF renderer is busy with other releases right now. Try again in a minute; nothing was lost."
            )
        time.sleep(0.2)


def _limit_memory() -> None:
    """In the child: at most settings.PDF_RENDER_MEMORY_MB more address space than it started with."""
    extra = int(settings.PDF_RENDER_MEMORY_MB) * 1024 * 1024
    if extra <= 0:
        return
    with open("/proc/self/status") as status:
        size_kb = next((int(line.split()[1]) for line in status if line.startswith("VmSize:")), 0)
    limit = size_kb * 1024 + extra
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def render_pdf_bytes(html: str, *, identifier: bytes, variant: str | None = PDF_VARIANT, timeout=None) -> bytes:
    """Render in a forked child, one of a bounded number at once; past `timeout` seconds
    (settings.PDF_RENDER_TIMEOUT) it is killed, and past its memory bound it stops."""
    with render_slot():
        return _render_in_child(html, identifier=identifier, variant=variant, timeout=timeout)


def _render_in_child(html: str, *, identifier: bytes, variant: str | None, timeout) -> bytes:
    timeout = settings.PDF_RENDER_TIMEOUT if timeout is None else timeout
    if not hasattr(os, "fork"):  # pragma: no cover - Windows: no bound, same output
        return write_pdf(html, identifier=identifier, variant=variant)
    read_end, write_end = os.pipe()
    # Objects the parent already holds go to the permanent generation: the child's garbage collections
    # then leave them alone, instead of touching (and so copying) every page of the parent's heap.
    pid = -1
    gc.freeze()
    try:
        with warnings.catch_warnings():
            # Django's and the test runner's threads are idle here; the child only renders and exits.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    finally:
        if pid != 0:
            gc.unfreeze()
    if pid == 0:  # the child
        os.close(read_end)
        status = 0
        try:
            out_of_memory = pickle.dumps(("error", MEMORY_MESSAGE))  # made before memory is short
            try:
                _limit_memory()
                payload = pickle.dumps(("ok", write_pdf(html, identifier=identifier, variant=variant)))
            except RenderError as error:
                payload = pickle.dumps(("error", str(error)))
            except MemoryError:
                payload = out_of_memory
            except BaseException as error:
                payload = pickle.dumps(("error", f"The PDF could not be made: {type(error).__name__}: {error}"))
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
        except BaseException:
            status = 1
        finally:
            os._exit(status)

    os.close(write_end)
    chunks = []
    deadline = time.monotonic() + timeout
    try:
        with os.fdopen(read_end, "rb") as pipe:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise RenderError(
                        f"The PDF took longer than {timeout:g} seconds to render and was stopped; nothing was produced."
                    )
                ready, _, _ = select.select([pipe], [], [], remaining)
                if not ready:
                    continue
                chunk = os.read(pipe.fileno(), 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    except RenderError:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) in CRASH_SIGNALS and settings.PDF_RENDER_MEMORY_MB > 0:
        # Past its memory bound, the C libraries under WeasyPrint fail to allocate and the child crashes.
        raise RenderError(MEMORY_MESSAGE)
    if not chunks or status != 0:
        if settings.PDF_RENDER_MEMORY_MB > 0:
            raise RenderError(
                "The PDF renderer stopped before finishing, most likely because it needed more memory than a "
                "render may use; nothing was produced."
            )
        raise RenderError("The PDF renderer stopped before finishing; nothing was produced.")
    kind, value = pickle.loads(b"".join(chunks))  # noqa: S301 - our own child wrote it
    if kind != "ok":
        raise RenderError(value)
    return value
