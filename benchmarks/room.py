"""A class: a teacher steps, N students follow (not a test).

    python benchmarks/room.py [--followers 30] [--browsers 2] [--steps 20] [--gap 2] [--idle-seconds 20]
    python benchmarks/room.py --deploy --followers 60 --seconds 120    (two replicas behind nginx, Redis)

The teacher is a real Chromium page: it opens a room and presses Step every ``--gap`` seconds
(or for ``--seconds``). Each follower is what a student's browser is to the server: a websocket
client speaking Streamlit's protocol (benchmarks/load.py's ``Session``) that opened the join
link, plus the room's event stream (``/_logit/rooms/CODE/events``) its training view listens
to; on an event it sends the view's report, as the view does, and the server's reply moves the
view (the component's ``seek``). ``--browsers`` more students are real Chromium pages.

Timed per follower and Step: from the teacher's click until the follower has the new iteration
(a websocket client: the component's arguments with ``seek.k`` at it; a browser: its training
view drawn at it). Errors: a follower that never gets there within ``--timeout`` s, a dropped
connection, an exception on a page. Then the room idles for ``--idle-seconds`` with everyone
connected: the server's CPU (every process run.sh started, with ``--deploy``).

Starts its own server (``serve.py``, or deploy/run.sh with ``--deploy``) unless ``--url``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import Result, Session, loopback_url, percentile, proc_sample  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from e2e.conftest import PLAYER, launch_args, start_server  # noqa: E402


class Follower(Session):
    """A student's page without a browser: the websocket session and the room's event stream."""

    def __init__(self, url: str, tag: str, result: Result, timeout: float, code: str) -> None:
        super().__init__(url, tag, result, timeout)
        self.query_string = f"room={code}"
        self.code = code
        self.shown = 0  # the iteration the server last sent the view to
        self.after = 0
        self.member = ""
        self.arrived: dict[int, float] = {}  # iteration → when the view could show it (time.time())
        self.panels: dict[int, float] = {}  # iteration → when the page's run for it finished
        self.rest: str | None = None  # the room state the view has, but for the iteration
        self.reported: int | None = None
        self.reported_missing = False
        self.stream: asyncio.Task | None = None
        self.events = 0

    def _on_message(self, data: bytes, now: float) -> None:
        super()._on_message(data, now)
        message = ForwardMsg()
        message.ParseFromString(data)
        if message.WhichOneof("type") == "script_finished" and self.reported is not None:
            self.panels.setdefault(self.reported, time.time())
        if message.WhichOneof("type") != "delta" or message.delta.WhichOneof("type") != "new_element":
            return
        element = message.delta.new_element
        if element.WhichOneof("type") == "component_instance" and element.component_instance.component_name.endswith("logit_player"):
            args = json.loads(element.component_instance.json_args)
            room = args.get("room") or {}
            self.member = room.get("member", self.member)
            self.rest = room.get("rest", self.rest)
            k = int(args["seek"]["k"])
            if k != self.shown:
                self.shown = k
                self.arrived.setdefault(k, time.time())

    async def listen(self) -> None:
        self.stream = asyncio.create_task(self._stream())

    async def _stream(self) -> None:
        parts = urlsplit(self.url)
        try:
            reader, writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
            path = f"/_logit/rooms/{self.code}/events?after=0&member={self.member}&following=1"
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n".encode())
            await writer.drain()
            status = await reader.readline()
            if b" 200 " not in status:
                self.result.error("event stream", status.decode(errors="replace").strip())
                return
            while not self.closed:
                line = await reader.readline()
                if not line:
                    self.result.error("event stream", "closed by the server")
                    return
                text = line.decode(errors="replace").strip()
                # chunked transfer: the size lines are not "data:" lines and are skipped
                if text.startswith("data:"):
                    self.events += 1
                    news = json.loads(text[5:])
                    if news.get("rest") == self.rest and isinstance(news.get("k"), int):
                        # what the view does: only the iteration changed, so it moves at once
                        self.shown = news["k"]
                        self.arrived.setdefault(news["k"], time.time())
                    await self.report(news)
        except (OSError, asyncio.IncompleteReadError) as error:
            if not self.closed:
                self.result.error("event stream", repr(error))

    async def report(self, news: dict) -> None:
        """What the training view sends on the room's news."""
        self.nonce += 1
        message = self._back()
        message.rerun_script.fragment_id = self.fragment_id
        widget = message.rerun_script.widget_states.widgets.add()
        widget.id = self.widget_id
        widget.json_value = json.dumps({"k": self.shown, "nonce": f"room-{self.tag}:{self.nonce}", "acted": False,
                                        "room": news})
        self.reported = int(news.get("k", self.shown))
        try:
            await self.ws.send(message.SerializeToString())
        except Exception as error:
            self.result.error("send failed", repr(error))

    async def close(self) -> None:
        self.closed = True
        if self.stream is not None:
            self.stream.cancel()
        await super().close()


