"""Time a regional brief (all ASEAN members, two years) at the `small` demo scale.

Usage: .venv/bin/python bench/briefs.py [--url DATABASE_URL] [--redis redis://127.0.0.1:6379/12]

Prints the end-to-end time through a real rq worker (enqueue to PDF stored) next to the time
WeasyPrint alone takes to render the same final HTML.
"""

import argparse
import tempfile
import time
from datetime import date, timedelta

import flask_migrate
from redis import Redis
from weasyprint import HTML

from registry import create_app, demo
from registry.blueprints.auth.services import find_user
from registry.blueprints.briefs import jobs, services
from registry.blueprints.briefs.models import Brief
from registry.core import jobs as core_jobs
from registry.core.columns import utcnow
from registry.core.pdf import InlineOnlyFetcher
from registry.core.settings import is_demo
from registry.extensions import db


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default=f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    app = create_app({"DATABASE_URL": args.url, "REDIS_URL": args.redis})
    with app.app_context():
        flask_migrate.upgrade()
        if not is_demo():
            demo.seed("small", 2026)
            db.session.commit()
        Redis.from_url(args.redis).flushdb()
        today = date.today()
        request = {
            "meeting_type": "somtc",
            "countries": "all",
            "period_from": today - timedelta(days=730),
            "period_to": today,
        }
        worker = core_jobs.worker()
        totals, renders = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            brief = services.request_brief(find_user("official@registry.example.org"), request)
            db.session.commit()
            brief_id = brief.id
            core_jobs.enqueue(jobs.generate, brief_id, on_failure=jobs.on_failure)
            worker.work(burst=True)  # the worker ends each job with a fresh session
            brief = db.session.get(Brief, brief_id)
            totals.append(time.perf_counter() - start)
            assert brief.status == "done", brief.error
            with app.test_request_context():
                html = jobs.brief_html(brief, utcnow())
            start = time.perf_counter()
            HTML(string=html, url_fetcher=InlineOnlyFetcher()).write_pdf()
            renders.append(time.perf_counter() - start)
        print(f"database: {db.engine.url.get_backend_name()}; PDF: {brief.size} bytes")
        print(
            f"end to end through the rq worker: best {min(totals):.2f} s, worst {max(totals):.2f} s"
        )
        print(
            f"WeasyPrint alone on the same HTML: best {min(renders):.2f} s, worst {max(renders):.2f} s"
        )


if __name__ == "__main__":
    main()
