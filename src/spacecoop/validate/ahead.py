"""Work ahead in a thread: a producer hands items over one at a time while the caller works on the
last (polars, pyarrow and numpy release the GIL, so the two run on two cores). Memory holds the
item being worked on and at most `depth` more. Used for a CSV table's scan and its Parquet twin."""
from __future__ import annotations

import queue
import threading


class Stopped(Exception):
    """Raised inside the producer, at its next hand-over, once the caller has stopped."""


def ahead(produce, depth: int = 1):
    """Run produce(emit) in a thread; each emit(item) waits until the caller has room for it.

    Returns (items, finish): items yields what was emitted, in order, and raises what produce
    raised; finish() stops the producer if it is still running and returns produce's result (or
    raises what it raised). Breaking out of items early stops the producer at its next emit."""
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    result: dict = {}
    done = object()

    def emit(item):
        while not stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return
            except queue.Full:
                continue
        raise Stopped

    def run():
        try:
            result["value"] = produce(emit)
        except Stopped:
            pass
        except BaseException as e:  # handed to the caller's thread
            result["error"] = e
        finally:
            q.put(done)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def items():
        try:
            while (item := q.get()) is not done:
                yield item
            if "error" in result:
                raise result["error"]
        finally:
            stop.set()

    def finish():
        stop.set()
        while thread.is_alive():  # the producer may be waiting to hand over an item
            try:
                q.get(timeout=0.05)
            except queue.Empty:
                pass
        thread.join()
        if "error" in result:
            raise result["error"]
        return result.get("value")

    return items(), finish
