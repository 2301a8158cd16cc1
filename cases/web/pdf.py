"""Text for reportlab: its Paragraph takes markup (<a href>, <img src>, <font>...), so every
value put into one goes through pdf_text, or a name could become a link or read a server file.
"""

from __future__ import annotations

# Escaping, not parsing: no XML is read, so the XML-parsing warning does not apply.
from xml.sax.saxutils import escape  # nosec B406


def pdf_text(value: object) -> str:
    """The value as literal text inside reportlab paragraph markup."""
    return escape(str(value))
