"""Loading a partner file into its source, row by row, with a report of every problem.

A file is read twice, both times as a stream: once in blocks for its digest (the same
file twice into one source is loaded once) and its encoding, then row by row. Each row
is checked against the source type's columns; good rows go in chunks to the source's
table and, as a PartnerRecord, to the linkage (which links them later; nothing here
links). Bad rows go to a rejects file in the input's format, with their row number and
reasons, so the partner can correct that file and deliver it again.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from klantocratie.linkage.models import IDENTITY_FIELDS as PARTNER_IDENTITY_FIELDS
from klantocratie.linkage.models import PartnerRecord
from klantocratie.registry.models import Source

from . import selectors
from .duplicates import SeenKeys
from .formats import (
    FileRefused,
    Reader,
    Rejects,
    format_of,
    inspect,
    reader,
)
from .models import PROBLEMS_SHOWN, BatchStatus, FileFormat, ImportBatch
from .registry import Importer, importer_for, importers
from .schema import REJECTS_COLUMNS, FieldError, Values, identity_fields, identity_problems
from .upsert import upsert

logger = logging.getLogger(__name__)

# Rows checked, looked up and written together: large enough for bulk statements, small
# enough that a chunk's rows and queries stay a few megabytes.
CHUNK_ROWS = 1000
IDENTITY_FIELDS = ["bsn", *PARTNER_IDENTITY_FIELDS]

Progress = Callable[[int, int], None]


def imports_dir() -> Path:
    """Uploads waiting for their task and rejects files, under the media root."""
    return Path(settings.MEDIA_ROOT) / "imports"


def import_file(
    source: Source,
    path_or_fileobj: str | Path | IO[bytes],
    *,
    all_or_nothing: bool,
    requested_by: str,
    encoding: str | None = None,
    on_progress: Progress | None = None,
    file_format: str | None = None,
    rejects_path: Path | None = None,
) -> ImportBatch:
    """Load one partner file into `source` and return the batch that reports on it.

    `path_or_fileobj` is a path or a seekable binary file. `encoding` None detects UTF-8
    or Windows-1252; `file_format` None takes it from the name or the first character.
    `on_progress(rows_read, rows_expected)` is called after each chunk. The rejects go
    to `rejects_path`, by default under the media root. The batch is saved whatever the
    outcome; an unexpected error marks it failed and is raised again.
    """
    if isinstance(path_or_fileobj, str | Path):
        name = str(path_or_fileobj)
    else:
        name = str(getattr(path_or_fileobj, "name", "") or "")
    batch = ImportBatch.objects.create(
        source=source,
        file_name=Path(name).name or "bestand",
        file_format=file_format or "",
        encoding=encoding or "",
        all_or_nothing=all_or_nothing,
        status=BatchStatus.RUNNING,
        requested_by=requested_by,
        started_at=timezone.now(),
    )
    with _binary(path_or_fileobj) as binary:
        _run(batch, binary, on_progress=on_progress, rejects_path=rejects_path)
    return batch


def queue_upload(
    source: Source,
    upload: UploadedFile,
    *,
    all_or_nothing: bool,
    requested_by: str,
    encoding: str | None = None,
) -> ImportBatch:
    """Keep an uploaded file and load it in a task (at once in the embedded default)."""
    from .tasks import run_import_batch

    name = Path(upload.name or "bestand").name
    path = imports_dir() / "uploads" / f"{uuid.uuid4().hex}{Path(name).suffix.lower()}"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as kept:
        for part in upload.chunks():
            kept.write(part)
    batch = ImportBatch.objects.create(
        source=source,
        file_name=name,
        encoding=encoding or "",
        all_or_nothing=all_or_nothing,
        status=BatchStatus.QUEUED,
        upload=str(path),
        requested_by=requested_by,
    )
    transaction.on_commit(lambda: run_import_batch.delay(batch.pk))
    return batch


def run_queued(batch_id: int) -> ImportBatch:
    """Load a queued upload once (a task delivered twice finds it taken) and remove it."""
    claimed = ImportBatch.objects.filter(pk=batch_id, status=BatchStatus.QUEUED).update(
        status=BatchStatus.RUNNING, started_at=timezone.now()
    )
    batch = ImportBatch.objects.select_related("source").get(pk=batch_id)
    if not claimed:
        return batch
    upload = Path(batch.upload)
    if not upload.is_file():
        _finish(
            batch, BatchStatus.FAILED, "Het geüploade bestand is er niet meer; upload het opnieuw."
        )
        return batch
    try:
        with upload.open("rb") as binary:
            _run(batch, binary, on_progress=None, rejects_path=None)
    finally:
        # The upload holds personal data and is not needed once read: the batch keeps
        # its digest for idempotency and the rejects file keeps the refused rows.
        upload.unlink(missing_ok=True)
        batch.upload = ""
        batch.save(update_fields=["upload"])
    return batch


@contextmanager
def _binary(path_or_fileobj: str | Path | IO[bytes]) -> Iterator[IO[bytes]]:
    if isinstance(path_or_fileobj, str | Path):
        with Path(path_or_fileobj).open("rb") as binary:
            yield binary
    else:
        path_or_fileobj.seek(0)
        yield path_or_fileobj


class _Rollback(Exception):
    """All or nothing: a bad row undoes the rows already written."""


def _run(
    batch: ImportBatch,
    binary: IO[bytes],
    *,
    on_progress: Progress | None,
    rejects_path: Path | None,
) -> None:
    try:
        importer = importer_for(batch.source.connector)
        if importer is None:
            raise FileRefused(
                f"Bron {batch.source.code} neemt geen partnerbestanden aan; dat doen bronnen "
                f"met connector {', '.join(i.connector for i in importers())}."
            )
        found = inspect(binary, batch.encoding or None)
        batch.sha256, batch.size, batch.encoding = found.sha256, found.size, found.encoding
        batch.notices = found.notices
        if found.size == 0:
            _finish(batch, BatchStatus.EMPTY, "Het bestand is leeg (0 bytes).")
            return
        batch.duplicate_of = selectors.earlier_import(batch.source, found.sha256)
        if batch.duplicate_of is not None:
            _finish(batch, BatchStatus.ALREADY_IMPORTED)
            return
        batch.file_format = batch.file_format or format_of(batch.file_name, binary)
        rows = reader(batch.file_format, binary, batch.encoding)
        _check_columns(importer, rows)
        load = _Load(batch, importer, rows.rejects(rejects_path or _rejects_path(batch)))
        try:
            if batch.all_or_nothing:
                with transaction.atomic():
                    load.run(rows.rows(), found.lines, on_progress)
                    if load.rejected:
                        raise _Rollback
            else:
                load.run(rows.rows(), found.lines, on_progress)
        except _Rollback:
            load.undo()
        finally:
            load.close()
        _conclude(batch, load, rows)
    except FileRefused as refusal:
        _finish(batch, BatchStatus.REFUSED, *refusal.problems)
    except Exception:
        logger.exception("import %s of %s failed", batch.pk, batch.file_name)
        _finish(
            batch,
            BatchStatus.FAILED,
            "Onverwachte fout tijdens het inlezen; de beheerder kan de oorzaak in het "
            "logboek van de applicatie vinden.",
        )
        raise


def _rejects_path(batch: ImportBatch) -> Path:
    stem = Path(batch.file_name).stem or "bestand"
    suffix = ".jsonl" if batch.file_format == FileFormat.JSONL else ".csv"
    return imports_dir() / "afgekeurd" / f"{batch.pk}-{stem}.afgekeurd{suffix}"


def _check_columns(importer: Importer, rows: Reader) -> None:
    """A file with columns the format does not know, or without a required one, is
    refused whole: a misnamed column would otherwise load every row without its value."""
    if not rows.columns:
        return
    known = set(importer.column_names) | set(REJECTS_COLUMNS)
    problems: list[str] = []
    nameless = [str(i) for i, name in enumerate(rows.columns, start=1) if not name]
    if nameless:
        problems.append(
            f"De kopregel heeft kolommen zonder naam (kolom {', '.join(nameless)}); "
            "verwijder lege kolommen."
        )
    doubled = sorted({name for name in rows.columns if name and rows.columns.count(name) > 1})
    if doubled:
        problems.append(f"Kolommen staan twee keer in de kopregel: {', '.join(doubled)}.")
    unknown = [name for name in rows.columns if name and name not in known]
    if unknown:
        problems.append(
            f"Onbekende kolommen: {', '.join(unknown)}. Verwacht voor {importer.title}: "
            f"{', '.join(importer.column_names)}."
        )
    if rows.format == FileFormat.CSV:
        missing = [
            c.name for c in importer.all_columns if c.required and c.name not in rows.columns
        ]
        if missing:
            problems.append(f"Verplichte kolommen ontbreken: {', '.join(missing)}.")
    if problems:
        raise FileRefused(*problems)


@dataclass
class _Checked:
    number: int
    raw: Any
    values: Values
    problems: list[tuple[str, str]]
    key: str | None


@dataclass
class _Load:
    """One pass over the rows: check, spot repeats, reject or write in chunks."""

    batch: ImportBatch
    importer: Importer
    rejects: Rejects
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)
    problem_count: int = 0
    seen: SeenKeys = field(default_factory=SeenKeys)

    def run(self, rows: Iterable[Any], expected: int, on_progress: Progress | None) -> None:
        chunk: list[_Checked] = []
        for row in rows:
            chunk.append(self._check(row))
            if len(chunk) == CHUNK_ROWS:
                self._flush(chunk)
                chunk = []
                if on_progress:
                    on_progress(self.read, expected)
        if chunk:
            self._flush(chunk)
        if on_progress:
            on_progress(self.read, expected)

    def undo(self) -> None:
        self.created = self.updated = self.unchanged = 0

    def close(self) -> None:
        self.rejects.close()
        self.seen.close()

    def _check(self, row: Any) -> _Checked:
        values: Values = {}
        problems = list(row.problems)
        if not problems:
            if not row.values.keys() <= set(self.importer.column_names):
                unknown = [name for name in row.values if name not in self.importer.column_names]
                problems.append(("", f"Onbekende kolommen: {', '.join(unknown)}."))
            for column in self.importer.all_columns:
                text = row.values.get(column.name, "").strip()
                values[column.name] = None
                if not text:
                    if column.required:
                        problems.append((column.name, "Verplicht; de waarde ontbreekt."))
                    continue
                try:
                    values[column.name] = column.parse(text)
                except FieldError as error:
                    problems.append((column.name, error.message))
            if not problems:
                problems += identity_problems(values) + self.importer.check(values)
        key = None
        if values and all(values.get(name) is not None for name in self.importer.key_columns):
            key = self.importer.record_key(values)
        return _Checked(row.number, row, values, problems, key)

    def _flush(self, chunk: list[_Checked]) -> None:
        self.read += len(chunk)
        repeats = self.seen.earlier_rows([(row.number, row.key) for row in chunk if row.key])
        good: list[_Checked] = []
        for row in chunk:
            if row.number in repeats:
                row.problems.append(
                    (
                        self.importer.key_columns[-1],
                        f"Zelfde kenmerk als regel {repeats[row.number]}.",
                    )
                )
            if row.problems:
                self._reject(row)
            else:
                good.append(row)
        # All or nothing after a bad row: nothing more is written, it would be undone.
        if good and not (self.batch.all_or_nothing and self.rejected):
            self._write(good)

    def _reject(self, row: _Checked) -> None:
        self.rejected += 1
        self.rejects.write(row.raw, row.problems)
        for name, reason in row.problems:
            self.problem_count += 1
            if len(self.problems) < PROBLEMS_SHOWN:
                self.problems.append({"row": row.number, "field": name, "reason": reason})

    def _write(self, rows: list[_Checked]) -> None:
        importer, source = self.importer, self.batch.source
        wanted = [
            (row.key or "", importer.to_model(row.values), identity_fields(row.values))
            for row in rows
        ]
        fields = list(wanted[0][1])
        stored_rows = self._stored_rows(fields, [values for _key, values, _identity in wanted])
        stored_records = {
            record.pop("reference"): record
            for record in PartnerRecord.objects.filter(
                source=source, reference__in=[key for key, _values, _identity in wanted]
            ).values("reference", *IDENTITY_FIELDS)
        }
        changed_rows: list[dict[str, Any]] = []
        changed_records: list[dict[str, Any]] = []
        for key, values, identity in wanted:
            before = stored_rows.get(tuple(values[name] for name in importer.unique_fields))
            record_before = stored_records.get(key)
            if before is None and record_before is None:
                self.created += 1
            elif before == values and record_before == identity:
                self.unchanged += 1
                continue
            else:
                self.updated += 1
            changed_rows.append(values)
            changed_records.append({"source": source.pk, "reference": key, **identity})
        with transaction.atomic():
            upsert(importer.model, changed_rows, unique_fields=importer.unique_fields)
            upsert(PartnerRecord, changed_records, unique_fields=("source", "reference"))

    def _stored_rows(
        self, fields: list[str], wanted: list[dict[str, Any]]
    ) -> dict[tuple[Any, ...], dict[str, Any]]:
        unique = self.importer.unique_fields
        lookup = {f"{name}__in": {values[name] for values in wanted} for name in unique}
        return {
            tuple(row[name] for name in unique): row
            for row in self.importer.model._default_manager.filter(**lookup).values(*fields)
        }


def _conclude(batch: ImportBatch, load: _Load, rows: Reader) -> None:
    batch.rows_read, batch.rejected = load.read, load.rejected
    batch.created, batch.updated, batch.unchanged = load.created, load.updated, load.unchanged
    batch.problems, batch.problem_count = load.problems, load.problem_count
    batch.rejects_file = str(load.rejects.path) if load.rejects.count else ""
    if load.read == 0:
        reason = (
            "Het bestand bevat een kopregel maar geen gegevens."
            if rows.columns and rows.format == FileFormat.CSV
            else "Het bestand bevat geen gegevens, alleen lege regels."
        )
        _finish(batch, BatchStatus.EMPTY, reason)
    elif batch.all_or_nothing and load.rejected:
        _finish(batch, BatchStatus.REJECTED)
    else:
        _finish(batch, BatchStatus.LOADED)


def _finish(batch: ImportBatch, status: str, *reasons: str) -> None:
    batch.status = status
    if reasons:
        batch.problems = [{"row": None, "field": "", "reason": reason} for reason in reasons]
        batch.problem_count = len(reasons)
    batch.finished_at = timezone.now()
    batch.save()


def purge_rejects(now: datetime | None = None) -> int:
    """Delete rejects files older than the retention; returns how many were removed.

    The batch keeps its counts and problem list (row, field, reason), not the rows.
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.IMPORT_REJECTS_RETENTION_DAYS)
    expired = ImportBatch.objects.exclude(rejects_file="").filter(finished_at__lt=cutoff)
    removed = 0
    for batch in expired:
        Path(batch.rejects_file).unlink(missing_ok=True)
        batch.rejects_file = ""
        batch.save(update_fields=["rejects_file"])
        removed += 1
    return removed
