"""Typography on output: French spacing on every reading of a release, names kept whole in print."""

import io

import pytest
from pypdf import PdfReader

from releases.models import HouseStyle
from releases.rendering import compose, content_from_release, render_fragment, render_page, render_pdf, render_text
from releases.rendering.outputs import pdf_html
from releases.rendering.typography import french_spacing, nest_quotes, protect_names
from tests import factories as f

NNBSP = "\u202f"
NB = "\u00a0"


def test_french_spacing_adds_narrow_no_break_spaces_and_keeps_what_was_typed():
    assert french_spacing("Résultats : positifs; « anticiper » ! Vraiment ?") == (
        f"Résultats{NNBSP}: positifs{NNBSP}; «{NNBSP}anticiper{NNBSP}»{NNBSP}! Vraiment{NNBSP}?"
    )
    # A no-break space typed stays; times, URLs and entities are not punctuation.
    assert french_spacing("ISIN\u00a0: FR0012127173") == "ISIN\u00a0: FR0012127173"
    assert french_spacing('<p>7:30, https://x.fr/a, I&amp;I <a href="a:b">x</a></p>') == (
        '<p>7:30, https://x.fr/a, I&amp;I <a href="a:b">x</a></p>'
    )


@pytest.mark.django_db
def test_french_spacing_on_page_text_and_fragment_but_not_in_what_staff_typed():
    release = f.ReleaseFactory(
        language="fr", body="<p>La société annonce : « anticiper » les résultats ; voilà !</p>", headline="Quoi ?"
    )
    composed = compose(content_from_release(release))
    expected = f"annonce{NNBSP}: «{NNBSP}anticiper{NNBSP}» les résultats{NNBSP}; voilà{NNBSP}!"
    assert expected in render_page(composed)
    assert expected in render_fragment(composed)
    assert f"QUOI{NNBSP}?" in render_text(composed)
    release.refresh_from_db()
    assert release.body == "<p>La société annonce : « anticiper » les résultats ; voilà !</p>"
    # A company may keep its text as typed.
    HouseStyle.objects.create(company=release.company, language="fr", punctuation_spacing="none")
    assert "annonce : « anticiper »" in render_page(release)


@pytest.mark.django_db
def test_english_is_not_spaced():
    release = f.ReleaseFactory(body="<p>Results: positive; next?</p>")
    assert "<p>Results: positive; next?</p>" in render_page(release)


def test_the_text_output_never_breaks_a_line_at_a_no_break_space():
    from releases.rendering.text import wrap_html

    words = " ".join(["mot"] * 16)
    text = wrap_html(f"<p>{words} «\u00a0anticiper\u00a0» et 26\u00a0482 cas</p>")
    assert "«\u00a0anticiper\u00a0»" in text and "26\u00a0482" in text
    assert all(not line.startswith("»") for line in text.splitlines())


def test_names_codes_and_identifiers_are_wrapped_to_stay_whole():
    html = protect_names(
        '<p>Traumakine® with anti-CLEVER-1 OSE-127 <a href="https://x.example/OSE-127">x</a> (ISIN FI4000512348)</p>',
        ["FI4000512348"],
    )
    assert html == (
        '<p><span class="nobr">Traumakine®</span> with <span class="nobr">anti-CLEVER-1</span> '
        '<span class="nobr">OSE-127</span> <a href="https://x.example/OSE-127">x</a> '
        '(ISIN <span class="nobr">FI4000512348</span>)</p>'
    )


@pytest.mark.django_db
def test_the_pdf_keeps_names_whole_and_the_page_is_left_as_composed(demo):
    html = pdf_html(demo)
    assert '<span class="nobr">Tedopi®</span>' in html
    assert '<span class="nobr">OSE-127</span>' in html
    assert '<span class="nobr">FR0012127173</span>' in html
    # The page prints the composed HTML as it is, the same the public API's JSON gives (the PDF is where
    # automatic hyphenation and justification split names).
    assert 'class="nobr"' not in render_page(demo)


@pytest.mark.django_db
def test_a_pdf_never_hyphenates_a_registered_name():
    company = f.CompanyFactory()
    asset = f.PipelineAssetFactory(company=company, name="Traumakine®", code="FP-1201", inn="interferon beta-1a")
    f.ProgramFactory(asset=asset)
    words = " ".join(f"Traumakine® {'x' * n}" for n in range(1, 40))
    release = f.ReleaseFactory(company=company, body=f"<p>{words}</p>")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(release))).pages)
    assert text.count("Traumakine®") == 39
    assert "Trau-" not in text and "Traumaki-" not in text


# -- quotation marks nested as the language nests them ----------------------------------------------


@pytest.mark.parametrize(
    ("written", "printed"),
    [
        # English marks outside, guillemets inside: swapped, with the narrow no-break spaces French puts in « ».
        ("<p>Il a dit “il faut «vraiment» agir”.</p>", f"<p>Il a dit «{NNBSP}il faut “vraiment” agir{NNBSP}».</p>"),
        # Already right: unchanged, byte for byte.
        (f"<p>«{NB}Nous, dans “Blood”, x.{NB}»</p>", f"<p>«{NB}Nous, dans “Blood”, x.{NB}»</p>"),
        # Around a link, the spaces stay where they belong.
        (
            f'<p>dans «{NB}<a href="https://x.example">Blood</a>{NB}»</p>',
            f'<p>dans «{NB}<a href="https://x.example">Blood</a>{NB}»</p>',
        ),
        (
            '<p>dans “<a href="https://x.example">Blood</a>”</p>',
            f'<p>dans «{NNBSP}<a href="https://x.example">Blood</a>{NNBSP}»</p>',
        ),
        # Guillemets typed with ordinary spaces, or none; a narrow no-break space typed stays.
        ("<p>« Blood » et «Nature»</p>", f"<p>«{NNBSP}Blood{NNBSP}» et «{NNBSP}Nature{NNBSP}»</p>"),
        (f"<p>«{NNBSP}Blood{NNBSP}»</p>", f"<p>«{NNBSP}Blood{NNBSP}»</p>"),
        # Marks that do not pair up: left as written.
        ("<p>un “ seul</p>", "<p>un “ seul</p>"),
        ("<p>fermé” d’abord “</p>", "<p>fermé” d’abord “</p>"),
        # Apostrophes and single quotes are not quotation marks here.
        ("<p>l’article ‘Blood’</p>", "<p>l’article ‘Blood’</p>"),
    ],
)
def test_french_nests_guillemets_outside_and_english_quotes_inside(written, printed):
    assert nest_quotes(written, "fr") == printed


def test_other_languages_keep_their_marks():
    assert nest_quotes("<p>He said “a «b» c”.</p>", "en") == "<p>He said “a «b» c”.</p>"


def test_a_house_style_that_keeps_text_as_typed_keeps_its_spaces_when_quotes_are_nested():
    assert nest_quotes("<p>“il faut «vraiment» agir”</p>", "fr", spacing=False) == ("<p>«il faut “vraiment” agir»</p>")
