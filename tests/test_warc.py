"""WARC files end to end: write, read back, rotate, repair killed files (real files, real warcio CLI)."""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import BufferWARCWriter

from archive.errors import ArsipError
from archive.warc.naming import OPEN_SUFFIX, closed_name, warc_file_name
from archive.warc.reader import ArchivedRecord, iter_records, read_record_at, warc_files
from archive.warc.repair import repair_file, repair_open_files, why_left_open
from archive.warc.writer import Exchange, Revisit, WarcFileWriter, WarcInfo, iso_date, payload_digest

WARCIO = str(Path(sys.executable).parent / "warcio")
NAME_RE = re.compile(r"^arsip-\d{14}-\d{5}-[A-Za-z0-9._]+-\d+\.warc\.gz$")
T0 = datetime(2024, 6, 23, 7, 30, 15, 123456, tzinfo=timezone.utc)
HTML = "<html><body><h1>Junta berterima kasih pada Rusia</h1>{}</body></html>"


def info() -> WarcInfo:
    return WarcInfo(software="arsip/test", operator="Test Operator <ops@example.org>",
                    is_part_of="arsip-test", robots="obey", hostname="crawler-1.example")


def exchange(url: str, status: int = 200, headers=None, body: bytes = b"", minutes: int = 0, **kw) -> Exchange:
    return Exchange(url=url, method=kw.pop("method", "GET"),
                    request_headers=[("User-Agent", "arsip/test"), ("Accept-Encoding", "gzip")],
                    status=status, response_headers=headers or [], body=body,
                    fetched_at=T0 + timedelta(minutes=minutes), **kw)


