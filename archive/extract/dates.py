"""Dates as news pages write them, turned into ISO 8601.

Structured data writes ISO ("2021-06-22T14:05:00+07:00") or RFC 2822; page text
writes Indonesian or English prose: "Selasa, 22 Juni 2021 14:05 WIB",
"22/06/2021, 14:05 WIB" (day first), "June 22, 2021 2:05 PM". Indonesian zones are
known (WIB +07:00, WITA +08:00, WIT +09:00); a time without a zone keeps no offset,
and a date without a time stays a date ("2021-06-22").
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

_ZONES = {"wib": "+07:00", "wita": "+08:00", "wit": "+09:00", "utc": "+00:00", "gmt": "+00:00", "z": "+00:00"}
_MONTHS = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "pebruari": 2, "feb": 2, "febr": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "jun": 6,
    "june": 6, "juli": 7, "jul": 7, "july": 7, "agustus": 8, "agu": 8, "agt": 8, "agst": 8, "ags": 8,
    "aug": 8, "august": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10,
    "october": 10, "november": 11, "nopember": 11, "nov": 11, "nop": 11, "desember": 12, "des": 12,
    "dec": 12, "december": 12,
}
_MONTH_RX = "|".join(sorted(_MONTHS, key=len, reverse=True))
_TIME_RX = r"(?:\s*(?:[,|\-–—]|pukul|jam|at)?\s*)*(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?"
_ZONE_RX = r"\s*(?P<zone>WIB|WITA|WIT|UTC|GMT|Z|(?:UTC|GMT)?\s?[+-]\d{1,2}(?::?\d{2})?)?\b"
_DATE_PATTERNS = (
    # 22 Juni 2021 14:05 WIB; Selasa, 22 Jun 2021 | 14:05 WIB
    re.compile(rf"(?P<d>\d{{1,2}})\s+(?P<mon>{_MONTH_RX})\.?,?\s+(?P<y>\d{{4}})(?:{_TIME_RX})?{_ZONE_RX}", re.I),
    # June 22, 2021 2:05 PM EST
    re.compile(rf"(?P<mon>{_MONTH_RX})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?:{_TIME_RX})?{_ZONE_RX}",
               re.I),
    # 22/06/2021, 14:05 WIB; 22-6-2021 (day first, as Indonesian outlets write it)
    re.compile(rf"(?P<d>\d{{1,2}})[/.-](?P<m>\d{{1,2}})[/.-](?P<y>\d{{4}})(?:{_TIME_RX})?{_ZONE_RX}", re.I),
)


def parse_date(text: str | None) -> str | None:
    """An ISO 8601 string for a date written as ISO, RFC 2822 or Indonesian/English prose.

    "Selasa, 22 Juni 2021 14:05 WIB" -> "2021-06-22T14:05:00+07:00" (WIB +07:00, WITA
    +08:00, WIT +09:00); a date without a time -> "2021-06-22"; a time without a
    zone stays without an offset. None when nothing parses.
    """
    if not text:
        return None
    text = " ".join(text.split())
    iso = _parse_iso(text)
    if iso:
        return iso
    for pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if match:
            built = _from_parts(match)
            if built:
                return built
    try:
        return parsedate_to_datetime(text).isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _parse_iso(text: str) -> str | None:
    match = re.match(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$", text)
    if not match:
        return None
    if len(text) == 10:
        return text
    try:
        value = datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError:
        return None
    return value.replace(microsecond=0).isoformat()


def _from_parts(match: re.Match) -> str | None:
    parts = match.groupdict()
    try:
        month = int(parts["m"]) if parts.get("m") else _MONTHS[parts["mon"].lower()]
        day, year = int(parts["d"]), int(parts["y"])
        if not parts.get("h"):
            return datetime(year, month, day).date().isoformat()
        hour, minute, second = int(parts["h"]), int(parts["mi"]), int(parts.get("s") or 0)
        ampm = (parts.get("ampm") or "").replace(".", "").lower()
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        value = datetime(year, month, day, hour, minute, second)
    except (KeyError, ValueError):
        return None
    offset = _zone_offset(parts.get("zone"))
    if offset is None:
        return value.isoformat()
    return value.replace(tzinfo=offset).isoformat()


def _zone_offset(zone: str | None) -> timezone | None:
    if not zone:
        return None
    zone = zone.strip()
    named = _ZONES.get(zone.lower())
    if named:
        zone = named
    match = re.search(r"([+-])(\d{1,2}):?(\d{2})?$", zone)
    if not match:
        return None
    sign = 1 if match.group(1) == "+" else -1
    return timezone(sign * timedelta(hours=int(match.group(2)), minutes=int(match.group(3) or 0)))
