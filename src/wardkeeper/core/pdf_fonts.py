"""The font every generated PDF prints with, and how its paragraphs wrap.

PDFs are printed for when systems are down and opened on any reader, so the
font goes inside the file: WenQuanYi Zen Hei (Debian's fonts-wqy-zenhei, which
setup installs), a TrueType face with Latin and Chinese glyphs that reportlab
embeds as a subset of the characters used. Without the file the PDFs fall
back to the built-in CID font STSong-Light, which is not embedded: readers
without Adobe's Chinese fonts then substitute one, and poppler spaces Latin
text badly.

Zen Hei has one weight and reportlab cannot embolden a TrueType face, so
``<b>`` prints in the regular face and headings stand out by their size.
"""

from __future__ import annotations

import logging
import re
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import Paragraph

logger = logging.getLogger(__name__)

# Debian's path first, then Fedora's (wqy-zenhei-fonts).
FONT_FILES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"),
)
# The collection holds Zen Hei, Zen Hei Mono and Zen Hei Sharp (bitmaps).
FONT_INDEX = 0
FONT = "WenQuanYiZenHei"
FALLBACK = "STSong-Light"
# CJK radicals to Yi (punctuation, kana, ideographs), Hangul, compatibility
# ideographs, vertical and full-width forms, and the supplementary ideographs.
CJK = re.compile(
    "[\u2e80-\ua4cf\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    "\U00020000-\U0003ffff]"
)


@cache
def pdf_font() -> str:
    """The name of the registered font for all PDF text: the embedded Zen Hei,
    or STSong-Light (with a warning, once) when its file is missing."""
    for path in FONT_FILES:
        if not path.is_file():
            continue
        try:
            font = TTFont(FONT, str(path), subfontIndex=FONT_INDEX)
        except (OSError, TTFError) as error:
            logger.warning("Cannot read the PDF font %s: %s", path, error)
            continue
        pdfmetrics.registerFont(font)
        # <b> and <i> in paragraph markup map to the one face there is.
        pdfmetrics.registerFontFamily(
            FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT
        )
        return FONT
    logger.warning(
        "No PDF font file (%s): PDFs use %s, which is not embedded; "
        "install the fonts-wqy-zenhei package",
        ", ".join(str(path) for path in FONT_FILES),
        FALLBACK,
    )
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
    return FALLBACK


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds Chinese, Japanese or Korean characters."""
    return CJK.search(text) is not None


def wrapping(style: ParagraphStyle, text: str) -> ParagraphStyle:
    """``style`` set to wrap ``text`` by character when it holds CJK (which
    has no spaces), else by word (a CJK wrap would split English words)."""
    wanted = "CJK" if has_cjk(text) else None
    if style.wordWrap == wanted:
        return style
    return ParagraphStyle(f"{style.name}-{wanted or 'words'}", style, wordWrap=wanted)


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain ``text`` (escaped, its new lines kept) that wraps
    as its language needs."""
    markup = escape(text).replace("\n", "<br/>")
    return Paragraph(markup, wrapping(style, text))
