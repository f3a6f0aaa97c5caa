"""One reader of citation markers: the page links exactly what the checks count, in every form a release uses."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from releases.checks import run_checks
from releases.citations import cited_numbers, markers
from releases.rendering import compose, content_from_release, render_page, render_text
from releases.rendering.compose import Citations
from tests import factories as f


@pytest.mark.parametrize(
    ("html", "numbers"),
    [
        ("<p>A (1) b (2, 3) c (4–6) d (8-9)</p>", [1, 2, 3, 4, 5, 6, 8, 9]),
        ("<p>Footnotes<sup>1</sup> and<sup>2,3</sup> and<sup>(4)</sup></p>", [1, 2, 3, 4]),
        ("<p>in 2022(5); Article 7(1); (2022); 10<sup>6</sup> cells; 3 m<sup>2</sup></p>", [5]),
        ('<p><a href="https://x.example">see (1)</a> <a href="#"><sup>2</sup></a></p>', []),
    ],
)
def test_every_form_of_marker_is_read(html, numbers):
    assert cited_numbers(html) == numbers


def test_superscripts_are_linked_like_brackets():
    out = Citations({1, 2, 3}).link("<p>A<sup>1</sup> b<sup>(2)</sup> c (1, 3)</p>")
    assert out == (
        '<p>A<sup><a class="cite" href="#ref-1" id="cite-1">1</a></sup> '
        'b<sup>(<a class="cite" href="#ref-2" id="cite-2">2</a>)</sup> '
        'c (<a class="cite" href="#ref-1">1</a>, <a class="cite" href="#ref-3" id="cite-3">3</a>)</p>'
    )


@pytest.mark.django_db
def test_a_superscript_in_the_body_is_cited_for_the_checks_and_linked_on_the_page():
    release = f.ReleaseFactory(body="<p>Results<sup>1</sup> and more<sup>(2)</sup>.</p>")
    f.ReferenceFactory(release=release, position=1)
    f.ReferenceFactory(release=release, position=2)
    assert not [c for c in run_checks(release) if c.code.startswith(("citation", "reference"))]
    page = render_page(release)
    assert 'href="#ref-1" id="cite-1">1</a></sup>' in page and 'href="#cite-2"' in page


@pytest.mark.django_db
def test_the_text_keeps_superscript_markers_and_exponents_raised():
    """Written flat, "12.3 M€<sup>1</sup>" read "12.3 M€1" and "in 2026.<sup>2</sup>" read "in 2026.2"."""
    release = f.ReleaseFactory(
        body="<p>Revenue of EUR 12.3 million<sup>1</sup>, in 2026.<sup>2</sup> With 10<sup>6</sup> cells per "
        "m<sup>2</sup> (3) and Tedopi<sup>®</sup><sup>(1, 2)</sup>.</p>"
    )
    for position in (1, 2, 3):
        f.ReferenceFactory(release=release, position=position)
    text = render_text(release)
    assert "EUR 12.3 million¹, in 2026.² With 10⁶ cells per m² (3) and Tedopi®⁽¹, ²⁾." in " ".join(text.split())
    assert "(1) " in text  # the list itself keeps its numbers as they are


@pytest.mark.django_db
def test_a_block_cites_its_own_references_numbered_after_the_releases_in_order_of_first_citation():
    company = f.CompanyFactory()
    topic = f.BoilerplateBlockFactory(company=company, body="<p>Common (2). Deadly (1), again (2).</p>")
    topic.references.create(position=1, citation="Second cited")
    topic.references.create(position=2, citation="First cited")
    for body in ("<p>today reported (1).</p>", "<p>today reported, citing nothing.</p>"):
        release = f.ReleaseFactory(company=company, body=body)
        own = 1 if "(1)" in body else 0
        if own:
            f.ReferenceFactory(release=release, position=1, citation="The release's own")
        release.topic_links.create(block=topic, position=0)
        composed = compose(content_from_release(release))
        assert [(r.position, r.citation) for r in composed.references][own:] == [
            (own + 1, "First cited"),
            (own + 2, "Second cited"),
        ]
        assert f'Common <a class="cite" href="#ref-{own + 1}" id="cite-{own + 1}">({own + 1})</a>' in str(
            composed.topics[0].html
        )
        assert not [c for c in run_checks(release) if c.level == "blocking" and c.code.startswith("citation")]
    assert f"({own + 2}) Second cited" in render_text(composed)


@pytest.mark.django_db
def test_a_block_citing_a_number_it_lacks_blocks():
    company = f.CompanyFactory()
    topic = f.BoilerplateBlockFactory(company=company, title="About ALL", body="<p>Known (1), unknown (3).</p>")
    topic.references.create(position=1, citation="Known")
    release = f.ReleaseFactory(company=company)
    release.topic_links.create(block=topic, position=0)
    messages = [c.message for c in run_checks(release) if c.code == "citation_without_reference"]
    assert messages == [
        "The topic About “About ALL” cites (3) but has no reference with that number. Add it to the block's references."
    ]


# -- the property: the page and the checks never disagree -----------------------------------------------------

WORDS = st.sampled_from(["results", "in", "2022", "Article 7", "IL-7R", "m", "10", "patients", "(2022)", "®"])
NUMBER = st.integers(min_value=1, max_value=40)
MARKER = st.one_of(
    NUMBER.map(lambda n: f"({n})"),
    st.tuples(NUMBER, NUMBER).map(lambda p: f"({p[0]}, {p[1]})"),
    st.tuples(NUMBER, NUMBER).map(lambda p: f"({min(p)}–{max(p)})"),
    NUMBER.map(lambda n: f"<sup>{n}</sup>"),
    NUMBER.map(lambda n: f"<sup>({n})</sup>"),
    st.tuples(NUMBER, NUMBER).map(lambda p: f"<sup>{p[0]},{p[1]}</sup>"),
    NUMBER.map(lambda n: f'<a href="https://x.example/{n}">({n})</a>'),
)
SEPARATOR = st.sampled_from([" ", "", ", ", ". ", "\u00a0"])
PIECES = st.lists(st.tuples(st.one_of(WORDS, MARKER), SEPARATOR), min_size=1, max_size=25)


def linked_numbers(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'href="#ref-(\d+)"', html)}


@settings(max_examples=300, deadline=None)
@given(PIECES, st.sets(NUMBER, max_size=40))
def test_the_page_links_exactly_what_the_checks_count(pieces, known):
    html = "<p>" + "".join(text + sep for text, sep in pieces) + "</p>"
    counted = cited_numbers(html)
    citations = Citations(known)
    linked = citations.link(html)
    # What the page records as cited, and what it links, is what the checks count, less the unknown numbers.
    assert citations.cited == set(counted) & known
    assert linked_numbers(linked) <= set(counted) & known
    for marker in markers(html):
        for written in marker.written:
            if int(written) in known:
                assert f'href="#ref-{written}"' in linked
    # Linking adds links only: the reader's text is unchanged.
    assert re.sub(r"<[^>]+>", "", linked) == re.sub(r"<[^>]+>", "", html)
