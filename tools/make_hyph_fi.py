"""Write releases/hyphenation/hyph_fi.dic: Finnish hyphenation patterns from the language's syllable rules.

pyphen ships no Finnish dictionary. Finnish hyphenation follows its syllables, which two rules give:
a break before a consonant that a vowel follows (ta-lo, kah-vi, Hel-sin-ki), and a break between two
vowels that are neither a long vowel nor a diphthong (ko-e, radi-o). The result is a Liang pattern file
in the Hunspell/LibreOffice format that pyphen reads. Run: python tools/make_hyph_fi.py
"""

from itertools import product
from pathlib import Path

VOWELS = "aeiouyäöå"
CONSONANTS = "bcdfghjklmnpqrstvwxzšž"
DIPHTHONGS = {
    "ai",
    "ei",
    "oi",
    "ui",
    "yi",
    "äi",
    "öi",
    "au",
    "eu",
    "iu",
    "ou",
    "ey",
    "iy",
    "äy",
    "öy",
    "ie",
    "uo",
    "yö",
}

patterns = [f"1{c}{v}" for c, v in product(CONSONANTS, VOWELS)]
patterns += [f"{a}1{b}" for a, b in product(VOWELS, VOWELS) if a != b and f"{a}{b}" not in DIPHTHONGS]
target = Path(__file__).resolve().parent.parent / "releases" / "hyphenation" / "hyph_fi.dic"
target.write_text("UTF-8\nLEFTHYPHENMIN 2\nRIGHTHYPHENMIN 2\n" + "\n".join(patterns) + "\n", encoding="utf-8")
print(f"{target}: {len(patterns)} patterns")
