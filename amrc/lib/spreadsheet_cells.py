"""Spreadsheet cells that a spreadsheet program would run as a formula (CSV/formula injection).

A cell starting with = + - @, a tab or a carriage return may be read as a formula by Excel or
LibreOffice, which can then fetch a URL or run a command on the reader's machine (OWASP, "CSV
injection"). Every file the platform writes for a spreadsheet (the registry and declarations
exports, the follow-up's lists, the bulletins' downloads) passes its cells through `neutralised`:
such a text is written with a leading apostrophe, which spreadsheets show as the literal text and
a reader still recognises. On import a cell starting so is refused, unless it carries that
apostrophe (the spreadsheet's own sign for "this is text"), which `unmarked` takes off.

A plain number written as text (a negative change, "-12.5", or "-12,5" with a decimal comma) is
not a formula: it stays as it is, so that the bulletins' files remain columns of numbers for
scripts and spreadsheets alike.
"""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?\d+([.,]\d+)?([eE][+-]?\d+)?")


def starts_like_a_formula(value: str) -> bool:
    return value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value)


def neutralised(value: object) -> object:
    """The value as a cell to export: text that could run as a formula gets a leading apostrophe;
    numbers, dates and empty cells pass as they are."""
    if isinstance(value, str) and starts_like_a_formula(value):
        return TEXT_MARK + value
    return value


def unmarked(value: str) -> str:
    """An imported text with the apostrophe of an exported, neutralised cell taken off."""
    if value.startswith(TEXT_MARK) and starts_like_a_formula(value[1:]):
        return value[1:]
    return value
