"""Roles and what they may do, as data.

Views, APIs and templates ask for a *capability*, never for a role, so that changing what a
role may do is a change to this table alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    TEAM_LEAD = "team_lead", _("Team lead")
    COORDINATOR = "coordinator", _("Coordinator")
    DPO = "dpo", _("Data-protection officer")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class Capability(models.TextChoices):
    READ_CASE_CONTENT = "read_case_content", _("Read case content")
    WRITE_CASE_CONTENT = "write_case_content", _("Record case content")
    REGISTER_PERSONS = "register_persons", _("Register persons and households")
    SEARCH_PERSONS = "search_persons", _("Search persons")
    RECORD_CONSENT = "record_consent", _("Record consent declarations")
    ASSIGN_CASES = "assign_cases", _("Assign cases")
    VIEW_TEAM_WORK = "view_team_work", _("See the team's open work")
    ERASE_CASES = "erase_cases", _("Erase the agency's case files after the retention period")
    BREAK_GLASS = "break_glass", _("Emergency access")
    VIEW_AGGREGATES = "view_aggregates", _("See anonymous figures")
    VIEW_AGENCY_AGGREGATES = "view_agency_aggregates", _("See the agency's anonymous figures")
    PREPARE_COMMITTEE_REPORT = "prepare_committee_report", _("Prepare the committee report")
    VIEW_CONSENT_REGISTER = "view_consent_register", _("See the consent register")
    MANAGE_LEGAL_BASES = "manage_legal_bases", _("Keep the legal-basis register")
    VIEW_AUDIT = "view_audit", _("See the audit trail")
    REVIEW_BREAK_GLASS = "review_break_glass", _("Review emergency access")
    MANAGE_AGENCY_USERS = "manage_agency_users", _("Manage the agency's users")
    MANAGE_OFFERS = "manage_offers", _("Manage offers in the directory")
    ADMINISTER_SYSTEM = "administer_system", _("Administer the system")


_CASEWORK = frozenset(
    {
        Capability.READ_CASE_CONTENT,
        Capability.WRITE_CASE_CONTENT,
        Capability.REGISTER_PERSONS,
        Capability.SEARCH_PERSONS,
        Capability.RECORD_CONSENT,
    }
)

ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.CASEWORKER: _CASEWORK,
    Role.TEAM_LEAD: _CASEWORK
    | {
        Capability.ASSIGN_CASES,
        Capability.VIEW_TEAM_WORK,
        Capability.BREAK_GLASS,
        # the lead agency erases its closed cases once they are due (§ 84 Abs. 2 SGB X)
        Capability.ERASE_CASES,
        # the own agency's figures, never a figure per person
        Capability.VIEW_AGENCY_AGGREGATES,
    },
    # Coordinators see aggregates only, never a person.
    Role.COORDINATOR: frozenset({Capability.VIEW_AGGREGATES, Capability.PREPARE_COMMITTEE_REPORT}),
    # The DPO sees consents, legal bases and the audit trail, but not case content.
    Role.DPO: frozenset(
        {
            Capability.VIEW_CONSENT_REGISTER,
            Capability.MANAGE_LEGAL_BASES,
            Capability.VIEW_AUDIT,
            Capability.REVIEW_BREAK_GLASS,
        }
    ),
    Role.AGENCY_ADMIN: frozenset({Capability.MANAGE_AGENCY_USERS, Capability.MANAGE_OFFERS}),
    Role.SYSTEM_ADMIN: frozenset(
        {Capability.ADMINISTER_SYSTEM, Capability.MANAGE_AGENCY_USERS, Capability.MANAGE_OFFERS}
    ),
}


def capabilities_of(role: str) -> frozenset[Capability]:
    return ROLE_CAPABILITIES.get(Role(role), frozenset()) if role in Role.values else frozenset()


@dataclass(frozen=True)
class StartPageSection:
    """What the start page offers for one capability: a sentence and, once built, a page."""

    capability: Capability
    title: Promise
    description: Promise
    url_name: str | None = None


START_PAGE_SECTIONS: tuple[StartPageSection, ...] = (
    StartPageSection(
        Capability.SEARCH_PERSONS,
        _("Find a family"),
        _("Search by any spelling, the original script, birth year or Lotse ID."),
        "people:search",
    ),
    StartPageSection(
        Capability.REGISTER_PERSONS,
        _("Register a family"),
        _("Register a person or a whole household; Lotse warns about possible duplicates."),
        "people:register",
    ),
    StartPageSection(
        Capability.READ_CASE_CONTENT,
        _("My families"),
        _("The cases you lead or take part in, with what is due next and the last contact."),
        "case:my_families",
    ),
    StartPageSection(
        Capability.WRITE_CASE_CONTENT,
        _("Record a talk"),
        _("Find the person, then note a talk, call, home visit or decision in two minutes."),
        "people:search",
    ),
    StartPageSection(
        Capability.RECORD_CONSENT,
        _("Record consent"),
        # A consent is always a person's: it is recorded from the person's page.
        _(
            "Find the person, then document what the family agreed to share, with whom, for "
            "what and until when."
        ),
        "people:search",
    ),
    StartPageSection(
        Capability.READ_CASE_CONTENT,
        _("Offers in the city"),
        _("The directory of support offers; the public version is at /angebote/."),
        "directory:list",
    ),
    StartPageSection(
        Capability.VIEW_TEAM_WORK,
        _("Team overview"),
        _("See your team's open cases and overdue referrals and assign cases."),
        "case:team",
    ),
    StartPageSection(
        Capability.BREAK_GLASS,
        _("Emergency access"),
        _("In an emergency, open one family's data with a written reason for 24 hours."),
        "consent:break_glass_start",
    ),
    StartPageSection(
        Capability.VIEW_AGGREGATES,
        _("Figures and unmet needs"),
        _("Anonymous figures by life domain and district for the steering group."),
        "reports:figures",
    ),
    StartPageSection(
        Capability.VIEW_AGGREGATES,
        _("Structural findings"),
        _("Needs without a suitable offer and referrals declined for lack of room, by district."),
        "reports:findings",
    ),
    StartPageSection(
        Capability.VIEW_AGENCY_AGGREGATES,
        _("Your agency's figures"),
        _("Anonymous figures of your agency's case work; never per person."),
        "reports:figures",
    ),
    StartPageSection(
        Capability.PREPARE_COMMITTEE_REPORT,
        _("Committee report"),
        _("Prepare the report for the council committee as PDF and for the council system."),
        "reports:report_list",
    ),
    StartPageSection(
        Capability.VIEW_CONSENT_REGISTER,
        _("Consent register"),
        _("All consent declarations, their scope and their status."),
        "consent:register",
    ),
    StartPageSection(
        Capability.MANAGE_LEGAL_BASES,
        _("Legal-basis register"),
        _("Which data may flow between which agencies without consent, and why."),
        "consent:legal_bases",
    ),
    StartPageSection(
        Capability.REVIEW_BREAK_GLASS,
        _("Review emergency access"),
        _("Check every emergency access of a team lead: was it justified?"),
        "consent:break_glass_review",
    ),
    StartPageSection(
        Capability.VIEW_AUDIT,
        _("Audit trail"),
        _("Who saw or changed what, when, and on which basis."),
        "privacy:audit",
    ),
    StartPageSection(
        Capability.MANAGE_OFFERS,
        _("Our offers"),
        _("Keep your agency's offers up to date; confirm the data every six months."),
        "directory:manage",
    ),
    StartPageSection(
        Capability.MANAGE_AGENCY_USERS,
        _("Users"),
        _("Who works for your agency in Lotse, in which role, and whose account is closed."),
        "accounts:agency_users",
    ),
    StartPageSection(
        Capability.ADMINISTER_SYSTEM,
        _("System administration"),
        _("Agencies, settings and the technical state of this installation."),
        "admin:index",
    ),
)
