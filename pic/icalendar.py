"""An iCalendar file (RFC 5545) of all-day events, written by hand: escaped texts (§3.3.11),
CRLF line ends and lines folded at 75 octets (§3.1), a DTSTAMP in UTC on each event."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

CRLF = "\r\n"
MAX_OCTETS = 75


@dataclass(frozen=True)
class Event:
    uid: str
    day: datetime.date
    summary: str
    url: str = ""
    category: str = ""
    description: str = ""


def escape(text: str) -> str:
    return (str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """A content line cut into pieces of at most 75 octets, never inside a UTF-8 character;
    each continuation starts with a space."""
    pieces, current, size = [], "", 0
    for char in line:
        octets = len(char.encode("utf-8"))
        limit = MAX_OCTETS if not pieces else MAX_OCTETS - 1
        if size + octets > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += octets
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def calendar(events: Iterable[Event], *, name: str, product: str = "-//Centraide//PIC//FR",
             domain: str = "pic") -> str:
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{product}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{escape(name)}"]
    for event in events:
        lines += ["BEGIN:VEVENT", f"UID:{escape(event.uid)}@{domain}", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{event.day + datetime.timedelta(days=1):%Y%m%d}",
                  f"SUMMARY:{escape(event.summary)}", "TRANSP:TRANSPARENT"]
        if event.category:
            lines.append(f"CATEGORIES:{escape(event.category)}")
        if event.description:
            lines.append(f"DESCRIPTION:{escape(event.description)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return CRLF.join(fold(line) for line in lines) + CRLF
