"""Journeys and the bare route taking turns on one server, so that a change in the machine's speed during a run
falls on both alike.

The machine's cores are shared with other virtual machines: measured here, the same client code spent 0.35 ms
of CPU per request in one run and 0.53 ms in the next. When journeys ran for 20 s and then the bare route for
20 s, such a drift fell on one side of the ratio only. Here the same walkers and the same hello threads run the
whole time, but only one kind may send requests at once: the turn passes every `duration / turns` seconds, and
each kind's requests, seconds and CPU are summed over its own turns. A journey cut by the end of a turn carries
on from the same page in its next turn, as a person coming back to a tab would.
"""
from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable


# A Keep it Local journey sends 43 requests on one connection (19 pages, each a GET and a POST, and 5 more): each
# hello thread opens a new connection as often, so that both kinds spread over the server's workers alike.
HELLO_PER_CONNECTION = 43


class Stopped(Exception):
    """The run is over: the walker stops where it is."""


class Turns:
    """Whose turn it is to send requests ("journey", "hello", or nobody), and how many requests are in flight.
    Each kind waits on its own condition, so a request's end wakes nobody but a controller settling the turn."""

    def __init__(self) -> None:
        self.current: str | None = None
        self.stopped = False
        self.in_flight = 0
        self.lock = threading.Lock()
        self.turn = {kind: threading.Condition(self.lock) for kind in ("journey", "hello")}
        self.quiet = threading.Condition(self.lock)

    def begin(self, kind: str) -> None:
        """Wait until `kind` may send a request, then count it in flight (Stopped once the run is over)."""
        with self.lock:
            self.turn[kind].wait_for(lambda: self.stopped or self.current == kind)
            if self.stopped:
                raise Stopped
            self.in_flight += 1

    def end(self) -> None:
        with self.lock:
            self.in_flight -= 1
            if not self.in_flight and self.current is None:
                self.quiet.notify_all()

    def give(self, kind: str | None) -> None:
        with self.lock:
            self.current = kind
            if kind:
                self.turn[kind].notify_all()

    def settle(self) -> None:
        """Let nobody send, and wait for the requests in flight to be answered."""
        with self.lock:
            self.current = None
            self.quiet.wait_for(lambda: self.in_flight == 0)

    def stop(self) -> None:
        with self.lock:
            self.stopped = True
            for condition in self.turn.values():
                condition.notify_all()


def take_turns(make_browser: Callable[[str, Turns], object], journey: Callable, answers: Callable, *, count: int,
               duration: float, turns: int, seed: int, meters: dict[str, Callable[[], float]],
               warmup: float = 0.0) -> dict:
    """Run `count` journey walkers and `count` hello threads in `turns` turns each over `duration` seconds per
    kind, after a first turn of `warmup` seconds each that is not counted. `make_browser(kind)` gives a Browser
    whose requests wait for their kind's turn; `meters` name readings (CPU seconds so far) taken at each change
    of turn and summed per kind. "refs" holds every journey's reference, warm-up included (for checking what was
    stored); "journeys" counts those finished after the warm-up."""
    state = Turns()
    lock = threading.Lock()
    done: list[str] = []
    errors: list[str] = []
    browsers: dict[str, list] = {"journey": [], "hello": []}

    def walk(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        browser = make_browser("journey", state)
        with lock:
            browsers["journey"].append(browser)
        i = 0
        while True:
            try:
                journey(browser, answers(rng, number * 100000 + i), _add)
            except Stopped:
                return
            except Exception as error:  # noqa: BLE001  (counted and shown, the run goes on)
                with lock:
                    errors.append(repr(error)[:300])
            browser.reconnect()  # the next respondent: another browser, its own connection, no cookies
            i += 1

    def _add(reference: str) -> None:
        with lock:
            done.append(reference)

    def hello(_number: int) -> None:
        browser = make_browser("hello", state)
        with lock:
            browsers["hello"].append(browser)
        try:
            while True:
                for _ in range(HELLO_PER_CONNECTION):
                    browser.request("GET", "/healthz")
                browser.reconnect()
        except Stopped:
            return

    threads = [threading.Thread(target=walk, args=(n,)) for n in range(count)]
    threads += [threading.Thread(target=hello, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    spent = {kind: dict.fromkeys(["seconds", *meters], 0.0) for kind in ("journey", "hello")}
    each_turn = []

    def served(kind: str) -> int:
        with lock:
            return sum(len(b.latencies) - b.refused for b in browsers[kind])

    for kind in ("journey", "hello") if warmup > 0 else ():
        state.give(kind)
        time.sleep(warmup)
        state.settle()
    with lock:
        warm = {id(b): (len(b.latencies), b.refused) for kinds in browsers.values() for b in kinds}
        warm_journeys = len(done)
    for _ in range(turns):
        for kind in ("journey", "hello"):
            before = {name: read() for name, read in meters.items()}
            requests = served(kind)
            started = time.monotonic()
            state.give(kind)
            time.sleep(duration / turns)
            state.settle()
            seconds = time.monotonic() - started
            spent[kind]["seconds"] += seconds
            turn = {"kind": kind, "requests": served(kind) - requests, "seconds": seconds}
            for name, read in meters.items():
                turn[name] = read() - before[name]
                spent[kind][name] += turn[name]
            each_turn.append(turn)
    state.stop()
    for thread in threads:
        thread.join()
    result = {}
    for kind in ("journey", "hello"):
        since = {id(b): warm.get(id(b), (0, 0)) for b in browsers[kind]}  # a browser made after the warm-up: all
        latencies = [t for b in browsers[kind] for t in b.latencies[since[id(b)][0]:]]
        refused = sum(b.refused - since[id(b)][1] for b in browsers[kind])
        requests = len(latencies) - refused  # busy pages are not served requests
        result[kind] = {"requests": requests, "refused": refused,
                        "latencies": latencies, "elapsed": spent[kind]["seconds"],
                        "per_s": requests / spent[kind]["seconds"],
                        **{name: spent[kind][name] for name in meters}}
    result["journey"].update(journeys=len(done) - warm_journeys, refs=done, errors=errors)
    result["hello"].update(journeys=0, refs=[], errors=[])
    result["turns"] = each_turn
    return result
