"""An HTTP Date header as a Unix time (RFC 9110 §5.6.7), without the ``email`` package.

IMF-fixdate (``Sun, 06 Nov 1994 08:49:37 GMT``) and the two obsolete forms a recipient must
read, RFC 850 (``Sunday, 06-Nov-94 08:49:37 GMT``) and asctime (``Sun Nov  6 08:49:37 1994``);
as ``email.utils`` does, also a numeric zone (``+0200``) and a date without the weekday.
"""

from __future__ import annotations

import datetime as dt

_MONTHS = {
    m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)
}
_UTC_NAMES = ("gmt", "utc", "ut", "z")


def http_date(value: str) -> float | None:
    """The time, or None for anything that is not a date."""
    parts = value.replace(",", " ").replace("-", " ").lower().split()
    if parts and parts[0][:3] in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        parts = parts[1:]
    try:
        if len(parts) >= 4 and parts[0] in _MONTHS:  # asctime: Nov 6 08:49:37 1994
            month, day, clock, year, zone = _MONTHS[parts[0]], int(parts[1]), parts[2], int(parts[3]), "gmt"
        elif len(parts) >= 4 and parts[1][:3] in _MONTHS:  # 06 Nov 1994 08:49:37 GMT (or 94)
            day, month, year, clock = int(parts[0]), _MONTHS[parts[1][:3]], int(parts[2]), parts[3]
            zone = parts[4] if len(parts) > 4 else "gmt"
        else:
            return None
        if year < 100:
            year += 2000 if year < 50 else 1900  # RFC 850's two digits, read as RFC 5322 §4.3 says
        hour, minute, second = (int(x) for x in (clock.split(":") + ["0"])[:3])
        offset = 0 if zone in _UTC_NAMES else _offset(zone)
        when = dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
        return when.timestamp() - offset
    except (ValueError, OverflowError, IndexError):
        return None


def _offset(zone: str) -> int:
    if len(zone) != 5 or zone[0] not in "+-" or not zone[1:].isdigit():
        raise ValueError(zone)
    seconds = int(zone[1:3]) * 3600 + int(zone[3:]) * 60
    return -seconds if zone[0] == "-" else seconds
