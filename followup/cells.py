"""Spreadsheet cells that cannot run. Excel and LibreOffice read a cell starting with = + - @, a
tab or a carriage return as a formula, which a company name or a contact typed by anyone could
turn into a command (CSV injection, OWASP). Such text gets a leading apostrophe: spreadsheets
show it as text, and a reader still recognises the value."""

from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: Any) -> Any:
    """`value` itself, unless it is text a spreadsheet would run; numbers and dates pass as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
