"""Bounded payload decoding: every coding undone in a stream, nothing decoded past the cap."""

from __future__ import annotations

import gzip
import os
import sys
import tracemalloc
import zlib
from pathlib import Path

import brotli
import pytest

from archive.warc.payload import Decoded, PayloadTooLarge, decode_payload

sys.path.insert(0, str(Path(__file__).parent))
from hostile_site import BOMB_SIZE, bomb  # noqa: E402

try:
    from compression import zstd
except ImportError:
    from backports import zstd

PAGE = b"<html><body>" + b"".join(b"<p>paragraf %d: %s</p>" % (n, os.urandom(40).hex().encode()) for n in range(400)) \
    + b"</body></html>"

ENCODERS = {
    "gzip": gzip.compress,
    "x-gzip": gzip.compress,
    "deflate": zlib.compress,
    "br": brotli.compress,
    "zstd": zstd.compress,
}


@pytest.mark.parametrize("coding", sorted(ENCODERS))
def test_each_coding_is_undone(coding):
    decoded = decode_payload(ENCODERS[coding](PAGE), coding)
    assert decoded == Decoded(PAGE, True, (coding,))


def test_raw_deflate_as_some_servers_send_it():
    raw = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    assert decode_payload(raw.compress(PAGE) + raw.flush(), "deflate").body == PAGE


def test_codings_are_undone_last_applied_first():
    body = brotli.compress(gzip.compress(PAGE))
    assert decode_payload(body, "gzip, br") == Decoded(PAGE, True, ("gzip", "br"))


def test_concatenated_gzip_members_are_read_on():
    assert decode_payload(gzip.compress(PAGE) + gzip.compress(b"<p>more</p>"), "gzip").body == PAGE + b"<p>more</p>"


def test_a_gzip_stream_without_its_trailer_is_whole_as_browsers_read_it():
    assert decode_payload(gzip.compress(PAGE)[:-8], "gzip") == Decoded(PAGE, True, ("gzip",))


@pytest.mark.parametrize("coding", ["gzip", "deflate", "br", "zstd"])
def test_a_stream_cut_short_keeps_what_decoded_and_says_so(coding):
    encoded = ENCODERS[coding](PAGE)
    decoded = decode_payload(encoded[:len(encoded) // 2], coding)
    assert not decoded.complete
    assert PAGE.startswith(decoded.body) and len(decoded.body) < len(PAGE)


def test_garbage_under_a_coding_is_not_complete():
    decoded = decode_payload(b"<html>not gzip at all</html>", "gzip")
    assert not decoded.complete and decoded.body == b""


def test_unknown_and_identity_codings_leave_the_body_as_it_is():
    assert decode_payload(PAGE, None) == Decoded(PAGE, True, ())
    assert decode_payload(PAGE, "identity") == Decoded(PAGE, True, ())
    assert decode_payload(PAGE, "compress") == Decoded(PAGE, True, ())
    # an unknown outer coding stops decoding there: what is under it cannot be read
    assert decode_payload(gzip.compress(PAGE), "gzip, compress").body == gzip.compress(PAGE)


def test_the_cap_holds_for_a_body_without_coding_too():
    with pytest.raises(PayloadTooLarge):
        decode_payload(PAGE, None, limit=len(PAGE) - 1)
    assert decode_payload(gzip.compress(PAGE), "gzip", limit=len(PAGE)).body == PAGE


@pytest.mark.parametrize("coding", ["gzip", "deflate", "br", "zstd"])
def test_a_bomb_is_refused_without_decoding_it_whole(coding):
    encoded = bomb(coding)
    assert len(encoded) < 2_000_000 < BOMB_SIZE
    limit = 4 * 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(PayloadTooLarge) as refused:
            decode_payload(encoded, coding, limit=limit)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.limit == limit
    assert peak < 2 * limit, f"{coding}: {peak} bytes held while decoding"
