"""The whole project as one archive that restores into an empty project, losing nothing.

The archive is a .zip: `archive.json` holds every record of every part below, field by
field, and `files/` holds the bytes of every PDF (issued highlight reports and their drafts,
session minutes), so they come back byte for byte. Database ids never leave the database:
each record gets a key inside the archive ("stakeholders/3", its place in its part, in the
order the rows were made) and every link between records (a risk's owner, a milestone's
dependencies, a RACI line's milestone) names that key. Accounts are named by username and
email, and found again by either on restore.

Restoring runs in one transaction: the project's details are replaced, every record is
created, and anything wrong (a missing account, a value the model refuses) undoes it all.
The advisory team's records (review, review log, help requests), share links and pending
uploads are not part of a project's content and are not archived (see NOT_ARCHIVED).
"""

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction

from alignment.templates_data import TemplateVersion
from projects.models import Project

FORMAT = "mobilise-project-archive"
FORMAT_VERSION = 1
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024  # unpacked: the large demo is about 3 MB
MAX_MEMBERS = 2000  # entries in the zip

# Project columns that belong to the project row itself, not to its content.
PROJECT_OWN_FIELDS = ("id", "slug", "created_at", "updated_at")


@dataclass(frozen=True)
class Part:
    label: str  # the key prefix in the archive and the words of messages
    model_label: str  # app_label.ModelName
    project_path: str  # the lookup from the model to its project

    @property
    def model(self):
        return apps.get_model(self.model_label)

    def rows(self, project):
        return self.model._default_manager.filter(**{self.project_path: project}).order_by("pk")


# In the order they are restored: every part links only to parts above it (and to itself,
# through many-to-many fields, which are written once the whole part exists).
PARTS = [
    Part("memberships", "projects.Membership", "project"),
    Part("stakeholders", "projects.Stakeholder", "project"),
    Part("risk_settings", "risks.RiskSettings", "project"),
    Part("milestones", "plan.Milestone", "project"),
    Part("baselines", "plan.Baseline", "project"),
    Part("baseline_entries", "plan.BaselineEntry", "baseline__project"),
    Part("communications", "plan.CommunicationItem", "project"),
    Part("raci_activities", "raci.Activity", "project"),
    Part("raci_assignments", "raci.Assignment", "activity__project"),
    Part("risks", "risks.Risk", "project"),
    Part("issues", "risks.Issue", "project"),
    Part("evidence", "alignment.Evidence", "project"),
    Part("assumptions", "alignment.Assumption", "project"),
    Part("sessions", "alignment.Session", "project"),
    Part("template_tailorings", "alignment.TemplateTailoring", "project"),
    Part("actions", "alignment.Action", "project"),
    Part("topic_agreements", "alignment.TopicAgreement", "project"),
    Part("signoffs", "alignment.SignOff", "project"),
    Part("minutes", "alignment.Minutes", "project"),
    Part("reports", "reports.HighlightReport", "project"),
]

WORDS = {
    "risk_settings": "a risk scale",
    "baseline_entries": "baseline entries",
    "raci_activities": "RACI activities",
    "raci_assignments": "RACI letters",
    "sessions": "session answers",
    "template_tailorings": "template tailoring",
    "topic_agreements": "topic agreements",
    "signoffs": "sign-offs",
    "reports": "highlight reports",
}

# Records that point at a project but are not its content, with the reason.
NOT_ARCHIVED = {
    "advisory.AdvisoryReview": "the advisory team's review of the project, not the project's own record",
    "advisory.ReviewEntry": "the advisory team's review log: restoring it would forge advisors' entries",
    "advisory.HelpRequest": "a request to the advisory team, handled in their queue",
    "alignment.ShareLink": "a live credential: a restored link would open the project again",
    "alignment.ShareLinkOpening": "the access log of a share link",
    "exchange.PendingImport": "an upload waiting for confirmation, kept for a day",
    "exchange.ImportReading": "how the last file of a layout was read: a convenience, asked again if missing",
    "projects.Invitation": "a live credential: a restored link would let someone join again",
    "alignment.SessionPresence": "who had a session page open a moment ago",
    "alignment.TopicTimer": "a workshop's running clock, not a record of the session",
    "alignment.SignatureReminder": "the log of reminder emails already sent",
    # A session's template version is archived as its numbers (see _template_ref).
    "alignment.TemplateVersion": "a version of the master workshop template, shared by every project "
    "(the project it was proposed from is only where it came from)",
    "alignment.TemplateTopic": "a topic of a master workshop template version, shared by every project",
}


class ArchiveError(Exception):
    """The archive cannot be read or restored; the message says why in plain words."""


def _model_part(model):
    for part in PARTS:
        if part.model is model:
            return part
    return None


def _fields(model):
    """The columns an archive carries: every concrete field but the id, the project link and
    generated columns (the database computes them again)."""
    for field in model._meta.concrete_fields:
        if field.primary_key or isinstance(field, models.GeneratedField):
            continue
        if field.is_relation and field.related_model is Project:
            continue
        yield field


