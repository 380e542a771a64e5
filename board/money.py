"""The one money formatter: every amount every output shows is written here.

Amounts are kept in 万元 (the register's unit) as the loader read them; an output shows them
either in 万元 as they are (tables: the site, the A4 sheets) or in 亿元 with two decimals (the
county's totals: the panel, the bulletin, the site's summary), as an office's progress table
writes them. The number goes through `Decimal` (from the float's shortest round-trip text), so
it never prints with an exponent (1234567.5, not 1.23457e+06) and never loses a digit it had
(123456.78, not 123457). The integer part is grouped by three with a comma from five digits on
(GB/T 15835-2011 三位分节; four-digit numbers stay whole: 1234, 12,345). The open data (JSON,
CSV) and the exported workbook keep the exact number; the workbook shows it with
`excel_format`, the same grouping and the same decimals.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

WAN_PER_YI = Decimal(10000)  # 1亿元 = 10000万元
YI_PLACES = Decimal("0.01")  # totals in 亿元: two decimals (18.84)
GROUP_FROM = 10000  # integer parts of five digits and more are grouped by three


def decimal(value: float | int | Decimal | str) -> Decimal:
    """`value` as a Decimal of the digits it was written with (a float through its repr)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def _text(amount: Decimal) -> str:
    """A Decimal in plain notation: grouped from five digits on, no exponent, no trailing
    zeros beyond those the amount's own places ask for."""
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    whole, _, fraction = f"{amount:f}".partition(".")
    if int(whole) >= GROUP_FROM:
        whole = f"{int(whole):,}"
    return sign + whole + (f".{fraction}" if fraction else "")


def wan(value: float | int | Decimal | str) -> str:
    """An amount in 万元 as a table writes it: every digit it has, no trailing zeros, no exponent,
    grouped from five digits: 0.01, 1234, 44,445, 1,234,567.5, 123,456.78."""
    amount = decimal(value)
    if amount == amount.to_integral_value():
        amount = amount.quantize(Decimal(1))
    else:
        amount = amount.normalize()
    return _text(amount)


def yi(value: float | int | Decimal | str) -> str:
    """An amount in 万元 written in 亿元 with two decimals, as county totals are: 18.84, 0.01,
    12,345.68 (half up, the office's rounding)."""
    amount = (decimal(value) / WAN_PER_YI).quantize(YI_PLACES, rounding=ROUND_HALF_UP)
    return _text(amount)


def excel_format(value: float | int | Decimal | str) -> str:
    """The workbook's number format of an amount in 万元 that shows it as `wan` writes it (the
    cell keeps the exact number)."""
    amount = decimal(value)
    exponent = amount.normalize().as_tuple().exponent
    places = (
        0 if amount == amount.to_integral_value() or not isinstance(exponent, int) else -exponent
    )
    grouped = abs(amount) >= GROUP_FROM
    whole = "#,##0" if grouped else "0"
    return whole + ("." + "0" * int(places) if places else "")
