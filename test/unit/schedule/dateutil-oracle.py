"""
The reference side of dateutil-crosscheck.test.ts: python-dateutil's rrule (RFC 5545) on the cases
the test sends, one JSON object per stdin line, one answer per stdout line.

A case is expanded as the product documents its schedules: the rules in floating (wall-clock) time
from the start, their union (rruleset), endDateTime as an inclusive UNTIL in that same wall-clock
time. Each wall-clock occurrence becomes an instant with zoneinfo and fold=0 (PEP 495): a time in a
spring-forward gap takes the offset before the gap (it fires shifted forward by the gap), a time that
occurs twice its first instance. Equal instants are one occurrence.

Answer: {"id", "instants": [epoch ms, ...], "ended": bool, "horizonInstant": epoch ms, "error"?: str}. `instants` are the first
`count` occurrences strictly after `after` (epoch ms) with a wall-clock time at or before `horizon`;
`ended` is true when the series itself has nothing more (as opposed to stopping at the horizon or
at the time budget).
"""
import json
import signal
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr, rruleset

GAP_MARGIN = timedelta(hours=3)  # no DST gap in the tz database is longer: later wall-clock times cannot come earlier


class OutOfTime(Exception):
    pass


def on_alarm(signum, frame):
    raise OutOfTime()


def local(text):
    return datetime.fromisoformat(text)


def instant_ms(floating, zone):
    return round(floating.replace(tzinfo=zone, fold=0).astimezone(timezone.utc).timestamp() * 1000)


def expand(case):
    zone = ZoneInfo(case["timezone"])
    start = local(case["start"])
    end = local(case["end"]) if case.get("end") else None
    horizon = local(case["horizon"])
    stop = min(end, horizon) if end else horizon
    union = rruleset()
    for text in case["rules"]:
        rule = rrulestr(text, dtstart=start)
        if end is not None:
            rule = rule.replace(until=end)
        union.rrule(rule)
    after, wanted = case["after"], case["count"]
    found = set()
    nth_floating = None
    for floating in union:
        if floating > stop:
            return sorted(found)[:wanted], False
        if nth_floating is not None and floating > nth_floating + GAP_MARGIN:
            break
        instant = instant_ms(floating, zone)
        if instant > after:
            found.add(instant)
            if len(found) >= wanted and nth_floating is None:
                nth_floating = floating
    else:
        return sorted(found)[:wanted], True
    return sorted(found)[:wanted], False


def main():
    signal.signal(signal.SIGALRM, on_alarm)
    for line in sys.stdin:
        case = json.loads(line)
        answer = {"id": case["id"]}
        signal.setitimer(signal.ITIMER_REAL, case.get("seconds", 2.0))
        try:
            instants, ended = expand(case)
            horizon = instant_ms(local(case["horizon"]), ZoneInfo(case["timezone"]))
            answer.update(instants=instants, ended=ended, horizonInstant=horizon)
        except OutOfTime:
            answer.update(error="out of time")
        except Exception as error:  # dateutil refuses some rules (ValueError): the test decides what that means
            answer.update(error=f"{type(error).__name__}: {error}")
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
