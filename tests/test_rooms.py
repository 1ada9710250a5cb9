"""Rooms (logit.rooms, logit.redis_rooms): codes, who may drive, presence, expiry, data, change
notices, the same rules in memory and in a real redis-server; and what Redis going away does."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logit import rooms
from logit.rooms import CODE_ALPHABET, CODE_LENGTH, MemoryRooms, Room, RoomError, normalise_code

from redis_server import RedisServer


class Clock:
    """Time the tests move by hand."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture(params=["memory", "redis"])
def store_and_clock(request):
    clock = Clock()
    if request.param == "memory":
        store = MemoryRooms(clock)
    else:
        from logit.redis_rooms import RedisRooms

        server = request.getfixturevalue("redis_server")
        store = RedisRooms(server.url, clock)
        store._redis.flushdb()
    yield store, clock
    store.close()


def error_code(call) -> str:
    with pytest.raises(RoomError) as caught:
        call()
    return caught.value.code


# --- codes and keys ---------------------------------------------------------------------------

def test_codes_are_easy_to_read_aloud():
    codes = {rooms.new_code() for _ in range(2000)}
    assert len(codes) == 2000  # 32⁶ codes: no repeat in a couple of thousand
    assert all(len(c) == CODE_LENGTH and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert not set("0O1I") & set(CODE_ALPHABET)


@given(st.text(CODE_ALPHABET, min_size=CODE_LENGTH, max_size=CODE_LENGTH), st.data())
def test_a_code_typed_any_way_is_the_same_code(code, data):
    typed = "".join(data.draw(st.sampled_from([ch, ch.lower()])) + data.draw(st.sampled_from(["", " ", "-"]))
                    for ch in code)
    assert normalise_code(typed) == code


def test_a_wrong_code_says_what_is_wrong():
    with pytest.raises(RoomError) as caught:
        normalise_code("K0P2QX")
    assert caught.value.code == "room_code_letters" and "0" in str(caught.value)
    with pytest.raises(RoomError) as caught:
        normalise_code("K7P2Q")
    assert caught.value.code == "room_code_length" and "5" in str(caught.value)


def test_only_the_key_s_digest_is_stored():
    store = MemoryRooms()
    room, key = store.open({"alpha": "5"})
    assert key not in room.to_json() and room.key_digest == rooms.key_digest(key)
    assert room.is_teacher(key) and not room.is_teacher(key + "x") and not room.is_teacher("") and not room.is_teacher(None)


@given(st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=5),
       st.dictionaries(st.text(min_size=1, max_size=8), st.tuples(st.floats(0, 1e9), st.booleans()), max_size=5),
       st.integers(0, 10**6), st.booleans())
def test_a_room_survives_its_stored_form(state, members, version, ended):
    room = Room(code="K7P2QX", key_digest="d", version=version, state=state, data_id=None, created=1.0,
                changed=2.0, teacher_seen=3.0, members={k: rooms.Member(*v) for k, v in members.items()},
                ended=ended)
    assert Room.from_json(room.to_json()) == room


# --- driving and following --------------------------------------------------------------------

def test_the_teacher_drives_and_everyone_reads(store_and_clock):
    store, clock = store_and_clock
    room, key = store.open({"alpha": "0.1"})
    clock.now += 5
    after = store.publish(room.code, key, {"alpha": "5", "iteration": "10"})
    assert after.version == room.version + 1 and dict(store.room(room.code.lower()).state) == {"alpha": "5", "iteration": "10"}
    # Publishing the same state again is no change: followers are not woken for nothing.
    assert store.publish(room.code, key, {"alpha": "5", "iteration": "10"}).version == after.version


def test_no_one_else_drives(store_and_clock):
    store, _ = store_and_clock
    room, key = store.open({"alpha": "0.1"})
    other, other_key = store.open({})
    assert error_code(lambda: store.publish(room.code, other_key, {"alpha": "1000"})) == "room_not_teacher"
    assert error_code(lambda: store.publish(room.code, "", {"alpha": "1000"})) == "room_not_teacher"
    assert dict(store.room(room.code).state) == {"alpha": "0.1"}


