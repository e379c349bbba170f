"""The scheduler lock: one `arsip service` per catalog leads; the lock lives exactly as long as its session."""

from __future__ import annotations

import os
import re
import socket
import time

import psycopg
import pytest

from archive.catalog.leadership import LOCK_KEY, Leadership

from conftest import scratch_database

HOLDER = re.compile(rf"^arsip service {re.escape(socket.gethostname())} pid {os.getpid()} "
                    r"\(since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d{4}\)$")


@pytest.fixture
def services(database_url):
    """Two services' connections to one catalog, closed afterwards."""
    first, second = Leadership.connect(database_url), Leadership.connect(database_url)
    try:
        yield first, second
    finally:
        first.close()
        second.close()


def holder_pid(url: str) -> int | None:
    """The backend holding the scheduler lock, seen from a session of its own."""
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 "
                           "AND classid = %s::bigint::oid AND objid = %s::bigint::oid",
                           (LOCK_KEY >> 32, LOCK_KEY & 0xFFFFFFFF)).fetchone()
    return row[0] if row else None


def takes_over(standby: Leadership, within: float = 10) -> bool:
    """Whether `standby` gets the lock within `within` seconds, asking as a standby service does.

    The server frees a session's locks as its backend ends, just after the client has gone.
    """
    deadline = time.monotonic() + within
    while not standby.try_acquire():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_one_service_leads_and_the_other_waits(services):
    leader, standby = services
    assert leader.try_acquire() and leader.held
    assert not standby.try_acquire() and not standby.held
    assert leader.try_acquire(), "asking again while leading keeps the lock"


def test_holder_names_the_leading_service_and_since_when(services):
    leader, standby = services
    assert standby.holder() is None, "no one leads yet"
    leader.try_acquire()
    assert HOLDER.match(standby.holder() or ""), standby.holder()
    assert leader.holder() == standby.holder()


def test_the_lock_passes_to_the_standby_when_the_leader_closes(services):
    leader, standby = services
    leader.try_acquire()
    leader.close()
    assert not leader.held and not leader.alive()
    assert takes_over(standby)
    leader.close()  # closing twice is harmless


def test_a_leader_whose_session_is_cut_off_loses_the_lock_without_any_cleanup(services, database_url):
    leader, standby = services
    leader.try_acquire()
    with psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (holder_pid(database_url),))

    assert not leader.alive()
    assert leader.holder() is None, "a broken connection cannot tell, and says so by None"
    assert takes_over(standby), "the lock outlived its session"
    leader.close()


def test_services_of_different_catalogs_lead_each_their_own(services, postgres_server_url):
    leader, _ = services
    leader.try_acquire()
    with scratch_database(postgres_server_url) as other_url:
        elsewhere = Leadership.connect(other_url)
        try:
            assert elsewhere.try_acquire()
        finally:
            elsewhere.close()


def test_connecting_to_a_server_that_is_not_there_raises_a_database_error():
    with pytest.raises(psycopg.Error):
        Leadership.connect("postgresql://postgres@127.0.0.1:1/none?connect_timeout=2")
