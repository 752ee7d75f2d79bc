"""Cells of downloadable spreadsheets (CSV, XLSX) that a spreadsheet application would take for a
formula: starting with `=`, `+`, `-`, `@`, a tab or a carriage return. A title such as
`=HYPERLINK("http://…","Cliquez")` would otherwise become a live link, or worse, in the reader's
spreadsheet (OWASP: CSV injection). Such a cell gets a leading apostrophe, which spreadsheets show as
text; a plain number (a negative change, `-12.5`) is left as it is, so that files stay readable by
scripts and spreadsheets alike.
"""

import re

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?")


def neutralise_formula(value: str) -> str:
    if value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value
