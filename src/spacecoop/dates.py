"""Date groups: a value at its true precision, its earliest/latest days, a named precision, a basis.

The precision names and their meaning are defined in the schemas' enumDescriptions; this module
holds the arithmetic that turns a value and precision into bounds, and checks a stored group.
"""
from __future__ import annotations

import calendar
import re
from datetime import date

_PATTERNS = {
    "day": re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z"),
    "month": re.compile(r"(\d{4})-(\d{2})\Z"),
    "year": re.compile(r"(\d{4})\Z"),
    "day_no_year": re.compile(r"XXXX-(\d{2})-(\d{2})\Z"),
    "month_no_year": re.compile(r"XXXX-(\d{2})\Z"),
    "day_range": re.compile(r"(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})\Z|(XXXX-\d{2}-\d{2})/(XXXX-\d{2}-\d{2})\Z"),
    "month_range": re.compile(r"(\d{4}-\d{2})/(\d{4}-\d{2})\Z"),
    "year_range": re.compile(r"(\d{4})/(\d{4})\Z"),
}
# A range's ends are dates at this precision.
_RANGE_OF = {"day_range": "day", "month_range": "month", "year_range": "year"}


class DateError(ValueError):
    pass


def day_or_none(s: str | None) -> date | None:
    """A stored YYYY-MM-DD cell as a date; None when empty or not a real day (the type checks say why)."""
    try:
        return date.fromisoformat(s) if s else None
    except ValueError:
        return None


def _day(s: str) -> date:
    try:
        return date.fromisoformat(s)
    except ValueError:
        raise DateError(f"{s!r} is not a real calendar day") from None


def bounds(value: str | None, precision: str) -> tuple[date | None, date | None]:
    """Earliest and latest possible day implied by a value at a precision.

    Returns (None, None) where the precision implies no bounds (unknown, a date with no year);
    raises DateError where the value does not have the form its precision requires.
    """
    if precision == "unknown":
        if value:
            raise DateError(f"precision 'unknown' needs an empty value, not {value!r}")
        return None, None
    pat = _PATTERNS.get(precision)
    if pat is None:
        raise DateError(f"unknown precision {precision!r}")
    if not value:
        raise DateError(f"the value is empty but precision {precision!r} needs one")
    m = pat.match(value or "")
    if not m:
        raise DateError(f"value {value!r} does not have the form precision {precision!r} requires")
    if precision in _RANGE_OF:
        a, b = value.split("/")
        if a.startswith("XXXX"):  # a span of days with no year: check the days, no bounds
            _no_year(a, "day"), _no_year(b, "day")
            if b[5:] < a[5:]:
                raise DateError(f"range {value!r} ends before it starts")
            return None, None
        lo, _ = bounds(a, _RANGE_OF[precision])
        _, hi = bounds(b, _RANGE_OF[precision])
        if hi < lo or a == b:
            raise DateError(f"range {value!r} ends before it starts" if hi < lo else f"range {value!r} starts and ends on the same {_RANGE_OF[precision]}")
        return lo, hi
    if precision == "day":
        d = _day(value)
        return d, d
    if precision == "month":
        y, mo = int(m[1]), int(m[2])
        if not 1 <= mo <= 12:
            raise DateError(f"{value!r} has no month {mo}")
        return date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1])
    if precision == "year":
        y = int(m[1])
        return date(y, 1, 1), date(y, 12, 31)
    _no_year(value, "day" if precision == "day_no_year" else "month")  # month_no_year, day_no_year
    return None, None


def _no_year(value: str, precision: str) -> None:
    """Check the month (and day) of XXXX-MM(-DD) in a leap year, so 29 February passes; no bounds."""
    try:
        bounds("2000" + value[4:], precision)
    except DateError:
        raise DateError(f"{value!r} is not a real {'day' if precision == 'day' else 'month'} of any year") from None


def check_group(value, earliest, latest, precision, basis, reference_id, notes) -> list[tuple[str, str]]:
    """Problems with one stored date group, as (suffix of the field, message). Inputs as stored
    (strings or None; earliest/latest as date or None)."""
    out: list[tuple[str, str]] = []
    present = any(x not in (None, "") for x in (value, earliest, latest, precision, basis, reference_id))
    if not present:
        return out
    if not precision:
        return [("_precision", "a date is given but its precision is empty")]
    if not basis:
        out.append(("_basis", "a date is given but its basis is empty"))
    if basis == "reference" and not reference_id:
        out.append(("_reference_id", "basis is 'reference' but no reference_id is given"))
    if basis == "inferred" and not notes:
        out.append(("_basis", "basis is 'inferred' but the row's notes give no reasoning"))
    try:
        lo, hi = bounds(value, precision)
    except DateError as e:
        out.append(("", str(e)))
        return out
    if earliest and latest and earliest > latest:
        out.append(("_earliest", f"earliest {earliest} is after latest {latest}"))
    if lo is not None:
        if earliest != lo:
            out.append(("_earliest", f"earliest is {earliest or 'empty'} but {value!r} at precision {precision!r} starts on {lo}"))
        if latest != hi:
            out.append(("_latest", f"latest is {latest or 'empty'} but {value!r} at precision {precision!r} ends on {hi}"))
    return out


MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


def unstated_parts(value: str, precision: str, words: str) -> list[str]:
    """The parts of a date (year, month, day) that the quoted words do not state.

    A date whose basis is 'stated' must be readable in its own quotes: a seed that says
    "In March 2021" states a month, not a day. English month names, as the seeds are English.
    """
    if precision == "unknown":
        return []
    if precision in _RANGE_OF:
        a, b = value.split("/")
        each = "day_no_year" if a.startswith("XXXX") else _RANGE_OF[precision]
        return sorted(set(unstated_parts(a, each, words) + unstated_parts(b, each, words)))
    missing = []
    if not precision.endswith("_no_year") and not re.search(rf"(?<!\d){value[:4]}(?!\d)", words):
        missing.append(f"the year {value[:4]}")
    if precision in ("month", "day", "month_no_year", "day_no_year"):
        name = MONTH_NAMES[int(value[5:7]) - 1]
        if name not in words and name[:3] + "." not in words:
            missing.append(f"the month ({name})")
    if precision in ("day", "day_no_year") and not re.search(rf"(?<!\d){int(value[8:10])}(?:st|nd|rd|th)?(?!\d)", words):
        missing.append(f"the day ({int(value[8:10])})")
    return missing
