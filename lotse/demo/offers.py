"""The demo city's directory: providers, places and about eighty offers, in German. Demo data.

What the directory shows, and why:

* integration and language courses (BAMF Integrationskurs, Jugend-, Eltern-, Frauen- and
  Alphabetisierungskurs, Berufssprachkurse), counselling (MBE of Caritas and AWO, the
  Jugendmigrationsdienst, asylum procedure and legal advice, debt counselling, recognition
  counselling of the IQ Netzwerk, a psychosocial centre for refugees), Kita-Einstieg and school
  enrolment (Seiteneinstieg), homework help, parent cafés, women's groups, sports clubs and
  housing help — spread over the ten districts, some city-wide, some for districts only;
* providers that work in Lotse are linked to their demo agency (``city.AGENCIES``); the others
  (Volkshochschule, sports clubs, Verbraucherzentrale …) have no login; one provider is only
  proposed and waits for the system admin's approval, so its offers are nowhere shown;
* full offers with a waiting list, offers shown only to professionals (not public), offers
  whose data was last checked more than six months ago, one inactive, one temporarily closed
  and one expired offer (hidden from the public directory);
* every assessed need of level 2 or more of the twelve story families (``demo.cases``, default
  demo: 200 families, seed 2017) has at least one offer that fits the family's district,
  languages, age and residence status — except one on purpose (:data:`UNMET_NEED`): the
  psychotherapy in Ukrainian that the single mother of the Jugendamt's case needs; there is
  none, nor any health offer in Tigrinya.

Each provider, place and offer has a stable slug; its HSDS id is derived from it
(:func:`offer_hsds_id`), so :func:`demo_offer` finds an offer again and
:func:`seed_demo_offers` writes only what is missing. Phone numbers use a subscriber number
starting with 0 (never assigned in Germany), addresses of e-mail and web use example.org.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from lotse.accounts.models import Agency, User
from lotse.audit.models import AuditAction
from lotse.audit.services import record
from lotse.directory.domains import LifeDomain
from lotse.directory.models import FamilySituation, Location, Offer, Provider
from lotse.directory.services import OfferData, ScheduleData, clean_offer_data, write_offer_rows
from lotse.people.choices import District, ResidenceKind, Sex

#: Namespace of the demo directory's HSDS ids (uuid5 of "provider:…", "location:…", "offer:…").
DEMO_NAMESPACE = uuid.UUID("6f0c8a52-3b7e-4c1d-9a57-2d4e8b1f0c31")

#: The offers the demo stories and the browser journey use.
MBE_CARITAS = "caritas-mbe"
#: The Integrationskurs with childcare in Oberbarmen: the course the partner of the story
#: "planning-after-change-of-benefit-law" needs (language need 3, "Kurs mit Kinderbetreuung").
LANGUAGE_COURSE = "vhs-integrationskurs-kinderbetreuung-oberbarmen"
#: The need left without a suitable offer: (story key, member, life domain).
UNMET_NEED = ("jugendamt-leads-single-mother", "head", LifeDomain.HEALTH.value)


@dataclass(frozen=True)
class DemoProvider:
    slug: str
    name: str
    description: str
    agency: str = ""  # code of the demo agency (city.AGENCIES), "" for a provider without login
    alternate_name: str = ""
    email: str = ""
    website: str = ""
    phone: str = ""
    proposed: bool = False  # proposed by a partner, awaiting the system admin's approval


@dataclass(frozen=True)
class DemoLocation:
    slug: str
    provider: str
    name: str
    street: str
    postal_code: str
    district: str
    latitude: str
    longitude: str
    transportation: str = ""
    step_free: bool | None = None
    accessibility: str = ""
    description: str = ""


@dataclass(frozen=True)
class DemoTime:
    """A recurrence: RFC 5545 ``freq``/``byday``; ``start``/``end`` in days from today."""

    freq: str
    byday: str
    opens: str
    closes: str
    description: str = ""
    at: str = ""  # location slug
    interval: int = 1
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class DemoOffer:
    slug: str
    provider: str
    name: str
    description: str
    domains: tuple[str, ...]
    languages: tuple[str, ...]
    at: tuple[str, ...] = ()
    times: tuple[DemoTime, ...] = ()
    checked: int = 30  # days since the data was last checked
    starts: int | None = None  # valid_from, days from today
    ends: int | None = None  # valid_until, days from today
    fields: dict[str, Any] = field(default_factory=dict)  # the other OfferData fields


def weekly(
    days: str,
    opens: str,
    closes: str,
    description: str = "",
    *,
    at: str = "",
    every: int = 1,
    start: int | None = None,
    end: int | None = None,
) -> DemoTime:
    return DemoTime("WEEKLY", days, opens, closes, description, at, every, start, end)


def monthly(days: str, opens: str, closes: str, description: str = "", *, at: str = "") -> DemoTime:
    return DemoTime("MONTHLY", days, opens, closes, description, at)


def _o(
    slug: str,
    provider: str,
    name: str,
    description: str,
    *,
    domains: tuple[str, ...],
    languages: tuple[str, ...],
    at: tuple[str, ...] = (),
    times: tuple[DemoTime, ...] = (),
    checked: int = 30,
    starts: int | None = None,
    ends: int | None = None,
    **fields: Any,
) -> DemoOffer:
    if "districts" in fields:
        fields.setdefault("citywide", False)
    return DemoOffer(
        slug,
        provider,
        name,
        description,
        domains,
        languages,
        at,
        times,
        checked,
        starts,
        ends,
        fields,
    )


D = LifeDomain
RK = ResidenceKind
FS = FamilySituation
F = Sex.FEMALE
WEEKDAYS = "MO,TU,WE,TH,FR"

#: Who may be admitted to an Integrationskurs (§ 44 AufenthG, § 5 IntV) in the demo: not with
#: a Duldung or without a status — those go to the volunteers' courses.
COURSE_STATUSES = [
    RK.RESIDENCE_PERMIT, RK.SETTLEMENT_PERMIT, RK.ASYLUM_PERMISSION, RK.PROVISIONAL,
    RK.EU_FREE_MOVEMENT, RK.GERMAN_CITIZEN,
]  # fmt: skip
COURSE_WHO = (
    "Mit Berechtigung oder Verpflichtung zum Integrationskurs: Menschen mit Aufenthaltserlaubnis "
    "oder Niederlassungserlaubnis, Menschen aus EU-Staaten, Asylsuchende im laufenden "
    "Verfahren. Mit Duldung nur in Ausnahmefällen – fragen Sie in der Beratung nach."
)
COURSE_DOCUMENTS = [
    "Berechtigungsschein oder Verpflichtung zum Integrationskurs",
    "Pass oder Ausweisersatz",
    "Aufenthaltstitel oder Aufenthaltsgestattung",
]
COURSE_FEES = (
    "Kostenbeitrag je Unterrichtsstunde; kostenfrei mit Bürgergeld, Leistungen nach dem "
    "AsylbLG oder Befreiung durch das BAMF."
)
COURSE_APPLY = (
    "Zum Einstufungstest anmelden: persönlich in der Sprechstunde oder per E-Mail. Nach dem "
    "Test bekommen Sie einen Platz im passenden Kurs oder auf der Warteliste."
)
JOB_DOCUMENTS = ["Pass oder Ausweisersatz", "Lebenslauf, wenn vorhanden", "Zeugnisse und Nachweise"]

# fmt: off
PROVIDERS: tuple[DemoProvider, ...] = (
    DemoProvider(
        "caritas", "Caritasverband Wuppertal/Solingen – Migrationsdienste",
        "Beratung und Begleitung für Zugewanderte und Geflüchtete: Migrationsberatung für "
        "Erwachsene, Asylverfahrensberatung, Schuldnerberatung, Hilfe bei der Wohnungssuche, "
        "Sprachcafé und Gruppen im Stadtteil.",
        agency="car", alternate_name="Caritas", email="migration@caritas.example.org",
        website="https://caritas.example.org/migration", phone="0202 0389-0400",
    ),
    DemoProvider(
        "jmd-diakonie", "Jugendmigrationsdienst der Diakonie Wuppertal",
        "Der Jugendmigrationsdienst (JMD) begleitet junge Zugewanderte von 12 bis 27 Jahren bei "
        "Schule, Ausbildung, Beruf und im Alltag.",
        agency="dia", alternate_name="JMD", email="jmd@diakonie.example.org",
        website="https://diakonie.example.org/jmd", phone="0202 0974-0200",
    ),
    DemoProvider(
        "diakonie-beratung", "Diakonie Wuppertal – Beratungsdienste",
        "Schuldnerberatung, Erziehungs- und Familienberatung, Flüchtlingsberatung in den "
        "Unterkünften und Treffpunkte für Alleinerziehende.",
        email="beratung@diakonie.example.org", website="https://diakonie.example.org/beratung",
        phone="0202 0974-0100",
    ),
    DemoProvider(
        "awo", "AWO Kreisverband Wuppertal",
        "Migrationsberatung für Erwachsene, Kita-Einstieg, Elterncafés und Treffpunkte für "
        "Seniorinnen und Senioren.",
        alternate_name="AWO", email="info@awo.example.org", website="https://awo.example.org",
        phone="0202 0451-0300",
    ),
    DemoProvider(
        "mso", "Verbund der Migrantenorganisationen (Demo)",
        "Zusammenschluss von Vereinen zugewanderter Menschen: Hausaufgabenhilfe, Frauentreffs, "
        "Elterncafés und Begleitung zu Ämtern in vielen Sprachen.",
        agency="mso", email="kontakt@mso.example.org", website="https://mso.example.org",
        phone="0202 0695-1000",
    ),
    DemoProvider(
        "fi", "Flüchtlingsinitiative (Demo)",
        "Ehrenamtliche unterstützen Geflüchtete: Deutschkurse für alle, Patenschaften, "
        "Fahrradwerkstatt und eine Rechtsberatung mit ehrenamtlichen Anwältinnen und Anwälten.",
        agency="fi", email="hallo@initiative.example.org",
        website="https://initiative.example.org", phone="0202 0317-4400",
    ),
    DemoProvider(
        "kim", "Stadt Wuppertal – Ressort Zuwanderung und Integration (KIM)",
        "Kommunales Integrationsmanagement: Case-Management für Familien, Beratung zum "
        "Integrationskurs und zur Einbürgerung, Sprach- und Kulturmittlung.",
        agency="kim", alternate_name="KIM", email="kim@stadt.example.org",
        website="https://stadt.example.org/integration", phone="0202 0563-4000",
    ),
    DemoProvider(
        "jobcenter", "Jobcenter Wuppertal",
        "Beratung und Vermittlung in Arbeit und Ausbildung für Menschen, die Bürgergeld "
        "beziehen; Integration Point für Geflüchtete.",
        agency="jc", email="integration-point@jobcenter.example.org",
        website="https://jobcenter.example.org", phone="0202 0747-3300",
    ),
    DemoProvider(
        "agentur", "Agentur für Arbeit Solingen-Wuppertal",
        "Berufsberatung für Jugendliche und Erwachsene, Beratung zu Weiterbildung und "
        "Umschulung, Berufsinformationszentrum (BiZ).",
        agency="aa", email="wuppertal.biz@agentur.example.org",
        website="https://agentur.example.org", phone="0202 0286-1100",
    ),
    DemoProvider(
        "schulamt", "Schulamt für die Stadt Wuppertal",
        "Schulberatung und Schulplatzvergabe für neu zugewanderte Kinder und Jugendliche, "
        "herkunftssprachlicher Unterricht.",
        agency="schul", email="seiteneinstieg@schulamt.example.org",
        website="https://stadt.example.org/schulamt", phone="0202 0563-7000",
    ),
    DemoProvider(
        "jugendamt", "Jugendamt Wuppertal",
        "Beratung zu Kita-Plätzen und Kindertagespflege, Frühe Hilfen für Familien mit kleinen "
        "Kindern.",
        agency="ja", email="kita@jugendamt.example.org",
        website="https://stadt.example.org/jugendamt", phone="0202 0563-2200",
    ),
    DemoProvider(
        "sozialamt", "Stadt Wuppertal – Sozialamt",
        "Beratung zu Bildung und Teilhabe und zum Sozialticket für Menschen mit Leistungen nach "
        "dem AsylbLG, dem SGB XII oder Wohngeld.",
        agency="sa", email="teilhabe@sozialamt.example.org",
        website="https://stadt.example.org/soziales", phone="0202 0563-5100",
    ),
    DemoProvider(
        "fachstelle-wohnen", "Stadt Wuppertal – Fachstelle für Wohnungsnotfälle",
        "Hilfe bei drohendem Wohnungsverlust, bei Mietschulden und Räumungsklagen; Beratung zum "
        "Wohnberechtigungsschein.",
        email="wohnen@stadt.example.org", website="https://stadt.example.org/wohnen",
        phone="0202 0563-5500",
    ),
    DemoProvider(
        "vhs", "Bergische Volkshochschule",
        "Weiterbildung für Wuppertal und Solingen; Träger von Integrations- und "
        "Berufssprachkursen an mehreren Lernorten in Wuppertal.",
        alternate_name="VHS", email="integration@vhs.example.org",
        website="https://vhs.example.org/deutsch", phone="0202 0563-2600",
    ),
    DemoProvider(
        "sprachinstitut", "Sprachinstitut am Werth",
        "Privater Sprachkursträger in Barmen, zugelassen für Integrations- und "
        "Berufssprachkurse.",
        email="kurse@sprachinstitut.example.org", website="https://sprachinstitut.example.org",
        phone="0202 0712-0900",
    ),
    DemoProvider(
        "iq-netzwerk", "IQ Netzwerk NRW – Anerkennungsberatung Bergisches Städtedreieck",
        "Beratung zur Anerkennung ausländischer Berufs- und Studienabschlüsse und zu "
        "Anpassungsqualifizierungen.",
        alternate_name="IQ Netzwerk", email="anerkennung@iq.example.org",
        website="https://iq.example.org", phone="0202 0431-0700",
    ),
    DemoProvider(
        "psz", "Psychosoziales Zentrum für Geflüchtete Bergisches Land",
        "Psychosoziale Beratung, Psychotherapie mit Sprachmittlung und Gruppen für Menschen mit "
        "Flucht- und Gewalterfahrung.",
        alternate_name="PSZ", email="kontakt@psz.example.org", website="https://psz.example.org",
        phone="0202 0258-0800",
    ),
    DemoProvider(
        "verbraucherzentrale", "Verbraucherzentrale NRW – Beratungsstelle Wuppertal",
        "Unabhängige Beratung zu Verträgen, Energiekosten, Budget und Schulden.",
        email="wuppertal@vz.example.org", website="https://vz.example.org/wuppertal",
        phone="0202 0264-0500",
    ),
    DemoProvider(
        "mieterverein", "Mieterverein Wuppertal und Umgebung",
        "Rechtsberatung für Mieterinnen und Mieter: Kündigung, Nebenkosten, Mängel in der "
        "Wohnung. Beratung für Mitglieder.",
        email="beratung@mieterverein.example.org", website="https://mieterverein.example.org",
        phone="0202 0319-0600",
    ),
    DemoProvider(
        "nachbarschaftsheim", "Nachbarschaftsheim Wuppertal",
        "Stadtteilzentrum am Platz der Republik: Hausaufgabenhilfe, Elterncafé, Mädchentreff und "
        "Angebote für die Nachbarschaft.",
        email="info@nachbarschaftsheim.example.org",
        website="https://nachbarschaftsheim.example.org", phone="0202 0449-0100",
    ),
    DemoProvider(
        "familienzentrum-wichlinghausen", "Ev. Familienzentrum Wichlinghausen",
        "Familienzentrum mit Kita: Elterncafé, Elternkurse und eine Spielgruppe für Kinder ohne "
        "Kita-Platz.",
        email="familienzentrum@ev-wichlinghausen.example.org",
        website="https://ev-wichlinghausen.example.org", phone="0202 0526-0300",
    ),
    DemoProvider(
        "frau-beruf", "Frau und Beruf – Beratungsstelle Bergisches Städtedreieck",
        "Beratung für Frauen zu Beruf, Wiedereinstieg und Teilzeit, mit Gruppen für "
        "zugewanderte Frauen.",
        email="beratung@frau-beruf.example.org", website="https://frau-beruf.example.org",
        phone="0202 0563-8800",
    ),
    DemoProvider(
        "pro-familia", "pro familia Beratungsstelle Wuppertal",
        "Schwangerschaftsberatung, Familienplanung und Beratung zu Partnerschaft und "
        "Sexualität.",
        email="wuppertal@profamilia.example.org", website="https://profamilia.example.org",
        phone="0202 0447-0200",
    ),
    DemoProvider(
        "suchthilfe", "Suchthilfe Wuppertal",
        "Beratung und Behandlung bei Abhängigkeit von Alkohol, Medikamenten, Drogen und beim "
        "Glücksspiel.",
        email="beratung@suchthilfe.example.org", website="https://suchthilfe.example.org",
        phone="0202 0478-0100",
    ),
    DemoProvider(
        "stadtteilbuero-vohwinkel", "Stadtteilbüro Vohwinkel",
        "Quartiersbüro mit Hausaufgabenhilfe, Repaircafé und Beratung rund um den Stadtteil.",
        email="stadtteilbuero@vohwinkel.example.org", website="https://vohwinkel.example.org",
        phone="0202 0700-0300",
    ),
    DemoProvider(
        "stadtteiltreff-katernberg", "Stadtteiltreff Katernberg",
        "Nachbarschaftstreff im Norden Elberfelds mit Sprachtreff und Frühstück für alle.",
        email="treff@katernberg.example.org", phone="0202 0708-0400",
    ),
    DemoProvider(
        "tus-wichlinghausen", "TuS Wichlinghausen 1885 (Demo)",
        "Sportverein in Oberbarmen mit Fußball, Turnen und Leichtathletik.",
        email="info@tus-wichlinghausen.example.org", phone="0202 0529-0100",
    ),
    DemoProvider(
        "schwimmgemeinschaft", "Schwimmgemeinschaft Wupper (Demo)",
        "Schwimmverein mit Kursen für Kinder und eigenen Kursen für Frauen.",
        email="kurse@sg-wupper.example.org", phone="0202 0553-0200",
    ),
    DemoProvider(
        "fc-vohwinkel", "FC Vohwinkel International (Demo)",
        "Fußballverein, in dem Menschen aus über zwanzig Ländern zusammen spielen.",
        email="training@fc-vohwinkel.example.org", phone="0202 0739-0300",
    ),
    DemoProvider(
        "tv-cronenberg", "Cronenberger Turnverein (Demo)",
        "Turnen, Gymnastik und Kinderturnen in Cronenberg.",
        email="info@ctv.example.org", phone="0202 0471-0400",
    ),
    DemoProvider(
        "boxclub-heckinghausen", "Boxclub Heckinghausen (Demo)",
        "Boxtraining für Kinder, Jugendliche und Erwachsene, auch für Anfängerinnen.",
        email="training@boxclub.example.org", phone="0202 0590-0500",
    ),
    DemoProvider(
        "ttc-ronsdorf", "TTC Ronsdorf (Demo)",
        "Tischtennisverein mit offenen Trainingszeiten für alle Altersgruppen.",
        email="info@ttc-ronsdorf.example.org", phone="0202 0246-0600",
    ),
    DemoProvider(
        "tv-uellendahl", "TV Uellendahl 1890 (Demo)",
        "Turn- und Sportverein mit Lauf- und Walkinggruppen.",
        email="info@tv-uellendahl.example.org", phone="0202 0715-0700",
    ),
    DemoProvider(
        "ukrainischer-verein", "Ukrainischer Kulturverein Wuppertal (Demo)",
        "Verein ukrainischer Familien: Elternrunde, Kulturabende und Hilfe beim Ankommen. "
        "Vom Verbund der Migrantenorganisationen vorgeschlagen.",
        email="kontakt@ukr-verein.example.org", phone="0202 0681-0800", proposed=True,
    ),
)

LOCATIONS: tuple[DemoLocation, ...] = (
    DemoLocation("caritas-elberfeld", "caritas", "Caritas-Beratungszentrum Elberfeld",
                 "Friedrich-Ebert-Straße 14", "42103", District.ELBERFELD, "51.255210", "7.139480",
                 "Schwebebahn Robert-Daum-Platz, 5 Minuten zu Fuß", True,
                 "Aufzug, barrierefreie Toilette"),
    DemoLocation("caritas-oberbarmen", "caritas", "Caritas-Stadtteilbüro Oberbarmen",
                 "Berliner Straße 171", "42275", District.OBERBARMEN, "51.275160", "7.218420",
                 "Schwebebahn und Bahnhof Oberbarmen", False,
                 "Drei Stufen am Eingang; bitte klingeln, wir helfen."),
    DemoLocation("caritas-barmen", "caritas", "Caritas-Familientreff Barmen",
                 "Unterdörnen 37", "42283", District.BARMEN, "51.269310", "7.187960",
                 "Bus 640, Haltestelle Unterdörnen", True),
    DemoLocation("jmd-elberfeld", "jmd-diakonie", "Jugendmigrationsdienst Elberfeld",
                 "Hochstraße 33", "42105", District.ELBERFELD, "51.259840", "7.144120",
                 "Bus 645, Haltestelle Hochstraße", True),
    DemoLocation("jmd-barmen", "jmd-diakonie", "Jugendmigrationsdienst Barmen",
                 "Höhne 20", "42275", District.BARMEN, "51.271790", "7.203960",
                 "Schwebebahn Alter Markt", True),
    DemoLocation("jmd-oberbarmen", "jmd-diakonie", "Jugendtreff International",
                 "Wichlinghauser Straße 38", "42277", District.OBERBARMEN, "51.281020",
                 "7.216530", "Bus 620, Haltestelle Wichlinghauser Markt", False,
                 "Treff im Erdgeschoss, eine Stufe"),
    DemoLocation("diakonie-barmen", "diakonie-beratung", "Diakonie-Beratungszentrum Barmen",
                 "Rathenaustraße 12", "42277", District.BARMEN, "51.273840", "7.208010",
                 "Schwebebahn Wupperfeld", True),
    DemoLocation("diakonie-elberfeld", "diakonie-beratung",
                 "Beratungsstelle für Eltern, Kinder und Jugendliche", "Luisenstraße 60", "42103",
                 District.ELBERFELD, "51.256830", "7.140550", "Bus 643, Haltestelle Luisenstraße",
                 True),
    DemoLocation("diakonie-varresbeck", "diakonie-beratung",
                 "Gemeinschaftsunterkunft Varresbeck – Beratungsraum", "Varresbecker Straße 90",
                 "42115", District.ELBERFELD_WEST, "51.253790", "7.115020",
                 "Schwebebahn Varresbeck", True),
    DemoLocation("awo-barmen", "awo", "AWO-Begegnungszentrum Barmen", "Wittensteinstraße 46",
                 "42285", District.BARMEN, "51.269020", "7.196510",
                 "Schwebebahn Werther Brücke", True),
    DemoLocation("awo-heckinghausen", "awo", "AWO-Familienzentrum Heckinghausen",
                 "Heckinghauser Straße 120", "42289", District.HECKINGHAUSEN, "51.264210",
                 "7.224530", "Bus 602, Haltestelle Heckinghauser Straße", True),
    DemoLocation("awo-oberbarmen", "awo", "AWO-Kita-Einstieg Oberbarmen", "Langobardenstraße 12",
                 "42277", District.OBERBARMEN, "51.279030", "7.221480",
                 "Bus 608, Haltestelle Langobardenstraße", True),
    DemoLocation("awo-langerfeld", "awo", "AWO-Seniorentreff Langerfeld",
                 "Langerfelder Straße 95", "42389", District.LANGERFELD_BEYENBURG, "51.278510",
                 "7.246020", "Bus 606, Haltestelle Langerfelder Markt", True),
    DemoLocation("mso-gathe", "mso", "Begegnungszentrum der Migrantenorganisationen", "Gathe 20",
                 "42107", District.ELBERFELD, "51.261830", "7.144490",
                 "Bus 645, Haltestelle Gathe", False, "Erster Stock ohne Aufzug"),
    DemoLocation("mso-oberbarmen", "mso", "Kulturverein Oberbarmen – Lernraum",
                 "Normannenstraße 50", "42277", District.OBERBARMEN, "51.276540", "7.223010",
                 "Bahnhof Oberbarmen, 8 Minuten zu Fuß", True),
    DemoLocation("mso-sonnborn", "mso", "Elterntreff Sonnborn", "Sonnborner Straße 60", "42327",
                 District.ELBERFELD_WEST, "51.243050", "7.110210",
                 "Schwebebahn Sonnborner Straße", True),
    DemoLocation("fi-ronsdorf", "fi", "Café der Flüchtlingsinitiative", "Staubenthaler Straße 10",
                 "42369", District.RONSDORF, "51.225480", "7.208510",
                 "Bus 620, Haltestelle Ronsdorf Markt", True),
    DemoLocation("fi-cronenberg", "fi", "Gemeindesaal Cronenberg", "Hastener Straße 12", "42349",
                 District.CRONENBERG, "51.207960", "7.151030",
                 "Bus 625, Haltestelle Cronenberg Rathausplatz", False,
                 "Saal im Untergeschoss, Treppe mit Handlauf"),
    DemoLocation("fi-werkstatt", "fi", "Fahrradwerkstatt im Hinterhof", "Marienstraße 80",
                 "42105", District.ELBERFELD, "51.261240", "7.139520",
                 "Bus 643, Haltestelle Marienstraße", True),
    DemoLocation("fi-barmen", "fi", "Gemeindehaus Unterdörnen", "Unterdörnen 100", "42283",
                 District.BARMEN, "51.268640", "7.184960", "Bus 640, Haltestelle Unterdörnen",
                 True),
    DemoLocation("kim-neumarkt", "kim", "Ressort Zuwanderung und Integration", "Neumarkt 10",
                 "42103", District.ELBERFELD, "51.256480", "7.149720",
                 "Schwebebahn Hauptbahnhof (Döppersberg)", True),
    DemoLocation("kim-barmen", "kim", "KIM-Büro Barmen", "Unterdörnen 12", "42283",
                 District.BARMEN, "51.269870", "7.190120", "Schwebebahn Adlerbrücke", True),
    DemoLocation("jobcenter-elberfeld", "jobcenter", "Jobcenter – Integration Point",
                 "Friedrich-Ebert-Straße 80", "42103", District.ELBERFELD, "51.254280",
                 "7.135010", "Schwebebahn Pestalozzistraße", True),
    DemoLocation("jobcenter-barmen", "jobcenter", "Jobcenter – Geschäftsstelle Barmen",
                 "Höhne 49", "42275", District.BARMEN, "51.272430", "7.205520",
                 "Schwebebahn Alter Markt", True),
    DemoLocation("jobcenter-vohwinkel", "jobcenter", "Werkstattzentrum Vohwinkel",
                 "Bahnstraße 50", "42327", District.VOHWINKEL, "51.231520", "7.069030",
                 "S-Bahn und Schwebebahn Vohwinkel", True),
    DemoLocation("agentur-biz", "agentur", "Berufsinformationszentrum (BiZ)", "Hofaue 55",
                 "42103", District.ELBERFELD, "51.257790", "7.153020",
                 "Bus 611, Haltestelle Hofaue", True),
    DemoLocation("schulamt", "schulamt", "Schulamt – Beratungsstelle Seiteneinstieg",
                 "Hombüchel 14", "42105", District.ELBERFELD, "51.261050", "7.147530",
                 "Bus 603, Haltestelle Hombüchel", True),
    DemoLocation("jugendamt-kita", "jugendamt", "Jugendamt – Servicestelle Kita",
                 "Marienstraße 41", "42105", District.ELBERFELD, "51.260520", "7.141030",
                 "Bus 643, Haltestelle Marienstraße", True),
    DemoLocation("sozialamt-barmen", "sozialamt", "Sozialamt – Servicecenter Barmen",
                 "Werth 110", "42275", District.BARMEN, "51.271390", "7.201040",
                 "Schwebebahn Werther Brücke", True),
    DemoLocation("fachstelle-wohnen", "fachstelle-wohnen", "Fachstelle für Wohnungsnotfälle",
                 "Gathe 65", "42107", District.ELBERFELD, "51.263020", "7.143520",
                 "Bus 645, Haltestelle Gathe", True),
    DemoLocation("vhs-elberfeld", "vhs", "Bergische VHS – Lernort Elberfeld",
                 "Kasinostraße 19", "42103", District.ELBERFELD, "51.255830", "7.143010",
                 "Schwebebahn Hauptbahnhof (Döppersberg)", True, "Aufzug, Induktionsschleife"),
    DemoLocation("vhs-oberbarmen", "vhs", "Bergische VHS – Lernort Oberbarmen",
                 "Färberstraße 8", "42275", District.OBERBARMEN, "51.274230", "7.215810",
                 "Schwebebahn Oberbarmen Bf", True, "Kinderbetreuung im Erdgeschoss"),
    DemoLocation("vhs-barmen", "vhs", "Bergische VHS – Lernort Barmen", "Werth 72", "42275",
                 District.BARMEN, "51.271210", "7.198530", "Schwebebahn Alter Markt", True),
    DemoLocation("vhs-heckinghausen", "vhs", "Bergische VHS – Lernort Heckinghausen",
                 "Widukindstraße 5", "42289", District.HECKINGHAUSEN, "51.262230", "7.228050",
                 "Bus 602, Haltestelle Widukindstraße", False, "Zweiter Stock ohne Aufzug"),
    DemoLocation("vhs-langerfeld", "vhs", "Bergische VHS – Lernort Langerfeld",
                 "Schwelmer Straße 62", "42389", District.LANGERFELD_BEYENBURG, "51.279480",
                 "7.250520", "Bus 606, Haltestelle Langerfelder Markt", True),
    DemoLocation("vhs-vohwinkel", "vhs", "Bergische VHS – Lernort Vohwinkel", "Kaiserstraße 30",
                 "42329", District.VOHWINKEL, "51.234020", "7.073510",
                 "Schwebebahn Vohwinkel", True),
    DemoLocation("vhs-cronenberg", "vhs", "Bergische VHS – Lernort Cronenberg",
                 "Hauptstraße 40", "42349", District.CRONENBERG, "51.204810", "7.146520",
                 "Bus 625, Haltestelle Cronenberg Rathausplatz", True),
    DemoLocation("sprachinstitut", "sprachinstitut", "Sprachinstitut am Werth", "Werth 15",
                 "42275", District.BARMEN, "51.270520", "7.195540",
                 "Schwebebahn Werther Brücke", False, "Erster Stock, schmaler Aufzug"),
    DemoLocation("iq", "iq-netzwerk", "IQ-Beratungsstelle Anerkennung", "Morianstraße 20",
                 "42103", District.ELBERFELD, "51.254830", "7.145530",
                 "Schwebebahn Hauptbahnhof (Döppersberg)", True),
    DemoLocation("psz-elberfeld", "psz", "Psychosoziales Zentrum", "Ostersbaum 9", "42107",
                 District.ELBERFELD, "51.265520", "7.152030", "Bus 603, Haltestelle Ostersbaum",
                 True, "Ruhiger Wartebereich, Kinderecke"),
    DemoLocation("psz-barmen", "psz", "PSZ – Gruppenraum Barmen", "Unterdörnen 80", "42283",
                 District.BARMEN, "51.268810", "7.189530", "Bus 640, Haltestelle Unterdörnen",
                 True),
    DemoLocation("verbraucherzentrale", "verbraucherzentrale",
                 "Verbraucherzentrale – Beratungsstelle", "Kasinostraße 5", "42103",
                 District.ELBERFELD, "51.255910", "7.142510",
                 "Schwebebahn Hauptbahnhof (Döppersberg)", True),
    DemoLocation("mieterverein", "mieterverein", "Mieterverein – Geschäftsstelle",
                 "Luisenstraße 20", "42103", District.ELBERFELD, "51.257030", "7.141810",
                 "Bus 643, Haltestelle Luisenstraße", False, "Hochparterre, sechs Stufen"),
    DemoLocation("nachbarschaftsheim", "nachbarschaftsheim",
                 "Nachbarschaftsheim am Platz der Republik", "Platz der Republik 24", "42107",
                 District.ELBERFELD, "51.263580", "7.138830",
                 "Bus 643, Haltestelle Platz der Republik", True),
    DemoLocation("familienzentrum-wichlinghausen", "familienzentrum-wichlinghausen",
                 "Ev. Familienzentrum Wichlinghausen", "Wichlinghauser Straße 72", "42277",
                 District.OBERBARMEN, "51.284020", "7.215010",
                 "Bus 620, Haltestelle Wichlinghauser Markt", True),
    DemoLocation("frau-beruf", "frau-beruf", "Frau und Beruf – Beratungsstelle", "Hochstraße 70",
                 "42105", District.ELBERFELD, "51.261530", "7.145020",
                 "Bus 645, Haltestelle Hochstraße", True),
    DemoLocation("pro-familia", "pro-familia", "pro familia Beratungsstelle", "Marienstraße 12",
                 "42105", District.ELBERFELD, "51.259510", "7.143030",
                 "Bus 643, Haltestelle Marienstraße", True),
    DemoLocation("suchthilfe-barmen", "suchthilfe", "Suchtberatung Barmen",
                 "Gewerbeschulstraße 10", "42289", District.BARMEN, "51.266810", "7.211020",
                 "Schwebebahn Wupperfeld", True),
    DemoLocation("stadtteilbuero-vohwinkel", "stadtteilbuero-vohwinkel", "Stadtteilbüro Vohwinkel",
                 "Vohwinkeler Straße 20", "42329", District.VOHWINKEL, "51.235030", "7.078020",
                 "Schwebebahn Bruch", True),
    DemoLocation("stadtteiltreff-katernberg", "stadtteiltreff-katernberg",
                 "Stadtteiltreff Katernberg", "Katernberger Straße 180", "42115",
                 District.UELLENDAHL_KATERNBERG, "51.273020", "7.126510",
                 "Bus 625, Haltestelle Katernberger Schulweg", True),
    DemoLocation("tus-wichlinghausen", "tus-wichlinghausen", "Sportplatz Schwarzbach",
                 "Schwarzbach 100", "42277", District.OBERBARMEN, "51.277020", "7.227030",
                 "Bus 608, Haltestelle Schwarzbach", True),
    DemoLocation("hallenbad-barmen", "schwimmgemeinschaft", "Hallenbad Barmen",
                 "Wittensteinstraße 110", "42285", District.BARMEN, "51.268020", "7.193510",
                 "Schwebebahn Werther Brücke", True, "Umkleide für Frauen mit Sichtschutz"),
    DemoLocation("hallenbad-west", "schwimmgemeinschaft", "Hallenbad Elberfeld-West",
                 "Nützenberger Straße 40", "42115", District.ELBERFELD_WEST, "51.251520",
                 "7.123020", "Schwebebahn Westende", True),
    DemoLocation("fc-vohwinkel", "fc-vohwinkel", "Sportanlage Vohwinkel", "Gräfrather Straße 80",
                 "42329", District.VOHWINKEL, "51.229040", "7.070020",
                 "Bus 639, Haltestelle Sportplatz", True),
    DemoLocation("tv-cronenberg", "tv-cronenberg", "Turnhalle Cronenberg", "Solinger Straße 25",
                 "42349", District.CRONENBERG, "51.203520", "7.142030",
                 "Bus 625, Haltestelle Solinger Straße", False, "Halle über eine Treppe"),
    DemoLocation("boxclub-heckinghausen", "boxclub-heckinghausen", "Boxhalle Heckinghausen",
                 "Waldeckstraße 15", "42289", District.HECKINGHAUSEN, "51.261530", "7.220540",
                 "Bus 602, Haltestelle Waldeckstraße", True),
    DemoLocation("ttc-ronsdorf", "ttc-ronsdorf", "Sporthalle Ronsdorf",
                 "Lüttringhauser Straße 30", "42369", District.RONSDORF, "51.222030", "7.207040",
                 "Bus 620, Haltestelle Ronsdorf Bandwirkerplatz", True),
    DemoLocation("tv-uellendahl", "tv-uellendahl", "Vereinsheim Uellendahl",
                 "Uellendahler Straße 400", "42109", District.UELLENDAHL_KATERNBERG, "51.283020",
                 "7.165040", "Bus 649, Haltestelle Uellendahl Kirche", True),
    DemoLocation("ukrainischer-verein", "ukrainischer-verein", "Treffpunkt des Kulturvereins",
                 "Berliner Straße 60", "42275", District.OBERBARMEN, "51.274530", "7.210020",
                 "Schwebebahn Wupperfeld", True),
)
# fmt: on


# fmt: off
OFFERS: tuple[DemoOffer, ...] = (
    # --- Caritas (agency "car") ---------------------------------------------------------------
    _o(MBE_CARITAS, "caritas", "Migrationsberatung für Erwachsene (MBE) – Caritas",
       "Beratung für Zugewanderte ab 27 Jahren in den ersten Jahren in Deutschland: "
       "Aufenthalt, Sprachkurs, Arbeit, Wohnung, Anträge und Briefe von Ämtern. Wir erstellen "
       "mit Ihnen einen Förderplan und begleiten Sie, bis Sie allein zurechtkommen. Beratung "
       "auf Deutsch, Arabisch und Persisch (Farsi und Dari), auch auf Englisch.",
       domains=(D.RESIDENCE, D.LANGUAGE, D.WORK, D.HOUSING, D.FINANCES),
       languages=("de", "ar", "fa", "prs", "en"), at=("caritas-elberfeld", "caritas-oberbarmen"),
       times=(weekly("MO,WE", "09:00", "12:00", "Offene Sprechstunde ohne Termin",
                     at="caritas-elberfeld"),
              weekly("TH", "14:00", "17:00", "Termine nach Vereinbarung",
                     at="caritas-oberbarmen")),
       alternate_name="MBE", minimum_age=27, email="mbe@caritas.example.org",
       phone="0202 0389-0412", url="https://caritas.example.org/mbe",
       application_process="Kommen Sie in die offene Sprechstunde oder rufen Sie an. Eine "
       "Überweisung brauchen Sie nicht.",
       eligibility_description="Zugewanderte ab 27 Jahren mit einer Bleibeperspektive; jüngere "
       "Menschen berät der Jugendmigrationsdienst.",
       interpretation_services="Sprachmittlung für weitere Sprachen über den Dolmetscherpool",
       capacity=120, free_places=14,
       required_documents=["Pass oder Ausweisersatz", "Aufenthaltstitel", "Briefe von Ämtern"]),
    _o("caritas-schuldnerberatung", "caritas", "Schuldner- und Insolvenzberatung – Caritas",
       "Wir verschaffen Ihnen einen Überblick über Ihre Schulden, verhandeln mit Gläubigern und "
       "Inkassobüros, helfen bei Mietschulden und bereiten eine Privatinsolvenz vor. Beratung "
       "auch auf Arabisch, Farsi und Dari.",
       domains=(D.FINANCES, D.HOUSING), languages=("de", "ar", "fa", "prs"),
       at=("caritas-elberfeld",),
       times=(weekly("TU", "09:00", "12:00", "Telefonische Sprechstunde"),),
       capacity=40, free_places=3, wait_time="Erstgespräch in etwa zwei Wochen",
       application_process="Termin telefonisch vereinbaren. Bei einer Kontopfändung oder "
       "Stromsperre gibt es einen Termin in derselben Woche.",
       required_documents=["Alle Mahnungen und Briefe von Gläubigern", "Kontoauszüge der "
                           "letzten drei Monate", "Leistungsbescheid oder Lohnabrechnung"]),
    _o("caritas-wohnraumhilfe", "caritas", "Hilfe bei der Wohnungssuche",
       "Gemeinsam suchen wir Wohnungen, schreiben Bewerbungen an Vermieter und "
       "Wohnungsgesellschaften und klären Mietangebote mit Jobcenter oder Sozialamt. Für Familien "
       "und Einzelpersonen, auch beim Auszug aus einer Gemeinschaftsunterkunft.",
       domains=(D.HOUSING,), languages=("de", "ar", "fa", "prs", "uk"),
       at=("caritas-oberbarmen", "caritas-barmen"),
       times=(weekly("MO", "14:00", "16:30", "Wohnungscafé: Inserate lesen, Bewerbungen "
                     "schreiben", at="caritas-oberbarmen"),
              weekly("WE", "10:00", "12:00", "Sprechstunde", at="caritas-barmen")),
       capacity=30, free_places=6,
       required_documents=["Aufenthaltstitel", "Leistungsbescheid oder Einkommensnachweis",
                           "Wohnberechtigungsschein, wenn vorhanden"]),
    _o("caritas-sprachcafe", "caritas", "Sprachcafé Elberfeld",
       "Deutsch sprechen üben bei Tee und Kaffee: in kleinen Gruppen, mit Ehrenamtlichen, ohne "
       "Anmeldung. Auch zur Vorbereitung auf den Deutsch-Test für Zuwanderer.",
       domains=(D.LANGUAGE, D.PARTICIPATION), languages=("de",), at=("caritas-elberfeld",),
       times=(weekly("TU", "16:00", "18:00"),), districts=[District.ELBERFELD,
                                                           District.ELBERFELD_WEST],
       minimum_age=16, application_process="Einfach vorbeikommen."),
    _o("caritas-asylverfahrensberatung", "caritas", "Asylverfahrensberatung – Caritas",
       "Unabhängige Beratung vor und während des Asylverfahrens: Vorbereitung auf die Anhörung "
       "beim BAMF, Erklärung von Bescheiden, Fristen und Rechtsmitteln, Beratung bei einer "
       "Duldung und zur Ausbildungs- und Beschäftigungsduldung.",
       domains=(D.RESIDENCE,), languages=("de", "ar", "fa", "prs", "fr", "en"),
       at=("caritas-elberfeld",),
       times=(weekly("MO,TH", "09:30", "12:30", "Termine nach Vereinbarung"),),
       alternate_name="Verfahrensberatung",
       residence_kinds=[RK.ASYLUM_PERMISSION, RK.TOLERATION, RK.NONE],
       eligibility_description="Asylsuchende, Menschen mit Duldung und Menschen ohne geklärten "
       "Aufenthalt.",
       application_process="Bringen Sie alle Briefe vom BAMF und von der Ausländerbehörde mit. "
       "Eilt eine Frist, rufen Sie sofort an.",
       required_documents=["Aufenthaltsgestattung oder Duldung", "Bescheide und Briefe vom BAMF"]),
    _o("caritas-frauenfruehstueck", "caritas", "Frauenfrühstück Oberbarmen",
       "Einmal im Monat frühstücken Frauen aus der Nachbarschaft zusammen, tauschen sich aus und "
       "bekommen Informationen zu Themen, die sie sich wünschen – etwa Gesundheit, Schule oder "
       "Geld. Kinder bis drei Jahre dürfen mitkommen.",
       domains=(D.PARTICIPATION, D.FAMILY), languages=("de", "ar", "fa", "prs"),
       at=("caritas-oberbarmen",), times=(monthly("1FR", "09:30", "11:30"),),
       sexes=[F], districts=[District.OBERBARMEN, District.HECKINGHAUSEN]),
    _o("caritas-hausaufgabenhilfe-barmen", "caritas", "Hausaufgabenhilfe im Familientreff Barmen",
       "Schülerinnen und Schüler bekommen nach der Schule Hilfe bei den Hausaufgaben und beim "
       "Deutschlernen. Ehrenamtliche und eine pädagogische Fachkraft; in den Ferien gibt es "
       "Ausflüge.",
       domains=(D.EDUCATION,), languages=("de", "ar", "uk"), at=("caritas-barmen",),
       times=(weekly("MO,TU,WE,TH", "14:30", "16:30"),), minimum_age=6, maximum_age=16,
       districts=[District.BARMEN], capacity=25, free_places=4,
       family_situations=[FS.FAMILY_WITH_CHILDREN, FS.SINGLE_PARENT],
       application_process="Eltern melden ihr Kind im Familientreff an; ein Kennenlerngespräch "
       "findet mit Kind und Eltern statt."),
    # --- Jugendmigrationsdienst (agency "dia") -------------------------------------------------
    _o("jmd-beratung", "jmd-diakonie", "Jugendmigrationsdienst (JMD) – Beratung",
       "Beratung und Begleitung für junge Zugewanderte von 12 bis 27 Jahren: Schule, "
       "Schulabschluss, Ausbildung, Studium, Sprachkurse, Aufenthalt und Alltag. Wir erarbeiten "
       "mit dir einen Plan und begleiten dich auf Wunsch auch zu Terminen.",
       domains=(D.EDUCATION, D.WORK, D.LANGUAGE, D.RESIDENCE),
       languages=("de", "ar", "ru", "uk", "tr", "en"), at=("jmd-elberfeld", "jmd-barmen"),
       times=(weekly("TU,TH", "13:00", "17:00", "Offene Sprechstunde", at="jmd-elberfeld"),
              weekly("WE", "10:00", "13:00", "Termine nach Vereinbarung", at="jmd-barmen")),
       alternate_name="JMD", minimum_age=12, maximum_age=27, capacity=90, free_places=11,
       email="jmd@diakonie.example.org", phone="0202 0974-0218",
       application_process="Komm in die offene Sprechstunde oder schreib uns eine Nachricht."),
    _o("jmd-bewerbungstraining", "jmd-diakonie", "Bewerbungstraining für junge Zugewanderte",
       "In sechs Treffen schreibst du Lebenslauf und Anschreiben, übst Vorstellungsgespräche "
       "und findest Praktikums- und Ausbildungsbetriebe. Mit Laptop und Drucker vor Ort.",
       domains=(D.WORK,), languages=("de",), at=("jmd-elberfeld",),
       times=(weekly("WE", "15:00", "17:00", start=-14, end=28),), minimum_age=16,
       maximum_age=27, capacity=12, free_places=4, starts=-30, ends=60,
       application_process="Anmeldung im Jugendmigrationsdienst.",
       required_documents=["Zeugnisse, wenn vorhanden"]),
    _o("jmd-schulabschluss", "jmd-diakonie", "Schulabschluss nachholen – Beratung",
       "Welche Schule passt: Berufskolleg, Weiterbildungskolleg (Abendschule) oder ein Kurs "
       "zum Hauptschulabschluss? Wir beraten, helfen bei der Anmeldung und bei der "
       "Zeugnisbewertung durch die Bezirksregierung.",
       domains=(D.EDUCATION,), languages=("de", "ar", "fa"), at=("jmd-elberfeld",),
       times=(weekly("MO", "14:00", "17:00"),), minimum_age=16, maximum_age=27,
       required_documents=["Zeugnisse aus dem Herkunftsland mit Übersetzung, wenn vorhanden"]),
    _o("jmd-jugendtreff", "jmd-diakonie", "Jugendtreff International Wichlinghausen",
       "Freitags treffen sich Jugendliche aus vielen Ländern: Kicker, Musik, Kochen, Ausflüge. "
       "Eine Sozialarbeiterin hat ein offenes Ohr für Fragen.",
       domains=(D.PARTICIPATION,), languages=("de", "ar", "tr"), at=("jmd-oberbarmen",),
       times=(weekly("FR", "16:00", "20:00"),), minimum_age=12, maximum_age=21,
       districts=[District.OBERBARMEN, District.HECKINGHAUSEN, District.LANGERFELD_BEYENBURG],
       application_process="Ohne Anmeldung."),
    _o("jmd-wohnen-junge-leute", "jmd-diakonie", "Wohnen für junge Leute",
       "Beratung zur ersten eigenen Wohnung, zu Wohngemeinschaften, Wohnheimen für "
       "Auszubildende und zum Antrag auf Berufsausbildungsbeihilfe für die Miete.",
       domains=(D.HOUSING,), languages=("de", "ar"), at=("jmd-elberfeld",),
       times=(weekly("TH", "10:00", "12:00"),), minimum_age=18, maximum_age=27,
       family_situations=[FS.SINGLE_ADULT, FS.UNACCOMPANIED_MINOR]),
    # --- Diakonie Beratungsdienste (no login) --------------------------------------------------
    _o("diakonie-schuldnerberatung", "diakonie-beratung", "Schuldnerberatung der Diakonie",
       "Beratung bei Schulden, Pfändungen und drohender Strom- oder Wohnungskündigung; "
       "P-Konto-Bescheinigung und Vorbereitung der Verbraucherinsolvenz.",
       domains=(D.FINANCES,), languages=("de", "ru", "tr"), at=("diakonie-barmen",),
       times=(weekly("TU,TH", "09:00", "12:00"),), capacity=60, free_places=0,
       waiting_list=True, wait_time="Etwa acht Wochen; bei Pfändung früher",
       accepts_referrals=False,
       application_process="Auf die Warteliste kommen Sie telefonisch. Bei einer Pfändung "
       "erhalten Sie eine P-Konto-Bescheinigung sofort."),
    _o("diakonie-erziehungsberatung", "diakonie-beratung",
       "Erziehungs-, Jugend- und Familienberatung",
       "Beratung für Eltern, Kinder und junge Menschen bis 27 Jahre: Streit in der Familie, "
       "Trennung, Sorgen um ein Kind, Schwierigkeiten in der Schule. Vertraulich und kostenlos, "
       "auch auf Ukrainisch, Russisch und Türkisch.",
       domains=(D.FAMILY, D.EDUCATION), languages=("de", "uk", "ru", "tr", "en"),
       at=("diakonie-elberfeld",),
       times=(weekly("MO,TU,WE,TH", "09:00", "16:00", "Termine nach Vereinbarung"),
              weekly("WE", "16:00", "18:00", "Offene Sprechstunde")),
       maximum_age=27, family_situations=[FS.FAMILY_WITH_CHILDREN, FS.SINGLE_PARENT],
       capacity=50, free_places=5, wait_time="Erstgespräch in zwei bis drei Wochen",
       application_process="Eltern oder Jugendliche melden sich selbst, telefonisch oder in "
       "der offenen Sprechstunde."),
    _o("diakonie-fluechtlingsberatung", "diakonie-beratung",
       "Flüchtlingsberatung in den Unterkünften",
       "Sozialberatung in den Gemeinschaftsunterkünften und für Asylsuchende in Wohnungen: "
       "Leistungen nach dem AsylbLG, Behandlungsschein, Sozialticket, Auszug in eine Wohnung, "
       "Briefe von Ämtern.",
       domains=(D.RESIDENCE, D.FINANCES, D.HOUSING, D.MOBILITY),
       languages=("de", "ar", "fa", "prs", "ti", "fr", "en"),
       at=("diakonie-varresbeck", "diakonie-barmen"),
       times=(weekly("MO,WE", "10:00", "13:00", at="diakonie-varresbeck"),
              weekly("FR", "10:00", "12:00", at="diakonie-barmen")),
       residence_kinds=[RK.ASYLUM_PERMISSION, RK.TOLERATION, RK.NONE],
       eligibility_description="Asylsuchende und Menschen mit Duldung, in der Unterkunft oder "
       "in einer eigenen Wohnung."),
    _o("diakonie-alleinerziehende", "diakonie-beratung", "Treff für Alleinerziehende",
       "Alleinerziehende Mütter und Väter treffen sich, frühstücken zusammen und tauschen "
       "Erfahrungen aus; die Kinder werden derweil betreut. Ab und zu kommen Gäste, etwa vom "
       "Jobcenter oder der Unterhaltsvorschusskasse.",
       domains=(D.FAMILY, D.PARTICIPATION), languages=("de", "uk", "ar"),
       at=("diakonie-elberfeld",), times=(monthly("2SA", "10:00", "13:00"),),
       family_situations=[FS.SINGLE_PARENT],
       districts=[District.ELBERFELD, District.ELBERFELD_WEST, District.UELLENDAHL_KATERNBERG]),
    # --- AWO (no login) -------------------------------------------------------------------------
    _o("awo-mbe", "awo", "Migrationsberatung für Erwachsene (MBE) – AWO",
       "Beratung für Zugewanderte ab 27 Jahren zu Aufenthalt, Sprachkurs, Arbeit, Wohnung, "
       "Gesundheit und Anträgen. Beratung auf Deutsch, Türkisch, Arabisch und Kurdisch.",
       domains=(D.RESIDENCE, D.LANGUAGE, D.WORK, D.FINANCES),
       languages=("de", "tr", "ar", "ku", "kmr"), at=("awo-barmen",),
       times=(weekly("TU,TH", "09:00", "12:00", "Offene Sprechstunde"),),
       alternate_name="MBE", minimum_age=27, capacity=100, free_places=9),
    _o("awo-kita-einstieg-barmen", "awo", "Kita-Einstieg: Spielgruppe und Elternbegleitung Barmen",
       "Für Familien, deren Kind noch keinen Kita-Platz hat: eine Spielgruppe zweimal in der "
       "Woche, Hilfe bei der Anmeldung im Kita-Portal und Begleitung zum ersten Termin in der "
       "Kita. Sprachmittlerinnen sprechen Arabisch, Dari, Farsi und Türkisch.",
       domains=(D.CHILDCARE, D.FAMILY), languages=("de", "ar", "prs", "fa", "tr"),
       at=("awo-barmen",), times=(weekly("TU,TH", "09:30", "11:30"),), maximum_age=6,
       family_situations=[FS.FAMILY_WITH_CHILDREN, FS.SINGLE_PARENT],
       districts=[District.BARMEN, District.HECKINGHAUSEN], capacity=14, free_places=3,
       alternate_name="Kita-Einstieg"),
    _o("awo-kita-einstieg-oberbarmen", "awo", "Kita-Einstieg Oberbarmen",
       "Spielgruppe für Kinder von einem bis sechs Jahren ohne Kita-Platz, mit den Eltern. Wir "
       "erklären, wie Kita in Deutschland funktioniert, und helfen bei Anmeldung und "
       "Härtefallantrag. Sprachmittlerinnen für Arabisch, Tigrinya, Somali und Türkisch.",
       domains=(D.CHILDCARE,), languages=("de", "ar", "ti", "so", "tr"), at=("awo-oberbarmen",),
       times=(weekly("MO,WE", "09:00", "11:30"),), minimum_age=1, maximum_age=6,
       family_situations=[FS.FAMILY_WITH_CHILDREN, FS.SINGLE_PARENT],
       districts=[District.OBERBARMEN, District.LANGERFELD_BEYENBURG], capacity=12,
       free_places=2, alternate_name="Kita-Einstieg"),
    _o("awo-elterncafe-heckinghausen", "awo", "Elterncafé Heckinghausen",
       "Eltern treffen sich, während die Kinder spielen. Eine Erzieherin beantwortet Fragen zu "
       "Kita, Schule, Sprache und Erziehung.",
       domains=(D.FAMILY,), languages=("de", "tr", "ar", "bg"), at=("awo-heckinghausen",),
       times=(weekly("WE", "09:00", "11:00"),), family_situations=[FS.FAMILY_WITH_CHILDREN,
                                                                   FS.SINGLE_PARENT],
       districts=[District.HECKINGHAUSEN]),
    _o("awo-seniorentreff", "awo", "Internationaler Seniorentreff Langerfeld",
       "Ältere Menschen aus der Nachbarschaft treffen sich zum Erzählen, Spielen und für "
       "Ausflüge. Einmal im Monat kommt eine Beraterin zu Rente und Pflege.",
       domains=(D.PARTICIPATION,), languages=("de", "tr", "ru"), at=("awo-langerfeld",),
       times=(weekly("TH", "14:00", "17:00"),), minimum_age=60,
       family_situations=[FS.SENIOR], districts=[District.LANGERFELD_BEYENBURG], checked=410),
    _o("awo-sprachcafe-langerfeld", "awo", "Sprachcafé Langerfeld",
       "Deutsch sprechen im Alltag, mit Ehrenamtlichen. Zurzeit pausiert, bis neue "
       "Ehrenamtliche gefunden sind.",
       domains=(D.LANGUAGE, D.PARTICIPATION), languages=("de",), at=("awo-langerfeld",),
       times=(weekly("MO", "17:00", "18:30"),), districts=[District.LANGERFELD_BEYENBURG],
       status=Offer.Status.INACTIVE, accepts_referrals=False, checked=250),
    # --- Migrant organisations (agency "mso") --------------------------------------------------
    _o("mso-hausaufgabenhilfe-oberbarmen", "mso", "Hausaufgabenhilfe Oberbarmen",
       "Studierende und Ehrenamtliche helfen Grundschul- und Sekundarstufenkindern bei den "
       "Hausaufgaben. Eltern können mit den Helferinnen auf Arabisch, Türkisch oder Kurdisch "
       "sprechen.",
       domains=(D.EDUCATION,), languages=("de", "ar", "tr", "ku"), at=("mso-oberbarmen",),
       times=(weekly("MO,WE,TH", "15:00", "17:00"),), minimum_age=6, maximum_age=14,
       districts=[District.OBERBARMEN, District.HECKINGHAUSEN], capacity=30, free_places=7),
    _o("mso-frauentreff", "mso", "Frauentreff am Ölberg",
       "Treffpunkt für Frauen: Gespräche, Nähen, Ausflüge und Informationsabende mit "
       "Fachleuten, etwa zu Gesundheit oder Rente. Kinderbetreuung nach Absprache.",
       domains=(D.PARTICIPATION,), languages=("de", "ar", "ku", "kmr", "fa", "tr"),
       at=("mso-gathe",), times=(weekly("WE", "10:00", "12:00"),), sexes=[F],
       districts=[District.ELBERFELD, District.UELLENDAHL_KATERNBERG]),
    _o("mso-elterncafe-sonnborn", "mso", "Elterncafé Sonnborn",
       "Arabisch- und kurdischsprachige Eltern tauschen sich aus; Gäste aus Schule, Kita und "
       "Jugendamt erklären, was Eltern wissen sollten.",
       domains=(D.FAMILY,), languages=("de", "ar", "ku"), at=("mso-sonnborn",),
       times=(monthly("1SA", "10:00", "12:00"),),
       family_situations=[FS.FAMILY_WITH_CHILDREN, FS.SINGLE_PARENT],
       districts=[District.ELBERFELD_WEST, District.VOHWINKEL]),
    _o("mso-begleitung", "mso", "Begleitung zu Ämtern und Arztpraxen",
       "Ehrenamtliche Sprachmittlerinnen und Sprachmittler begleiten zu Terminen bei Ämtern, "
       "Schulen und Arztpraxen. Nur nach Vermittlung durch eine Beratungsstelle.",
       domains=(D.PARTICIPATION,), languages=("de", "ar", "ku", "kmr", "tr", "ti", "so", "fa"),
       at=("mso-gathe",), is_public=False,
       application_process="Fachkräfte fragen eine Begleitung mindestens eine Woche vor dem "
       "Termin an."),
    _o("mso-eritreische-gemeinschaft", "mso", "Treffpunkt der eritreischen Gemeinschaft",
       "Monatliches Treffen eritreischer Familien mit Informationen zu Schule, Arbeit und "
       "Aufenthalt, auf Tigrinya und Deutsch.",
       domains=(D.PARTICIPATION,), languages=("ti", "de"), at=("mso-oberbarmen",),
       times=(monthly("3SU", "14:00", "18:00"),)),
    # --- Flüchtlingsinitiative (agency "fi") ---------------------------------------------------
    _o("fi-deutsch-fuer-alle", "fi", "Deutsch für alle – ehrenamtlicher Deutschkurs",
       "Deutschkurs von Ehrenamtlichen für alle, die (noch) keinen Platz im Integrationskurs "
       "haben – unabhängig vom Aufenthaltsstatus. Anfänger- und Fortgeschrittenengruppe, "
       "Einstieg jederzeit.",
       domains=(D.LANGUAGE,), languages=("de",), at=("fi-ronsdorf", "fi-cronenberg"),
       times=(weekly("TU,TH", "10:00", "12:00", at="fi-ronsdorf"),
              weekly("WE", "18:00", "19:30", at="fi-cronenberg")),
       districts=[District.RONSDORF, District.CRONENBERG], minimum_age=16,
       eligibility_description="Für alle, auch mit Duldung oder im Asylverfahren.",
       application_process="Ohne Anmeldung; kommen Sie zur ersten Stunde einfach vorbei."),
    _o("fi-fahrradwerkstatt", "fi", "Fahrradwerkstatt",
       "Gespendete Fahrräder gegen eine kleine Spende, und Hilfe beim Reparieren des eigenen "
       "Rads. Auch Helme und Schlösser.",
       domains=(D.MOBILITY,), languages=("de", "ar", "fa", "prs", "en"), at=("fi-werkstatt",),
       times=(weekly("SA", "11:00", "14:00"),), free_of_charge=False,
       fees_description="Fahrräder gegen eine Spende ab 10 €; Reparaturhilfe kostenlos."),
    _o("fi-fahrradkurs-frauen", "fi", "Fahrradkurs für Frauen",
       "Radfahren lernen in einer Frauengruppe, auf dem Schulhof und später im Straßenverkehr. "
       "Räder und Helme werden gestellt.",
       domains=(D.MOBILITY, D.PARTICIPATION), languages=("de", "ar", "fa", "prs", "ti"),
       at=("fi-barmen",), times=(weekly("SA", "10:00", "12:00", start=-21, end=70),),
       sexes=[F], minimum_age=16, capacity=10, free_places=2, starts=-40, ends=80),
    _o("fi-rechtsberatung-asyl", "fi", "Rechtsberatung zum Asyl- und Aufenthaltsrecht",
       "Ehrenamtliche Anwältinnen und Anwälte beraten einmal im Monat kostenlos zu Asylbescheid, "
       "Klage, Duldung, Familiennachzug und Aufenthaltserlaubnis.",
       domains=(D.RESIDENCE,), languages=("de", "en", "fr", "ar"), at=("fi-ronsdorf",),
       times=(monthly("2MO", "17:00", "19:00"),), capacity=8, free_places=2,
       application_process="Nur mit Termin; melden Sie sich bis zum Freitag davor an. Eine "
       "Sprachmittlung bringen wir mit, wenn Sie sie bei der Anmeldung wünschen.",
       interpretation_services="Sprachmittlung nach Anmeldung (Arabisch, Dari, Tigrinya)",
       required_documents=["Alle Bescheide und Briefe zum Verfahren"]),
    _o("fi-patenschaften", "fi", "Patenschaften für Neuangekommene",
       "Ehrenamtliche Patinnen und Paten begleiten Einzelne oder Familien im ersten Jahr: "
       "Stadt kennenlernen, Deutsch sprechen, Briefe verstehen, Freizeit.",
       domains=(D.PARTICIPATION, D.LANGUAGE), languages=("de", "en"), at=("fi-ronsdorf",),
       checked=220, application_process="Kennenlerngespräch im Café der Initiative."),
    # --- KIM (agency "kim") ----------------------------------------------------------------------
    _o("kim-case-management", "kim", "KIM-Case-Management für Familien",
       "Für Familien mit vielen Fragen auf einmal: Eine feste Ansprechperson klärt mit Ihnen, "
       "was wichtig ist, macht einen Plan und stimmt sich mit Jobcenter, Jugendamt, Schule und "
       "Beratungsstellen ab – mit Ihrer Einwilligung.",
       domains=(D.RESIDENCE, D.HOUSING, D.WORK, D.FAMILY),
       languages=("de", "ar", "fa", "uk", "ru", "tr", "en"), at=("kim-neumarkt", "kim-barmen"),
       times=(weekly("MO,TU,WE,TH", "08:30", "15:30", "Termine nach Vereinbarung"),),
       alternate_name="Kommunales Integrationsmanagement",
       family_situations=[FS.FAMILY_WITH_CHILDREN, FS.SINGLE_PARENT], capacity=300,
       free_places=22,
       application_process="Fachstellen melden eine Familie mit deren Einwilligung an; "
       "Familien können sich auch selbst melden."),
    _o("kim-integrationskursberatung", "kim", "Beratung zum Integrationskurs",
       "Wer hat Anspruch auf einen Integrationskurs, wie beantrage ich die Zulassung beim BAMF, "
       "welcher Kurs passt – mit Kinderbetreuung, am Abend, für Frauen oder mit "
       "Alphabetisierung? Wir beraten und melden beim Kursträger an.",
       domains=(D.LANGUAGE,), languages=("de", "ar", "fa", "prs", "uk", "ru", "tr"),
       at=("kim-neumarkt",), times=(weekly("TU", "13:00", "16:00", "Offene Sprechstunde"),),
       minimum_age=16,
       required_documents=["Pass oder Ausweisersatz", "Aufenthaltstitel",
                           "Bescheid des Jobcenters oder Sozialamts, wenn vorhanden"]),
    _o("kim-sprachmittlung", "kim", "Sprach- und Kulturmittlung für Termine",
       "Geschulte Sprach- und Kulturmittlerinnen und -mittler für Gespräche in Beratung, Schule, "
       "Kita und Verwaltung. Für Fachkräfte; die Kosten trägt die Stadt.",
       domains=(D.PARTICIPATION,),
       languages=("ar", "fa", "prs", "ku", "kmr", "tr", "ru", "uk", "ti", "so", "fr", "en"),
       at=("kim-neumarkt",), is_public=False,
       application_process="Anfrage durch die Fachkraft mindestens drei Werktage vorher."),
    _o("kim-einbuergerung", "kim", "Infoabend Einbürgerung",
       "Voraussetzungen, Unterlagen, Einbürgerungstest und Kosten: ein Abend mit der "
       "Einbürgerungsbehörde, danach Zeit für Fragen.",
       domains=(D.RESIDENCE,), languages=("de",), at=("kim-neumarkt",),
       times=(monthly("1WE", "18:00", "19:30"),),
       residence_kinds=[RK.RESIDENCE_PERMIT, RK.SETTLEMENT_PERMIT], minimum_age=16,
       free_of_charge=True),
    # --- Jobcenter (agency "jc") ----------------------------------------------------------------
    _o("jobcenter-integration-point", "jobcenter", "Integration Point – Arbeit für Geflüchtete",
       "Jobcenter und Agentur für Arbeit beraten gemeinsam: Arbeit und Ausbildung, "
       "Berufssprachkurs, Anerkennung, Weiterbildung. Für Menschen mit Bürgergeld und "
       "Fluchthintergrund.",
       domains=(D.WORK, D.LANGUAGE), languages=("de", "ar", "fa", "uk", "ru", "en"),
       at=("jobcenter-elberfeld",),
       times=(weekly("MO,TU,TH", "08:00", "12:30", "Termine nach Vereinbarung"),),
       residence_kinds=[RK.RESIDENCE_PERMIT, RK.SETTLEMENT_PERMIT, RK.PROVISIONAL],
       eligibility_description="Leistungsberechtigte nach dem SGB II.", minimum_age=18,
       required_documents=JOB_DOCUMENTS),
    _o("jobcenter-jobcafe-ukraine", "jobcenter", "Jobcafé für Geflüchtete aus der Ukraine",
       "Einmal im Monat: Betriebe aus der Region stellen Stellen vor, das Beratungsteam hilft "
       "bei Lebenslauf und Anerkennung, auf Ukrainisch und Russisch.",
       domains=(D.WORK,), languages=("uk", "ru", "de"), at=("jobcenter-barmen",),
       times=(monthly("2TU", "10:00", "13:00"),), minimum_age=18),
    _o("jobcenter-teilzeitausbildung", "jobcenter", "Teilzeitausbildung für Alleinerziehende",
       "Beratung und Vermittlung in eine Ausbildung in Teilzeit, mit Klärung der "
       "Kinderbetreuung und der Leistungen während der Ausbildung.",
       domains=(D.WORK, D.EDUCATION), languages=("de",), at=("jobcenter-elberfeld",),
       family_situations=[FS.SINGLE_PARENT], minimum_age=18, maximum_age=45),
    _o("jobcenter-praxis-check-handwerk", "jobcenter", "Praxis-Check Handwerk",
       "Zwei Wochen in Werkstätten für Bau, Ausbau, Elektro und Metall: Was können Sie schon, "
       "was fehlt für eine Stelle oder Ausbildung? Mit Zertifikat.",
       domains=(D.WORK,), languages=("de",), at=("jobcenter-vohwinkel",),
       times=(weekly(WEEKDAYS, "08:00", "14:00"),), minimum_age=18, capacity=12,
       free_places=5, is_public=False,
       application_process="Zuweisung durch die Integrationsfachkraft im Jobcenter."),
    # --- Agentur für Arbeit (agency "aa") ------------------------------------------------------
    _o("agentur-berufsberatung-jugend", "agentur", "Berufsberatung für junge Menschen",
       "Welche Ausbildung passt zu mir? Berufsberatung, Berufsorientierung und Vermittlung in "
       "Ausbildung, auch für junge Zugewanderte mit ausländischem Schulabschluss.",
       domains=(D.WORK, D.EDUCATION), languages=("de", "en", "ar"), at=("agentur-biz",),
       times=(weekly("TU,TH", "13:00", "16:00", "Offene Sprechzeit im BiZ"),),
       minimum_age=14, maximum_age=25),
    _o("agentur-berufsberatung-erwerbsleben", "agentur", "Berufsberatung im Erwerbsleben",
       "Beratung zu Umschulung, Weiterbildung, Berufswechsel und Wiedereinstieg, auch in Pflege- "
       "und Gesundheitsberufe; Bildungsgutschein.",
       domains=(D.WORK,), languages=("de", "en"), at=("agentur-biz",), minimum_age=25,
       required_documents=JOB_DOCUMENTS),
    # --- Schulamt (agency "schul") ---------------------------------------------------------------
    _o("schulamt-seiteneinstieg", "schulamt",
       "Schulberatung für neu zugewanderte Kinder und Jugendliche (Seiteneinstieg)",
       "Neu zugewanderte Kinder und Jugendliche von 6 bis 18 Jahren bekommen hier einen "
       "Schulplatz: Beratung der Eltern, Einschätzung der Vorkenntnisse, Zuweisung an eine "
       "Schule mit Deutschförderung.",
       domains=(D.EDUCATION,),
       languages=("de", "ar", "fa", "prs", "uk", "ru", "tr", "ro", "bg"), at=("schulamt",),
       times=(weekly("MO,WE", "08:30", "12:00", "Anmeldung und Beratung"),),
       alternate_name="Seiteneinstieg", minimum_age=6, maximum_age=18,
       application_process="Eltern kommen mit dem Kind in die Sprechstunde; Termine werden "
       "auch über das KIM vergeben.",
       required_documents=["Meldebescheinigung", "Zeugnisse aus dem Herkunftsland, wenn "
                           "vorhanden", "Nachweis über die Masernimpfung"]),
    _o("schulamt-herkunftssprachlicher-unterricht", "schulamt",
       "Herkunftssprachlicher Unterricht (HSU): Anmeldung",
       "Unterricht in der Familiensprache an Wuppertaler Schulen, zusätzlich zum Unterricht: "
       "Arabisch, Türkisch, Russisch, Ukrainisch, Farsi, Kurdisch und weitere Sprachen.",
       domains=(D.EDUCATION,), languages=("de", "ar", "tr", "ru", "uk", "fa", "ku"),
       at=("schulamt",), minimum_age=6, maximum_age=16, checked=200),
    # --- Jugendamt (agency "ja") -----------------------------------------------------------------
    _o("jugendamt-kita-beratung", "jugendamt", "Kita-Platz-Beratung",
       "Hilfe bei der Anmeldung im Kita-Portal, bei Vormerkungen und beim Antrag auf einen "
       "Platz in der Kindertagespflege; Beratung zum Rechtsanspruch ab einem Jahr.",
       domains=(D.CHILDCARE,), languages=("de", "ar", "tr", "uk"), at=("jugendamt-kita",),
       times=(weekly("MO,TH", "08:30", "12:30"), weekly("TU", "14:00", "17:00")),
       maximum_age=6, family_situations=[FS.FAMILY_WITH_CHILDREN, FS.SINGLE_PARENT,
                                         FS.PREGNANT],
       required_documents=["Geburtsurkunde oder Ausweis des Kindes", "Meldebescheinigung"]),
    _o("jugendamt-fruehe-hilfen", "jugendamt", "Frühe Hilfen: Willkommensbesuch",
       "Familien mit einem neugeborenen Kind bekommen auf Wunsch Besuch: Informationen zu "
       "Hebammen, Kinderärzten, Elterngeld, Kita und Angeboten im Stadtteil.",
       domains=(D.FAMILY,), languages=("de", "ar", "tr", "uk"), at=("jugendamt-kita",),
       maximum_age=1, family_situations=[FS.FAMILY_WITH_CHILDREN, FS.SINGLE_PARENT,
                                         FS.PREGNANT]),
    # --- Sozialamt (agency "sa") ---------------------------------------------------------------
    _o("sozialamt-bildung-teilhabe", "sozialamt", "Bildung und Teilhabe: Beratung und Antrag",
       "Geld für Schulbedarf, Mittagessen, Ausflüge, Lernförderung und den Sportverein der "
       "Kinder: Wir erklären den Antrag und helfen beim Ausfüllen.",
       domains=(D.FINANCES, D.EDUCATION), languages=("de", "ar"), at=("sozialamt-barmen",),
       times=(weekly("TU,TH", "08:30", "12:00"),), maximum_age=25,
       family_situations=[FS.FAMILY_WITH_CHILDREN, FS.SINGLE_PARENT],
       required_documents=["Leistungsbescheid (Bürgergeld, AsylbLG, Wohngeld, Kinderzuschlag)"]),
    _o("sozialamt-sozialticket", "sozialamt", "Sozialticket: Beratung zum Antrag",
       "Mit dem Sozialticket fahren Menschen mit wenig Geld günstiger mit Bus und Bahn. Wir "
       "prüfen den Anspruch und stellen die Bescheinigung aus.",
       domains=(D.MOBILITY, D.FINANCES), languages=("de",), at=("sozialamt-barmen",),
       times=(weekly("MO,WE", "08:30", "12:00"),),
       required_documents=["Leistungsbescheid", "Lichtbild"]),
    # --- Fachstelle Wohnen ------------------------------------------------------------------------
    _o("fachstelle-wohnungsnotfaelle", "fachstelle-wohnen",
       "Hilfe bei drohendem Wohnungsverlust",
       "Kündigung, Räumungsklage, Mietschulden oder schon ohne Wohnung? Die Fachstelle berät, "
       "verhandelt mit Vermietern, kann Mietschulden übernehmen und vermittelt eine Unterkunft.",
       domains=(D.HOUSING, D.FINANCES), languages=("de", "ru", "ar", "tr"),
       at=("fachstelle-wohnen",),
       times=(weekly(WEEKDAYS, "08:30", "12:00", "Offene Sprechstunde, bei Räumung sofort"),),
       required_documents=["Kündigung oder Räumungsklage", "Mietvertrag", "Einkommensnachweis"]),
    _o("fachstelle-wohnberechtigungsschein", "fachstelle-wohnen",
       "Wohnberechtigungsschein: Beratung und Antrag",
       "Mit einem Wohnberechtigungsschein (WBS) können Sie eine geförderte Wohnung mieten. Wir "
       "prüfen, ob Sie Anspruch haben, und nehmen den Antrag auf.",
       domains=(D.HOUSING,), languages=("de",), at=("fachstelle-wohnen",),
       residence_kinds=[RK.RESIDENCE_PERMIT, RK.SETTLEMENT_PERMIT, RK.EU_FREE_MOVEMENT,
                        RK.GERMAN_CITIZEN, RK.PROVISIONAL],
       required_documents=["Pass und Aufenthaltstitel aller Haushaltsmitglieder",
                           "Einkommensnachweise der letzten zwölf Monate"]),
    # --- Volkshochschule --------------------------------------------------------------------------
    _o("vhs-integrationskurs-elberfeld", "vhs", "Integrationskurs (allgemein) – Elberfeld",
       "Allgemeiner Integrationskurs nach den Vorgaben des BAMF: 600 Stunden Deutsch bis zum "
       "Niveau B1 und 100 Stunden Orientierungskurs. Abschluss mit dem Deutsch-Test für "
       "Zuwanderer und dem Test Leben in Deutschland.",
       domains=(D.LANGUAGE,), languages=("de",), at=("vhs-elberfeld",),
       times=(weekly(WEEKDAYS, "08:30", "12:45", start=-60, end=240),), minimum_age=16,
       alternate_name="BAMF-Integrationskurs", residence_kinds=COURSE_STATUSES,
       eligibility_description=COURSE_WHO, free_of_charge=False, fees_description=COURSE_FEES,
       capacity=20, free_places=3, application_process=COURSE_APPLY,
       required_documents=COURSE_DOCUMENTS),
    _o(LANGUAGE_COURSE, "vhs", "Integrationskurs mit Kinderbetreuung – Oberbarmen",
       "Integrationskurs am Vormittag für Mütter und Väter: Während des Unterrichts werden "
       "Kinder ab einem Jahr im selben Haus betreut. 700 Stunden bis Niveau B1, in kleinen "
       "Schritten und mit Zeit für Fragen des Alltags.",
       domains=(D.LANGUAGE, D.CHILDCARE), languages=("de",), at=("vhs-oberbarmen",),
       times=(weekly(WEEKDAYS, "08:30", "12:00", "Unterricht und Kinderbetreuung", start=21,
                     end=330),), minimum_age=16,
       family_situations=[FS.FAMILY_WITH_CHILDREN, FS.SINGLE_PARENT],
       residence_kinds=COURSE_STATUSES, eligibility_description=COURSE_WHO,
       districts=[District.OBERBARMEN, District.HECKINGHAUSEN, District.LANGERFELD_BEYENBURG],
       free_of_charge=False, fees_description=COURSE_FEES + " Die Kinderbetreuung ist "
       "kostenlos.", capacity=16, free_places=4,
       application_process="Einstufungstest im Lernort Oberbarmen; bringen Sie zur Anmeldung "
       "das Alter der Kinder mit, die betreut werden sollen. Kursbeginn in drei Wochen.",
       required_documents=[*COURSE_DOCUMENTS, "Impfnachweis der Kinder (Masern)"]),
    _o("vhs-integrationskurs-kinderbetreuung-barmen", "vhs",
       "Integrationskurs mit Kinderbetreuung – Barmen",
       "Integrationskurs am Vormittag mit Betreuung der Kinder im Haus. Einstieg auch in "
       "späteren Modulen, etwa nach einer Unterbrechung.",
       domains=(D.LANGUAGE, D.CHILDCARE), languages=("de",), at=("vhs-barmen",),
       times=(weekly(WEEKDAYS, "08:45", "12:15", start=-90, end=200),), minimum_age=16,
       family_situations=[FS.FAMILY_WITH_CHILDREN, FS.SINGLE_PARENT],
       residence_kinds=COURSE_STATUSES, eligibility_description=COURSE_WHO,
       districts=[District.BARMEN, District.HECKINGHAUSEN, District.ELBERFELD],
       free_of_charge=False, fees_description=COURSE_FEES, capacity=16, free_places=2,
       application_process=COURSE_APPLY, required_documents=COURSE_DOCUMENTS),
    _o("vhs-jugendintegrationskurs", "vhs", "Jugendintegrationskurs",
       "Integrationskurs für junge Menschen bis 26 Jahre, die eine Schule, Ausbildung oder ein "
       "Studium anstreben: 900 Stunden Deutsch, mit Bewerbungstraining und Betriebsbesuchen.",
       domains=(D.LANGUAGE, D.EDUCATION), languages=("de",), at=("vhs-elberfeld",),
       times=(weekly(WEEKDAYS, "09:00", "13:15", start=-30, end=300),), minimum_age=16,
       maximum_age=26, residence_kinds=COURSE_STATUSES, eligibility_description=COURSE_WHO,
       free_of_charge=False, fees_description=COURSE_FEES, capacity=18, free_places=5,
       application_process=COURSE_APPLY, required_documents=COURSE_DOCUMENTS),
    _o("vhs-alphabetisierungskurs", "vhs", "Integrationskurs mit Alphabetisierung",
       "Für Menschen, die nicht oder kaum lesen und schreiben können, oder die das lateinische "
       "Alphabet neu lernen: bis zu 1.300 Stunden, langsames Tempo, kleine Gruppe. Eine "
       "Lernbegleiterin spricht Arabisch, Kurdisch und Dari.",
       domains=(D.LANGUAGE,), languages=("de", "ar", "ku", "prs"), at=("vhs-elberfeld",),
       times=(weekly(WEEKDAYS, "09:00", "12:15", start=-10, end=400),), minimum_age=16,
       alternate_name="Alphabetisierungskurs", residence_kinds=COURSE_STATUSES,
       eligibility_description=COURSE_WHO, free_of_charge=False, fees_description=COURSE_FEES,
       capacity=12, free_places=1, application_process=COURSE_APPLY,
       required_documents=COURSE_DOCUMENTS),
    _o("vhs-elternintegrationskurs", "vhs", "Elternintegrationskurs – Heckinghausen",
       "Integrationskurs für Eltern mit Themen rund um Kita, Schule und Erziehung; die Kinder "
       "werden betreut. Unterricht zu Schulzeiten.",
       domains=(D.LANGUAGE, D.FAMILY), languages=("de",), at=("vhs-heckinghausen",),
       times=(weekly("MO,TU,WE,TH", "08:30", "12:00", start=-45, end=280),), minimum_age=16,
       family_situations=[FS.FAMILY_WITH_CHILDREN, FS.SINGLE_PARENT],
       residence_kinds=COURSE_STATUSES, eligibility_description=COURSE_WHO,
       districts=[District.HECKINGHAUSEN, District.BARMEN, District.OBERBARMEN],
       free_of_charge=False, fees_description=COURSE_FEES, capacity=16, free_places=6,
       application_process=COURSE_APPLY, required_documents=COURSE_DOCUMENTS),
    _o("vhs-frauenintegrationskurs", "vhs", "Frauenintegrationskurs – Langerfeld",
       "Integrationskurs nur für Frauen, mit einer Lehrerin und Kinderbetreuung. Themen auch "
       "zu Gesundheit, Arbeit und Rechten von Frauen.",
       domains=(D.LANGUAGE, D.PARTICIPATION), languages=("de",), at=("vhs-langerfeld",),
       times=(weekly("MO,TU,WE,TH", "09:00", "12:15", start=-120, end=150),), sexes=[F],
       minimum_age=16, residence_kinds=COURSE_STATUSES, eligibility_description=COURSE_WHO,
       districts=[District.LANGERFELD_BEYENBURG, District.OBERBARMEN], free_of_charge=False,
       fees_description=COURSE_FEES, capacity=14, free_places=0, waiting_list=True,
       wait_time="Nächster Kurs beginnt in etwa drei Monaten",
       application_process="Eintragung in die Warteliste nach dem Einstufungstest.",
       required_documents=COURSE_DOCUMENTS),
    _o("vhs-integrationskurs-vohwinkel", "vhs", "Integrationskurs am Nachmittag – Vohwinkel",
       "Allgemeiner Integrationskurs am Nachmittag, für Menschen, die vormittags arbeiten "
       "oder Kinder betreuen.",
       domains=(D.LANGUAGE,), languages=("de",), at=("vhs-vohwinkel",),
       times=(weekly("MO,TU,WE,TH", "13:30", "16:45", start=-80, end=230),), minimum_age=16,
       residence_kinds=COURSE_STATUSES, eligibility_description=COURSE_WHO,
       districts=[District.VOHWINKEL, District.ELBERFELD_WEST], free_of_charge=False,
       fees_description=COURSE_FEES, capacity=20, free_places=0, waiting_list=True,
       wait_time="Etwa zwei Monate", application_process=COURSE_APPLY,
       required_documents=COURSE_DOCUMENTS),
    _o("vhs-integrationskurs-cronenberg", "vhs", "Integrationskurs Cronenberg (Kurs beendet)",
       "Allgemeiner Integrationskurs im Lernort Cronenberg. Der Kurs ist abgeschlossen; ein "
       "neuer Kurs ist noch nicht geplant.",
       domains=(D.LANGUAGE,), languages=("de",), at=("vhs-cronenberg",),
       times=(weekly(WEEKDAYS, "08:30", "12:45", start=-400, end=-45),), minimum_age=16,
       residence_kinds=COURSE_STATUSES, districts=[District.CRONENBERG],
       free_of_charge=False, fees_description=COURSE_FEES, starts=-400, ends=-45,
       accepts_referrals=False, checked=60),
    _o("vhs-berufssprachkurs-b2", "vhs", "Berufssprachkurs B2 am Abend",
       "Deutsch für den Beruf von B1 nach B2 (DeuFöV): 400 Stunden, abends, mit Bewerbung, "
       "Telefonieren, E-Mails und Fachwortschatz. Prüfung telc Deutsch B2 Beruf.",
       domains=(D.LANGUAGE, D.WORK), languages=("de",), at=("vhs-elberfeld",),
       times=(weekly("MO,TU,WE,TH", "17:30", "20:45", start=-20, end=160),), minimum_age=18,
       alternate_name="DeuFöV B2", capacity=20, free_places=6,
       eligibility_description="Mit Berechtigungsschein des Jobcenters, der Agentur für Arbeit "
       "oder des BAMF; Deutsch auf Niveau B1.",
       application_process="Berechtigungsschein beim Jobcenter oder der Agentur für Arbeit "
       "beantragen, dann zum Einstufungstest anmelden.",
       required_documents=["Berechtigungsschein für den Berufssprachkurs", "B1-Zertifikat"]),
    _o("vhs-berufssprachkurs-pflege", "vhs", "Berufssprachkurs Pflege (B1 bis B2)",
       "Spezialkurs für Pflege- und Gesundheitsberufe: Gespräche mit Patientinnen und "
       "Angehörigen, Dokumentation, Übergabe. Mit Praktikumstagen in einem Pflegeheim.",
       domains=(D.LANGUAGE, D.WORK), languages=("de",), at=("vhs-barmen",),
       times=(weekly("MO,TU,WE", "08:30", "13:00", start=14, end=190),), minimum_age=18,
       capacity=16, free_places=7,
       eligibility_description="Mit Berechtigungsschein; für Menschen mit einem Berufsabschluss "
       "oder Erfahrung in der Pflege.",
       required_documents=["Berechtigungsschein für den Berufssprachkurs"]),
    # --- Sprachinstitut --------------------------------------------------------------------------
    _o("sprachinstitut-integrationskurs-abend", "sprachinstitut", "Integrationskurs am Abend",
       "Allgemeiner Integrationskurs für Berufstätige, viermal in der Woche abends.",
       domains=(D.LANGUAGE,), languages=("de",), at=("sprachinstitut",),
       times=(weekly("MO,TU,WE,TH", "17:30", "21:00", start=-40, end=320),), minimum_age=16,
       residence_kinds=COURSE_STATUSES, eligibility_description=COURSE_WHO,
       free_of_charge=False, fees_description=COURSE_FEES, capacity=22, free_places=4,
       application_process=COURSE_APPLY, required_documents=COURSE_DOCUMENTS),
    _o("sprachinstitut-berufssprachkurs-b1", "sprachinstitut",
       "Berufssprachkurs B1 – für Menschen ohne B1-Zertifikat",
       "Berufsbezogener Deutschkurs von A2 nach B1 (DeuFöV), für alle, die den "
       "Integrationskurs ohne B1 beendet haben. Am Vormittag.",
       domains=(D.LANGUAGE, D.WORK), languages=("de",), at=("sprachinstitut",),
       times=(weekly(WEEKDAYS, "08:30", "12:30", start=10, end=130),), minimum_age=18,
       capacity=20, free_places=8,
       eligibility_description="Mit Berechtigungsschein des Jobcenters, der Agentur für Arbeit "
       "oder des BAMF.",
       required_documents=["Berechtigungsschein für den Berufssprachkurs"]),
    # --- IQ Netzwerk ------------------------------------------------------------------------------
    _o("iq-anerkennungsberatung", "iq-netzwerk",
       "Anerkennungsberatung für ausländische Abschlüsse",
       "Wir prüfen mit Ihnen, ob und wo Ihr Berufs- oder Studienabschluss anerkannt werden "
       "kann, welche Unterlagen nötig sind, was es kostet und wer die Kosten übernimmt. "
       "Beratung auch auf Englisch, Arabisch, Farsi, Dari, Russisch, Ukrainisch und Türkisch.",
       domains=(D.WORK,), languages=("de", "en", "ar", "fa", "prs", "ru", "uk", "tr"),
       at=("iq",), times=(weekly("TU", "09:00", "15:00", "Sprechtag mit Termin"),),
       alternate_name="Anerkennungsberatung", minimum_age=18,
       application_process="Termin per E-Mail oder Telefon; die Beratung ist auch per Video "
       "möglich.",
       required_documents=["Abschlusszeugnisse und Fächerlisten", "Nachweise über "
                           "Berufserfahrung", "Übersetzungen, wenn vorhanden"]),
    _o("iq-anpassungsqualifizierung-pflege", "iq-netzwerk", "Anpassungsqualifizierung Pflege",
       "Vorbereitung auf die Kenntnisprüfung oder einen Anpassungslehrgang für Pflegefachkräfte "
       "mit ausländischem Abschluss; mit Fachsprache Pflege.",
       domains=(D.WORK, D.LANGUAGE), languages=("de",), at=("iq",), minimum_age=18,
       capacity=15, free_places=0, waiting_list=True, wait_time="Nächster Lehrgang im Herbst",
       eligibility_description="Mit einem Defizitbescheid der Bezirksregierung und Deutsch auf "
       "Niveau B1."),
    # --- PSZ --------------------------------------------------------------------------------------
    _o("psz-beratung", "psz", "Psychosoziale Beratung für Geflüchtete",
       "Gespräche für Menschen, die unter dem Erlebten leiden: schlechter Schlaf, Angst, "
       "Erschöpfung, Trauer. Wir hören zu, erklären, was hilft, und suchen mit Ihnen weitere "
       "Hilfe. Auf Arabisch, Farsi, Dari, Kurdisch, Türkisch, Englisch und Französisch.",
       domains=(D.HEALTH,), languages=("de", "ar", "fa", "prs", "ku", "kmr", "tr", "en", "fr"),
       at=("psz-elberfeld",), times=(weekly("MO,TU,TH", "09:00", "16:00", "Termine"),
                                     weekly("WE", "10:00", "12:00", "Offene Sprechstunde")),
       alternate_name="PSZ", capacity=60, free_places=5,
       interpretation_services="Sprachmittlung für Arabisch, Dari, Farsi und Kurmandschi",
       application_process="Melden Sie sich selbst oder über eine Beratungsstelle. Das erste "
       "Gespräch findet meist innerhalb von zwei Wochen statt."),
    _o("psz-psychotherapie", "psz", "Psychotherapie mit Sprachmittlung",
       "Traumatherapie für Erwachsene und Jugendliche mit Fluchterfahrung, mit geschulten "
       "Sprachmittlerinnen und Sprachmittlern. Über eine Beratungsstelle.",
       domains=(D.HEALTH,), languages=("de", "ar", "fa", "prs", "ku"), at=("psz-elberfeld",),
       minimum_age=14, capacity=30, free_places=0, waiting_list=True,
       wait_time="Etwa sechs Monate", is_public=False,
       interpretation_services="Sprachmittlung für Arabisch, Dari, Farsi und Kurdisch",
       application_process="Anmeldung durch Fachkräfte nach einem Beratungsgespräch im PSZ."),
    _o("psz-frauengruppe", "psz", "Stabilisierungsgruppe für Frauen",
       "Eine Gruppe für Frauen mit Fluchterfahrung: Übungen gegen Stress und Schlaflosigkeit, "
       "Austausch, Bewegung. Acht Treffen.",
       domains=(D.HEALTH, D.PARTICIPATION), languages=("ar", "fa", "prs", "de"),
       at=("psz-barmen",), times=(weekly("TH", "10:00", "12:00", start=7, end=63),), sexes=[F],
       minimum_age=18, capacity=10, free_places=3, starts=-10, ends=70),
    # --- Verbraucherzentrale, Mieterverein --------------------------------------------------------
    _o("vz-energieschulden", "verbraucherzentrale", "Beratung bei Energieschulden",
       "Hohe Nachzahlung, Abschläge, angedrohte Strom- oder Gassperre: Wir prüfen die Rechnung, "
       "verhandeln mit dem Versorger und zeigen, wie Sie Energie sparen.",
       domains=(D.FINANCES, D.HOUSING), languages=("de", "en", "tr"), at=("verbraucherzentrale",),
       times=(weekly("MO,WE", "09:00", "13:00"),),
       required_documents=["Letzte Jahresabrechnung", "Mahnungen und Sperrandrohung"]),
    _o("vz-budgetberatung", "verbraucherzentrale", "Budget- und Schuldnerberatung",
       "Haushaltsplan, Verträge kündigen, Inkassoforderungen prüfen: Beratung, damit das Geld "
       "bis zum Monatsende reicht.",
       domains=(D.FINANCES,), languages=("de", "en"), at=("verbraucherzentrale",),
       free_of_charge=False, fees_description="20 € je Beratung; kostenlos mit Bürgergeld, "
       "Sozialhilfe oder AsylbLG."),
    _o("mieterverein-mietrecht", "mieterverein", "Mietrechtsberatung",
       "Kündigung wegen Eigenbedarf, Nebenkostenabrechnung, Schimmel, Mieterhöhung: "
       "Rechtsberatung durch Juristinnen und Juristen des Vereins.",
       domains=(D.HOUSING,), languages=("de", "tr", "ru"), at=("mieterverein",),
       times=(weekly("MO,TH", "15:00", "18:00", "Beratung mit Termin"),), free_of_charge=False,
       fees_description="Für Mitglieder; Beitrag ab etwa 8 € im Monat, mit Bürgergeld ermäßigt.",
       checked=195, required_documents=["Mietvertrag", "Schreiben des Vermieters"]),
    # --- Nachbarschaftsheim -----------------------------------------------------------------------
    _o("nbh-hausaufgabenhilfe", "nachbarschaftsheim", "Hausaufgabenhilfe am Platz der Republik",
       "Nach der Schule Hausaufgaben machen, lesen üben, für Arbeiten lernen – mit "
       "Ehrenamtlichen und einer Lehrerin. Auch für Jugendliche der Sekundarstufe I.",
       domains=(D.EDUCATION,), languages=("de", "uk", "ru", "ar"), at=("nachbarschaftsheim",),
       times=(weekly("MO,TU,WE,TH", "14:00", "16:30"),), minimum_age=6, maximum_age=16,
       districts=[District.ELBERFELD, District.UELLENDAHL_KATERNBERG], capacity=35,
       free_places=5),
    _o("nbh-elterncafe", "nachbarschaftsheim", "Internationales Elterncafé Elberfeld",
       "Eltern aus vielen Ländern treffen sich, die Kleinen spielen nebenan. Themen: Kita, "
       "Schule, Medien, Erziehung ohne Gewalt. Kinderbetreuung vor Ort.",
       domains=(D.FAMILY,), languages=("de", "uk", "ru", "ar", "bg", "ro"),
       at=("nachbarschaftsheim",), times=(weekly("FR", "09:30", "11:30"),),
       family_situations=[FS.FAMILY_WITH_CHILDREN, FS.SINGLE_PARENT, FS.PREGNANT],
       districts=[District.ELBERFELD, District.ELBERFELD_WEST]),
    _o("nbh-maedchentreff", "nachbarschaftsheim", "Mädchentreff",
       "Ein Raum nur für Mädchen: reden, tanzen, kochen, Ausflüge, Hilfe bei Sorgen in Schule "
       "und Familie.",
       domains=(D.PARTICIPATION, D.FAMILY), languages=("de",), at=("nachbarschaftsheim",),
       times=(weekly("WE", "15:00", "18:00"),), sexes=[F], minimum_age=10, maximum_age=18,
       districts=[District.ELBERFELD]),
    # --- Familienzentrum Wichlinghausen -----------------------------------------------------------
    _o("fz-elterncafe-oberbarmen", "familienzentrum-wichlinghausen", "Elterncafé Wichlinghausen",
       "Offenes Café für Eltern: Fragen zu Kita und Schule, Austausch mit anderen Eltern, "
       "Informationen zu Angeboten im Quartier. Das Team spricht Ukrainisch, "
       "Russisch, Türkisch und Arabisch.",
       domains=(D.FAMILY, D.CHILDCARE), languages=("de", "uk", "ru", "tr", "ar"),
       at=("familienzentrum-wichlinghausen",), times=(weekly("TU", "09:00", "11:00"),),
       family_situations=[FS.FAMILY_WITH_CHILDREN, FS.SINGLE_PARENT],
       districts=[District.OBERBARMEN, District.LANGERFELD_BEYENBURG]),
    _o("fz-elternkurs", "familienzentrum-wichlinghausen",
       "Elternkurs „Starke Eltern – starke Kinder“",
       "Zehn Abende für Eltern: Regeln und Grenzen, Streit schlichten, Kinder stärken. Mit "
       "Kinderbetreuung.",
       domains=(D.FAMILY,), languages=("de", "tr", "ar"), at=("familienzentrum-wichlinghausen",),
       times=(weekly("MO", "18:00", "20:00", start=14, end=84),),
       family_situations=[FS.FAMILY_WITH_CHILDREN, FS.SINGLE_PARENT],
       districts=[District.OBERBARMEN, District.HECKINGHAUSEN], capacity=12, free_places=5,
       starts=-20, ends=90),
    _o("fz-spielgruppe", "familienzentrum-wichlinghausen", "Spielgruppe für Kinder ohne Kita-Platz",
       "Kinder von einem bis drei Jahren spielen mit einem Elternteil in der Gruppe; die Eltern "
       "lernen die Kita kennen und bekommen Hilfe bei der Anmeldung.",
       domains=(D.CHILDCARE,), languages=("de", "ar", "ti", "uk"),
       at=("familienzentrum-wichlinghausen",), times=(weekly("WE,FR", "09:30", "11:00"),),
       minimum_age=1, maximum_age=3, districts=[District.OBERBARMEN], capacity=10,
       free_places=1),
    # --- Frau und Beruf, pro familia, Suchthilfe --------------------------------------------------
    _o("fb-berufsorientierung-frauen", "frau-beruf",
       "Berufliche Orientierung für zugewanderte Frauen",
       "Zwölf Treffen für Frauen, die in Deutschland arbeiten möchten: Stärken entdecken, "
       "Berufe kennenlernen, Praktikum finden, Arbeit in Teilzeit. Mit Kinderbetreuung.",
       domains=(D.WORK,), languages=("de", "ar", "fa"), at=("frau-beruf",),
       times=(weekly("TU,TH", "09:00", "12:00", start=-7, end=40),), sexes=[F], minimum_age=18,
       capacity=14, free_places=6, starts=-20, ends=45),
    _o("profamilia-schwangerschaftsberatung", "pro-familia", "Schwangerschaftsberatung",
       "Beratung in der Schwangerschaft und nach der Geburt: Geld aus der Bundesstiftung "
       "Mutter und Kind, Elterngeld, Gesundheit, Verhütung. Vertraulich, auf Wunsch anonym.",
       domains=(D.FAMILY, D.HEALTH), languages=("de", "en", "fr", "ar", "fa"),
       at=("pro-familia",), times=(weekly("MO,WE", "09:00", "13:00"),),
       family_situations=[FS.PREGNANT],
       required_documents=["Mutterpass, wenn vorhanden", "Einkommensnachweis für Anträge"]),
    _o("suchthilfe-russisch", "suchthilfe", "Suchtberatung auf Russisch",
       "Beratung für russischsprachige Menschen mit Problemen mit Alkohol, Medikamenten oder "
       "Glücksspiel und für ihre Angehörigen.",
       domains=(D.HEALTH,), languages=("ru", "de"), at=("suchthilfe-barmen",),
       times=(weekly("WE", "14:00", "18:00"),), minimum_age=16),
    # --- Stadtteile -------------------------------------------------------------------------------
    _o("vohwinkel-hausaufgabenhilfe", "stadtteilbuero-vohwinkel", "Hausaufgabenhilfe Vohwinkel",
       "Hilfe bei den Hausaufgaben für Grundschulkinder, im Stadtteilbüro.",
       domains=(D.EDUCATION,), languages=("de", "ar"), at=("stadtteilbuero-vohwinkel",),
       times=(weekly("TU,TH", "14:00", "16:00"),), minimum_age=6, maximum_age=10,
       districts=[District.VOHWINKEL]),
    _o("vohwinkel-repaircafe", "stadtteilbuero-vohwinkel", "Repaircafé Vohwinkel",
       "Gemeinsam reparieren statt wegwerfen: Elektrogeräte, Kleidung, Fahrräder. Kaffee und "
       "Kuchen gegen Spende.",
       domains=(D.PARTICIPATION,), languages=("de",), at=("stadtteilbuero-vohwinkel",),
       times=(monthly("3SA", "11:00", "15:00"),), districts=[District.VOHWINKEL]),
    _o("katernberg-sprachtreff", "stadtteiltreff-katernberg", "Sprachtreff Katernberg",
       "Deutsch sprechen mit Nachbarinnen und Nachbarn, jede Woche ein Alltagsthema.",
       domains=(D.LANGUAGE, D.PARTICIPATION), languages=("de",),
       at=("stadtteiltreff-katernberg",), times=(weekly("TH", "17:00", "18:30"),),
       districts=[District.UELLENDAHL_KATERNBERG], checked=300),
    # --- Sportvereine -----------------------------------------------------------------------------
    _o("tus-fussball-kinder", "tus-wichlinghausen", "Fußball für Kinder und Jugendliche",
       "Training für Mädchen und Jungen von 6 bis 16 Jahren; Schuhe können ausgeliehen werden.",
       domains=(D.PARTICIPATION,), languages=("de",), at=("tus-wichlinghausen",),
       times=(weekly("TU,TH", "17:00", "18:30"),), minimum_age=6, maximum_age=16,
       districts=[District.OBERBARMEN, District.HECKINGHAUSEN], free_of_charge=False,
       fees_description="8 € im Monat; übernimmt Bildung und Teilhabe.", checked=260),
    _o("sg-schwimmen-frauen", "schwimmgemeinschaft", "Schwimmkurs für Frauen",
       "Schwimmen lernen mit einer Trainerin, in der Frauenzeit ohne Zuschauer. Acht Termine.",
       domains=(D.PARTICIPATION,), languages=("de", "ar", "tr"), at=("hallenbad-barmen",),
       times=(weekly("SU", "08:00", "09:30", start=-14, end=42),), sexes=[F], minimum_age=16,
       capacity=12, free_places=5, free_of_charge=False,
       fees_description="40 € für den Kurs, mit Bildung und Teilhabe oder Sozialpass 10 €."),
    _o("sg-seepferdchen", "schwimmgemeinschaft", "Seepferdchen-Kurs für Kinder",
       "Schwimmanfängerkurs für Kinder von 5 bis 10 Jahren bis zum Seepferdchen.",
       domains=(D.PARTICIPATION,), languages=("de",), at=("hallenbad-west",),
       times=(weekly("SA", "09:00", "10:00"),), minimum_age=5, maximum_age=10, capacity=15,
       free_places=0, waiting_list=True, wait_time="Etwa sechs Monate", free_of_charge=False,
       fees_description="60 € für zehn Termine; übernimmt Bildung und Teilhabe."),
    _o("sg-schwimmen-sanierung", "schwimmgemeinschaft", "Aqua-Fitness im Hallenbad Elberfeld-West",
       "Wassergymnastik für Erwachsene. Das Bad wird saniert, der Kurs pausiert.",
       domains=(D.PARTICIPATION, D.HEALTH), languages=("de",), at=("hallenbad-west",),
       minimum_age=18, status=Offer.Status.TEMPORARILY_CLOSED, accepts_referrals=False,
       free_of_charge=False, fees_description="5 € je Termin."),
    _o("fc-vohwinkel-fussball", "fc-vohwinkel", "Fußball für alle ab 16",
       "Offenes Training für Erwachsene, egal wie gut – wer möchte, spielt später in der "
       "Kreisliga mit.",
       domains=(D.PARTICIPATION,), languages=("de", "ar", "fa", "fr", "en"), at=("fc-vohwinkel",),
       times=(weekly("WE", "19:00", "20:30"),), minimum_age=16,
       districts=[District.VOHWINKEL, District.ELBERFELD_WEST]),
    _o("ctv-kinderturnen", "tv-cronenberg", "Kinderturnen",
       "Bewegung, Spiel und Geräteturnen für Kinder von 3 bis 10 Jahren.",
       domains=(D.PARTICIPATION,), languages=("de",), at=("tv-cronenberg",),
       times=(weekly("MO", "16:00", "17:00"),), minimum_age=3, maximum_age=10,
       districts=[District.CRONENBERG], free_of_charge=False,
       fees_description="Vereinsbeitrag 6 € im Monat; übernimmt Bildung und Teilhabe."),
    _o("boxclub-jugend", "boxclub-heckinghausen", "Boxtraining für Jugendliche",
       "Training mit Regeln und Respekt, für Mädchen und Jungen. Handschuhe werden gestellt.",
       domains=(D.PARTICIPATION,), languages=("de", "tr", "ar"), at=("boxclub-heckinghausen",),
       times=(weekly("MO,TH", "17:30", "19:00"),), minimum_age=12, maximum_age=21,
       districts=[District.HECKINGHAUSEN, District.BARMEN]),
    _o("ttc-tischtennis", "ttc-ronsdorf", "Tischtennis für alle",
       "Offenes Training für Kinder ab acht Jahren, Jugendliche und Erwachsene.",
       domains=(D.PARTICIPATION,), languages=("de",), at=("ttc-ronsdorf",),
       times=(weekly("FR", "17:00", "19:00"),), minimum_age=8,
       districts=[District.RONSDORF]),
    _o("tvu-laufgruppe-frauen", "tv-uellendahl", "Walking- und Laufgruppe für Frauen",
       "Gemeinsam walken oder laufen im Wald, in langsamem Tempo, ohne Vereinsmitgliedschaft.",
       domains=(D.PARTICIPATION,), languages=("de",), at=("tv-uellendahl",),
       times=(weekly("SA", "09:30", "10:30"),), sexes=[F], minimum_age=16,
       districts=[District.UELLENDAHL_KATERNBERG]),
    # --- proposed provider: shown nowhere until approved ------------------------------------------
    _o("ukr-elternrunde", "ukrainischer-verein", "Ukrainische Elternrunde",
       "Treffen ukrainischer Eltern mit Fragen zu Schule, Kita und Behörden.",
       domains=(D.FAMILY,), languages=("uk", "ru"), at=("ukrainischer-verein",),
       times=(monthly("1SU", "15:00", "17:00"),), districts=[District.OBERBARMEN]),
)
# fmt: on

DEMO_OFFER_SLUGS: tuple[str, ...] = tuple(spec.slug for spec in OFFERS)


def _hsds_id(kind: str, slug: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, f"{kind}:{slug}")


def provider_hsds_id(slug: str) -> uuid.UUID:
    return _hsds_id("provider", slug)


def location_hsds_id(slug: str) -> uuid.UUID:
    return _hsds_id("location", slug)


def offer_hsds_id(slug: str) -> uuid.UUID:
    """The HSDS id of the demo offer ``slug``: the same in every demo database."""
    return _hsds_id("offer", slug)


def demo_offer(slug: str) -> Offer:
    """The demo offer ``slug`` (``Offer.DoesNotExist`` before :func:`seed_demo_offers`)."""
    if slug not in DEMO_OFFER_SLUGS:
        raise KeyError(f"no demo offer {slug!r}")
    return Offer.objects.select_related("provider").get(hsds_id=offer_hsds_id(slug))


def demo_offer_spec(slug: str) -> DemoOffer:
    for spec in OFFERS:
        if spec.slug == slug:
            return spec
    raise KeyError(f"no demo offer {slug!r}")


def _clock(value: str) -> time:
    hour, minute = (int(part) for part in value.split(":"))
    return time(hour, minute)


def _day(today: date, offset: int | None) -> date | None:
    return None if offset is None else today + timedelta(days=offset)


def offer_data(spec: DemoOffer, locations: dict[str, Location], today: date) -> OfferData:
    """The offer as the services take it (not yet cleaned)."""
    first = spec.at[0] if spec.at else ""
    schedules = [
        ScheduleData(
            freq=t.freq,
            interval=t.interval,
            byday=t.byday,
            opens_at=_clock(t.opens),
            closes_at=_clock(t.closes),
            dtstart=_day(today, t.start),
            until=_day(today, t.end),
            description=t.description,
            location_id=locations[t.at or first].pk if (t.at or first) else None,
        )
        for t in spec.times
    ]
    return OfferData(
        name=spec.name,
        description=spec.description,
        domains=[str(d) for d in spec.domains],
        languages=list(spec.languages),
        location_ids=[locations[slug].pk for slug in spec.at],
        schedules=schedules,
        valid_from=_day(today, spec.starts),
        valid_until=_day(today, spec.ends),
        **spec.fields,
    )


def _providers(
    agencies: dict[str, Agency], admin: User | None, created: dict[str, int]
) -> dict[str, Provider]:
    found = {
        p.hsds_id: p
        for p in Provider.objects.filter(hsds_id__in=[provider_hsds_id(s.slug) for s in PROVIDERS])
    }
    now = timezone.now()
    providers: dict[str, Provider] = {}
    for spec in PROVIDERS:
        agency = agencies.get(spec.agency) if spec.agency else None
        provider = found.get(provider_hsds_id(spec.slug))
        if provider is None:
            approved = not spec.proposed
            provider = Provider.objects.create(
                hsds_id=provider_hsds_id(spec.slug),
                name=spec.name,
                alternate_name=spec.alternate_name,
                description=spec.description,
                email=spec.email,
                website=spec.website,
                phone=spec.phone,
                agency=agency,
                status=Provider.Status.APPROVED if approved else Provider.Status.PROPOSED,
                decided_by=admin if approved else None,
                decided_at=now if approved else None,
            )
            created["providers"] += 1
        elif provider.agency_id is None and agency is not None:
            # The demo city's agencies were created after the directory: link them now.
            Provider.objects.filter(pk=provider.pk).update(agency=agency)
            provider.agency = agency
        providers[spec.slug] = provider
    return providers


def _locations(providers: dict[str, Provider], created: dict[str, int]) -> dict[str, Location]:
    found = {
        loc.hsds_id: loc
        for loc in Location.objects.filter(
            hsds_id__in=[location_hsds_id(s.slug) for s in LOCATIONS]
        )
    }
    locations: dict[str, Location] = {}
    for spec in LOCATIONS:
        location = found.get(location_hsds_id(spec.slug))
        if location is None:
            location = Location.objects.create(
                hsds_id=location_hsds_id(spec.slug),
                provider=providers[spec.provider],
                name=spec.name,
                description=spec.description,
                street=spec.street,
                postal_code=spec.postal_code,
                city="Wuppertal",
                district=spec.district,
                latitude=Decimal(spec.latitude),
                longitude=Decimal(spec.longitude),
                transportation=spec.transportation,
                wheelchair_accessible=spec.step_free,
                accessibility=spec.accessibility,
            )
            created["locations"] += 1
        locations[spec.slug] = location
    return locations


@transaction.atomic
def seed_demo_offers() -> dict[str, int]:
    """Write the demo directory; what was created (``providers``, ``locations``, ``offers``).

    Idempotent: existing providers, places and offers (found by their HSDS id) are left as
    they are — a demo user may have edited them —, only the missing are written. A provider
    of a demo agency that did not exist yet is linked once it does. Offers are checked by
    ``clean_offer_data`` and their rows written by ``write_offer_rows``, as the services do;
    the permission check is left out (this is the city's seeding) and one DEMO_SEEDED audit
    event covers what was created.
    """
    today = timezone.localdate()
    codes = {spec.agency for spec in PROVIDERS if spec.agency}
    agencies = {a.code: a for a in Agency.objects.filter(code__in=codes)}
    admin = User.objects.filter(username="admin").first()
    created = {"providers": 0, "locations": 0, "offers": 0}
    providers = _providers(agencies, admin, created)
    locations = _locations(providers, created)
    existing = set(
        Offer.objects.filter(hsds_id__in=[offer_hsds_id(s) for s in DEMO_OFFER_SLUGS]).values_list(
            "hsds_id", flat=True
        )
    )
    for spec in OFFERS:
        hsds_id = offer_hsds_id(spec.slug)
        if hsds_id in existing:
            continue
        provider = providers[spec.provider]
        data = clean_offer_data(offer_data(spec, locations, today), provider=provider)
        offer = Offer(
            hsds_id=hsds_id,
            provider=provider,
            checked_on=today - timedelta(days=spec.checked),
            checked_by=None,
        )
        for name in OfferData.SCALARS:
            setattr(offer, name, getattr(data, name))
        offer.save()
        write_offer_rows(offer, data)
        created["offers"] += 1
    if any(created.values()):
        record(action=AuditAction.DEMO_SEEDED, detail={"directory": True, **created})
    return created
