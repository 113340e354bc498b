"""What a notice may say: plain functions of plain data, no I/O."""

from linli.core.kit import Refused

TITLE_MAX, BODY_MAX = 100, 5000


def checked(title: str, body: str) -> dict[str, str]:
    """The notice's text, trimmed; Refused(code, field=…) for the first thing wrong with it."""
    text = {"title": title.strip(), "body": body.strip()}
    for field, limit in (("title", TITLE_MAX), ("body", BODY_MAX)):
        if not text[field]:
            raise Refused(f"{field.upper()}_REQUIRED", field=field)
        if len(text[field]) > limit:
            raise Refused(f"{field.upper()}_TOO_LONG", field=field, max=limit)
    return text
