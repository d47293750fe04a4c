"""Reading guideline files (front matter + Markdown, see guidelines/README.md): validation, import and export.

Every file is validated before anything is written; one invalid file stops the whole import. Messages
name the file, the field and the problem, in Danish.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from sqlalchemy import select

from app import clock
from app.audit.services import record
from app.cycle.rules import WhenError, validate_when
from app.extensions import db
from app.faults import checkpoint
from app.guidelines.models import DRAFT, FRONT_MATTER_FIELDS, Guideline, GuidelineVersion, scope_key
from app.guidelines.services import _next_number, publish

MAX_BYTES = 200 * 1024
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ROLE_CODES = ("employee", "temp", "department_leader", "head", "leader_group", "mini_med", "admin")
DOCUMENT_TYPES = {"lokal retningslinje": "local", "fælles regional retningslinje": "regional",
                  "vejledning": None, "bilag": None}
EVENTS = ("competence.wish_submitted", "competence.overview_forwarded", "competence.distribution_approved",
          "competence.plan_written", "competence.plan_approved", "competence.tilbudsplan_written",
          "competence.methods_revised", "competence.tilbudsplan_presented", "competence.tilbudsplan_evaluated",
          "competence.suggestions_recorded", "guidelines.reviewed", "appraisals.mus_concept_evaluated",
          "appraisals.mus_concept_briefed", "onboarding.temp_meeting_held")
REQUIRED = ("title", "document_type", "level", "standard", "scope", "target_group", "revision_responsible",
            "approved_by", "effective_from", "review")
CYCLE_FIELDS = {"key", "what", "responsible", "when", "per_department", "fulfilled_by"}


class _Loader(yaml.SafeLoader):
    """YAML without implicit timestamps: dates stay text, so an impossible date is reported by field name."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class DocumentError(Exception):
    """Validation failed; `errors` lists every problem found."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Document:
    slug: str
    path: str
    front: dict  # validated front matter; effective_from as a date
    body: str

    @property
    def level(self) -> str:
        return self.front["level"]


def _is_text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _check_role(errors, where: str, field: str, value) -> None:
    if value not in ROLE_CODES:
        errors.append(f"{where}: field '{field}': unknown role {value!r}; use one of {', '.join(ROLE_CODES)}")


def split_document(text: str) -> tuple[str, str]:
    """(front matter YAML, body) of a document; ValueError when the front matter block is missing."""
    if not text.startswith("---\n"):
        raise ValueError("the file must begin with a front matter block between two lines of '---'")
    end = text.find("\n---\n", 3)
    if end == -1:
        raise ValueError("the front matter block does not end with a line of '---'")
    return text[4:end + 1], text[end + 5:]


def validate_front(where: str, front, errors: list[str]) -> None:  # noqa: C901 - one check per documented field
    if not isinstance(front, dict):
        errors.append(f"{where}: the front matter must be a set of fields (a YAML mapping)")
        return
    for field in front:
        if field not in FRONT_MATTER_FIELDS:
            errors.append(f"{where}: unknown field '{field}'")
    for field in REQUIRED:
        if field not in front or front[field] in (None, "", []):
            errors.append(f"{where}: field '{field}' is missing")
    for field in ("title", "standard", "scope"):
        if field in front and front[field] is not None and not _is_text(front[field]):
            errors.append(f"{where}: field '{field}' must be a text")
    if front.get("title") and isinstance(front["title"], str) and len(front["title"]) > 200:
        errors.append(f"{where}: field 'title' is longer than 200 characters")
    doc_type, level = front.get("document_type"), front.get("level")
    if doc_type is not None and doc_type not in DOCUMENT_TYPES:
        errors.append(f"{where}: field 'document_type': unknown document type {doc_type!r}; use one of "
                      + ", ".join(DOCUMENT_TYPES))
    if level is not None and level not in ("local", "regional"):
        errors.append(f"{where}: field 'level' must be 'local' or 'regional', not {level!r}")
    elif DOCUMENT_TYPES.get(doc_type) and level and DOCUMENT_TYPES[doc_type] != level:
        errors.append(f"{where}: field 'level' ({level}) does not fit the document type {doc_type!r}")
    target = front.get("target_group")
    if target is not None:
        if not isinstance(target, list) or not target:
            errors.append(f"{where}: field 'target_group' must be a list of role codes")
        else:
            for code in target:
                _check_role(errors, where, "target_group", code)
            if len(set(map(str, target))) != len(target):
                errors.append(f"{where}: field 'target_group' names the same role more than once")
    for field in ("revision_responsible", "approved_by"):
        if front.get(field) is not None:
            _check_role(errors, where, field, front[field])
    effective = front.get("effective_from")
    if effective is not None:
        try:
            front["effective_from"] = date.fromisoformat(str(effective)) if isinstance(effective, str) else None
            if front["effective_from"] is None:
                raise ValueError
        except ValueError:
            front["effective_from"] = effective
            errors.append(f"{where}: field 'effective_from': {effective!r} is not a valid date (YYYY-MM-DD)")
    review = front.get("review")
    if review is not None:
        _validate_review(where, review, errors)
    related = front.get("related")
    if related is not None and (not isinstance(related, list) or not all(isinstance(s, str) for s in related)):
        errors.append(f"{where}: field 'related' must be a list of slugs")
    cycle = front.get("cycle")
    if cycle is not None:
        _validate_cycle(where, cycle, errors)


def _validate_review(where: str, review, errors: list[str]) -> None:
    def bad_int(value, low, high):
        return isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high

    if isinstance(review, dict) and set(review) == {"every_months"}:
        if bad_int(review["every_months"], 1, 36):
            errors.append(f"{where}: field 'review': every_months must be a number from 1 to 36")
    elif isinstance(review, dict) and set(review) == {"month"}:
        if bad_int(review["month"], 1, 12):
            errors.append(f"{where}: field 'review': month must be a month number from 1 to 12")
    else:
        errors.append(f"{where}: field 'review' must be {{every_months: N}} or {{month: M}}")


def _validate_cycle(where: str, cycle, errors: list[str]) -> None:
    if not isinstance(cycle, list):
        errors.append(f"{where}: field 'cycle' must be a list")
        return
    keys = set()
    for n, entry in enumerate(cycle, start=1):
        at = f"{where}: cycle entry {n}"
        if not isinstance(entry, dict):
            errors.append(f"{at}: must be a set of fields")
            continue
        for field in entry:
            if field not in CYCLE_FIELDS:
                errors.append(f"{at}: unknown field '{field}'")
        for field in ("key", "what", "responsible", "when"):
            if field not in entry:
                errors.append(f"{at}: field '{field}' is missing")
        key = entry.get("key")
        if key is not None:
            if not isinstance(key, str) or not SLUG.match(key):
                errors.append(f"{at}: field 'key' {key!r} may only have lower-case letters, digits and hyphens")
            elif key in keys:
                errors.append(f"{at}: field 'key' {key!r} is used twice in the document")
            keys.add(key)
        if "what" in entry and not _is_text(entry["what"]):
            errors.append(f"{at}: field 'what' must be a text")
        if "responsible" in entry:
            _check_role(errors, at, "responsible", entry["responsible"])
        if "when" in entry:
            try:
                validate_when(entry["when"])
            except WhenError as error:
                errors.append(f"{at}: field 'when': {error}")
        if "per_department" in entry and not isinstance(entry["per_department"], bool):
            errors.append(f"{at}: field 'per_department' must be true or false")
        if entry.get("fulfilled_by") is not None and entry["fulfilled_by"] not in EVENTS:
            errors.append(f"{at}: field 'fulfilled_by': unknown event {entry['fulfilled_by']!r}")


def read_document(path: Path, errors: list[str]) -> Document | None:
    where = path.name
    slug = path.stem
    if not SLUG.match(slug):
        errors.append(f"{where}: the file name must be <slug>.md with lower-case letters, digits and hyphens")
    if path.stat().st_size > MAX_BYTES:
        errors.append(f"{where}: the file is too large ({path.stat().st_size // 1024} kB; at most 200 kB)")
        return None
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        errors.append(f"{where}: the file is not UTF-8 (error at byte {error.start})")
        return None
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    try:
        raw_front, body = split_document(text)
        front = yaml.load(raw_front, Loader=_Loader)  # noqa: S506  # nosec B506  # a SafeLoader subclass
    except ValueError as error:
        errors.append(f"{where}: {error}")
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" (line {mark.line + 2})" if mark else ""
        errors.append(f"{where}: the front matter is not valid YAML{line}: {getattr(error, 'problem', error)}")
        return None
    before = len(errors)
    validate_front(where, front, errors)
    if not body.strip():
        errors.append(f"{where}: the document has no text after the front matter")
    if len(errors) > before:
        return None
    front.setdefault("related", [])
    front.setdefault("cycle", [])
    return Document(slug=slug, path=str(path), front=front, body=body)


def read_documents(paths: list[Path]) -> list[Document]:
    """Read and validate every file; raise DocumentError with all problems if any file is invalid."""
    files: list[Path] = []
    errors: list[str] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix == ".md" and p.name != "README.md"))
        elif path.is_file():
            files.append(path)
        else:
            errors.append(f"{path}: does not exist")
    if not files and not errors:
        errors.append("no guidelines (*.md) found")
    documents = [doc for p in files if (doc := read_document(p, errors)) is not None]
    seen: dict[str, str] = {}
    for doc in documents:
        if doc.slug in seen:
            errors.append(f"{Path(doc.path).name}: slug '{doc.slug}' is also in {seen[doc.slug]}")
        seen[doc.slug] = doc.path
    for doc in documents:
        for slug in doc.front["related"]:
            if slug not in seen:
                errors.append(f"{Path(doc.path).name}: field 'related': unknown guideline '{slug}'")
            elif slug == doc.slug:
                errors.append(f"{Path(doc.path).name}: field 'related': a document cannot refer to itself")
    if errors:
        raise DocumentError(errors)
    return documents


def _same(version: GuidelineVersion, doc: Document) -> bool:
    return version.front_matter() | {"related": version.related or [], "cycle": version.cycle or []} == \
        doc.front and version.body == doc.body


def _apply(version: GuidelineVersion, doc: Document) -> None:
    f = doc.front
    version.title, version.document_type, version.standard = f["title"], f["document_type"], f["standard"]
    version.scope, version.target_group = f["scope"], list(f["target_group"])
    version.revision_responsible, version.approver_role = f["revision_responsible"], f["approved_by"]
    version.effective_from, version.review = f["effective_from"], dict(f["review"])
    version.related, version.cycle = list(f["related"]), [dict(e) for e in f["cycle"]]
    version.body = doc.body


def import_into(doc: Document, *, region_id: int, home_id: int | None, significant: bool = True) -> str:
    """Import one validated document into a scope: 'created', 'updated' or 'unchanged'."""
    key = scope_key(home_id, region_id)
    guideline = db.session.scalar(select(Guideline).where(Guideline.scope_key == key, Guideline.slug == doc.slug))
    if guideline is None:
        guideline = Guideline(region_id=region_id, home_id=home_id, scope_key=key, slug=doc.slug, level=doc.level)
        db.session.add(guideline)
        db.session.flush()
    elif guideline.published is not None and _same(guideline.published, doc):
        return "unchanged"
    outcome = "updated" if guideline.published is not None else "created"
    version = GuidelineVersion(guideline=guideline, number=_next_number(guideline), status=DRAFT,
                               change_note="Indlæst fra fil", is_significant=significant, source="import")
    guideline.level = doc.level
    _apply(version, doc)
    db.session.add(version)
    db.session.flush()
    publish(guideline, version, at=clock.now())
    record("guidelines.imported", version, summary=f"Indlæst fra fil: {version.title} (version {version.number})",
           home_id=home_id, slug=doc.slug, version=version.number, outcome=outcome)
    return outcome


def import_documents(documents: list[Document], homes, *, significant: bool = True) -> dict[str, int]:
    """Local documents into every given home, regional ones once into each of their regions."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    regions = sorted({h.region_id for h in homes})
    for doc in documents:
        if doc.level == "regional":
            targets = [(region_id, None) for region_id in regions]
        else:
            targets = [(h.region_id, h.id) for h in homes]
        for region_id, home_id in targets:
            counts[import_into(doc, region_id=region_id, home_id=home_id, significant=significant)] += 1
        checkpoint("guidelines.import_document")  # crash-safety tests: a file's rows flushed, nothing committed
    return counts


def _yaml_dump(data: dict) -> str:
    class Dumper(yaml.SafeDumper):
        pass

    def flow_small(dumper, value):
        flow = all(not isinstance(v, (dict, list)) for v in value)
        return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)

    def flow_dict(dumper, value):
        flow = all(not isinstance(v, (dict, list)) for v in value.values()) and len(value) <= 2
        return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=flow)

    Dumper.add_representer(list, flow_small)
    Dumper.add_representer(dict, flow_dict)
    return yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=1000)


def render_document(version: GuidelineVersion) -> str:
    """A published version as a guideline file: front matter + Markdown body."""
    return f"---\n{_yaml_dump(version.front_matter())}---\n{version.body}"


def export_to(folder: Path, guidelines: list[Guideline]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for guideline in guidelines:
        if guideline.published is None:
            continue
        path = folder / f"{guideline.slug}.md"
        path.write_text(render_document(guideline.published), encoding="utf-8")
        written.append(path)
    return written
