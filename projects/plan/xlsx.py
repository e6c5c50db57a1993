"""The work plan's importers: milestones (with their dependencies) and communications.

Plans exported from MS Project or kept in Excel give task ids with predecessors ("2fs",
"3FS+2d", "5FS,3", "4SS"), text dates ("Mon 3/1/27", date order asked when the file does not
settle it), durations ("5 days"), outline levels or indented names (kept as a prefix: "Tender ›
Write the specification") and resource names (matched to the project's stakeholders).
"""

import re
from datetime import timedelta

from mobilise.spreadsheets import ColumnSpec, Field, SheetSpec
from mobilise.spreadsheets.values import ValueProblem, clean_text, normalise, parse_number
from projects.importing import Importer
from projects.registry import importers
from projects.xlsx import YES_NO, names, words_for

from . import rules
from .models import BaselineEntry, CommunicationItem, Milestone, dependency_edges

MILESTONE_STATUS = words_for(
    Milestone.Status.choices,
    [
        ("partially met", "partially_met"),
        ("partial", "partially_met"),
        ("not met", "not_met"),
        ("missed", "not_met"),
        ("overdue", "not_met"),
        ("late", "not_met"),
        ("failed", "not_met"),
        ("complete", "met"),
        ("completed", "met"),
        ("done", "met"),
        ("achieved", "met"),
        ("closed", "met"),
        ("met", "met"),
        ("on track", "scheduled"),
        ("at risk", "scheduled"),
        ("in progress", "scheduled"),
        ("not started", "scheduled"),
        ("planned", "scheduled"),
        ("open", "scheduled"),
        ("pending", "scheduled"),
        ("scheduled", "scheduled"),
    ],
)


# One predecessor: task id, link type (finish-to-start unless said) and lag ("3FS+2d").
PREDECESSOR = re.compile(
    r"^(?P<id>\d{1,6})\s*(?P<type>fs|ss|ff|sf)?\s*(?P<lag>[+-]\s*\d+(?:\.\d+)?\s*(?:e?(?:d|days?|w|wks?|weeks?|h|hrs?|hours?|mo|mons?|months?|%))?)?$",
    re.IGNORECASE,
)
LINK_TYPES = {"ss": "start-to-start", "ff": "finish-to-finish", "sf": "start-to-finish"}
DURATION = re.compile(
    r"^(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>e?(?:d|dys?|days?|w|wks?|weeks?|mo|mons?|months?|h|hrs?|hours?))?\s*\??$",
    re.IGNORECASE,
)
RESOURCE_SHARE = re.compile(r"\s*\[[^\]]*\]\s*$")  # "Ann Lee[50%]"
HIERARCHY = " › "


def working_days(text) -> int | None:
    """ "5 days" -> 5, "1 wk" -> 5, "2w" -> 10, "0 days" -> 0, "3 days?" -> 3, 4 -> 4 (days)."""
    if text in (None, ""):
        return None
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return int(text)
    match = DURATION.match(clean_text(text))
    if not match:
        raise ValueProblem(f"“{clean_text(text)[:40]}” is not a duration (such as “5 days” or “2 wks”)")
    number, unit = float(match["n"]), (match["unit"] or "d").lower().lstrip("e")
    if unit.startswith("w"):
        number *= 5
    elif unit.startswith("mo"):
        number *= 20
    elif unit.startswith("h"):
        number /= 8
    return int(number + 0.999)  # part of a day takes the day