def test_a_new_teacher_link_retires_the_old_key(store_and_clock):
    store, _ = store_and_clock
    room, key = store.open({})
    new_key = store.new_teacher_key(room.code, key)
    assert error_code(lambda: store.publish(room.code, key, {"alpha": "1"})) == "room_not_teacher"  # replayed
    assert store.publish(room.code, new_key, {"alpha": "1"}).state["alpha"] == "1"


def test_an_ended_room_can_be_read_not_driven(store_and_clock):
    store, _ = store_and_clock
    room, key = store.open({"alpha": "2"})
    store.end(room.code, key)
    assert store.room(room.code).ended and not store.room(room.code).teacher_present(store.clock())
    assert error_code(lambda: store.publish(room.code, key, {"alpha": "1"})) == "room_ended"


def test_unknown_and_idle_rooms_are_not_found(store_and_clock):
    store, clock = store_and_clock
    assert error_code(lambda: store.room("K7P2QX")) == "room_not_found"
    room, key = store.open({})
    clock.now += rooms.IDLE_SECONDS - 10
    store.here(room.code, "student", True)  # a student keeps it alive
    clock.now += rooms.IDLE_SECONDS - 10
    assert store.room(room.code).code == room.code
    clock.now += 20
    assert error_code(lambda: store.room(room.code)) == "room_not_found"
    assert error_code(lambda: store.publish(room.code, key, {"alpha": "1"})) == "room_not_found"


# --- presence ----------------------------------------------------------------------------------

def test_presence_counts_connected_and_following(store_and_clock):
    store, clock = store_and_clock
    room, key = store.open({})
    for i in range(5):
        store.here(room.code, f"s{i}", following=i != 0)
    assert store.room(room.code).presence(clock.now) == rooms.Presence(connected=5, following=4)
    store.leave(room.code, "s1")
    clock.now += rooms.PRESENT_SECONDS / 2
    store.here(room.code, "s2", following=False)
    clock.now += rooms.PRESENT_SECONDS / 2 + 1  # s0, s3, s4 silent too long
    assert store.room(room.code).presence(clock.now) == rooms.Presence(connected=1, following=0)


def test_a_full_room_says_so_and_lets_members_stay(store_and_clock, monkeypatch):
    store, clock = store_and_clock
    monkeypatch.setattr(rooms, "MAX_MEMBERS", 3)
    room, _ = store.open({})
    for i in range(3):
        store.here(room.code, f"s{i}", True)
    with pytest.raises(RoomError) as caught:
        store.here(room.code, "late", True)
    assert caught.value.code == "room_full" and "3" in str(caught.value)
    store.here(room.code, "s0", False)  # already in: still welcome
    clock.now += rooms.PRESENT_SECONDS + 1  # everyone went quiet: room for the latecomer
    assert store.here(room.code, "late", True).presence(clock.now).connected == 1


def test_the_teacher_away_is_noticed(store_and_clock):
    store, clock = store_and_clock
    room, key = store.open({})
    clock.now += rooms.TEACHER_AWAY_SECONDS - 1
    assert store.room(room.code).teacher_present(clock.now)
    clock.now += 2
    assert not store.room(room.code).teacher_present(clock.now)
    store.teacher_heard(room.code, key)
    assert store.room(room.code).teacher_present(clock.now)


# --- data ---------------------------------------------------------------------------------------

def test_data_are_stored_once_per_room_and_only_there(store_and_clock):
    store, _ = store_and_clock
    blob = b"x1,x2,y\n1,2,0\n3,4,1\n"
    room, key = store.open({"source": "upload"}, data=blob)
    assert store.data(room.code, room.data_id) == blob
    other, _ = store.open({})
    assert error_code(lambda: store.data(other.code, room.data_id)) == "room_not_found"
    newer = store.publish(room.code, key, {"source": "upload", "alpha": "1"}, data=blob + b"5,6,0\n")
    assert newer.data_id != room.data_id and store.data(room.code, newer.data_id).endswith(b"5,6,0\n")


