"""Checks of the test news site itself (tests/outlet_server.py), with urllib/http.client."""

from __future__ import annotations

import gzip
import html
import http.client
import re
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from outlet_server import SPECIAL_PATHS, OutletServer  # noqa: E402

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def site():
    with OutletServer(articles=12, topic_pages=5) as s:
        yield s


def get(site, path, headers=None, method="GET"):
    """One request on a fresh connection; no redirects followed, no decoding."""
    conn = http.client.HTTPConnection("127.0.0.1", site.port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def text(site, path):
    status, headers, body = get(site, path)
    assert status == 200, path
    assert "content-encoding" not in headers
    return body.decode("utf-8")


def hrefs(page):
    return re.findall(r'href="([^"]+)"', page)


def rel_next(page):
    m = re.search(r'<link rel="next" href="([^"]+)">', page)
    return m.group(1) if m else None


def paragraphs(page):
    return re.findall(r"<p[^>]*>.*?</p>", page, re.S)


def test_robots(site):
    status, headers, body = get(site, "/robots.txt")
    assert status == 200
    assert headers["content-type"].startswith("text/plain")
    assert body.decode() == "User-agent: *\nDisallow: /private/\n"
    assert int(headers["content-length"]) == len(body)


def test_outlet_toml(site, tmp_path):
    data = tomllib.loads(site.outlet_toml())["outlets"]["testnews"]
    assert data["domains"] == [f"127.0.0.1:{site.port}"]
    assert data["topics"] == [site.url("/news/")]
    assert data["topic_depth"] == 3
    assert tomllib.loads(site.outlet_toml("other", 1))["outlets"]["other"]["topic_depth"] == 1
    pattern = re.compile(data["article_url"])
    m = pattern.search(site.article_url(3))
    assert m and m.group("id") == "3"
    for path in ("/news/101-chunked-story", "/news/102-split-story", "/news/103-old-slug"):
        assert pattern.search(site.url(path))
    for path in ("/news/", "/news/?page=2", "/news/102-split-story/2", "/private/1-secret-article", "/about"):
        assert not pattern.search(site.url(path)), path
    # arsip's own loader accepts it
    from archive.outlet import load_outlet_file

    outlet = load_outlet_file(site.write_outlet_file(tmp_path / "o.toml"))["testnews"]
    assert outlet.owns(site.article_url(1)) and outlet.article_id(site.article_url(7)) == "7"


def test_topic_pagination_and_links(site):
    path, seen, pages = "/news/", [], 0
    while path:
        page = text(site, path)
        pages += 1
        links = hrefs(page)
        for i in site.topic_page_ids(pages):
            assert site.article_path(i) in links
        assert "/about" in links and "/tag/dunia" in links
        assert "http://example.invalid/x" in links and "/private/1-secret-article" in links
        seen.append(path)
        path = rel_next(page)
        if path:
            assert path == f"/news/?page={pages + 1}"
    assert pages == 5 and seen[1:] == [f"/news/?page={k}" for k in range(2, 6)]
    # every ordinary article is on exactly one topic page; some only beyond depth 3
    listed = [i for k in range(1, 6) for i in site.topic_page_ids(k)]
    assert sorted(listed) == site.article_ids
    beyond = set(site.article_ids) - set(site.ids_within_depth(3))
    assert beyond and all(site.article_path(i) not in text(site, "/news/?page=2") for i in beyond)
    # the special URLs are linked from page 1 only
    first = hrefs(text(site, "/news/"))
    for key in ("chunked", "split", "redirect", "gone", "down", "huge", "slow"):
        assert SPECIAL_PATHS[key] in first
        assert SPECIAL_PATHS[key] not in hrefs(text(site, "/news/?page=2"))
    assert get(site, "/news/?page=6")[0] == 404
    assert get(site, "/news/?page=0")[0] == 404


def test_article_gzip(site):
    path = site.article_path(5)
    status, headers, raw = get(site, path, {"Accept-Encoding": "gzip, deflate"})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert int(headers["content-length"]) == len(raw)
    page = gzip.decompress(raw).decode("utf-8")
    assert "<h1" in page and site.story(5).title in page
    assert 3000 <= len(page.encode()) <= 7000
    assert "Penulis:" in page and "Baca Juga" in page and "Artikel Terkait" in page
    assert re.search(r"\d+ (jam|menit) lalu", page) and re.search(r"Dibaca [\d.]+ kali", page)
    plain = get(site, path)
    assert "content-encoding" not in plain[1] and int(plain[1]["content-length"]) == len(plain[2])
    assert get(site, path, {"Accept-Encoding": "gzip;q=0"})[1].get("content-encoding") is None
    # urllib without Accept-Encoding gets plain HTML
    with urllib.request.urlopen(site.article_url(5), timeout=10) as resp:
        assert resp.read().decode().startswith("<!DOCTYPE html>")


def test_churn_boilerplate_not_article(site):
    path = site.article_path(2)
    a, b = text(site, path), text(site, path)
    site.round += 1
    try:
        c = text(site, path)
    finally:
        site.round -= 1
    assert a != b != c
    assert paragraphs(a) == paragraphs(b) == paragraphs(c)
    assert [html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", a)] == site.story(2).paragraphs
    token = re.compile(r'data-ad-token="([0-9a-f]+)"')
    assert token.search(a).group(1) != token.search(b).group(1)


def test_chunked_raw_socket(site):
    with socket.create_connection(("127.0.0.1", site.port), timeout=10) as sock:
        sock.sendall(b"GET /news/101-chunked-story HTTP/1.1\r\nHost: x\r\n\r\n")
        f = sock.makefile("rb")
        assert f.readline() == b"HTTP/1.1 200 OK\r\n"
        headers = {}
        while (line := f.readline()) != b"\r\n":
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        assert headers["transfer-encoding"] == "chunked"
        assert "content-length" not in headers
        chunks = []
        while True:
            size = int(f.readline().strip(), 16)
            data = f.read(size)
            assert f.read(2) == b"\r\n"
            if size == 0:
                break
            chunks.append(data)
        assert len(chunks) >= 3 and len({len(c) for c in chunks}) > 1
        page = b"".join(chunks).decode("utf-8")
        assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
        assert site.story(101).title in page
        # keep-alive: the same connection serves the next request
        sock.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\n")
        assert f.readline() == b"HTTP/1.1 200 OK\r\n"
        headers = {}
        while (line := f.readline()) != b"\r\n":
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        assert f.read(int(headers["content-length"])).startswith(b"User-agent: *")


def test_keep_alive_across_statuses(site):
    conn = http.client.HTTPConnection("127.0.0.1", site.port, timeout=10)
    try:
        for path, status in [("/news/", 200), (site.article_path(1), 200), ("/nope", 404),
                             ("/news/103-old-slug", 301), ("/news/105-down", 503),
                             ("/news/101-chunked-story", 200), ("/robots.txt", 200)]:
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            assert resp.status == status, path
            assert not resp.will_close
        assert conn.sock is not None
    finally:
        conn.close()


def test_split_article(site):
    path, bodies = "/news/102-split-story", []
    while path:
        page = text(site, path)
        bodies.append(paragraphs(page))
        path = rel_next(page)
    assert len(bodies) == 3
    assert rel_next(text(site, "/news/102-split-story")) == "/news/102-split-story/2"
    assert rel_next(text(site, "/news/102-split-story/2")) == "/news/102-split-story/3"
    own = [[p for p in b if p.startswith("<p>")] for b in bodies]
    assert all(own) and not (set(own[0]) & set(own[1]) or set(own[1]) & set(own[2]))
    assert [html.unescape(p[3:-4]) for b in own for p in b] == site.story(102).paragraphs
    assert get(site, "/news/102-split-story/4")[0] == 404


def test_redirect_and_errors(site):
    status, headers, _ = get(site, "/news/103-old-slug")
    assert status == 301 and headers["location"] == "/news/103-new-slug"
    assert site.story(103).title in text(site, "/news/103-new-slug")
    status, headers, body = get(site, "/news/104-gone")
    assert status == 404 and b"<html>" in body and int(headers["content-length"]) == len(body)
    status, headers, _ = get(site, "/news/105-down")
    assert status == 503 and headers["retry-after"] == "1"
    for path in ("/about", "/tag/dunia", "/news/5-wrong-slug", "/news/999-nothing", "/news"):
        assert get(site, path)[0] == 404, path
    assert "Disallow" not in text(site, "/private/1-secret-article")  # it is an ordinary article page
    assert "<h1" in text(site, "/private/1-secret-article")


def test_huge(site):
    status, headers, _ = get(site, "/news/106-huge-story", method="HEAD")
    assert status == 200 and int(headers["content-length"]) > 3_000_000
    status, headers, body = get(site, "/news/106-huge-story", {"Accept-Encoding": "gzip"})
    assert len(body) == int(headers["content-length"]) > 3_000_000
    assert "content-encoding" not in headers


def test_slow_and_delay():
    with OutletServer(articles=3, slow=0.6, delay=0.3) as s:
        t = time.monotonic()
        get(s, "/robots.txt")
        get(s, "/news/")
        assert time.monotonic() - t < 0.3
        t = time.monotonic()
        assert get(s, s.article_path(1))[0] == 200
        assert time.monotonic() - t >= 0.3
        t = time.monotonic()
        assert get(s, "/news/107-slow-story")[0] == 200
        assert time.monotonic() - t >= 0.9
    with OutletServer(articles=1) as s:  # the default 5 s outlasts a 1 s client timeout
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=1)
        conn.request("GET", "/news/107-slow-story")
        with pytest.raises(TimeoutError):
            conn.getresponse()
        conn.close()
        t = time.monotonic()
    assert time.monotonic() - t < 2  # stop() does not wait out the sleep


def test_request_log(site):
    get(site, "/robots.txt", {"User-Agent": "arsip-test/1", "X-Probe": "yes"}, method="HEAD")
    entry = site.requests[-1]
    assert entry.path == "/robots.txt" and entry.method == "HEAD"
    assert entry.headers["user-agent"] == "arsip-test/1" and entry.headers["x-probe"] == "yes"
    get(site, "/news/?page=3")
    assert site.paths_requested()[-1] == "/news/?page=3"
    assert "/private/1-secret-article" in site.paths_requested()


def test_edit_and_delete():
    with OutletServer(articles=6, specials=False) as s:
        old = s.article_path(6)
        before = paragraphs(text(s, old))
        s.edit_article(6, title="Judul Baru", slug="judul-baru", notes=["Ralat: tanggal diperbaiki."])
        assert get(s, old)[1]["location"] == "/news/6-judul-baru"
        page = text(s, "/news/6-judul-baru")
        assert "Judul Baru" in page and "Ralat: tanggal diperbaiki." in page
        assert paragraphs(page) != before
        s.delete_article(5)
        assert get(s, s.article_path(5))[0] == 404
        assert 5 not in s.ids_within_depth(5)
        assert "/news/101-chunked-story" not in hrefs(text(s, "/news/"))


def test_soft_error_truncate_unavailable_and_redesign():
    with OutletServer(articles=4, specials=False) as s:
        path, story = s.article_path(2), s.story(2)
        whole = text(s, path)
        s.soft_error(2)
        page = text(s, path)
        assert "<h1>Halaman tidak ditemukan</h1>" in page and story.paragraphs[1] not in page
        s.soft_error(2, on=False)
        s.truncate(2)
        page = text(s, path)
        assert html.escape(story.paragraphs[0]) in page and html.escape(story.paragraphs[1]) not in page
        s.truncate(2, on=False)
        s.unavailable(2)
        status, headers, _ = get(s, path)
        assert status == 503 and headers["retry-after"] == "1"
        s.unavailable(2, on=False)
        assert paragraphs(text(s, path)) == paragraphs(whole)
        s.redesign()
        redesigned = text(s, path)
        assert 'class="article' not in redesigned and 'class="detail-text"' in redesigned
        inner = redesigned.split('<div class="txt-inner">', 1)[1].split("</div>\n</div>", 1)[0]
        assert [html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", inner)] == story.paragraphs
        assert "Baca Juga:" in redesigned and story.caption in html.unescape(redesigned)
        with pytest.raises(KeyError):
            s.truncate(99)


def test_script_mode(tmp_path):
    outlets = tmp_path / "outlets.toml"
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "outlet_server.py"), "--port", "0", "--articles", "4",
         "--delay", "0", "--write-outlets", str(outlets)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = proc.stdout.readline()
        m = re.fullmatch(r"PORT (\d+)\n", line)
        assert m, line
        port = int(m.group(1))
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=10) as resp:
            assert b"Disallow: /private/" in resp.read()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/news/", timeout=10) as resp:
            assert b"/news/4-" in resp.read()
        assert f"127.0.0.1:{port}" in outlets.read_text()
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert err == ""  # logs nothing to stderr