def add_working_days(start, days):
    """The day `days` working days after `start` (Saturday and Sunday are not working days)."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


@importers.register("milestones", order=20)
class MilestoneImporter(Importer):
    kind, label, noun, model = "milestones", "Milestones", "a milestone plan", Milestone
    title_words = ("milestone", "plan", "schedule")
    fields = [
        Field(
            "name",
            "Milestone",
            ("milestone name", "name", "task", "task name", "activity", "deliverable", "title"),
            required=True,
            max_length=200,
            marks=("milestone", "milestones"),
        ),
        Field(
            "kind",
            "Kind",
            ("milestone type", "type", "phase"),
            type="choice",
            choices=words_for(Milestone.Kind.choices, [("procurement", "pre_procurement")]),
            fallback=Milestone.Kind.OTHER,
        ),
        Field(
            "within_project",
            "Within the project",
            ("within project", "in project", "inside project"),
            type="choice",
            choices=YES_NO,
            distinctive=True,
        ),
        Field(
            "owner",
            "Owner",
            ("responsible", "lead", "assigned to", "milestone owner", "resource names", "resources", "resource name"),
            type="stakeholder",
        ),
        Field(
            "baseline_start",
            "Start",
            ("planned start", "baseline start", "start date", "begin"),
            type="date",
            distinctive=True,
        ),
        Field(
            "baseline_end",
            "End",
            (
                "planned end",
                "baseline end",
                "end date",
                "due",
                "due date",
                "finish",
                "planned finish",
                "target date",
                "deadline",
            ),
            type="date",
            distinctive=True,
        ),
        Field(
            "forecast_end",
            "Forecast end",
            ("forecast", "forecast finish", "expected end", "revised end"),
            type="date",
            distinctive=True,
        ),
        Field(
            "actual_end",
            "Actual end",
            ("actual finish", "actual end date", "completed on", "completion date"),
            type="date",
            distinctive=True,
        ),
        Field(
            "status",
            "Status",
            ("milestone status", "state", "current status"),
            type="choice",
            choices=MILESTONE_STATUS,
            exclude=("rag",),
        ),
        Field("notes", "Notes", ("comments", "remarks", "description", "comment"), max_length=2000),
        Field(
            "depends_on",
            "Depends on",
            ("dependencies", "predecessors", "depends", "predecessor"),
            type="names",
            distinctive=True,
        ),
        Field("task_id", "Task ID", ("id", "task id", "unique id", "wbs", "no", "#"), type="text", max_length=40),
        Field("duration", "Duration", ("duration", "work days", "length"), type="duration", distinctive=True),
        Field("outline_level", "Outline level", ("outline", "indent level", "wbs level"), type="outline"),
    ]
    # Columns read to place rows and find predecessors, never saved as fields of their own.
    READ_ONLY = ("task_id", "duration", "outline_level")

    def parse(self, f, value, preview, source_scale=None):
        if f.name == "depends_on":  # milestone names or task ids ("5FS,3"), not stakeholders
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = str(int(value))
            names = []
            for part in str(value or "").replace("\n", ";").split(";"):
                pieces = [p.strip() for p in part.split(",")]
                if len(pieces) > 1 and all(PREDECESSOR.match(p.replace(" ", "")) for p in pieces):
                    names.extend(pieces)
                elif part.strip():
                    names.append(part.strip())
            return names
        if f.name == "outline_level":
            try:
                level = parse_number(value)
            except ValueProblem:
                return None  # not a level: the names' indents decide
            return int(level) if level else None
        if f.name == "duration":
            days = working_days(value)
            if days is not None and not isinstance(value, (int, float)):
                preview.note_value(f.label, value, f"{days} working day{'s' if days != 1 else ''}")
            return days
        if f.name == "owner":
            return self.resource(value, preview)
        return super().parse(f, value, preview, source_scale)

    def resource(self, value, preview):
        """MS Project's resource names ("Ann Lee[50%], Bob"): the first is the owner, matched to
        a stakeholder by name, or by first name or surname when only one stakeholder has it."""
        names = [RESOURCE_SHARE.sub("", n).strip() for n in re.split(r"[,;\n]", clean_text(value))]
        names = [n for n in names if n]
        if not names:
            return ""
        name = clean_text(names[0], 200)
        known = self.stakeholders_by_name()
        if normalise(name) not in known:
            key = normalise(name)
            matches = [s for k, s in known.items() if key and key in k.split() or k.startswith(key + " ")]
            if len(matches) == 1:
                preview.note_value("Owner", name, f"{matches[0].name} (existing stakeholder)")
                name = matches[0].name
        if len(names) > 1:
            preview.note_value("Other resources", clean_text(value)[:80], f"owner {name}; the others are not kept")
        preview.note_value("Owner", name, self.stakeholder_display(name, preview))
        return name

    def read_rows(self, table, preview):
        super().read_rows(table, preview)
        if not preview.rows:
            return
        self.place_in_outline(table, preview)
        self.resolve_predecessors(table, preview)
        self.end_from_duration(preview)

    def place_in_outline(self, table, preview):
        """Outline levels (a column, or names indented with spaces) kept as a prefix: a task under
        "Tender" is "Tender › Write the specification"."""
        column = table.column_for("name")
        raw = dict(table.rows)
        levels = {}
        if any(row.values.get("outline_level") for row in preview.rows):
            for row in preview.rows:
                level = row.values.get("outline_level")
                levels[row.number] = level if level and level >= 1 else 1
        else:
            indents = {}
            for row in preview.rows:
                cell = raw[row.number][column.index] if column.index < len(raw[row.number]) else ""
                text = str(cell or "")
                indents[row.number] = len(text) - len(text.lstrip(" \t\u00a0"))
            steps = sorted({i for i in indents.values() if i})
            if not steps:
                return
            unit = steps[0]
            base = min(indents.values())
            levels = {n: 1 + (i - base) // unit for n, i in indents.items()}
        if max(levels.values(), default=1) <= 1:
            return
        path, moved = [], 0
        for row in preview.rows:
            level = levels[row.number]
            path = path[: level - 1]
            own = row.values["name"]
            if path:
                full = HIERARCHY.join([*path, own])
                row.values["name"] = full if len(full) <= 200 else ("…" + full[-199:])
                moved += 1
            path.append(own)
        preview.notes.append(
            f"The plan's outline is kept in the names: {moved} task{'s' if moved != 1 else ''} under another "
            f"carry its name first (“{next(r.values['name'] for r in preview.rows if HIERARCHY in r.values['name'])}”)."
        )
        existing = self.existing()
        for row in preview.rows:
            key = normalise(row.values["name"])
            if row.target is None and key in existing:
                row.action, row.target = "update", existing[key]

    def resolve_predecessors(self, table, preview):
        """Predecessors as MS Project writes them: task ids ("5FS,3"), with the link type and lag
        ("3FS+2d", "4SS") named in a warning since the plan records only that one waits for the
        other. Names of milestones are kept as they are."""
        if not table.column_for("depends_on"):
            return
        ids = {}
        for position, row in enumerate(preview.rows, start=1):
            task_id = clean_text(row.values.get("task_id"))
            ids[task_id or str(position)] = row
        letter = table.column_for("depends_on").letter
        for row in preview.rows:
            names = []
            for token in row.values.get("depends_on") or []:
                match = PREDECESSOR.match(token.replace(" ", ""))
                if not match:
                    names.append(token)
                    continue
                other = ids.get(match["id"])
                if other is None:
                    preview.refuse(f"depends on task {match['id']}, which is not in the file.", row.number, letter)
                    continue
                names.append(other.values["name"])
                link = LINK_TYPES.get((match["type"] or "fs").lower())
                lag = (match["lag"] or "").replace(" ", "")
                if link or lag:
                    said = " ".join(filter(None, [link, f"with a lag of {lag}" if lag else ""]))
                    preview.warn(
                        f"“{row.values['name']}” follows “{other.values['name']}” {said} in the file ({token}); the "
                        "plan records only that it depends on it.",
                        row.number,
                        letter,
                    )
            row.values["depends_on"] = names

    def end_from_duration(self, preview):
        """A start and a duration without an end: the end is that many working days on."""
        for row in preview.rows:
            days, start, end = (
                row.values.get("duration"),
                row.values.get("baseline_start"),
                row.values.get("baseline_end"),
            )
            if days is None:
                continue
            if start and not end:
                row.values["baseline_end"] = add_working_days(start, max(days - 1, 0))
            elif end and not start and days == 0:
                row.values["baseline_start"] = end

    def existing(self):
        return {normalise(m.name): m for m in self.project.milestones.all()}

    def check(self, preview):
        self.check_baselines(preview)  # first: the model check below sets the file's values on the targets
        super().check(preview)
        known = {normalise(r.values["name"]) for r in preview.rows} | set(self.existing())
        depends = next((c for c in preview.columns if c.field and c.field.name == "depends_on"), None)
        for row in preview.rows:
            for name in row.values.get("depends_on") or []:
                if normalise(name) not in known:
                    preview.refuse(
                        f"depends on “{name}”, which is neither in the file nor in the plan.",
                        row.number,
                        depends.letter,
                    )
        if depends is not None:
            self.check_loops(preview, depends)

    def check_baselines(self, preview):
        """A baselined milestone's baseline dates are the baseline's: a file cannot move them
        (set a new baseline on the work plan page instead). The same dates are fine."""
        targets = [r.target.pk for r in preview.rows if r.target is not None]
        baselined = set(
            BaselineEntry.objects.filter(milestone_id__in=targets).values_list("milestone_id", flat=True).distinct()
        )
        for row in preview.rows:
            if row.target is None or row.target.pk not in baselined:
                continue
            for name, words in (("baseline_start", "baseline start"), ("baseline_end", "baseline end")):
                if name not in row.values or row.values[name] is None:
                    continue  # a blank cell leaves the date as it is (build() skips None)
                was, now = getattr(row.target, name), row.values[name]
                if now != was:
                    column = next((c.letter for c in preview.columns if c.field and c.field.name == name), None)
                    shown = f"{was.day} {was:%b %Y}" if was else "no date"
                    preview.refuse(
                        f"“{row.target.name}” is baselined, so its {words} stays {shown}; the file says "
                        f"{now.day} {now:%b %Y}. Put the baseline date back (or leave the cell empty), and "
                        "change the forecast end instead, or set a new baseline on the work plan page.",
                        row.number,
                        column,
                    )

    def check_loops(self, preview, depends):
        """The plan form's rule: no milestone waits for itself, directly or round a loop. The
        graph is the plan's dependencies with each row of the file replacing its milestone's."""
        existing = {m.pk: m.name for m in self.project.milestones.only("pk", "name")}
        shown = {normalise(n): n for n in existing.values()}
        edges = {}
        for source, targets in dependency_edges(self.project).items():
            edges[normalise(existing[source])] = {normalise(existing[t]) for t in targets}
        for row in preview.rows:
            shown[normalise(row.values["name"])] = row.values["name"]
            edges[normalise(row.values["name"])] = set()
        for row in preview.rows:  # a name twice in the file: both rows' dependencies hold
            edges[normalise(row.values["name"])] |= {normalise(n) for n in row.values.get("depends_on") or []}
        reported = set()
        for row in preview.rows:
            me, name = normalise(row.values["name"]), row.values["name"]
            proposed = {normalise(n) for n in row.values.get("depends_on") or []}
            if me in proposed:
                preview.refuse(f"“{name}” cannot depend on itself.", row.number, depends.letter)
                continue
            loop = rules.cycle_path(me, proposed, edges)
            if loop and frozenset(loop) not in reported:
                reported.add(frozenset(loop))
                chain = " → ".join(f"“{shown.get(key, key)}”" for key in loop)
                preview.refuse(
                    f"that would make a loop: {chain} (each waits for the next to finish), so “{name}” cannot also "
                    f"wait for “{shown.get(loop[0], loop[0])}”. Remove one of these dependencies.",
                    row.number,
                    depends.letter,
                )

    def build(self, row, preview, *, for_check=False, user=None, reason="", position=0):
        obj = row.target or Milestone(project=self.project, position=position)
        for name, value in row.values.items():
            if name in ("owner", "depends_on", *self.READ_ONLY):
                continue
            if value is not None or name in ("notes",):
                setattr(obj, name, "" if value is None else value)
        if not for_check and "owner" in row.values:
            obj.owner = self.stakeholder(row.values["owner"], user=user, reason=reason)
        return obj

    def after_save(self, obj, row, *, user, reason):
        row.extra["saved"] = obj

    def finish(self, preview, *, user, reason):
        if not any("depends_on" in r.values for r in preview.rows):
            return
        by_name = {normalise(m.name): m for m in self.project.milestones.all()}
        for row in preview.rows:
            if "depends_on" in row.values:
                row.extra["saved"].depends_on.set([by_name[normalise(n)] for n in row.values["depends_on"]])

    def export_sheet(self):
        milestones = self.project.milestones.select_related("owner").prefetch_related("depends_on")
        rows = [
            [
                m.name,
                m.get_kind_display(),
                "yes" if m.within_project else "no",
                m.owner.name if m.owner else "",
                m.baseline_start,
                m.baseline_end,
                m.forecast_end,
                m.actual_end,
                m.get_status_display(),
                m.notes,
                names(m.depends_on.all()),
            ]
            for m in milestones
        ]
        return SheetSpec(
            "Milestones",
            [
                ColumnSpec("Milestone", 36),
                ColumnSpec("Kind", 16, validation=("list", ",".join(l for _, l in Milestone.Kind.choices))),
                ColumnSpec("Within the project", 10, validation=("list", "yes,no")),
                ColumnSpec("Owner", 22),
                ColumnSpec("Start", 12, "date"),
                ColumnSpec("End", 12, "date"),
                ColumnSpec("Forecast end", 12, "date"),
                ColumnSpec("Actual end", 12, "date"),
                ColumnSpec("Status", 14, validation=("list", ",".join(l for _, l in Milestone.Status.choices))),
                ColumnSpec("Notes", 40, wrap=True),
                ColumnSpec("Depends on", 30),
            ],
            rows,
        )


CHANNELS = words_for(
    CommunicationItem.Channel.choices,
    [
        ("meeting", "meeting"),
        ("meetings", "meeting"),
        ("stand up", "meeting"),
        ("call", "meeting"),
        ("teams", "meeting"),
        ("email", "email"),
        ("e mail", "email"),
        ("mail", "email"),
        ("report", "report"),
        ("workshop", "workshop"),
        ("briefing", "briefing"),
        ("newsletter", "newsletter"),
        ("intranet", "intranet"),
        ("website", "intranet"),
        ("web", "intranet"),
        ("portal", "intranet"),
    ],
)
WEEKDAYS = [(d, "weekly") for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "week", "weekly")]
FREQUENCIES = words_for(
    CommunicationItem.Frequency.choices,
    [
        ("quarter", "quarterly"),
        ("quarterly", "quarterly"),
        ("fortnight", "fortnightly"),
        ("fortnightly", "fortnightly"),
        ("biweekly", "fortnightly"),
        ("bi weekly", "fortnightly"),
        ("every two weeks", "fortnightly"),
        ("month", "monthly"),
        ("monthly", "monthly"),
        *WEEKDAYS,
        ("daily", "weekly"),  # no daily choice: the nearest, shown in the preview's value mapping
        ("milestone", "milestones"),
        ("milestones", "milestones"),
        ("once", "once"),
        ("one off", "once"),
        ("as needed", "as_needed"),
        ("ad hoc", "as_needed"),
        ("as required", "as_needed"),
    ],
)


@importers.register("communications", order=30)
class CommunicationImporter(Importer):
    kind, label, noun, model = "communications", "Communication plan", "a communication plan", CommunicationItem
    title_words = ("communication", "comms")
    key = "audience_group"
    fields = [
        Field(
            "audience_group",
            "Audience group",
            ("plan", "group", "forum", "communication", "meeting name", "event", "activity"),
            max_length=200,
            marks=("communication", "communications", "comms"),
        ),
        Field("audience", "Audience", ("stakeholders", "recipients", "attendees"), type="names", distinctive=True),
        Field(
            "purpose",
            "Purpose or message",
            ("purpose", "goal", "message", "objective", "content", "key message", "description"),
            max_length=2000,
            distinctive=True,
        ),
        Field(
            "channel",
            "Channel",
            ("distribution", "method", "medium", "format", "vehicle", "how"),
            type="choice",
            choices=CHANNELS,
            fallback=CommunicationItem.Channel.OTHER,
            distinctive=True,
        ),
        Field(
            "frequency",
            "Frequency",
            ("recurrence", "how often", "cadence", "schedule", "when"),
            type="choice",
            choices=FREQUENCIES,
            fallback=CommunicationItem.Frequency.AS_NEEDED,
            distinctive=True,
        ),
        Field("owner", "Owner", ("responsible", "lead", "sender", "presenter", "from"), type="stakeholder"),
        Field("next_date", "Next date", ("date", "next", "due", "next due"), type="date"),
    ]

    def existing(self):
        return {normalise(c.audience_group): c for c in self.project.communications.all() if c.audience_group}

    def check(self, preview):
        super().check(preview)
        for row in preview.rows:
            if not (row.values.get("audience_group") or row.values.get("purpose")):
                preview.refuse("has neither an audience group nor a purpose.", row.number)

    def build(self, row, preview, *, for_check=False, user=None, reason="", position=0):
        obj = row.target or CommunicationItem(project=self.project, position=position)
        for name, value in row.values.items():
            if name in ("owner", "audience"):
                continue
            if value is not None:
                setattr(obj, name, value)
        if not for_check and "owner" in row.values:
            obj.owner = self.stakeholder(row.values["owner"], user=user, reason=reason)
        return obj

    def after_save(self, obj, row, *, user, reason):
        if "audience" in row.values:
            obj.audience.set([self.stakeholder(n, user=user, reason=reason) for n in row.values["audience"]])

    def export_sheet(self):
        items = self.project.communications.select_related("owner").prefetch_related("audience")
        rows = [
            [
                c.audience_group,
                names(c.audience.all()),
                c.purpose,
                c.get_channel_display(),
                c.get_frequency_display(),
                c.owner.name if c.owner else "",
                c.next_date,
            ]
            for c in items
        ]
        return SheetSpec(
            "Communications",
            [
                ColumnSpec("Audience group", 28),
                ColumnSpec("Audience", 30),
                ColumnSpec("Purpose or message", 44, wrap=True),
                ColumnSpec(
                    "Channel", 14, validation=("list", ",".join(l for _, l in CommunicationItem.Channel.choices))
                ),
                ColumnSpec(
                    "Frequency", 14, validation=("list", ",".join(l for _, l in CommunicationItem.Frequency.choices))
                ),
                ColumnSpec("Owner", 22),
                ColumnSpec("Next date", 12, "date"),
            ],
            rows,
        )
