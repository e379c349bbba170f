"""Reading records back out of WARC files written by `archive.warc.writer`.

Reading is kept apart from writing (as warcio keeps its iterator apart from
its writer) so replay, re-indexing and repair can use it without pulling in
the writer's state.

Payloads are the HTTP body *as stored*: warcio's `record.raw_stream`, not
`record.content_stream()`. The latter undoes `Content-Encoding` (gzip,
deflate, br) and chunking, which would hand back bytes that no longer match
the WARC-Payload-Digest or what the server sent.
"""

from __future__ import annotations

import io
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.limitreader import LimitReader
from warcio.recordloader import ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParserException

from archive.errors import ArsipError
from archive.warc.naming import SUFFIX, closed_name, is_open_name
from archive.wording import plural

# What a parse of damaged bytes can raise from inside warcio or zlib.
_PARSE_ERRORS = (ArchiveLoadFailed, StatusAndHeadersParserException, EOFError, ValueError, zlib.error)

# Every WARC record ends with two CRLFs after its content block.
_RECORD_END = b"\r\n\r\n"


@dataclass
class ArchivedRecord:
    """One record as stored, with where its gzip member sits in its file."""

    warc_file: str  # file name (never a path); the closed name even when read from `.open`
    offset: int  # of the record's gzip member in the file
    length: int  # compressed bytes of that member
    rec_type: str
    rec_headers: StatusAndHeaders
    http_headers: StatusAndHeaders | None
    # The content after any HTTP headers, exactly as stored (still gzip if the
    # server sent Content-Encoding: gzip). None when read with with_payload=False.
    payload: bytes | None

    @property
    def record_id(self) -> str:
        return self.rec_headers.get_header("WARC-Record-ID")

    @property
    def target_uri(self) -> str | None:
        return self.rec_headers.get_header("WARC-Target-URI")


def warc_files(directory: Path | str) -> list[Path]:
    """The finished (`*.warc.gz`, not `.open`) files in `directory`, sorted by name.

    Names start with a UTC timestamp and serial, so name order is the order
    each process wrote them in.
    """
    return sorted((p for p in Path(directory).iterdir() if p.name.endswith(SUFFIX) and p.is_file()),
                  key=lambda p: p.name)


def iter_records(path: Path | str, with_payload: bool = True) -> Iterator[ArchivedRecord]:
    """Every record of the file at `path`, in order, each with its member's offset and length.

    A finished file must consist of whole records only: anything else (a cut-off
    member, garbage after the last record) raises `ArsipError` naming the file
    and offset, after the whole records before it have been yielded.
    An `.open` file may still be being written, so there iteration simply stops
    before the first record that is not (yet) whole.
    """
    path = Path(path)
    name = closed_name(path.name)
    tolerate_tail = is_open_name(path.name)
    next_offset = 0
    with open(path, "rb") as fh:
        # warcio reads almost anything as *some* record (and warns on stderr); a WARC
        # file starts with a gzip member or a WARC header line, so refuse anything else.
        start = fh.read(5)
        if start and not (start.startswith(b"\x1f\x8b") or start == b"WARC/"):
            raise ArsipError(f"{path}: not a WARC file (it starts with {start!r})")
        fh.seek(0)
        records = ArchiveIterator(fh)
        while True:
            try:
                record = next(records, None)
                if record is None:
                    # warcio stops quietly at bytes it cannot start a member
                    # with (e.g. the first bytes of a gzip header): check that
                    # the records we yielded account for the whole file.
                    if tolerate_tail or next_offset == os.fstat(fh.fileno()).st_size:
                        return
                    raise ArsipError(f"{path}: no whole WARC record at offset {next_offset}")
                # Read the payload before asking for offset/length: warcio
                # computes those by draining the record, which would discard it.
                payload = record.raw_stream.read() if with_payload else None
                offset = records.get_record_offset()
                length = records.get_record_length()
                whole = _content_complete(record) and _member_finished(records)
            except _PARSE_ERRORS:
                whole = False
                offset = next_offset
            if not whole:
                if tolerate_tail:
                    return
                raise ArsipError(f"{path}: no whole WARC record at offset {offset}")
            next_offset = offset + length
            yield ArchivedRecord(name, offset, length, record.rec_type, record.rec_headers,
                                 record.http_headers, payload)


def read_record_at(path: Path | str, offset: int, length: int) -> ArchivedRecord:
    """The one record whose gzip member is the `length` bytes at `offset` of `path`.

    Reads only those bytes. Raises `ArsipError` naming file and offset unless they
    are exactly one whole gzip member holding exactly one whole WARC record.
    """
    path = Path(path)
    if offset < 0 or length <= 0:
        raise ArsipError(f"{path}: no WARC record at offset {offset} with length {length}")
    with open(path, "rb") as fh:
        fh.seek(offset)
        data = fh.read(length)
    if len(data) != length:
        raise ArsipError(
            f"{path}: file ends {plural(length - len(data), 'byte')} short of the record at offset {offset}")
    return parse_member(data, closed_name(path.name), offset, where=str(path))


def parse_member(data: bytes, warc_file: str, offset: int, where: str | None = None) -> ArchivedRecord:
    """Parse `data`, one gzip member, as one whole WARC record (payload included).

    Raises `ArsipError` ("<where>: ... at offset <offset>") if `data` is not
    exactly one complete gzip member, or its content is not exactly one WARC
    record whose Content-Length is satisfied.
    """
    problem = f"{where or warc_file}: no whole WARC record at offset {offset}"
    inflater = zlib.decompressobj(zlib.MAX_WBITS + 16)
    try:
        block = inflater.decompress(data)
    except zlib.error:
        raise ArsipError(problem + " (not gzip data)") from None
    if not inflater.eof:
        raise ArsipError(problem + " (gzip member cut short)")
    if inflater.unused_data:
        raise ArsipError(problem + " (bytes after the gzip member)")

    stream = io.BytesIO(block)
    loader = ArcWarcRecordLoader(verify_http=False, arc2warc=False)
    try:
        record = loader.parse_record_stream(stream, known_format="warc")
        payload = record.raw_stream.read()
    except _PARSE_ERRORS:
        raise ArsipError(problem + " (unparseable WARC headers)") from None
    if not _content_complete(record) or stream.read() != _RECORD_END:
        raise ArsipError(problem + " (content does not match Content-Length)")
    return ArchivedRecord(warc_file, offset, len(data), record.rec_type, record.rec_headers,
                          record.http_headers, payload)


def _content_complete(record) -> bool:
    """Whether the record had a type and a Content-Length, and all of it was there.

    warcio does not complain about a record cut short: it yields whatever
    arrived (even a record with no WARC-Type), so check the limit it read to.
    """
    stream = record.raw_stream
    return bool(record.rec_type) and isinstance(stream, LimitReader) and stream.limit == 0


def _member_finished(records: ArchiveIterator) -> bool:
    """Whether the gzip member just read ended properly (deflate end plus CRC/size trailer).

    warcio treats a member that stops after its last data byte as complete,
    which is exactly how a file looks while the writer's write is half done.
    """
    inflater = getattr(records.reader, "decompressor", None)
    # No decompressor: an uncompressed WARC, which has no members to finish.
    return inflater is None or inflater.eof
