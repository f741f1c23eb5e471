"""Selective harvesting (spec 2.7.1, 3.3): by datestamp and by set.

The checks ask for windows and sets the endpoint's own list shows to be non-empty, so "nothing
came back" cannot pass for selectivity: records in the window must come, records outside must not.
Datestamps are compared as UTC moments; a day-granularity bound covers its whole day.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from metadata.datestamps import DAY, format_datestamp, granularity_of, parse_datestamp

from . import lists
from .identify import Repository
from .probe import Arguments, Header, Probe

_SHOWN = 3


def check_datestamps(probe: Probe, repository: Repository, walked: lists.Walk) -> None:
    """Every listed datestamp is in the declared granularity and not before earliestDatestamp."""
    other = [f"{header.identifier} {header.datestamp}" for header in walked.headers
             if granularity_of(header.datestamp) != repository.granularity]
    probe.findings.add("dates.granularity", not other, walked.url,
                       f"header datestamps in the declared granularity {repository.granularity}",
                       f"{len(other)} others, e.g. {', '.join(other[:_SHOWN])}")
    earliest = _moment(repository.earliest) if repository.earliest else None
    if earliest is None:
        probe.findings.skip("dates.earliest", "earliestDatestamp is not a datestamp", walked.url)
        return
    older = [f"{header.identifier} {header.datestamp}" for header in walked.headers
             if (_moment(header.datestamp) or earliest) < earliest]
    probe.findings.add("dates.earliest", not older, walked.url,
                       f"no datestamp before earliestDatestamp {repository.earliest}",
                       f"{len(older)} older, e.g. {', '.join(older[:_SHOWN])}")


def check_dates(probe: Probe, repository: Repository, base: Arguments, walked: lists.Walk, limit: int) -> None:
    """A from/until window in the declared granularity, and a one-day window in day granularity."""
    moments = sorted(moment for header in walked.headers if (moment := _moment(header.datestamp)) is not None)
    if not moments:
        for check in ("dates.window", "dates.day"):
            probe.findings.skip(check, "no record was listed to choose a window from", walked.url)
        return
    low, high = moments[len(moments) // 3], moments[(2 * len(moments)) // 3]
    window = (format_datestamp(low, repository.granularity), format_datestamp(high, repository.granularity))
    _check_window(probe, "dates.window", base, window, walked, limit)
    day = format_datestamp(moments[len(moments) // 2], DAY)
    _check_window(probe, "dates.day", base, (day, day), walked, limit)


def _check_window(probe: Probe, check: str, base: Arguments, window: tuple[str, str], walked: lists.Walk,
                  limit: int) -> None:
    low, high = window
    start, end = parse_datestamp(low), parse_datestamp(high, end_of_day=True)
    inside = lists.walk(probe, "ListIdentifiers", [*base, ("from", low), ("until", high)], limit)
    if not probe.findings.add(check, inside.answered and inside.codes == (), inside.url,
                              f"the records with datestamps from {low} until {high}", inside.failure):
        return
    outside = [f"{header.identifier} {header.datestamp}" for header in inside.headers
               if not start <= (_moment(header.datestamp) or start) <= end]
    probe.findings.add(check, not outside, inside.url, f"only datestamps from {low} until {high}",
                       f"{len(outside)} outside, e.g. {', '.join(outside[:_SHOWN])}")
    if walked.complete and inside.complete:
        expected = {header.identifier for header in walked.headers
                    if start <= (_moment(header.datestamp) or datetime.min) <= end}
        missing = sorted(expected - set(inside.items))
        probe.findings.add(check, not missing, inside.url,
                           f"every listed record with a datestamp from {low} until {high}",
                           f"{len(missing)} missing, e.g. {', '.join(missing[:_SHOWN])}")


def check_sets(probe: Probe, base: Arguments, specs: Sequence[str] | None, chosen: str | None,
               walked: lists.Walk, limit: int) -> None:
    """A set's list holds only records of that set (or of its subsets), and all the listed ones.

    Deleted headers are exempt: a record deleted, or taken out of the set, is rightly listed in the
    set as deleted so its harvesters drop it, and a deleted record has no set membership to show.
    """
    if specs is None:
        probe.findings.skip("sets.selective", "the repository has no sets")
        return
    used = {spec for header in walked.headers for spec in header.set_specs}
    unknown = sorted(used - set(specs))
    probe.findings.add("sets.declared", not unknown, walked.url, "header setSpecs that ListSets lists",
                       f"{len(unknown)} unlisted, e.g. {', '.join(unknown[:_SHOWN])}")
    spec = chosen or next((spec for header in walked.headers for spec in header.set_specs), None) \
        or (specs[0] if specs else None)
    if spec is None:
        probe.findings.skip("sets.selective", "ListSets lists no set")
        return
    inside = lists.walk(probe, "ListIdentifiers", [*base, ("set", spec)], limit)
    if not probe.findings.add("sets.selective", inside.answered, inside.url, f"the records of set {spec!r}",
                              inside.failure):
        return
    strays = [header.identifier for header in inside.headers if not header.deleted and not _in_set(header, spec)]
    probe.findings.add("sets.selective", not strays, inside.url,
                       f"only headers carrying setSpec {spec!r} (or a subset), or deleted ones",
                       f"{len(strays)} others, e.g. {', '.join(strays[:_SHOWN])}")
    if walked.complete and inside.complete:
        members = {header.identifier for header in walked.headers if not header.deleted and _in_set(header, spec)}
        missing = sorted(members - set(inside.items))
        probe.findings.add("sets.selective", not missing, inside.url, f"every listed record of set {spec!r}",
                           f"{len(missing)} missing, e.g. {', '.join(missing[:_SHOWN])}")


def check_set_list(probe: Probe, walked: lists.Walk) -> tuple[str, ...] | None:
    """ListSets answers with sets, or noSetHierarchy; the set specs, None for a repository without sets."""
    no_sets = walked.codes == ("noSetHierarchy",)
    probe.findings.add("verbs.ListSets", (walked.answered and not walked.codes) or no_sets, walked.url,
                       "a list of sets, or noSetHierarchy", walked.failure)
    return None if no_sets or walked.codes else walked.items


def _in_set(header: Header, spec: str) -> bool:
    return any(own == spec or own.startswith(spec + ":") for own in header.set_specs)


def _moment(text: str) -> datetime | None:
    try:
        return parse_datestamp(text)
    except ValueError:
        return None

