"""Rooms: a class follows its teacher.

A teacher opens a room and gets a short code to read aloud and a secret teacher key; whoever
has the code watches, only the key drives. A room holds the teacher's page state as a small
value (the page's ``snapshot``: field name → text), a version that grows with every change the
teacher makes, the teacher's uploaded data (stored once, by its digest, with a size cap) and
who is connected and following.

This module is the one place that knows the rules (the codes, the key, who may drive, when a
room is full, idle or expired, how presence is counted), as pure functions on frozen values
with the time passed in. A :class:`RoomStore` keeps rooms and tells listeners of changes; it
changes a room only through those functions, so the in-memory store (one process, nothing to
install) and the Redis store (:mod:`logit.redis_rooms`, several replicas) follow the same rules.
Nothing here imports Streamlit.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Callable, Mapping

from logit.errors import LogitError

# Easy to read aloud and to type from a projector: no 0/O, no 1/I.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
# 32⁶ ≈ 1.07·10⁹ codes: a guesser trying 1,000 codes a second finds one of 100 open rooms
# once in about three hours, and a room only shows what a projector shows anyway.
CODE_LENGTH = 6
IDLE_SECONDS = 4 * 3600  # a room no one has touched for this long is gone
PRESENT_SECONDS = 45  # a browser not heard from for this long no longer counts as connected
TEACHER_AWAY_SECONDS = 90  # a teacher not heard from for this long has left (students are told)
MAX_MEMBERS = 200
MAX_DATA_BYTES = 8 * 2**20  # a room's uploaded data (100,000 rows take ~3 MB)
MAX_STATE_BYTES = 16 * 2**10  # a page state is ~0.5 KB; a pinned run or two add little
MAX_MEMBER_ID = 64
KEEP = "keep"  # publish(..., data=KEEP): the room keeps the data it has
PLAYING = "playing"  # in a room's state beside the page's fields: the teacher's Play speed, while it plays


class RoomError(LogitError):
    """A room cannot be used as asked: the code says why (see :data:`logit.messages.MESSAGES`)."""


def new_code() -> str:
    """A random room code, e.g. ``K7P2QX``."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """A code as typed (any case, spaces or dashes, ``k7p-2qx``) → ``K7P2QX``.

    Raises
    ------
    RoomError
        ``room_code_letters`` for a letter no code holds, ``room_code_length`` for too many or too few.
    """
    cleaned = "".join(ch for ch in str(text).upper() if ch not in " -_./,\t\n")  # as typed or copied
    wrong = sorted({ch for ch in cleaned if ch not in CODE_ALPHABET})
    if wrong:
        raise RoomError("room_code_letters", found=str(text)[:20], wrong=" ".join(wrong))
    if len(cleaned) != CODE_LENGTH:
        raise RoomError("room_code_length", found=str(text)[:20], length=CODE_LENGTH, count=len(cleaned))
    return cleaned


def new_teacher_key() -> str:
    return secrets.token_urlsafe(24)


def key_digest(key: str) -> str:
    """What a room keeps of its teacher key: the key itself is never stored."""
    return hashlib.sha256(str(key).encode("utf-8", "replace")).hexdigest()


def data_digest(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()[:32]


@dataclass(frozen=True)
class Member:
    """A browser in the room: when it was last heard from, and whether it follows the teacher."""

    seen: float
    following: bool = True


@dataclass(frozen=True)
class Presence:
    """How many browsers are connected (heard from lately) and how many of them follow."""

    connected: int
    following: int


@dataclass(frozen=True)
class Room:
    """One room, as stored.

    Attributes
    ----------
    code : str
    key_digest : str
        :func:`key_digest` of the teacher key that drives it (a new teacher link replaces it).
    version : int
        Grows by one with each change the teacher publishes.
    state : Mapping[str, str]
        The teacher's page state, field name → text.
    data_id : str or None
        :func:`data_digest` of the room's uploaded data, when the state's data are an upload.
    created, changed, teacher_seen : float
        Seconds since the epoch: opened, last published, teacher last heard from.
    members : Mapping[str, Member]
        Browser id → member (the teacher's own browser is not a member).
    ended : bool
        The teacher ended the room: it can still be read until it expires, never driven.
    """

    code: str
    key_digest: str
    version: int = 0
    state: Mapping[str, str] = field(default_factory=dict)
    data_id: str | None = None
    created: float = 0.0
    changed: float = 0.0
    teacher_seen: float = 0.0
    members: Mapping[str, Member] = field(default_factory=dict)
    ended: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "state", MappingProxyType(dict(self.state)))
        object.__setattr__(self, "members", MappingProxyType(dict(self.members)))

    # --- reading --------------------------------------------------------------------------------

    def last_activity(self) -> float:
        return max([self.changed, self.teacher_seen] + [m.seen for m in self.members.values()])

    def expired(self, now: float) -> bool:
        return now - self.last_activity() > IDLE_SECONDS

    def teacher_present(self, now: float) -> bool:
        return not self.ended and now - self.teacher_seen <= TEACHER_AWAY_SECONDS

    def iteration(self) -> int:
        """The iteration the teacher shows (the page state's ``iteration``; 0 when it does not say)."""
        try:
            return max(0, int(self.state.get("iteration", "0")))
        except ValueError:
            return 0

    def playing(self) -> int:
        """The teacher's Play speed in iterations a second while it plays, else 0."""
        try:
            return max(0, int(self.state.get(PLAYING, "0")))
        except ValueError:
            return 0

    def rest_digest(self) -> str:
        """Changes with everything the teacher shows but the iteration: a student's view that has
        this digest already can move to :meth:`iteration` by itself, without the server."""
        rest = {k: v for k, v in self.state.items() if k not in ("iteration", PLAYING)}
        payload = json.dumps([rest, self.data_id], sort_keys=True, ensure_ascii=False).encode()
        return hashlib.blake2b(payload, digest_size=8).hexdigest()

    def presence(self, now: float) -> Presence:
        here = [m for m in self.members.values() if now - m.seen <= PRESENT_SECONDS]
        return Presence(connected=len(here), following=sum(m.following for m in here))

    def is_teacher(self, key: str | None) -> bool:
        return bool(key) and hmac.compare_digest(self.key_digest, key_digest(key))

    # --- the rules of change --------------------------------------------------------------------

    def check_teacher(self, key: str | None) -> None:
        """Raises ``room_not_teacher`` unless ``key`` is this room's current teacher key."""
        if not self.is_teacher(key):
            raise RoomError("room_not_teacher", room=self.code)
        if self.ended:
            raise RoomError("room_ended", room=self.code)

    def published(self, key: str, state: Mapping[str, str], data_id: str | None, now: float) -> Room:
        """The room after its teacher publishes a new page state (and names the data it uses, or
        :data:`KEEP`s the data it has)."""
        self.check_teacher(key)
        check_state(state)
        if data_id == KEEP:
            data_id = self.data_id
        if dict(state) == dict(self.state) and data_id == self.data_id:
            return dataclasses.replace(self, teacher_seen=now)
        return dataclasses.replace(self, version=self.version + 1, state=state, data_id=data_id,
                                   changed=now, teacher_seen=now)

    def teacher_heard(self, key: str, now: float) -> Room:
        self.check_teacher(key)
        return dataclasses.replace(self, teacher_seen=now)

    def rekeyed(self, key: str, new_key: str, now: float) -> Room:
        """A new teacher link: the new key drives, the old one no longer does."""
        self.check_teacher(key)
        return dataclasses.replace(self, key_digest=key_digest(new_key), teacher_seen=now)

    def ended_by(self, key: str, now: float) -> Room:
        self.check_teacher(key)
        return dataclasses.replace(self, ended=True, version=self.version + 1, changed=now)

    def with_member(self, member_id: str, following: bool, now: float) -> Room:
        """A browser says it is here (joining or staying). Members long silent are dropped first.

        Raises
        ------
        RoomError
            ``room_full`` for a new browser when :data:`MAX_MEMBERS` are connected.
        """
        check_member_id(member_id)
        members = {k: m for k, m in self.members.items() if now - m.seen <= PRESENT_SECONDS}
        if member_id not in members and len(members) >= MAX_MEMBERS:
            raise RoomError("room_full", room=self.code, limit=MAX_MEMBERS)
        members[member_id] = Member(seen=now, following=bool(following))
        return dataclasses.replace(self, members=members)

    def without_member(self, member_id: str) -> Room:
        return dataclasses.replace(self, members={k: m for k, m in self.members.items() if k != member_id})

    # --- stored form ----------------------------------------------------------------------------

    def to_json(self) -> str:
        value = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        value["state"] = dict(self.state)
        value["members"] = {k: [m.seen, m.following] for k, m in self.members.items()}
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | bytes) -> Room:
        value = json.loads(text)
        value["members"] = {k: Member(seen, following) for k, (seen, following) in value["members"].items()}
        return cls(**value)


def check_state(state: Mapping[str, str]) -> None:
    """A page state is a small mapping of texts to texts."""
    if not isinstance(state, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in state.items()):
        raise RoomError("room_state_invalid", found=type(state).__name__)
    size = len(json.dumps(dict(state), ensure_ascii=False).encode())
    if size > MAX_STATE_BYTES:
        raise RoomError("room_state_invalid", found=f"{size:,} bytes (at most {MAX_STATE_BYTES:,})")


def check_member_id(member_id: str) -> None:
    if not (isinstance(member_id, str) and 0 < len(member_id) <= MAX_MEMBER_ID and member_id.isprintable()):
        raise RoomError("room_state_invalid", found="member id")


def check_data(blob: bytes) -> None:
    if len(blob) > MAX_DATA_BYTES:
        raise RoomError("room_data_too_large", size_mb=len(blob) / 2**20, limit_mb=MAX_DATA_BYTES / 2**20)


Listener = Callable[[str, int], None]  # (code, version)


class RoomStore:
    """Where rooms live. Subclasses keep them (:meth:`_load`, :meth:`_save`, :meth:`_change`, the
    data) and tell listeners; every change goes through :class:`Room`'s rules.

    Every method raises :class:`RoomError`: ``room_not_found`` for a code no open room has (never
    opened, expired or forgotten), ``rooms_unavailable`` when the store cannot be reached.
    """

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self._listeners: dict[str, list[Listener]] = {}
        self._listeners_lock = threading.Lock()

    # --- what the page uses -------------------------------------------------------------------

    def open(self, state: Mapping[str, str], data: bytes | None = None) -> tuple[Room, str]:
        """A new room driven by the returned key, holding ``state`` (and ``data``, when given)."""
        check_state(state)
        key = new_teacher_key()
        now = self.clock()
        for _ in range(20):
            room = Room(code=new_code(), key_digest=key_digest(key), version=1, state=state,
                        created=now, changed=now, teacher_seen=now)
            if data is not None:
                check_data(data)
                room = dataclasses.replace(room, data_id=data_digest(data))
            if self._create(room):
                if data is not None:
                    self._save_data(room.code, room.data_id, data)
                return room, key
        raise RoomError("rooms_unavailable", reason="no free code")  # 20 collisions: the store is broken

    def room(self, code: str) -> Room:
        """The open room with this code."""
        room = self._load(normalise_code(code))
        if room is None or room.expired(self.clock()):
            raise RoomError("room_not_found", room=code)
        return room

    def publish(self, code: str, key: str, state: Mapping[str, str], data: bytes | str | None = None) -> Room:
        """The teacher's page state for everyone following, with its data: ``data`` bytes (stored
        once), None (the state says where its data come from), or :data:`KEEP` (the room's as they are)."""
        data_id = KEEP if isinstance(data, str) and data == KEEP else None
        if isinstance(data, bytes):
            check_data(data)
            data_id = data_digest(data)
            self.room(code).check_teacher(key)  # before storing anything
            if not self._has_data(normalise_code(code), data_id):
                self._save_data(normalise_code(code), data_id, data)
        return self._update(code, lambda room, now: room.published(key, state, data_id, now))

    def teacher_heard(self, code: str, key: str) -> Room:
        return self._update(code, lambda room, now: room.teacher_heard(key, now), notify=False)

    def new_teacher_key(self, code: str, key: str) -> str:
        """Replaces the teacher key (the old teacher link stops working) and returns the new one."""
        new_key = new_teacher_key()
        self._update(code, lambda room, now: room.rekeyed(key, new_key, now), notify=False)
        return new_key

    def end(self, code: str, key: str) -> Room:
        return self._update(code, lambda room, now: room.ended_by(key, now))

    def here(self, code: str, member_id: str, following: bool) -> Room:
        """A student's browser is here (following or exploring on its own)."""
        return self._update(code, lambda room, now: room.with_member(member_id, following, now), notify=False)

    def leave(self, code: str, member_id: str) -> Room:
        return self._update(code, lambda room, now: room.without_member(member_id), notify=False)

    def data(self, code: str, data_id: str) -> bytes:
        """The room's data with this digest."""
        blob = self._load_data(normalise_code(code), data_id)
        if blob is None:
            raise RoomError("room_not_found", room=code)
        return blob

    # --- change notices -----------------------------------------------------------------------

    def subscribe(self, code: str, listener: Listener) -> Callable[[], None]:
        """Calls ``listener(code, version)`` (from any thread) after each published change of the
        room; returns the function that stops it."""
        code = normalise_code(code)
        with self._listeners_lock:
            self._listeners.setdefault(code, []).append(listener)

        def unsubscribe() -> None:
            with self._listeners_lock:
                listeners = self._listeners.get(code, [])
                if listener in listeners:
                    listeners.remove(listener)
                if not listeners:
                    self._listeners.pop(code, None)
        return unsubscribe

    def wait(self, code: str, after_version: int, timeout: float) -> Room:
        """The room once its version is past ``after_version``, or as it is after ``timeout`` s."""
        changed = threading.Event()
        unsubscribe = self.subscribe(code, lambda _code, version: version > after_version and changed.set())
        try:
            room = self.room(code)
            if room.version <= after_version:
                changed.wait(timeout)
                room = self.room(code)
            return room
        finally:
            unsubscribe()

    def _tell(self, code: str, version: int) -> None:
        with self._listeners_lock:
            listeners = list(self._listeners.get(code, ()))
        for listener in listeners:
            try:
                listener(code, version)
            except Exception:  # noqa: BLE001 — one broken listener must not silence the others
                pass

    def _update(self, code: str, change: Callable[[Room, float], Room], notify: bool = True) -> Room:
        code = normalise_code(code)

        def checked(room: Room | None) -> Room:
            now = self.clock()
            if room is None or room.expired(now):
                raise RoomError("room_not_found", room=code)
            return change(room, now)

        before, after = self._change(code, checked)
        if notify and after.version != before.version:
            self._announce(code, after.version)
        return after

    def _announce(self, code: str, version: int) -> None:
        """Tells this process's listeners; a shared store tells every process's."""
        self._tell(code, version)

    # --- what a store implements --------------------------------------------------------------

    def _create(self, room: Room) -> bool:
        """Stores a new room; False when its code is taken."""
        raise NotImplementedError

    def _load(self, code: str) -> Room | None:
        raise NotImplementedError

    def _change(self, code: str, change: Callable[[Room | None], Room]) -> tuple[Room, Room]:
        """Atomically replaces the room by ``change(room)``; returns (before, after)."""
        raise NotImplementedError

    def _has_data(self, code: str, data_id: str) -> bool:
        raise NotImplementedError

    def _save_data(self, code: str, data_id: str, blob: bytes) -> None:
        raise NotImplementedError

    def _load_data(self, code: str, data_id: str) -> bytes | None:
        raise NotImplementedError

    def close(self) -> None:
        """Lets go of connections and threads."""


class MemoryRooms(RoomStore):
    """Rooms in this process's memory: the single-process default, nothing to install. Expired
    rooms are dropped when the next room is opened."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        super().__init__(clock)
        self._rooms: dict[str, Room] = {}
        self._data: dict[str, dict[str, bytes]] = {}
        self._lock = threading.Lock()

    def _create(self, room: Room) -> bool:
        with self._lock:
            now = self.clock()
            for code in [c for c, r in self._rooms.items() if r.expired(now)]:
                del self._rooms[code]
                self._data.pop(code, None)
            if room.code in self._rooms:
                return False
            self._rooms[room.code] = room
            return True

    def _load(self, code: str) -> Room | None:
        with self._lock:
            return self._rooms.get(code)

    def _change(self, code: str, change: Callable[[Room | None], Room]) -> tuple[Room, Room]:
        with self._lock:
            before = self._rooms.get(code)
            after = change(before)
            self._rooms[code] = after
            return before, after

    def _has_data(self, code: str, data_id: str) -> bool:
        with self._lock:
            return data_id in self._data.get(code, {})

    def _save_data(self, code: str, data_id: str, blob: bytes) -> None:
        with self._lock:
            # The data the room shows now and the one before (followers may still be fetching it).
            kept = self._data.setdefault(code, {})
            kept[data_id] = bytes(blob)
            for old in list(kept)[:-2]:
                del kept[old]

    def _load_data(self, code: str, data_id: str) -> bytes | None:
        with self._lock:
            return self._data.get(code, {}).get(data_id)