def _encode(value):
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _decode(field, value):
    if value is None or isinstance(field, models.JSONField):
        return value
    return field.to_python(value)


def _user_ref(user):
    return {"username": user.get_username(), "email": user.email}


def _template_ref(version):
    return {"template": version.template.number, "version": version.number}


# Export ------------------------------------------------------------------------------------


def export_archive(project) -> bytes:
    """The project as a zip of archive.json and files/*.pdf."""
    keys = {}  # (model, pk) -> archive key
    rows_by_part = {}
    for part in PARTS:
        rows = list(part.rows(project))
        rows_by_part[part.label] = rows
        for index, row in enumerate(rows, start=1):
            keys[(part.model, row.pk)] = f"{part.label}/{index}"

    users = {user.pk: user for user in get_user_model().objects.filter(pk__in=_user_ids(rows_by_part))}
    # Template versions are shared by every project: named by their numbers, found again by them.
    versions = {v.pk: v for v in TemplateVersion.objects.filter(published_at__isnull=False).select_related("template")}
    files = {}
    data = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "project": {f.name: _encode(getattr(project, f.attname)) for f in _project_fields()},
        "parts": {},
    }
    for part in PARTS:
        model = part.model
        records = []
        m2m = {field.name: _m2m_links(field, rows_by_part[part.label], keys) for field in model._meta.many_to_many}
        for row in rows_by_part[part.label]:
            key = keys[(model, row.pk)]
            record = {"key": key}
            for field in _fields(model):
                value = getattr(row, field.attname)
                if value is None:
                    record[field.name] = None
                elif field.is_relation and field.related_model is get_user_model():
                    record[field.name] = _user_ref(users[value])
                elif field.is_relation and field.related_model is TemplateVersion:
                    record[field.name] = _template_ref(versions[value])
                elif field.is_relation:
                    record[field.name] = keys[(field.related_model, value)]
                elif isinstance(field, models.BinaryField):
                    name = f"files/{key.replace('/', '-')}-{field.name}" + (
                        ".pdf" if bytes(value[:5]) == b"%PDF-" else ".bin"
                    )
                    files[name] = bytes(value)
                    record[field.name] = {"file": name}
                else:
                    record[field.name] = _encode(value)
            for name, links in m2m.items():
                record[name] = links.get(row.pk, [])
            records.append(record)
        data["parts"][part.label] = records

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("archive.json", json.dumps(data, ensure_ascii=False, indent=1))
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _project_fields():
    return [f for f in Project._meta.concrete_fields if f.name not in PROJECT_OWN_FIELDS]


def _user_ids(rows_by_part):
    user_model = get_user_model()
    ids = set()
    for part in PARTS:
        for field in _fields(part.model):
            if field.is_relation and field.related_model is user_model:
                ids.update(getattr(row, field.attname) for row in rows_by_part[part.label])
    ids.discard(None)
    return ids


def _m2m_links(field, rows, keys):
    """{row pk: [archive keys of the linked rows]} in the order the links were made."""
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    links = {}
    pairs = (
        through.objects.filter(**{f"{source}__in": [row.pk for row in rows]})
        .order_by("pk")
        .values_list(f"{source}_id", f"{target}_id")
    )
    for source_pk, target_pk in pairs:
        links.setdefault(source_pk, []).append(keys[(field.related_model, target_pk)])
    return links


# Restore -----------------------------------------------------------------------------------


def read_archive(content: bytes) -> tuple[dict, dict]:
    """(archive.json's data, {file name: bytes}); ArchiveError when it is not our archive."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS or sum(info.file_size for info in infos) > MAX_ARCHIVE_BYTES:
            raise ArchiveError("The archive is too large to restore.")
        files = {info.filename: archive.read(info) for info in infos}
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ArchiveError("The file is not a Mobilise project archive (it is not a .zip file).") from exc
    if "archive.json" not in files:
        raise ArchiveError("The file is not a Mobilise project archive (it has no archive.json).")
    try:
        data = json.loads(files.pop("archive.json").decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArchiveError("The archive's archive.json cannot be read.") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ArchiveError("The file is not a Mobilise project archive.")
    if data.get("version") != FORMAT_VERSION:
        raise ArchiveError(
            f"The archive is format version {data.get('version')!r}; this site restores version {FORMAT_VERSION}."
        )
    return data, files


def content_of(project) -> list[str]:
    """The parts that already hold records (memberships do not count: a new project has its owner)."""
    return [WORDS.get(part.label, part.label) for part in PARTS[1:] if part.rows(project).exists()]


@transaction.atomic
def restore_archive(*, project, content: bytes, by) -> dict[str, int]:
    """Restore the archive into `project`, which must be empty; {part: records restored}.
    All or nothing: any problem raises ArchiveError and nothing is kept."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    filled = content_of(project)
    if filled:
        raise ArchiveError(
            f"{project.name} already has {', '.join(filled)}. An archive is restored only into an empty "
            "project: make a new project and restore it there. Nothing was restored."
        )
    data, files = read_archive(content)
    try:
        return _Restore(project, data, files, by).run()
    except (KeyError, TypeError, ValueError, AttributeError, ValidationError, DatabaseError) as exc:
        # A hand-edited or damaged archive: undone whole (this function's transaction), said in words.
        detail = (str(exc).splitlines() or [""])[0][:300]
        raise ArchiveError(f"The archive is damaged ({type(exc).__name__}: {detail}). Nothing was restored.") from exc


