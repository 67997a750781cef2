"""Progress goes to stderr: in place on a terminal; in a log only for work past one second."""
from __future__ import annotations

import io

from spacecoop.progress import Progress


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_quick_work_in_a_log_prints_nothing():
    s = io.StringIO()
    p = Progress("exporting", 2, stream=s)
    p("a"), p("b"), p.done()
    assert s.getvalue() == ""


def test_log_lines_name_each_step_when_shown():
    s = io.StringIO()
    p = Progress("exporting", 2, stream=s, always=True)
    p("sources"), p("agreements")
    assert s.getvalue() == "exporting: 1/2 sources\nexporting: 2/2 agreements\n"


def test_terminal_line_updates_in_place_and_is_cleared():
    s = Tty()
    p = Progress("drawing", stream=s)
    p("loading tables"), p.done()
    assert s.getvalue() == "\r\033[Kdrawing: 1 loading tables\r\033[K"
