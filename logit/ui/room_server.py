"""The rooms of this process, and how a change reaches a following browser.

:func:`store` is where this process keeps rooms: in its memory (the single-process default), or
in Redis when ``LOGIT_REDIS_URL`` names a server (``deploy/run.sh`` starts one), so that every
replica sees every room. Made on first use, never at import.

A follower's training view listens to its room's events at :data:`EVENTS_PATH` (server-sent
events, a route that ``serve.py`` mounts beside Streamlit's with ``st.App``): the route waits on
the store's change notices, sends ``{version, teacher, ended, k, rest}`` when the room changes or
its teacher comes or goes (a view whose room state differs from the teacher's only in the
iteration ``k``, as ``rest`` tells, moves there at once), and meanwhile counts the browser as present. The view then reports, and
its page takes the room's state. No follower asks the server over and over: an idle room sends
a comment line every :data:`KEEPALIVE_SECONDS` and nothing else. Where the route is not mounted
(``streamlit run app.py``, e.g. on Community Cloud) a follower's page looks for changes itself
every :data:`POLL_SECONDS` instead.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from typing import AsyncIterator
from urllib.parse import parse_qsl

from logit.rooms import PRESENT_SECONDS, MemoryRooms, RoomError, RoomStore, check_member_id, normalise_code

EVENTS_PATH = "/_logit/rooms/{code}/events"
KEEPALIVE_SECONDS = 15.0
HERE_EVERY_SECONDS = PRESENT_SECONDS / 3  # a connected browser says it is here this often
POLL_SECONDS = 3.0
REDIS_URL_VARIABLE = "LOGIT_REDIS_URL"
HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}  # nginx passes each event at once

_store: RoomStore | None = None
_store_lock = threading.Lock()
_mounted = False


def store() -> RoomStore:
    """This process's rooms (made on first use)."""
    global _store
    with _store_lock:
        if _store is None:
            url = os.environ.get(REDIS_URL_VARIABLE, "").strip()
            if url:
                from logit.redis_rooms import RedisRooms

                _store = RedisRooms(url)
            else:
                _store = MemoryRooms()
        return _store


def use_store(new_store: RoomStore | None) -> None:
    """Replace this process's rooms (tests)."""
    global _store
    with _store_lock:
        _store = new_store


def events_mounted() -> bool:
    """Whether this process serves :data:`EVENTS_PATH` (started through ``serve.py``)."""
    return _mounted


def events_url(code: str) -> str | None:
    return EVENTS_PATH.format(code=code) if _mounted else None


def routes() -> list:
    """The routes ``serve.py`` mounts beside Streamlit's."""
    global _mounted
    from starlette.routing import Route

    _mounted = True
    return [Route(EVENTS_PATH, room_events, methods=["GET"])]


RETRY = b"retry: 3000\n\n"  # how soon a browser reconnects after the stream ends


def _event(payload: dict) -> bytes:
    return f"data: {json.dumps(payload, separators=(',', ':'))}\n\n".encode()


async def room_events(request) -> object:
    """``GET /_logit/rooms/CODE/events?after=V&member=ID&following=1``: a stream of the room's changes."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import JSONResponse, StreamingResponse

    rooms = store()
    try:
        query = dict(parse_qsl(request.url.query))  # (the page's own URL state is logit.ui.state's)
        code = normalise_code(request.path_params["code"])
        after = int(query.get("after", "0"))
        member = query.get("member", "")
        check_member_id(member)
        following = query.get("following", "1") == "1"
    except (RoomError, ValueError):
        return JSONResponse({"error": "bad_request"}, status_code=400)
    try:
        room = await run_in_threadpool(rooms.here, code, member, following)
    except RoomError as error:
        # Told as an event, so that the page can say it (and the browser tries again later).
        return StreamingResponse(iter([RETRY, _event({"error": error.code})]), media_type="text/event-stream",
                                 headers=HEADERS)

    loop = asyncio.get_running_loop()
    changed = asyncio.Event()
    unsubscribe = rooms.subscribe(code, lambda _code, _version: loop.call_soon_threadsafe(changed.set))

    async def stream() -> AsyncIterator[bytes]:
        nonlocal room
        sent = (after, None)
        last_here = time.monotonic()
        last_keepalive = time.monotonic()
        yield RETRY
        try:
            while True:
                now = time.time()
                news = (room.version, room.teacher_present(now), room.ended)
                if (news[0], news[1]) != sent and (news[0] > after or sent[1] is not None):
                    # k and rest: a view that has this rest moves to k at once, then tells its page
                    yield _event({"version": news[0], "teacher": news[1], "ended": news[2],
                                  "k": room.iteration(), "rest": room.rest_digest(), "playing": room.playing()})
                sent = (news[0], news[1])
                try:
                    await asyncio.wait_for(changed.wait(), timeout=min(KEEPALIVE_SECONDS, HERE_EVERY_SECONDS))
                    changed.clear()
                except asyncio.TimeoutError:
                    pass
                if await request.is_disconnected():
                    return
                if time.monotonic() - last_here >= HERE_EVERY_SECONDS:
                    room = await run_in_threadpool(rooms.here, code, member, following)
                    last_here = time.monotonic()
                else:
                    room = await run_in_threadpool(rooms.room, code)
                if time.monotonic() - last_keepalive >= KEEPALIVE_SECONDS:
                    yield b": keepalive\n\n"
                    last_keepalive = time.monotonic()
        except RoomError as error:
            yield _event({"error": error.code})
        finally:
            unsubscribe()
            try:
                await run_in_threadpool(rooms.leave, code, member)
            except RoomError:
                pass

    return StreamingResponse(stream(), media_type="text/event-stream", headers=HEADERS)
