"""``lotse committee_report``: a committee report of a period as PDF, from the command line.

Acts as a coordinator (``--user``, default: the first active user who prepares committee
reports), creates a draft exactly as the page does — versioned, audited, to be reopened and
edited in the browser — and writes its PDF; optionally the Anlage as XLSX and the OParl Paper.
Prints the paths and how long it took.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.accounts.models import Membership
from lotse.accounts.roles import Capability, Role, capabilities_of
from lotse.people.choices import District
from lotse.reports import committee, oparl
from lotse.reports.report_pdf import render_report_pdf

#: The base of the URLs in the OParl Paper when none is given.
DEFAULT_BASE_URL = "http://localhost:8000"


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value!r}") from None


def preparing_membership(username: str | None) -> Membership:
    """The membership the command acts in: one that may prepare committee reports."""
    roles = [role for role in Role if Capability.PREPARE_COMMITTEE_REPORT in capabilities_of(role)]
    memberships = (
        Membership.objects.filter(
            role__in=roles, is_active=True, agency__is_active=True, user__is_active=True
        )
        .select_related("user", "agency")
        .order_by("user_id", "pk")
    )
    if username:
        memberships = memberships.filter(user__username=username)
    membership = memberships.first()
    if membership is None:
        if username:
            raise CommandError(
                f"The user {username!r} does not exist, is inactive or may not prepare "
                "committee reports."
            )
        raise CommandError("No active user may prepare committee reports: give --user.")
    return membership


class Command(BaseCommand):
    help = "Create a committee report (Berichtsvorlage) of a period and write it as PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--out", required=True, help="The PDF file to write.")
        parser.add_argument(
            "--district", default="", choices=["", *District.values], help="Only this district."
        )
        parser.add_argument("--user", help="Act as this user (a coordinator).")
        parser.add_argument("--title", default="", help="The report's title.")
        parser.add_argument("--annex", help="Also write the Anlage as XLSX to this file.")
        parser.add_argument("--oparl", help="Also write the OParl 1.1 Paper (JSON) to this file.")
        parser.add_argument(
            "--base-url",
            default=DEFAULT_BASE_URL,
            help=f"Base of the URLs in the OParl Paper (default {DEFAULT_BASE_URL}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.perf_counter()
        start, end = _day(options["start"]), _day(options["end"])
        membership = preparing_membership(options["user"])
        try:
            report = committee.report_create(
                membership,
                start=start,
                end=end,
                district=options["district"],
                title=options["title"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        figures = committee.report_figures(membership, report)
        rendering = time.perf_counter()
        pdf = render_report_pdf(report, figures)
        rendered = time.perf_counter() - rendering
        out = Path(options["out"])
        out.write_bytes(pdf)
        committee.record_printed(membership, report)
        self.stdout.write(f"{out} ({len(pdf) // 1024} KiB, report #{report.pk}, version 1)")
        if options["annex"]:
            from lotse.reports.exports import figures_xlsx

            annex = Path(options["annex"])
            annex.write_bytes(figures_xlsx(figures))
            committee.record_exported(membership, report, kind="xlsx")
            self.stdout.write(str(annex))
        if options["oparl"]:
            paper = oparl.paper_json(report, base_url=options["base_url"])
            problems = oparl.validation_errors(paper)
            if problems:
                raise CommandError("The OParl Paper does not validate: " + "; ".join(problems))
            target = Path(options["oparl"])
            target.write_bytes(oparl.paper_bytes(paper))
            committee.record_exported(membership, report, kind="oparl")
            self.stdout.write(str(target))
        self.stdout.write(
            f"Done in {time.perf_counter() - began:.2f} s (PDF rendered in {rendered:.2f} s) "
            f"as {membership.user.username}."
        )
