"""Cells of the CSV files kinoclub hands out, safe to open in a spreadsheet.

A cell starting with =, +, -, @, a tab or a carriage return is run as a formula by Excel, LibreOffice
and Google Sheets (OWASP, "CSV Injection"); a film title, a review or a cell echoed from an upload
could start that way. Such a cell is written with a leading ', which a spreadsheet shows as text
and does not run. A cell that already starts with ' before one of them gets another, so taking
one ' off (`plain_cell`) always gives the value back, and kinoclub reads its own files unchanged.
"""

from __future__ import annotations

import re

_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def spreadsheet_cell(value: object) -> object:
    """A cell as written to any CSV kinoclub hands out: text a spreadsheet would run gets a leading '."""
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def plain_cell(text: str) -> str:
    """A cell as `spreadsheet_cell` received it."""
    return text[1:] if text.startswith("'") and _FORMULA.match(text, 1) else text
