"""Referrals of the demo city: one in every state, from the story cases to the agencies that
run offers in the directory. Demo data only.

Written through the services that real work uses — the person's consent for the referral
through ``consent_record``, the referral through ``referral_send``, every answer through
``referral_step`` — so that the access checks, events and audit trail are those of real use;
only the dates are moved into the past afterwards (sent 3–40 days ago), so that one answer is
overdue and one referral has expired. Idempotent: nothing happens when referrals exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from lotse.accounts.models import Agency, Membership
from lotse.cases.models import Case, Phase
from lotse.consent.categories import DataCategory
from lotse.consent.models import ConsentDeclaration, ConsentPurpose
from lotse.consent.services import GUARDIAN_AGE, ConsentData, consent_record
from lotse.directory.models import Offer
from lotse.directory.selectors import current_offer_q
from lotse.people.models import HouseholdMember
from lotse.referrals.models import Referral, ReferralEvent, Urgency
from lotse.referrals.services import (
    ReferralDraft,
    referral_mark_received,
    referral_send,
    referral_step,
    referrals_expire,
)

NO_SCAN = "Unterschrift auf Papier in der Akte (Demo)"


@dataclass(frozen=True)
class DemoReferral:
    to: str  # agency code
    domain: str  # life domain of the offer
    categories: tuple[str, ...]
    message: str
    #: the answers, in order: (step, reason, note)
    steps: tuple[tuple[str, str, str], ...]
    days_ago: int
    urgency: str = Urgency.ROUTINE


LANG = DataCategory.LANGUAGE
WORK = DataCategory.WORK

DEMO_REFERRALS: tuple[DemoReferral, ...] = (
    DemoReferral(
        "car",
        "language",
        (LANG,),
        "Bitte um Beratung zum Integrationskurs; die Familie spricht Arabisch.",
        (),
        2,
    ),
    DemoReferral(
        "car",
        "language",
        (LANG,),
        "Frau möchte einen Deutschkurs mit Kinderbetreuung; bitte Rückmeldung.",
        (("receive", "", ""),),
        12,
        Urgency.SOON,
    ),
    DemoReferral(
        "dia",
        "work",
        (WORK,),
        "Junger Mann sucht Ausbildung; bitte Termin beim Jugendmigrationsdienst.",
        (("accept", "", "Termin am Dienstag, 10 Uhr"),),
        9,
    ),
    DemoReferral(
        "car",
        "finances",
        (DataCategory.FINANCES,),
        "Mietschulden, Mahnungen liegen vor; bitte Schuldnerberatung.",
        (("decline", "capacity", "Bis Ende des Quartals keine Termine frei."),),
        20,
    ),
    DemoReferral(
        "mso",
        "participation",
        (),
        "Die Mutter sucht Kontakt zu anderen Frauen aus Syrien.",
        (("waitlist", "", "Die Gruppe ist voll; Platz ab nächstem Monat."),),
        15,
    ),
    DemoReferral(
        "dia",
        "education",
        (DataCategory.EDUCATION,),
        "Hausaufgabenhilfe für den Sohn (Klasse 6).",
        (("accept", "", ""), ("start", "", "Kommt montags und mittwochs.")),
        30,
    ),
    DemoReferral(
        "car",
        "language",
        (LANG,),
        "Bitte Anmeldung zum Integrationskurs.",
        (
            ("accept", "", ""),
            ("start", "", ""),
            ("complete", "", "Kurs begonnen, Modul 1 abgeschlossen; die Familie ist zufrieden."),
        ),
        40,
    ),
    DemoReferral(
        "mso",
        "family",
        (),
        "Elterncafé: Austausch zu Schule und Erziehung.",
        (
            ("accept", "", ""),
            ("start", "", ""),
            ("not_complete", "moved", "Familie zog nach Köln."),
        ),
        35,
    ),
    DemoReferral(
        "dia",
        "work",
        (WORK,),
        "Bewerbungstraining gewünscht.",
        (("cancel", "", "Die Familie hat selbst einen Platz gefunden."),),
        6,
    ),
    DemoReferral(
        "car",
        "housing",
        (DataCategory.HOUSING,),
        "Wohnungssuche, fünf Personen.",
        (),
        45,
    ),
)


def _lead(case: Case) -> Membership | None:
    return (
        Membership.objects.select_related("agency", "user")
        .filter(user_id=case.lead_user_id, agency_id=case.lead_agency_id, is_active=True)
        .first()
    )


def _offer(agency: Agency, domain: str) -> Offer | None:
    return (
        Offer.objects.filter(
            current_offer_q(),
            provider__agency=agency,
            accepts_referrals=True,
            domain_rows__domain=domain,
        )
        .order_by("pk")
        .first()
    )


@transaction.atomic
def load_demo_referrals() -> int:
    """Write the demo referrals on the open story cases; the number written."""
    if Referral.objects.exists():
        return 0
    cases = list(
        Case.objects.exclude(phase__in=[Phase.CLOSED, Phase.INTAKE])
        .select_related("household")
        .order_by("pk")
    )
    agencies = {a.code: a for a in Agency.objects.filter(code__in={d.to for d in DEMO_REFERRALS})}
    written = 0
    today = timezone.localdate()
    for index, spec in enumerate(DEMO_REFERRALS):
        if not cases or spec.to not in agencies:
            continue
        case = cases[index % len(cases)]
        lead = _lead(case)
        offer = _offer(agencies[spec.to], spec.domain)
        adults = [
            m.person
            for m in HouseholdMember.objects.filter(household=case.household)
            .select_related("person")
            .order_by("pk")
            if (age := m.person.age_on(today)) is None or age >= GUARDIAN_AGE
        ]
        if lead is None or not adults:
            continue
        person = adults[index % len(adults)]
        categories = [DataCategory.IDENTITY, *spec.categories]
        consent_record(
            subject=person,
            data=ConsentData(
                recipient_agencies=[agencies[spec.to]],
                categories=categories,
                purpose=ConsentPurpose.REFERRAL,
                given_by=ConsentDeclaration.GivenBy.SUBJECT,
                valid_from=today - timedelta(days=spec.days_ago + 1),
                valid_until=today + timedelta(days=365),
                form_language="de",
                status=ConsentDeclaration.Status.GIVEN,
                no_scan_reason=NO_SCAN,
            ),
            membership=lead,
            actor=lead.user,
        )
        referral = referral_send(
            case=case,
            draft=ReferralDraft(
                subject=person,
                message=spec.message,
                categories=list(spec.categories),
                to_agency=agencies[spec.to],
                to_offer=offer,
                urgency=spec.urgency,
            ),
            membership=lead,
            actor=lead.user,
        )
        receiver = (
            Membership.objects.select_related("agency", "user")
            .filter(agency=agencies[spec.to], is_active=True)
            .order_by("pk")
            .first()
        )
        for step, reason, note in spec.steps:
            if step == "receive":
                if receiver is not None:
                    referral_mark_received(
                        referral=referral, membership=receiver, actor=receiver.user
                    )
                continue
            member = lead if step == "cancel" else receiver
            if member is None:
                break
            referral.refresh_from_db()
            referral = referral_step(
                referral=referral,
                step=step,
                expected_version=referral.version,
                membership=member,
                actor=member.user,
                reason=reason,
                note=note,
            )
        _backdate(referral, spec.days_ago)
        written += 1
    # The oldest unanswered one has run out of time.
    referrals_expire()
    return written


def _backdate(referral: Referral, days_ago: int) -> None:
    """Told as happened ``days_ago``: sent then, answered a day after another."""
    sent = timezone.now() - timedelta(days=days_ago)
    Referral.objects.filter(pk=referral.pk).update(
        sent_at=sent,
        status_changed_at=sent + timedelta(days=1),
        answer_due=(sent + timedelta(days=7)).date(),
        expires_on=(sent + timedelta(days=30)).date(),
    )
    for offset, event in enumerate(referral.events.order_by("at", "pk")):
        ReferralEvent.objects.filter(pk=event.pk).update(at=sent + timedelta(days=offset))
