#!/usr/bin/env python3
"""Survey figures at scale: store N responses over a year on a real
FileStorage, then time the yearly and the one-month summary (what the
report page and the reports helper's ISurveyResults call do).

    .venv/bin/python bench/survey_bench.py [N]      # default 50,000
"""
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

import transaction
from ZODB import DB
from ZODB.FileStorage import FileStorage

from silat.resources.containers import SurveyFolder
from silat.resources.folder import Folder
from silat.survey import store
from silat.survey.results import SurveyResults


def main(n):
    tmp = Path(tempfile.mkdtemp(prefix="silat-survey-bench-"))
    db = DB(FileStorage(str(tmp / "Data.fs")))
    conn = db.open()
    site = Folder("site")
    site.add("survei", SurveyFolder("Survei"))
    conn.root()["s"] = site
    rng = random.Random(13)
    start = time.perf_counter()
    for i in range(n):
        answers = {f"u{k}": rng.choice((2, 3, 3, 4, 4)) for k in range(1, 10)}
        store.add_response(site, answers, "skm9", service=rng.choice(("IMB", "SIUP", "TDP")),
                           agency="DPMPTSP", channel="kiosk",
                           today=dt.date(2026, 1, 1) + dt.timedelta(days=i * 365 // n))
        if i % 5000 == 4999:
            transaction.commit()
    transaction.commit()
    print(f"stored {n} responses in {time.perf_counter() - start:.1f} s")
    conn.close()
    db.cacheMinimize()
    conn = db.open()
    site = conn.root()["s"]
    results = SurveyResults()
    for label, kw in (("year", {}), ("one month", {"start": dt.date(2026, 6, 1), "end": dt.date(2026, 6, 30)}),
                      ("one month, one service", {"start": dt.date(2026, 6, 1), "end": dt.date(2026, 6, 30),
                                                  "service": "IMB"})):
        t = time.perf_counter()
        summary = results.summary(site, **kw)
        print(f"summary {label}: {summary['responses']} responses, index {summary['index']} "
              f"grade {summary['grade']} in {(time.perf_counter() - t) * 1000:.0f} ms")
    conn.close()
    db.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
