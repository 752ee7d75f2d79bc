"""Arabic as read in Morocco.

Digits: Western (0-9), as Moroccan administrations, newspapers and the AMRC's own documents
print them in Arabic text (CLDR's ar-MA numbering system is "latn"), so a figure reads the same on
the Arabic and the French page. Grouping: a no-break space every three digits ("115 851 500"),
the SI's unambiguous separator, rather than Django's dot with no grouping at all ("115851500"),
which a reader of the French page would also take for a decimal point. Decimal sign: the comma,
as in Django's Arabic formats and in French ("90,5 %").

Dates: day, month, year; no right-to-left marks inside the short date (Django's "d‏/m‏/Y"), which
break the date into pieces the bidirectional algorithm reorders ("2020/03/30" read backwards) once
the date sits in a left-to-right chart label or a table cell. The short date has only digits and
slashes, which the algorithm keeps in order in an Arabic sentence.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y، H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # no-break space: a number never wraps
NUMBER_GROUPING = 3
