"""Time the demo release's PDF through our code against WeasyPrint alone, and the peak memory of one render.

    make bench-render      (DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/bench_render.py)

Our path: read the release (queries), compose, render the print template, fork a time-bounded child
that runs WeasyPrint with the safe fetcher. WeasyPrint's own time: the same final HTML string, the
same fonts and options, rendered directly in this process with a plain fetcher of the same files.
"""

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
RUNS = int(os.environ.get("BENCH_RUNS", "8"))


def use_bench_media() -> None:
    """The test settings fix MEDIA_ROOT to var/test-media; this run's demo logo lives in its own folder.

    The parent and the child measuring peak memory must both look there (a fresh clone has nothing in
    var/test-media, so a child reading the settings as they are would not find the logo).
    """
    from django.conf import settings

    settings.MEDIA_ROOT = Path(os.environ["MEDIA_ROOT"])


def setup_django():
    workdir = Path(tempfile.mkdtemp(prefix="bench-render-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    import django

    django.setup()
    from django.core.management import call_command

    use_bench_media()
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)


def demo_release():
    from releases.models import Release

    return Release.objects.get(slug="ose-immunotherapeutics-lusvertikimab-blood-publication", language="en")


def peak_memory_of_one_render() -> float:
    """Peak resident memory (MB) of a fresh process that sets up Django and renders the PDF once."""
    out = subprocess.run(
        [sys.executable, __file__, "--one"], env=dict(os.environ), capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


def one_render_in_this_process():
    """Child mode: render once, print the peak RSS (MB) of this process and its render child."""
    from releases.rendering import render_pdf

    render_pdf(demo_release())
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(max(own, child) / 1024)


def main():
    from weasyprint import HTML

    from releases.rendering import compose, content_from_release, render_pdf
    from releases.rendering.fetcher import SafeURLFetcher
    from releases.rendering.outputs import pdf_html, pdf_identifier
    from releases.rendering.pdf import PDF_VARIANT, base_url

    release = demo_release()
    composed = compose(content_from_release(release))
    html, identifier = pdf_html(composed), pdf_identifier(composed)

    def weasyprint_alone():
        return HTML(string=html, base_url=base_url(), url_fetcher=SafeURLFetcher()).write_pdf(
            pdf_identifier=identifier, pdf_variant=PDF_VARIANT, attachments=[]
        )

    def ours():
        return render_pdf(release)

    assert ours() == weasyprint_alone(), "our PDF and WeasyPrint's differ"
    ours_times, weasy_times = [], []
    for _ in range(RUNS):  # interleaved so both see the same machine
        start = time.perf_counter()
        weasyprint_alone()
        weasy_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        ours()
        ours_times.append(time.perf_counter() - start)
    weasy, mine = statistics.median(weasy_times), statistics.median(ours_times)
    overhead = (mine - weasy) / weasy
    peak = peak_memory_of_one_render()
    print(f"demo release PDF, {RUNS} runs each (median)")
    print(f"  WeasyPrint alone (final HTML string): {weasy * 1000:8.1f} ms")
    print(f"  through releases.rendering:           {mine * 1000:8.1f} ms")
    print(f"  overhead: {overhead:+.1%} of WeasyPrint's own time (limit +20%)")
    print(f"  peak memory of one render (fresh process): {peak:.0f} MB (limit 250 MB)")
    ok = overhead <= 0.20 and peak <= 250
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    if "--one" in sys.argv:
        import django

        django.setup()
        use_bench_media()
        one_render_in_this_process()
    else:
        setup_django()
        sys.exit(main())
