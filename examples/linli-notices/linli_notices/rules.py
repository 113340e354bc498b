"""What a notice may say: plain functions of plain data, no I/O."""

TITLE_MAX, BODY_MAX = 100, 5000
CODES = ("TITLE_REQUIRED", "TITLE_TOO_LONG", "BODY_REQUIRED", "BODY_TOO_LONG")


def problem(title: str, body: str) -> tuple[str, str, int] | None:
    """The first thing wrong with a notice, as (code, field, limit); None when it may be posted."""
    for field, text, limit in (("title", title, TITLE_MAX), ("body", body, BODY_MAX)):
        if not text.strip():
            return f"{field.upper()}_REQUIRED", field, limit
        if len(text.strip()) > limit:
            return f"{field.upper()}_TOO_LONG", field, limit
    return None