def warcio(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([WARCIO, *args], capture_output=True, text=True, timeout=60)


def assert_warcio_check(path: Path) -> None:
    result = warcio("check", "-v", str(path))
    assert result.returncode == 0, result.stdout + result.stderr


def warc_fields(payload: bytes) -> dict[str, str]:
    lines = payload.decode("utf-8").split("\r\n")
    return dict(line.split(": ", 1) for line in lines if line)


# -- writing and reading back --------------------------------------------------


@pytest.fixture()
def written(tmp_path):
    """A closed file with a gzip body, a chunked response, a redirect, a revisit and a POST."""
    article = gzip.compress(HTML.format("<p>isi</p>" * 200).encode())
    exchanges = [
        (exchange("https://www.inews.id/news/a", headers=[
            ("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"),
            ("Content-Length", str(len(article)))], body=article, ip_address="203.0.113.7"), None),
        (exchange("https://analisadaily.com/berita/baca/2021/06/23/1075375/x/", minutes=1, headers=[
            ("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")],
            body=HTML.format("chunked").encode()), None),
        (exchange("https://www.inews.id/old", status=301, minutes=2, headers=[
            ("Location", "https://www.inews.id/news/a"), ("Content-Length", "0")]), None),
        (exchange("https://www.inews.id/news/a", minutes=3, headers=[
            ("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")], body=article),
         Revisit(uri="https://www.inews.id/news/a", date=T0, record_id=None)),
        (exchange("https://www.inews.id/search", minutes=4, method="POST", request_body=b"q=myanmar",
                  headers=[("Content-Type", "application/json")], body=b'{"hits": []}'), None),
    ]
    writer = WarcFileWriter(tmp_path, info())
    results = []
    for ex, revisit in exchanges:
        if revisit is not None:  # refer to the first capture of the same URL
            revisit.record_id = results[0].response.record_id
        results.append(writer.write_exchange(ex, revisit))
    writer.close()
    [path] = tmp_path.iterdir()
    return path, [ex for ex, _ in exchanges], results


def test_round_trip_reads_every_record_as_written(written):
    path, exchanges, results = written
    assert NAME_RE.match(path.name)
    records = list(iter_records(path))
    assert len(records) == 1 + 2 * len(exchanges)

    warcinfo = records[0]
    assert (warcinfo.rec_type, warcinfo.offset, warcinfo.http_headers) == ("warcinfo", 0, None)
    assert warcinfo.rec_headers.get_header("WARC-Filename") == path.name
    fields = warc_fields(warcinfo.payload)
    assert fields["software"] == "arsip/test"
    assert fields["format"] == "WARC File Format 1.1"
    assert "warc-1.1" in fields["conformsTo"]
    assert fields["isPartOf"] == "arsip-test"
    assert fields["robots"] == "obey"
    assert fields["hostname"] == "crawler-1.example"
    assert fields["operator"] == "Test Operator <ops@example.org>"

    for ex, result, response, request in zip(exchanges, results, records[1::2], records[2::2]):
        assert response.record_id == result.response.record_id
        assert request.record_id == result.request.record_id
        assert (response.offset, response.length) == (result.response.offset, result.response.length)
        assert (request.offset, request.length) == (result.request.offset, result.request.length)
        assert response.warc_file == request.warc_file == path.name
        assert response.target_uri == request.target_uri == ex.url
        date = response.rec_headers.get_header("WARC-Date")
        assert date == request.rec_headers.get_header("WARC-Date") == iso_date(ex.fetched_at)
        assert request.rec_type == "request"
        assert request.rec_headers.get_header("WARC-Concurrent-To") == response.record_id
        # warcio parses a request line into protocol=<method>, statusline=<the rest>.
        assert request.http_headers.protocol == ex.method
        assert request.http_headers.statusline.split(" ")[0] == "/" + ex.url.split("/", 3)[3]
        assert request.payload == ex.request_body
        assert response.http_headers.get_statuscode() == str(ex.status)
        assert response.rec_headers.get_header("WARC-Payload-Digest") == payload_digest(ex.body)
        # Transfer framing is never stored: the body is kept de-chunked.
        assert response.http_headers.get_header("Transfer-Encoding") is None

    first, chunked, redirect, revisit, post = records[1::2]
    # The gzip body comes back exactly as the server sent it, not decoded.
    assert first.rec_type == "response"
    assert first.payload == exchanges[0].body and first.payload[:2] == b"\x1f\x8b"
    assert first.http_headers.get_header("Content-Encoding") == "gzip"
    assert first.rec_headers.get_header("WARC-IP-Address") == "203.0.113.7"
    assert chunked.payload == exchanges[1].body
    assert redirect.http_headers.get_header("Location") == "https://www.inews.id/news/a"
    assert redirect.http_headers.statusline == "301 Moved Permanently"
    assert redirect.payload == b""
    assert revisit.rec_type == "revisit" and revisit.payload == b""
    assert revisit.rec_headers.get_header("WARC-Refers-To") == first.record_id
    assert revisit.rec_headers.get_header("WARC-Refers-To-Target-URI") == first.target_uri
    assert revisit.rec_headers.get_header("WARC-Refers-To-Date") == iso_date(T0)
    assert "identical-payload-digest" in revisit.rec_headers.get_header("WARC-Profile")
    assert post.payload == b'{"hits": []}'

    # Members tile the file exactly.
    for before, after in zip(records, records[1:]):
        assert after.offset == before.offset + before.length
    assert records[-1].offset + records[-1].length == path.stat().st_size


def test_request_line_carries_the_http_version(written):
    path, _, _ = written
    requests = [r for r in iter_records(path) if r.rec_type == "request"]
    assert all(r.http_headers.statusline.endswith(" HTTP/1.1") for r in requests)


def test_read_record_at_opens_exactly_that_record(written):
    path, _, _ = written
    records = list(iter_records(path))
    for record in records:
        again = read_record_at(path, record.offset, record.length)
        assert isinstance(again, ArchivedRecord)
        assert again.record_id == record.record_id
        assert (again.rec_type, again.offset, again.length, again.warc_file) == (
            record.rec_type, record.offset, record.length, record.warc_file)
        assert again.payload == record.payload
        assert again.rec_headers.headers == record.rec_headers.headers
        assert (again.http_headers and again.http_headers.headers) == (record.http_headers and record.http_headers.headers)

    second = records[1]
    bad = [(second.offset, second.length - 1), (second.offset, second.length + 1),
           (second.offset + 1, second.length), (second.offset, second.length + records[2].length),
           (path.stat().st_size - 10, 50), (-1, 10), (0, 0)]
    for offset, length in bad:
        with pytest.raises(ArsipError) as err:
            read_record_at(path, offset, length)
        message = str(err.value)
        assert "\n" not in message and str(path) in message and f"offset {offset}" in message


def test_payloads_can_be_skipped(written):
    path, _, _ = written
    full = list(iter_records(path))
    light = list(iter_records(path, with_payload=False))
    assert [(r.record_id, r.offset, r.length) for r in light] == [(r.record_id, r.offset, r.length) for r in full]
    assert all(r.payload is None for r in light)


def test_warcio_cli_accepts_the_file(written):
    path, _, _ = written
    assert_warcio_check(path)
    result = warcio("index", "-f", "offset,length,warc-type,warc-target-uri", str(path))
    assert result.returncode == 0, result.stderr
    index = [json.loads(line) for line in result.stdout.splitlines()]
    records = list(iter_records(path))
    assert [(int(e["offset"]), int(e["length"]), e["warc-type"]) for e in index] == [
        (r.offset, r.length, r.rec_type) for r in records]


@pytest.mark.parametrize("give_digest", [True, False])
def test_response_record_headers_are_warcios_own(tmp_path, give_digest):
    """The crawl hands the writer the payload digest it computed for the revisit lookup, so the
    body is not hashed twice; the record must still be the one warcio itself would build."""
    body = HTML.format("<p>isi</p>" * 300).encode()
    ex = exchange("https://www.inews.id/news/b", headers=[("Content-Type", "text/html")], body=body,
                  ip_address="203.0.113.7")
    writer = WarcFileWriter(tmp_path, info())
    written = writer.write_exchange(ex, digest=payload_digest(body) if give_digest else None)
    writer.close()
    [path] = tmp_path.iterdir()
    [_, stored, _] = list(iter_records(path))

    builder = BufferWARCWriter(gzip=False, warc_version="WARC/1.1")
    expected = builder.create_warc_record(
        ex.url, "response", payload=io.BytesIO(body), length=len(body),
        http_headers=StatusAndHeaders("200 OK", ex.response_headers, protocol="HTTP/1.1"),
        warc_headers_dict={"WARC-Date": iso_date(ex.fetched_at), "WARC-IP-Address": "203.0.113.7"})
    builder.write_record(expected)
    for headers in (written.response.rec_headers, stored.rec_headers):
        assert [name for name, _ in headers.headers] == [name for name, _ in expected.rec_headers.headers]
        for name in ("WARC-Payload-Digest", "WARC-Block-Digest", "Content-Length", "Content-Type"):
            assert headers.get_header(name) == expected.rec_headers.get_header(name)
    assert_warcio_check(path)


@pytest.mark.broken_warcs
def test_warc_files_lists_closed_files_in_name_order(tmp_path):
    names = [warc_file_name(3, when=T0), warc_file_name(1, when=T0), warc_file_name(2, when=T0 - timedelta(days=1))]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    (tmp_path / (warc_file_name(4, when=T0) + OPEN_SUFFIX)).write_bytes(b"")
    (tmp_path / "notes.txt").write_bytes(b"")
    (tmp_path / "sub.warc.gz").mkdir()
    assert [p.name for p in warc_files(tmp_path)] == sorted(names)


# -- rotation --------------------------------------------------------------------


def test_rotation_starts_every_file_with_warcinfo(tmp_path):
    rng = random.Random(7)
    writer = WarcFileWriter(tmp_path, info(), max_size=6_000)
    written = []
    for i in range(12):
        body = rng.randbytes(1500)  # incompressible, so sizes are predictable
        result = writer.write_exchange(exchange(f"https://www.inews.id/news/{i}", body=body, minutes=i))
        written += [result.response, result.request]
    writer.close()

    files = warc_files(tmp_path)
    assert len(files) > 2
    assert not list(tmp_path.glob("*" + OPEN_SUFFIX))
    assert [f.name for f in files] == writer.closed_files
    seen = []
    for path in files:
        assert NAME_RE.match(path.name), path.name
        records = list(iter_records(path))
        assert records[0].rec_type == "warcinfo" and records[0].offset == 0
        assert records[0].rec_headers.get_header("WARC-Filename") == path.name
        assert all(r.rec_type != "warcinfo" for r in records[1:])
        # Rotation happens before an exchange that would not fit, unless it is the file's only one,
        # and never between a response and its request.
        assert path.stat().st_size <= 6_000 or len(records) == 3
        assert [r.rec_type for r in records[1:]] == ["response", "request"] * ((len(records) - 1) // 2)
        seen += [(r.warc_file, r.offset, r.length, r.record_id) for r in records[1:]]
        assert_warcio_check(path)
    assert seen == [(w.warc_file, w.offset, w.length, w.record_id) for w in written]


# -- a WARC directory that takes no more bytes -------------------------------------

# Run in a child process: RLIMIT_FSIZE caps every file the process writes (a full
# disk, as far as the writer can tell: each write past it fails, after a short one).
FILLED_WRITER = """
import json, random, resource, sys
from datetime import datetime, timezone
from pathlib import Path
from archive.warc.writer import Exchange, WarcFileWriter, WarcInfo, WarcWriteFailed

directory, limit, first_size = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
writer = WarcFileWriter(directory, WarcInfo(software="arsip/test"))
rng = random.Random(5)
written, failure, refused = [], None, None
for i in range(1000):
    body = rng.randbytes(first_size if i == 0 else 3000)  # incompressible: sizes are predictable
    ex = Exchange(url=f"https://www.inews.id/news/{i}", method="GET", request_headers=[], status=200,
                  response_headers=[], body=body, fetched_at=datetime.now(timezone.utc))
    try:
        result = writer.write_exchange(ex)
    except WarcWriteFailed as error:
        failure = str(error)
        break
    written.append([result.response.offset, result.response.record_id])
try:
    writer.write_exchange(ex)
except WarcWriteFailed as error:
    refused = str(error)
writer.close()
print(json.dumps({"written": written, "failure": failure, "refused": refused, "closed": writer.closed_files}))
"""


def fill(directory: Path, limit: int, first_size: int = 3000) -> dict:
    result = subprocess.run([sys.executable, "-c", FILLED_WRITER, str(directory), str(limit), str(first_size)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_full_directory_leaves_the_file_closed_at_its_last_whole_exchange(tmp_path):
    outcome = fill(tmp_path, limit=40_000)
    assert outcome["failure"] == f"could not write to the WARC directory {tmp_path}: File too large"
    assert outcome["refused"] == outcome["failure"]  # nothing is written after the first failure
    [path] = warc_files(tmp_path)
    assert not list(tmp_path.glob("*" + OPEN_SUFFIX)) and outcome["closed"] == [path.name]
    records = list(iter_records(path))
    responses = [[r.offset, r.record_id] for r in records if r.rec_type == "response"]
    assert 5 <= len(responses) == len(outcome["written"]) and responses == outcome["written"]
    assert [r.rec_type for r in records] == ["warcinfo"] + ["response", "request"] * len(responses)
    # the exchange that did not fit left no byte behind: the file ends where its last record does
    assert records[-1].offset + records[-1].length == path.stat().st_size < 40_000
    assert_warcio_check(path)


def test_a_file_that_could_hold_no_exchange_is_not_left_behind(tmp_path):
    outcome = fill(tmp_path, limit=40_000, first_size=60_000)
    assert outcome["written"] == [] and outcome["failure"] and outcome["closed"] == []
    assert list(tmp_path.iterdir()) == []


# -- repair ----------------------------------------------------------------------


@pytest.fixture()
def unfinished(tmp_path):
    """An `.open` file as a killed writer leaves it: flushed, never closed."""
    writer = WarcFileWriter(tmp_path / "live", info())
    article = gzip.compress(HTML.format("<p>lorem</p>" * 300).encode())
    for i in range(4):
        writer.write_exchange(exchange(f"https://www.inews.id/news/{i}", minutes=i, body=article,
                                       headers=[("Content-Encoding", "gzip")]))
    writer.flush()
    [path] = (tmp_path / "live").iterdir()
    assert path.name.endswith(OPEN_SUFFIX)
    data = path.read_bytes()
    records = list(iter_records(path))  # an .open file reads too, under its closed name
    assert all(r.warc_file == closed_name(path.name) for r in records)
    yield path.name, data, records
    writer.close()


def repaired_copy(tmp_path: Path, name: str, data: bytes, label: str):
    directory = tmp_path / label
    directory.mkdir()
    (directory / name).write_bytes(data)
    return directory, repair_file(directory / name)


def test_repair_keeps_exactly_the_whole_records(tmp_path, unfinished):
    name, data, records = unfinished
    ends = [r.offset + r.length for r in records]
    assert ends[-1] == len(data)
    cuts = {0, 1, 10, 100, records[0].length // 2, len(data)}
    for record in records:
        cuts |= {record.offset - 1, record.offset, record.offset + 1, record.offset + 10,
                 record.offset + record.length // 2, record.offset + record.length - 8,
                 record.offset + record.length - 1}
    checked = set()
    for cut in sorted(c for c in cuts if 0 <= c <= len(data)):
        directory, result = repaired_copy(tmp_path, name, data[:cut], f"cut{cut}")
        whole = sum(1 for end in ends if end <= cut)
        end = ends[whole - 1] if whole else 0
        assert (result.kept_records, result.dropped_bytes) == (whole, cut - end), cut
        assert not (directory / name).exists()
        if whole == 0:
            assert result.path is None and not list(directory.iterdir())
            continue
        assert result.path == directory / closed_name(name)
        assert result.path.read_bytes() == data[:end]
        assert [r.record_id for r in iter_records(result.path)] == [r.record_id for r in records[:whole]]
        if whole not in checked:  # repaired files with the same count are byte-identical
            assert_warcio_check(result.path)
            checked.add(whole)
    assert checked == set(range(1, len(records) + 1))


def test_repair_keeps_a_file_with_only_its_warcinfo(tmp_path, unfinished):
    name, data, records = unfinished
    _, result = repaired_copy(tmp_path, name, data[:records[1].offset + 5], "info-only")
    assert result.kept_records == 1 and result.path.exists()
    assert [r.rec_type for r in iter_records(result.path)] == ["warcinfo"]


@pytest.mark.parametrize("junk", [
    b"garbage after the records",
    b"\x00" * 4096,  # what a crash can leave at the end of a file on some file systems
    b"\x1f\x8b\x08\x00",  # the start of a gzip member and no more
    gzip.compress(b"not a WARC record\r\n\r\n"),  # a whole member that is no record
    gzip.compress(b"WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 100\r\n\r\nshort\r\n\r\n"),
])
def test_repair_cuts_trailing_junk(tmp_path, unfinished, junk):
    name, data, records = unfinished
    _, result = repaired_copy(tmp_path, name, data + junk, "junk")
    assert (result.kept_records, result.dropped_bytes) == (len(records), len(junk))
    assert result.path.read_bytes() == data
    assert_warcio_check(result.path)


def test_repair_stops_at_the_first_bad_member(tmp_path, unfinished):
    name, data, records = unfinished
    at = records[3].offset
    _, result = repaired_copy(tmp_path, name, data[:at] + b"\x1f\x8b\x08\x00 broken" + data[at:], "middle")
    assert result.kept_records == 3
    assert result.path.read_bytes() == data[:at]


@pytest.mark.broken_warcs
def test_repair_never_overwrites_a_closed_file(tmp_path, unfinished):
    name, data, _ = unfinished
    directory = tmp_path / "clash"
    directory.mkdir()
    (directory / name).write_bytes(data)
    (directory / closed_name(name)).write_bytes(b"finished")
    with pytest.raises(ArsipError):
        repair_file(directory / name)
    assert (directory / closed_name(name)).read_bytes() == b"finished"
    with pytest.raises(ArsipError):
        repair_file(directory / closed_name(name))


@pytest.mark.broken_warcs
def test_reader_is_strict_about_closed_files_and_lenient_about_open_ones(tmp_path, unfinished):
    name, data, records = unfinished
    cut = records[2].offset + records[2].length - 3  # inside the last record's gzip trailer
    for label, tail in [("cut", data[:cut]), ("header", data[:records[3].offset + 3])]:
        directory = tmp_path / label
        directory.mkdir()
        (directory / name).write_bytes(tail)
        (directory / closed_name(name)).write_bytes(tail)
        whole = 2 if label == "cut" else 3
        assert [r.record_id for r in iter_records(directory / name)] == [r.record_id for r in records[:whole]]
        seen = []
        with pytest.raises(ArsipError, match=f"offset {records[whole].offset}"):
            for record in iter_records(directory / closed_name(name)):
                seen.append(record.record_id)
        assert seen == [r.record_id for r in records[:whole]]


def test_repair_open_files_leaves_live_and_foreign_writers_alone(tmp_path, unfinished):
    _, data, records = unfinished
    directory = tmp_path / "shared"
    directory.mkdir()
    half = data[:records[-1].offset + 7]

    dead = subprocess.Popen(["sleep", "0"])
    dead.wait()  # reaped: its pid is now no running process
    live = subprocess.Popen(["sleep", "30"])
    try:
        names = {
            "dead": warc_file_name(1, when=T0, pid=dead.pid),
            "ours": warc_file_name(2, when=T0, pid=os.getpid()),
            "live": warc_file_name(3, when=T0, pid=live.pid),
            "other-host": warc_file_name(4, when=T0, host="crawler-2.example", pid=dead.pid),
        }
        for name in names.values():
            (directory / (name + OPEN_SUFFIX)).write_bytes(half)
        (directory / "someone-else.warc.gz.open").write_bytes(half)
        finished = directory / warc_file_name(5, when=T0)
        finished.write_bytes(data)
        # A writer of this very process (say another spider of the same crawl) is mid-file.
        writer = WarcFileWriter(directory, info())
        writer.write_exchange(exchange("https://www.inews.id/news/live", body=b"x" * 5000))
        writer.flush()
        own_live = directory / (writer.current_name + OPEN_SUFFIX)
        own_live_bytes = own_live.read_bytes()

        results = repair_open_files(directory)

        assert sorted(r.path.name for r in results) == sorted([names["dead"], names["ours"]])
        assert all(r.kept_records == len(records) - 1 for r in results)
        for key in ("live", "other-host"):
            assert (directory / (names[key] + OPEN_SUFFIX)).read_bytes() == half
            assert not (directory / names[key]).exists()
        assert (directory / "someone-else.warc.gz.open").read_bytes() == half
        assert finished.read_bytes() == data
        assert own_live.read_bytes() == own_live_bytes
        assert [p.name for p in warc_files(directory)] == sorted([names["dead"], names["ours"], finished.name])
        assert repair_open_files(directory) == []  # nothing left to do
        # What is left alone says why, for reindex to tell the user.
        reasons = {key: why_left_open(directory / (names[key] + OPEN_SUFFIX)) for key in ("live", "other-host")}
        assert reasons["live"] == f"its writer, process {live.pid}, is still running"
        assert reasons["other-host"].startswith("written on host 'crawler_2.example', not this one")
        assert why_left_open(directory / "someone-else.warc.gz.open") == "not named by arsip's WARC writer"
        assert why_left_open(own_live) == "being written by this process"
        writer.close()
        assert_warcio_check(directory / writer.closed_files[0])
    finally:
        live.kill()
        live.wait()

