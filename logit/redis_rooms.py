"""Rooms in Redis, for several app processes behind ``deploy/``: a teacher on one replica and
students on another share a room, and restarting a replica loses none.

A room is one JSON value (``logit:room:CODE``), changed atomically (WATCH/MULTI) by the rules of
:class:`logit.rooms.Room`; who is here is a hash beside it (``…:members``, one field a browser,
written without a transaction: thirty students saying "here" at once must not fight over one
value); its data are stored beside it by digest; all expire after
:data:`logit.rooms.IDLE_SECONDS` without use. Each change is published on the channel
``logit:room:CODE``; one thread per process listens to all rooms' channels (started by the first
listener, not at import) and tells this process's listeners, so followers are pushed changes
instead of asking Redis over and over. Whatever goes wrong with Redis is a ``rooms_unavailable``
:class:`~logit.rooms.RoomError`: rooms say so, the rest of the page goes on.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
import time
from typing import Callable, Iterator

import redis

from logit.rooms import IDLE_SECONDS, Listener, Member, Room, RoomError, RoomStore, check_member_id, normalise_code

PREFIX = "logit:room:"
RETRIES = 20  # optimistic transactions lost to another writer before giving up


@contextlib.contextmanager
def _reachable() -> Iterator[None]:
    try:
        yield
    except redis.RedisError as error:
        raise RoomError("rooms_unavailable", reason=type(error).__name__) from error


class RedisRooms(RoomStore):
    """Rooms in the Redis server at ``url`` (``redis://127.0.0.1:6379/0``)."""

    def __init__(self, url: str, clock: Callable[[], float] = time.time) -> None:
        super().__init__(clock)
        self.url = url
        self._redis = redis.Redis.from_url(url, socket_timeout=3, socket_connect_timeout=2,
                                           health_check_interval=15)
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._start_lock = threading.Lock()

    def _key(self, code: str) -> str:
        return PREFIX + code

    def _members_key(self, code: str) -> str:
        return f"{PREFIX}{code}:members"

    def _data_key(self, code: str, data_id: str) -> str:
        return f"{PREFIX}{code}:data:{data_id}"

    def ping(self) -> None:
        with _reachable():
            self._redis.ping()

    # --- the room ---------------------------------------------------------------------------

    def _create(self, room: Room) -> bool:
        with _reachable():
            return bool(self._redis.set(self._key(room.code), room.to_json(), nx=True, ex=IDLE_SECONDS))

    def _load(self, code: str) -> Room | None:
        with _reachable(), self._redis.pipeline(transaction=False) as pipe:
            text, members = pipe.get(self._key(code)).hgetall(self._members_key(code)).execute()
        if text is None:
            return None
        here = {}
        for member, value in members.items():
            seen, following = value.decode().split(",")
            here[member.decode()] = Member(float(seen), following == "1")
        return dataclasses.replace(Room.from_json(text), members=here)

    # --- who is here: a hash of its own --------------------------------------------------------

    def here(self, code: str, member_id: str, following: bool) -> Room:
        code = normalise_code(code)
        check_member_id(member_id)
        room = self.room(code)
        now = self.clock()
        after = room.with_member(member_id, following, now)  # the rules: a full room refuses
        gone = [m for m in room.members if m not in after.members]
        with _reachable(), self._redis.pipeline(transaction=False) as pipe:
            pipe.hset(self._members_key(code), member_id, f"{now!r},{int(bool(following))}")
            if gone:
                pipe.hdel(self._members_key(code), *gone)
            pipe.expire(self._members_key(code), IDLE_SECONDS).expire(self._key(code), IDLE_SECONDS)
            if room.data_id:
                pipe.expire(self._data_key(code, room.data_id), IDLE_SECONDS)
            pipe.execute()
        return after

    def leave(self, code: str, member_id: str) -> Room:
        code = normalise_code(code)
        with _reachable():
            self._redis.hdel(self._members_key(code), member_id)
        return self.room(code)

    def _change(self, code: str, change: Callable[[Room | None], Room]) -> tuple[Room, Room]:
        key = self._key(code)
        with _reachable(), self._redis.pipeline() as pipe:
            for _ in range(RETRIES):
                try:
                    pipe.watch(key)
                    text = pipe.get(key)
                    before = None if text is None else Room.from_json(text)
                    after = change(before)
                    pipe.multi()
                    pipe.set(key, dataclasses.replace(after, members={}).to_json(), ex=IDLE_SECONDS)
                    if after.data_id:
                        pipe.expire(self._data_key(code, after.data_id), IDLE_SECONDS)
                    pipe.execute()
                    return before, after
                except redis.WatchError:
                    continue
        raise RoomError("rooms_unavailable", reason="too many changes at once")

    # --- its data ---------------------------------------------------------------------------

    def _has_data(self, code: str, data_id: str) -> bool:
        with _reachable():
            return bool(self._redis.exists(self._data_key(code, data_id)))

    def _save_data(self, code: str, data_id: str, blob: bytes) -> None:
        with _reachable():
            self._redis.set(self._data_key(code, data_id), blob, ex=IDLE_SECONDS)

    def _load_data(self, code: str, data_id: str) -> bytes | None:
        with _reachable():
            return self._redis.get(self._data_key(code, data_id))

    # --- change notices ---------------------------------------------------------------------

    def _announce(self, code: str, version: int) -> None:
        with _reachable():
            self._redis.publish(self._key(code), str(version))

    def subscribe(self, code: str, listener: Listener) -> Callable[[], None]:
        self._listen()
        return super().subscribe(code, listener)

    def _listen(self) -> None:
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._relay, name="logit-rooms-redis", daemon=True)
                self._thread.start()

    def _relay(self) -> None:
        """Tells this process's listeners of every room's changes; reconnects after Redis goes away."""
        while not self._stop.is_set():
            pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            try:
                pubsub.psubscribe(PREFIX + "*")
                while not self._stop.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message and message.get("type") == "pmessage":
                        code = message["channel"].decode()[len(PREFIX):]
                        self._tell(code, int(message["data"]))
            except (redis.RedisError, OSError, ValueError):
                self._tell_everyone()  # their streams look, find Redis gone and say so at once
                self._stop.wait(1.0)  # Redis restarting: try again shortly
            finally:
                with contextlib.suppress(Exception):
                    pubsub.close()

    def _tell_everyone(self) -> None:
        with self._listeners_lock:
            codes = list(self._listeners)
        for code in codes:
            self._tell(code, -1)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=3)
        self._redis.close()
