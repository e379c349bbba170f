"""Undoing a payload's Content-Encoding, with a cap on how much it may decode to.

WARC records keep the body as it came off the wire, still gzip-, deflate-, brotli- or
zstd-encoded when the server sent it so. Whatever reads a page's text (the crawler's
link discovery, extraction in ingest and reindex, replay) decodes it here, in a stream
of bounded chunks, so a small body that inflates to gigabytes (a "compression bomb")
costs at most `limit` bytes of memory before it is refused with `PayloadTooLarge`.

Damaged streams are read the way browsers read them: what decoded before the damage is
kept, and `Decoded.complete` says whether the stream reached its proper end.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import brotli

try:
    from compression import zstd  # Python 3.14
except ImportError:
    from backports import zstd

# A decoded page above this is refused. News article pages decode to well under 2 MB
# (the largest of 850 real pages in the test corpus is 0.6 MB; pages full of inline
# scripts and JSON reach a few MB): 20 MB leaves ten times that room. It is also what
# one hostile page can cost: extracting a 20 MB page takes about 0.6 GB and half a
# minute (lxml's tree and the extractor's copies are some 25 times the HTML).
DEFAULT_MAX_DECODED = 20 * 1024 * 1024

# Decoded bytes produced per step: the most a step can overshoot the cap by.
_CHUNK = 256 * 1024

_GZIP_MAGIC = b"\x1f\x8b"
_DAMAGE = (zlib.error, brotli.error, zstd.ZstdError, EOFError, IndexError, ValueError)


class PayloadTooLarge(Exception):
    """The payload decodes to more than the cap allows."""

    def __init__(self, limit: int):
        super().__init__(f"payload decodes to more than {limit:,} bytes")
        self.limit = limit


@dataclass(frozen=True)
class Decoded:
    body: bytes
    complete: bool  # False: the encoded stream was cut short or damaged; `body` is what decoded before that
    encodings: tuple[str, ...] = ()  # the codings undone, outermost first


def content_codings(content_encoding: str | None) -> list[str]:
    """The codings of a Content-Encoding header value, in the order they were applied."""
    return [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]


def decode_payload(body: bytes, content_encoding: str | None, limit: int = DEFAULT_MAX_DECODED) -> Decoded:
    """`body` with its Content-Encoding undone, never holding more than `limit` decoded bytes.

    Codings are undone from the last applied; decoding stops at one arsip does not know
    (`identity` is skipped), leaving the body as it is from there. Raises
    `PayloadTooLarge` when the result would exceed `limit`, encoded or not.
    """
    complete = True
    undone = []
    for coding in reversed(content_codings(content_encoding)):
        if coding == "identity":
            continue
        decoder = _DECODERS.get(coding)
        if decoder is None:
            break
        body, whole = _collect(decoder(body), limit)
        complete = complete and whole
        undone.append(coding)
        if not whole:
            break  # what lies under a damaged coding cannot be decoded further with any confidence
    if len(body) > limit:
        raise PayloadTooLarge(limit)
    return Decoded(body, complete, tuple(reversed(undone)))


def _collect(chunks: Iterator[bytes], limit: int) -> tuple[bytes, bool]:
    """The chunks joined, and whether the stream ended properly; refused as soon as they pass `limit`."""
    parts: list[bytes] = []
    size = 0
    try:
        for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise PayloadTooLarge(limit)
            parts.append(chunk)
    except (_StreamCut, *_DAMAGE):
        return b"".join(parts), False
    return b"".join(parts), True


class _StreamCut(Exception):
    """The encoded data ended before the stream did."""


def _inflate_stream(inflater, data: bytes) -> Iterator[bytes]:
    """Everything `inflater` makes of `data`, a chunk at a time; raises _StreamCut if the stream does not end."""
    chunk = inflater.decompress(data, _CHUNK)
    yield chunk
    while not inflater.eof:
        # An empty tail still yields output zlib holds back once a step has filled its chunk.
        chunk = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
        if not chunk and not inflater.unconsumed_tail:
            raise _StreamCut
        yield chunk


def _gunzip(data: bytes) -> Iterator[bytes]:
    # The header is read here and the deflate data inflated raw, so that a stream whose
    # deflate data ended properly counts as whole even when its 8-byte trailer (CRC and
    # size) is missing or wrong, as browsers take it; concatenated members are read on.
    while True:
        start = _gzip_header_end(data)
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        yield from _inflate_stream(inflater, data[start:])
        data = inflater.unused_data[8:]
        if not data.startswith(_GZIP_MAGIC):
            return


def _gzip_header_end(data: bytes) -> int:
    """Where the deflate data of the gzip member at the start of `data` begins (RFC 1952)."""
    if len(data) < 10 or not data.startswith(_GZIP_MAGIC) or data[2] != 8:
        raise zlib.error("not gzip data")
    flags, at = data[3], 10
    if flags & 0x04:  # FEXTRA
        at += 2 + int.from_bytes(data[at:at + 2], "little")
    for flag in (0x08, 0x10):  # FNAME, FCOMMENT: zero-terminated
        if flags & flag:
            end = data.index(b"\0", at)
            at = end + 1
    if flags & 0x02:  # FHCRC
        at += 2
    if at > len(data):
        raise _StreamCut
    return at


def _inflate(data: bytes) -> Iterator[bytes]:
    # "deflate" is zlib-wrapped by the standard; some servers send raw deflate instead.
    wrapped = len(data) >= 2 and (data[0] & 0x0F) == 8 and int.from_bytes(data[:2], "big") % 31 == 0
    yield from _inflate_stream(zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS), data)


def _unbrotli(data: bytes) -> Iterator[bytes]:
    decompressor = brotli.Decompressor()
    yield decompressor.process(data, output_buffer_limit=_CHUNK)
    while not decompressor.is_finished():
        chunk = decompressor.process(b"", output_buffer_limit=_CHUNK)
        if not chunk:
            raise _StreamCut
        yield chunk


def _unzstd(data: bytes) -> Iterator[bytes]:
    while True:
        decompressor = zstd.ZstdDecompressor()
        yield decompressor.decompress(data, max_length=_CHUNK)
        while not decompressor.eof:
            if decompressor.needs_input:
                raise _StreamCut
            yield decompressor.decompress(b"", max_length=_CHUNK)
        data = decompressor.unused_data
        if not data:
            return


_DECODERS: dict[str, Callable[[bytes], Iterator[bytes]]] = {
    "gzip": _gunzip, "x-gzip": _gunzip, "deflate": _inflate, "br": _unbrotli, "zstd": _unzstd,
}

# What arsip asks servers for: the codings that the tools reading WARC files decode.
# arsip decodes brotli and zstd too (a server may send them unasked), but warcio 1.8,
# under pywb and `warcio check`, knows no zstd and fails on brotli records beside the
# brotli package Scrapy needs; gzip costs news pages a few percent more bytes than br.
ACCEPT_ENCODING = "gzip, deflate"
