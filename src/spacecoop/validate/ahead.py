"""Work ahead in a thread: a producer hands items over one at a time while the caller works on the
last (polars, pyarrow and numpy release the GIL, so the two run on two cores). Used for a CSV
table's scan and parse, and for its Parquet twin's read."""
from __future__ import annotations

import queue
import threading


class Stopped(Exception):
    """Raised inside the producer, at its next hand-over, once the caller has stopped."""


def ahead(produce, depth: int = 1):
    """Run produce(emit) in a thread. emit(make) waits until fewer than `depth` items are waiting
    for the caller, then hands over make(): an item is made only once there is room for it, so
    memory holds the caller's item, at most `depth` more, and the raw input of the next.

    Returns (items, finish): items yields what was emitted, in order, and raises what produce
    raised; finish() stops the producer if it is still running and returns produce's result (or
    raises what it raised). Breaking out of items early stops the producer at its next emit."""
    q: queue.Queue = queue.Queue()
    room = threading.Semaphore(depth)
    stop = threading.Event()
    result: dict = {}
    done = object()

    def emit(make):
        while not room.acquire(timeout=0.1):
            if stop.is_set():
                raise Stopped
        if stop.is_set():
            raise Stopped
        q.put(make())

    def run():
        try:
            result["value"] = produce(emit)
        except Stopped:
            pass
        except BaseException as e:  # handed to the caller's thread
            result["error"] = e
        finally:
            q.put(done)

    thread = threading.Thread(target=run, daemon=True, name="spacecoop-ahead")
    thread.start()

    def items():
        try:
            while (item := q.get()) is not done:
                room.release()
                yield item
            if "error" in result:
                raise result["error"]
        finally:
            stop.set()

    def finish():
        stop.set()
        thread.join()  # a producer waiting for room sees stop within 0.1 s
        if "error" in result:
            raise result["error"]
        return result.get("value")

    return items(), finish
