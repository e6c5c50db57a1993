"""Consistency checks the advisory team filters on (issue 7, point 5).

The list filters and columns use `queries.check_conditions()` (one EXISTS per check, for
many projects at once); `problems(project)` lists the offending records of one project for
its admin change page, in a fixed number of queries.
"""

from dataclasses import dataclass

from . import queries

SHOW = 10  # records listed per check on the change page; the rest are counted


@dataclass
class CheckResult:
    key: str
    label: str
    records: list  # plain-text descriptions of the first SHOW offending records
    count: int


def _describe(key, record):
    if key == "check_basics":
        missing = [
            what
            for what, absent in (
                ("sponsor", not record.sponsor.strip()),
                ("project manager", not record.project_manager.strip()),
                ("business objective", not record.business_objective.strip()),
                ("risks recorded", not record.has_risks),
            )
            if absent
        ]
        return f"{record.name}: no {', no '.join(missing)}"
    if key == "check_risks":
        missing = [
            what
            for what, empty in (("action", not record.mitigating_action), ("owner", record.owner_id is None))
            if empty
        ]
        return f"{record.reference} (score {record.score}): {record.event[:120]} — no {' and no '.join(missing)}"
    if key == "check_raci":
        return f"{record.name}: {record.accountable} accountable, {record.responsible} responsible"
    if key == "check_milestones":
        return f"{record.name}: {record.baseline_start or '?'} to {record.baseline_end or '?'}"
    if key == "check_sessions":
        return f"Session {record.number}, agreed {record.agreed_at:%d %b %Y %H:%M}"
    return str(record)


def problems(project) -> list[CheckResult]:
    """Every check for `project`, with its offending records (two queries per check)."""
    labels = dict(queries.CHECKS)
    results = []
    for key, queryset in queries.check_querysets().items():
        mine = queryset.filter(**{queries.CHECK_PROJECT_FIELD.get(key, "project"): project.pk})
        count = mine.count()
        records = [_describe(key, r) for r in mine[:SHOW]] if count else []
        results.append(CheckResult(key, labels[key], records, count))
    return results