def cpu_seconds(pids: list[int]) -> float:
    return sum(sample.cpu_seconds for sample in map(proc_sample, pids) if sample is not None)


async def browser_iteration(page) -> str | None:
    return await page.evaluate(
        "(sel) => { const f = document.querySelector(sel); return f && f.contentDocument && f.contentDocument.body"
        " ? f.contentDocument.body.dataset.iteration : null; }", PLAYER)


async def run(url: str, pids: list[int], args: argparse.Namespace) -> int:
    from playwright.async_api import async_playwright

    result = Result()
    latencies: list[float] = []
    panel_latencies: list[float] = []
    browser_latencies: list[float] = []
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(**launch_args())
        teacher = await (await chromium.new_context(viewport={"width": 1280, "height": 720})).new_page()
        await teacher.goto(url + "/")
        await teacher.wait_for_selector(PLAYER, timeout=120_000)
        await teacher.get_by_role("button", name="Open a room").click()
        code = (await teacher.locator(".st-key-room-code p").inner_text(timeout=60_000)).replace(" ", "")
        await teacher.keyboard.press("Escape")
        print(f"room {code}; {args.followers} followers connecting…", file=sys.stderr, flush=True)
        followers = [Follower(url, f"f{i}", result, args.timeout, code) for i in range(args.followers)]
        opened = await asyncio.gather(*(f.open() for f in followers), return_exceptions=True)
        failed = [o for o in opened if isinstance(o, BaseException)]
        if failed:
            print(f"{len(failed)} followers could not open the page: {failed[0]!r}", file=sys.stderr)
            return 1
        for follower in followers:
            await follower.listen()
        pages = []
        for i in range(args.browsers):
            context = await chromium.new_context(viewport={"width": 1400, "height": 1000} if i % 2 == 0
                                                 else {"width": 390, "height": 844})
            page = await context.new_page()
            await page.goto(f"{url}/?room={code}")
            await page.wait_for_selector(PLAYER, timeout=120_000)
            pages.append(page)
        await asyncio.sleep(3)  # every stream open
        step = teacher.frame_locator(PLAYER).get_by_role("button", name=re.compile("^Step ▸"))
        steps = args.steps if not args.seconds else max(1, int(args.seconds / args.gap))
        started = time.monotonic()
        missed = 0
        for k in range(1, steps + 1):
            clicked = time.time()
            await step.click()
            deadline = time.monotonic() + args.timeout
            pending_browsers = list(pages)
            while time.monotonic() < deadline:
                for page in list(pending_browsers):
                    if await browser_iteration(page) == str(k):
                        browser_latencies.append((time.time() - clicked) * 1000)
                        pending_browsers.remove(page)
                if not pending_browsers and all(k in f.arrived for f in followers):
                    break
                await asyncio.sleep(0.02)
            panel_deadline = time.monotonic() + args.timeout
            while time.monotonic() < panel_deadline and not all(k in f.panels for f in followers):
                await asyncio.sleep(0.02)
            for follower in followers:
                if k in follower.panels:
                    panel_latencies.append((follower.panels[k] - clicked) * 1000)
                if k in follower.arrived:
                    latencies.append((follower.arrived[k] - clicked) * 1000)
                else:
                    missed += 1
                    result.error("missed", f"{follower.tag} never reached iteration {k}")
            missed += len(pending_browsers)
            reached = sum(k in f.arrived for f in followers)
            if k == 1 or k % 10 == 0 or reached < len(followers):
                print(f"step {k}: {reached}/{len(followers)} followers there", file=sys.stderr, flush=True)
            for follower in followers:
                if k not in follower.arrived and not follower.reported_missing:
                    follower.reported_missing = True
                    print(f"  {follower.tag} missed step {k}: shown {follower.shown}, rest {follower.rest}, "
                          f"member {follower.member!r}, events {follower.events}, closed {follower.closed}, "
                          f"errors so far {dict(result.errors)}", file=sys.stderr, flush=True)
            rest = args.gap - (time.time() - clicked)
            if rest > 0:
                await asyncio.sleep(rest)
        stepping = time.monotonic() - started
        before = cpu_seconds(pids)
        idle_started = time.monotonic()
        await asyncio.sleep(args.idle_seconds)
        idle_cpu = (cpu_seconds(pids) - before) / (time.monotonic() - idle_started) * 100
        events = sum(f.events for f in followers)
        for follower in followers:
            await follower.close()
        await chromium.close()
    print()
    print(f"| {args.followers} followers (websocket + event stream){' + %d browsers' % args.browsers if args.browsers else ''}"
          f"{', deploy/: 2 replicas, nginx, Redis' if args.deploy else ', one process'} | value |")
    print("| --- | --- |")
    print(f"| teacher Steps | {steps} over {stepping:.0f} s |")
    print(f"| follower at the new iteration, p50 / p95 / max (ms) | {percentile(latencies, 50):.0f} / "
          f"{percentile(latencies, 95):.0f} / {max(latencies, default=float('nan')):.0f} ({len(latencies)} arrivals) |")
    print(f"| … its page's panels updated too, p50 / p95 / max (ms) | {percentile(panel_latencies, 50):.0f} / "
          f"{percentile(panel_latencies, 95):.0f} / {max(panel_latencies, default=float('nan')):.0f} "
          f"({len(panel_latencies)}) |")
    if browser_latencies:
        print(f"| browser student's view drawn at it, p50 / p95 (ms) | {percentile(browser_latencies, 50):.0f} / "
              f"{percentile(browser_latencies, 95):.0f} ({len(browser_latencies)}) |")
    print(f"| events received | {events} |")
    print(f"| errors | {result.error_count} {dict(result.errors) if result.errors else ''} |")
    print(f"| server CPU while the room idles ({args.idle_seconds:.0f} s, everyone connected) | {idle_cpu:.1f} % of one core |")
    return 0 if result.error_count == 0 and missed == 0 else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--followers", type=int, default=30)
    parser.add_argument("--browsers", type=int, default=2, help="students in real Chromium pages")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=0, help="step for this long instead of --steps")
    parser.add_argument("--gap", type=float, default=2.0, help="seconds between the teacher's Steps")
    parser.add_argument("--idle-seconds", type=float, default=20.0)
    parser.add_argument("--timeout", type=float, default=15.0)
    parser.add_argument("--deploy", action="store_true", help="two replicas behind nginx with Redis (deploy/run.sh)")
    parser.add_argument("--url", help="a running app (loopback only)")
    parser.add_argument("--server-pid", type=int, action="append", default=[])
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="logit-room-bench-"))
    if args.url:
        return asyncio.run(run(loopback_url(args.url), args.server_pid, args))
    if args.deploy:
        from e2e.test_deploy import start_cluster

        cluster = start_cluster(work)
        try:
            return asyncio.run(run(cluster.url, cluster.pids, args))
        finally:
            cluster.stop()
    server = start_server(work / "server.log")
    try:
        return asyncio.run(run(server.url, [server.process.pid], args))
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