def test_too_much_data_is_refused_before_anything_is_stored(store_and_clock, monkeypatch):
    store, _ = store_and_clock
    monkeypatch.setattr(rooms, "MAX_DATA_BYTES", 100)
    room, key = store.open({})
    with pytest.raises(RoomError) as caught:
        store.publish(room.code, key, {"source": "upload"}, data=b"1" * 101)
    assert caught.value.code == "room_data_too_large"
    assert store.room(room.code).version == room.version


def test_a_stranger_cannot_store_data_in_a_room(store_and_clock):
    store, _ = store_and_clock
    room, _ = store.open({})
    assert error_code(lambda: store.publish(room.code, "forged", {}, data=b"evil")) == "room_not_teacher"
    assert error_code(lambda: store.data(room.code, rooms.data_digest(b"evil"))) == "room_not_found"


# --- change notices -----------------------------------------------------------------------------

def test_followers_are_told_of_each_change(store_and_clock):
    store, _ = store_and_clock
    room, key = store.open({})
    heard = []
    got_two = threading.Event()

    def listener(code, version):
        heard.append((code, version))
        if len(heard) == 2:
            got_two.set()

    stop = store.subscribe(room.code, listener)
    store.here(room.code, "s", True)  # presence is no change of the page
    store.publish(room.code, key, {"alpha": "1"})
    store.publish(room.code, key, {"alpha": "2"})
    assert got_two.wait(10)
    assert heard == [(room.code, room.version + 1), (room.code, room.version + 2)]
    stop()


def test_wait_returns_when_the_teacher_moves(store_and_clock):
    store, _ = store_and_clock
    room, key = store.open({})
    publisher = threading.Timer(0.2, lambda: store.publish(room.code, key, {"iteration": "7"}))
    publisher.start()
    moved = store.wait(room.code, room.version, timeout=30)
    publisher.join()
    assert moved.version == room.version + 1 and moved.state["iteration"] == "7"


# --- Redis going away ---------------------------------------------------------------------------

def test_no_redis_means_rooms_unavailable_not_a_crash():
    from logit.redis_rooms import RedisRooms
    from redis_server import free_port

    store = RedisRooms(f"redis://127.0.0.1:{free_port()}/0")
    assert error_code(lambda: store.open({})) == "rooms_unavailable"
    assert error_code(lambda: store.room("K7P2QX")) == "rooms_unavailable"
    store.close()


def test_rooms_outlive_a_redis_restart(tmp_path):
    from logit.redis_rooms import RedisRooms

    server = RedisServer(tmp_path / "redis").start()
    store = RedisRooms(server.url)
    try:
        room, key = store.open({"alpha": "5"})
        heard = threading.Event()
        store.subscribe(room.code, lambda code, version: version > 0 and heard.set())  # -1: "Redis went away"
        server.stop()
        assert error_code(lambda: store.publish(room.code, key, {"alpha": "1"})) == "rooms_unavailable"
        server.start()
        assert dict(store.room(room.code).state) == {"alpha": "5"}  # append-only file kept it
        # The relay thread reconnects by itself; publish until it has (it retries every second).
        for _ in range(100):
            store.publish(room.code, key, {"alpha": str(_)})
            if heard.wait(0.2):
                break
        assert heard.is_set()
    finally:
        store.close()
        server.stop()


def test_keep_leaves_the_room_s_data_and_none_clears_them(store_and_clock):
    store, _ = store_and_clock
    room, key = store.open({"source": "upload"}, data=b"x1,x2,y\n1,2,0\n")
    kept = store.publish(room.code, key, {"source": "upload", "iteration": "3"}, data=rooms.KEEP)
    assert kept.data_id == room.data_id and kept.version == room.version + 1
    cleared = store.publish(room.code, key, {"source": "generate"}, data=None)
    assert cleared.data_id is None
