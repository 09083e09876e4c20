from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from lotse.accounts.models import Agency
from lotse.core.runtime import tune_garbage_collector
from lotse.demo.bench import format_table, foundation_suite, scratch_database
from lotse.demo.bench_access import access_suite, seed_access_data
from lotse.demo.bench_backup import backup_suite
from lotse.demo.bench_case_pages import case_suite
from lotse.demo.bench_directory import BenchUnavailable, directory_suite
from lotse.demo.bench_people import (
    TRANSLIT_EVAL_FILE,
    cross_script_suite,
    format_plans,
    format_quality_table,
    latency_suite,
    name_quality_suite,
    search_recall_in_city,
    search_with_grants_rows,
)
from lotse.demo.bench_reports import reports_suite
from lotse.demo.bench_scheduling import scheduling_suite
from lotse.demo.services import demo_city_seed

QUICK_PERSONS = 2_000
QUICK_REPEAT = 20
QUICK_TRANSLIT = 200
QUICK_ENTRIES = 20_000
QUICK_CASES = 50


def _server_version(vendor: str) -> str:
    if vendor == "postgresql":
        number = int(getattr(connection, "pg_version", 0))  # e.g. 150020 for 15.20
        return f"{number // 10000}.{number % 10000}"
    if vendor == "sqlite":
        import sqlite3

        return sqlite3.sqlite_version
    return ""


class Command(BaseCommand):
    help = "Measure Lotse's performance on a scratch database and print a table."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=200, help="Samples per measurement.")
        parser.add_argument(
            "--persons",
            type=int,
            default=100_000,
            help="Persons of the demo city for the search and duplicate-check timings.",
        )
        parser.add_argument(
            "--entries",
            type=int,
            default=1_000_000,
            help="Journal entries (compartmented items) for the access-filtered list.",
        )
        parser.add_argument(
            "--suite",
            choices=["all", "backup", "cases", "directory", "people", "reports", "scheduling"],
            default="all",
            help="Only the family case (the city and the entries it needs, then its pages), "
            "only the directory (5,000 offers: matching, public search, HSDS export), or only "
            "the steering figures (the same city, 10,000 cases, the committee PDF), or only "
            "daily work (the deadline run over the city, a caseworker's start page), or only "
            "name matching and person search (also with 80,000 consent grants).",
        )
        parser.add_argument(
            "--quick",
            action="store_true",
            help=f"Small sizes for a smoke run ({QUICK_PERSONS:,} persons, few samples).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["persons"] < 1:
            raise CommandError("--persons must be at least 1.")
        quick = options["quick"]
        repeat = min(options["repeat"], QUICK_REPEAT) if quick else options["repeat"]
        persons = min(options["persons"], QUICK_PERSONS) if quick else options["persons"]

        def progress(stage: str, done: int, total: int) -> None:
            self.stderr.write(f"\r{stage}: {done}/{total}", ending="")
            if done == total:
                self.stderr.write("")

        entries = min(options["entries"], QUICK_ENTRIES) if quick else options["entries"]
        # Pages are served here as a server process serves them (config/wsgi.py).
        tune_garbage_collector()
        with scratch_database() as vendor:
            version = _server_version(vendor)
            if options["suite"] == "directory":
                self._directory(vendor, quick=quick, repeat=repeat)
                return
            if options["suite"] == "cases":
                demo_city_seed(families=max(1, round(persons / 2.5)), seed=2017)
                seed_access_data(persons=persons, entries=entries)
                self._cases(vendor, quick=quick, repeat=repeat)
                return
            if options["suite"] == "scheduling":
                demo_city_seed(families=max(1, round(persons / 2.5)), seed=2017)
                self._scheduling(vendor, quick=quick, repeat=repeat)
                return
            if options["suite"] == "reports":
                demo_city_seed(families=max(1, round(persons / 2.5)), seed=2017)
                seed_access_data(persons=persons, entries=entries)
                self._reports(vendor, quick=quick, repeat=repeat)
                return
            if options["suite"] == "backup":
                demo_city_seed(families=max(1, round(persons / 2.5)), seed=2017, progress=progress)
                self._backup(vendor)
                return
            if options["suite"] == "people":
                self._people(vendor, quick=quick, repeat=repeat, persons=persons, progress=progress)
                self.stdout.write("")
                rows = search_with_grants_rows(persons=persons, repeat=max(20, repeat // 4))
                self.stdout.write(format_table(f"People: search with consents ({vendor})", rows))
                return
            title = f"Lotse bench on {vendor} {version}".strip()
            self.stdout.write(format_table(title, foundation_suite(repeat)))
            self._people(vendor, quick=quick, repeat=repeat, persons=persons, progress=progress)

            access_rows, access_plan = access_suite(
                persons=persons, entries=entries, repeat=max(20, repeat // 4)
            )
            self.stdout.write("")
            self.stdout.write(format_table(f"Access core ({vendor})", access_rows))
            self.stdout.write(access_plan)

            self._cases(vendor, quick=quick, repeat=repeat)
            self._reports(vendor, quick=quick, repeat=repeat)
            self._scheduling(vendor, quick=quick, repeat=repeat)
            self._directory(vendor, quick=quick, repeat=repeat)
            self._backup(vendor)

    def _backup(self, vendor: str) -> None:
        self.stdout.write("")
        self.stdout.write(format_table(f"Backup and restore ({vendor})", backup_suite()))

    def _people(
        self, vendor: str, *, quick: bool, repeat: int, persons: int, progress: Any
    ) -> None:
        limit = QUICK_TRANSLIT if quick else None
        quality = name_quality_suite()
        quality += cross_script_suite(limit=limit, path=TRANSLIT_EVAL_FILE)
        quality += cross_script_suite(limit=limit)
        latency = latency_suite(persons=persons, repeat=repeat, progress=progress)
        quality += search_recall_in_city(Agency.objects.get(code="kim"))
        self.stdout.write("")
        self.stdout.write(format_quality_table(f"People: name matching ({vendor})", quality))
        self.stdout.write("")
        self.stdout.write(
            format_table(f"People: search and duplicate check ({vendor})", latency.rows)
        )
        self.stdout.write("")
        self.stdout.write(format_plans(latency.plans))

    def _cases(self, vendor: str, *, quick: bool, repeat: int) -> None:
        case_rows = case_suite(cases=QUICK_CASES if quick else 300, repeat=max(20, repeat // 4))
        self.stdout.write("")
        self.stdout.write(format_table(f"Family case ({vendor})", case_rows))

    def _reports(self, vendor: str, *, quick: bool, repeat: int) -> None:
        rows = reports_suite(repeat=5 if quick else 20, cases=1_000 if quick else 10_000)
        self.stdout.write("")
        self.stdout.write(format_table(f"Steering figures ({vendor})", rows))

    def _scheduling(self, vendor: str, *, quick: bool, repeat: int) -> None:
        rows = scheduling_suite(cases=QUICK_CASES if quick else 300, repeat=max(20, repeat // 4))
        self.stdout.write("")
        self.stdout.write(format_table(f"Daily work ({vendor})", rows))

    def _directory(self, vendor: str, *, quick: bool, repeat: int) -> None:
        try:
            rows = directory_suite(repeat=max(20, repeat // 4), offers=500 if quick else 5000)
        except BenchUnavailable as missing:
            self.stdout.write(f"Directory ({vendor}): not measured: {missing}")
            return
        self.stdout.write("")
        self.stdout.write(format_table(f"Directory ({vendor})", rows))