class _Restore:
    def __init__(self, project, data, files, by):
        self.project, self.data, self.files, self.by = project, data, files, by
        self.objects = {}  # archive key -> saved instance
        self.users = self._find_users()

    def _find_users(self):
        """{(username, email): account}: by username, else by a unique email."""
        refs = set()
        for part in PARTS:
            user_fields = [f.name for f in _fields(part.model) if f.is_relation and f.related_model is get_user_model()]
            for record in self.data["parts"].get(part.label, []):
                for name in user_fields:
                    if record.get(name):
                        refs.add((record[name]["username"], record[name]["email"]))
        user_model = get_user_model()
        found, missing = {}, []
        for username, email in sorted(refs):
            user = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
            if user is None and email:
                matches = list(user_model._default_manager.filter(email__iexact=email)[:2])
                user = matches[0] if len(matches) == 1 else None
            if user is None:
                missing.append(f"{username} ({email})" if email else username)
            found[(username, email)] = user
        if missing:
            raise ArchiveError(
                "These accounts are in the archive but not on this site (by username or email): "
                f"{', '.join(missing)}. Create them first. Nothing was restored."
            )
        return found

    def run(self):
        project = self.project
        for field in _project_fields():
            if field.name in self.data["project"]:
                setattr(project, field.attname, _decode(field, self.data["project"][field.name]))
        self._check(project, "the project's details")
        project.save()
        counts = {}
        for part in PARTS:
            records = self.data["parts"].get(part.label, [])
            counts[part.label] = self._restore_part(part, records)
        return counts

    def _check(self, instance, what, exclude=()):
        try:
            instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            problems = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items())
            raise ArchiveError(f"The archive's {what} cannot be restored: {problems}. Nothing was restored.") from exc

    def _restore_part(self, part, records):
        model = part.model
        fields = list(_fields(model))
        relations = [f.name for f in fields if f.is_relation]
        pairs = []
        for record in records:
            instance = model(project=self.project) if part.project_path == "project" else model()
            for field in fields:
                setattr(instance, field.attname if not field.is_relation else field.name, self._value(field, record))
            self._check(instance, record["key"].replace("_", " "), exclude=[*relations, "project"])
            pairs.append((record, instance))
        if model._meta.label == "projects.Membership":
            pairs = self._merge_memberships(pairs)
        if model._meta.label == "risks.RiskSettings" and pairs:
            self.project.risk_settings = pairs[0][1]  # risks check their values against this scale
        instances = [instance for _, instance in pairs]
        model._default_manager.bulk_create(instances)
        # bulk_create stamps auto_now(_add) fields with the time now: put the archive's back.
        stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
        if stamped and instances:
            for record, instance in pairs:
                for field in stamped:
                    setattr(instance, field.attname, self._value(field, record))
            model._default_manager.bulk_update(instances, [f.name for f in stamped])
        for record, instance in pairs:
            self.objects[record["key"]] = instance
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            through.objects.bulk_create(
                through(**{source: instance, target: self.objects[key]})
                for record, instance in pairs
                for key in record.get(field.name, [])
            )
        if hasattr(model, "history") and instances:
            model.history.bulk_history_create(
                instances, default_user=self.by, default_change_reason="Restored from a project archive"
            )
        return len(records)

    def _merge_memberships(self, pairs):
        """A member the project already has (its owner, who restores) keeps their row, which
        takes the archive's role and date."""
        existing = {m.user_id: m for m in self.project.memberships.all()}
        new = []
        for record, instance in pairs:
            current = existing.get(instance.user_id)
            if current is None:
                new.append((record, instance))
            else:
                type(current)._default_manager.filter(pk=current.pk).update(
                    role=instance.role, added_at=instance.added_at, version=instance.version
                )
        return new

    def _value(self, field, record):
        value = record.get(field.name)
        if value is None:
            return None
        if field.is_relation and field.related_model is get_user_model():
            return self.users[(value["username"], value["email"])]
        if field.is_relation and field.related_model is TemplateVersion:
            version = (
                TemplateVersion.objects.published()
                .filter(template__number=value["template"], number=value["version"])
                .first()
            )
            if version is None:
                raise ArchiveError(
                    f"The archive's session {value['template']} uses version {value['version']} of its workshop "
                    "template, which this site does not have. Nothing was restored."
                )
            return version
        if field.is_relation:
            if value not in self.objects:
                raise ArchiveError(f"The archive links to {value}, which it does not hold. Nothing was restored.")
            return self.objects[value]
        if isinstance(field, models.BinaryField):
            return self.files[value["file"]]
        return _decode(field, value)
