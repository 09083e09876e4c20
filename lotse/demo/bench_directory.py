"""Bench of the directory: 5,000 varied offers, bulk-inserted, then the public search, the
public page ``/angebote/`` and the streamed HSDS export measured on them.

The offers are written with ``bulk_create`` in batches, child rows too (domains, languages,
districts, places, times), with what the services keep: a main domain at position 0, the
districts only of offers that are not city-wide, places of the offer's own provider.
Deterministic: ``random.Random(seed)`` gives the same offers, HSDS ids included.
"""

from __future__ import annotations

import random
import resource
import time as clock
import tracemalloc
import uuid
from collections.abc import Callable, Sequence
from datetime import time, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models, transaction
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone

from lotse.directory.domains import LifeDomain
from lotse.directory.models import (
    FamilySituation,
    Location,
    Offer,
    OfferDistrict,
    OfferDomain,
    OfferLanguage,
    OfferLocation,
    Provider,
    Schedule,
)
from lotse.people.choices import District, ResidenceKind, Sex

from .bench import BenchRow, analyze, measure, query_count, row
from .families import STREETS

BATCH = 2_000
#: Marks the bench's providers apart from the demo directory's (``alternate_name``).
BENCH_MARK = "Bench-Anbieter"
OFFERS_PER_PROVIDER = 10
#: The page size of a search as the public page shows it.
PAGE = 25
SEARCH_PAGE = "/angebote/?domain=language&language=ar"
EXPORT = "/api/v1/offers/export"
EXPORT_QUERY = "?format=hsds-json"

#: Approximate centres of the districts (latitude, longitude).
CENTRES: dict[str, tuple[float, float]] = {
    District.ELBERFELD: (51.2570, 7.1460),
    District.ELBERFELD_WEST: (51.2500, 7.1160),
    District.UELLENDAHL_KATERNBERG: (51.2780, 7.1450),
    District.VOHWINKEL: (51.2330, 7.0730),
    District.CRONENBERG: (51.2050, 7.1470),
    District.BARMEN: (51.2705, 7.1990),
    District.OBERBARMEN: (51.2770, 7.2190),
    District.HECKINGHAUSEN: (51.2635, 7.2250),
    District.LANGERFELD_BEYENBURG: (51.2790, 7.2480),
    District.RONSDORF: (51.2240, 7.2100),
}
#: Districts by how many offers they have (as the families live).
DISTRICT_WEIGHTS = {
    District.ELBERFELD: 22,
    District.OBERBARMEN: 17,
    District.BARMEN: 17,
    District.ELBERFELD_WEST: 8,
    District.HECKINGHAUSEN: 8,
    District.UELLENDAHL_KATERNBERG: 7,
    District.VOHWINKEL: 8,
    District.LANGERFELD_BEYENBURG: 6,
    District.RONSDORF: 4,
    District.CRONENBERG: 3,
}
LANGUAGE_WEIGHTS = {
    "ar": 30, "fa": 12, "prs": 10, "ku": 8, "kmr": 5, "tr": 18, "ru": 15, "uk": 18,
    "ti": 4, "so": 3, "en": 25, "fr": 10, "ro": 6, "bg": 5,
}  # fmt: skip

PROVIDER_KINDS = (
    "Stadtteilverein", "Bildungswerk", "Begegnungszentrum", "Förderverein", "Familienzentrum",
    "Initiative", "Kulturverein", "Beratungsstelle", "Sportverein", "Nachbarschaftstreff",
)  # fmt: skip

#: Per life domain: kinds of offer and a sentence of the description.
TOPICS: dict[str, tuple[tuple[str, ...], str]] = {
    LifeDomain.LANGUAGE: (
        ("Deutschkurs", "Sprachcafé", "Integrationskurs", "Alphabetisierungskurs",
         "Berufssprachkurs", "Konversationskurs"),
        "Deutsch lernen und sprechen in kleinen Gruppen, mit erfahrenen Lehrkräften.",
    ),
    LifeDomain.HOUSING: (
        ("Wohnungscafé", "Mietberatung", "Hilfe bei der Wohnungssuche"),
        "Hilfe bei der Suche nach einer Wohnung, bei Bewerbungen und Fragen zur Miete.",
    ),
    LifeDomain.WORK: (
        ("Bewerbungstraining", "Jobcafé", "Berufsorientierung", "Anerkennungsberatung"),
        "Unterstützung auf dem Weg in Arbeit oder Ausbildung.",
    ),
    LifeDomain.EDUCATION: (
        ("Hausaufgabenhilfe", "Lernförderung", "Schulberatung"),
        "Hilfe bei Hausaufgaben und Schule, für Kinder und Jugendliche.",
    ),
    LifeDomain.CHILDCARE: (
        ("Spielgruppe", "Kita-Einstieg", "Eltern-Kind-Gruppe"),
        "Für Kinder ohne Kita-Platz und ihre Eltern: spielen, ankommen, Kita kennenlernen.",
    ),
    LifeDomain.HEALTH: (
        ("Gesundheitsberatung", "Psychosoziale Beratung", "Bewegungskurs"),
        "Beratung und Begleitung rund um Gesundheit, auch bei seelischer Belastung.",
    ),
    LifeDomain.FINANCES: (
        ("Schuldnerberatung", "Budgetberatung", "Antragshilfe"),
        "Beratung bei Schulden, Anträgen und Fragen zum Geld.",
    ),
    LifeDomain.FAMILY: (
        ("Elterncafé", "Elternkurs", "Familienberatung"),
        "Eltern tauschen sich aus und bekommen Rat zu Erziehung, Kita und Schule.",
    ),
    LifeDomain.PARTICIPATION: (
        ("Frauentreff", "Nachbarschaftstreff", "Sportgruppe", "Seniorentreff"),
        "Menschen aus der Nachbarschaft treffen sich, lernen sich kennen und unternehmen etwas.",
    ),
    LifeDomain.MOBILITY: (
        ("Fahrradkurs", "Fahrradwerkstatt"),
        "Radfahren lernen, Räder reparieren, mobil werden in der Stadt.",
    ),
    LifeDomain.RESIDENCE: (
        ("Asylverfahrensberatung", "Aufenthaltsberatung"),
        "Beratung zu Asylverfahren, Aufenthaltstitel und Fristen.",
    ),
}  # fmt: skip
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA")

M = TypeVar("M", bound=models.Model)


class BenchUnavailable(RuntimeError):
    """What a measurement needs (a selector, a page, an API operation) does not exist."""


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _insert(model: type[M], objects: list[M]) -> list[M]:
    """``bulk_create`` in batches; the primary keys are set (read back by HSDS id where the
    database does not return them)."""
    created = model._default_manager.bulk_create(objects, batch_size=BATCH)
    if created and created[0].pk is None:
        ids = dict(
            model._default_manager.filter(
                hsds_id__in=[getattr(o, "hsds_id") for o in created]  # noqa: B009
            ).values_list("hsds_id", "pk")
        )
        for obj in created:
            obj.pk = ids[getattr(obj, "hsds_id")]  # noqa: B009
    return created


def _pick(rng: random.Random, weights: dict[str, int], k: int) -> list[str]:
    """``k`` different values, drawn by weight."""
    chosen: list[str] = []
    values, w = list(weights), list(weights.values())
    while len(chosen) < k:
        value = rng.choices(values, w)[0]
        if value not in chosen:
            chosen.append(value)
    return chosen


def bench_offer_count() -> int:
    return Offer.objects.filter(provider__alternate_name=BENCH_MARK).count()


@transaction.atomic
def seed_bench_offers(count: int = 5000, seed: int = 7) -> None:
    """``count`` offers of bench providers (about ten per provider, one to three places
    each), varied in domains, languages, districts, target groups, times and states; only
    what is missing is added (the bench's offers are counted by their providers' mark)."""
    missing = count - bench_offer_count()
    if missing <= 0:
        return
    rng = random.Random(seed + bench_offer_count())
    today = timezone.localdate()
    domains = list(LifeDomain.values)
    labels = dict(District.choices)

    provider_count = max(1, -(-missing // OFFERS_PER_PROVIDER))
    homes = [rng.choices(list(DISTRICT_WEIGHTS), list(DISTRICT_WEIGHTS.values()))[0]
             for _ in range(provider_count)]  # fmt: skip
    providers = _insert(
        Provider,
        [
            Provider(
                hsds_id=_uuid(rng),
                name=f"{rng.choice(PROVIDER_KINDS)} {labels[home]} {index + 1}",
                alternate_name=BENCH_MARK,
                description=f"Träger von Angeboten in {labels[home]} und der ganzen Stadt.",
                email=f"info{index + 1}@anbieter.example.org",
                phone=f"0202 0{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
                status=Provider.Status.APPROVED,
            )
            for index, home in enumerate(homes)
        ],
    )
    location_rows: list[Location] = []
    for provider, home in zip(providers, homes, strict=True):
        for number in range(rng.choice((1, 1, 2, 3))):
            district = home if number == 0 else rng.choice(list(CENTRES))
            street, postcode = rng.choice(STREETS[district])
            lat, lon = CENTRES[district]
            location_rows.append(
                Location(
                    hsds_id=_uuid(rng),
                    provider=provider,
                    name=f"{provider.name}, {street}",
                    street=f"{street} {rng.randint(1, 180)}",
                    postal_code=postcode,
                    city="Wuppertal",
                    district=district,
                    latitude=Decimal(f"{lat + rng.uniform(-0.006, 0.006):.6f}"),
                    longitude=Decimal(f"{lon + rng.uniform(-0.009, 0.009):.6f}"),
                    wheelchair_accessible=rng.choice((True, True, False, None)),
                )
            )
    locations = _insert(Location, location_rows)
    by_provider: dict[int, list[Location]] = {}
    for location in locations:
        by_provider.setdefault(location.provider_id, []).append(location)

    plans: list[tuple[Offer, list[str], list[str], list[str], list[Location]]] = []
    for index in range(missing):
        provider = providers[index // OFFERS_PER_PROVIDER]
        places = by_provider[provider.pk]
        place = rng.choice(places)
        offer_domains = rng.sample(domains, rng.choice((1, 1, 2, 2, 3)))
        kinds, sentence = TOPICS[offer_domains[0]]
        kind = rng.choice(kinds)
        languages = ["de"] if rng.random() < 0.85 else []
        languages += _pick(rng, LANGUAGE_WEIGHTS, rng.choice((0, 1, 1, 2, 3)))
        if not languages:
            languages = ["en"]
        citywide = rng.random() < 0.4
        districts = (
            []
            if citywide
            else list(
                dict.fromkeys(
                    [place.district, *rng.sample(list(CENTRES), rng.choice((0, 0, 1, 2)))]
                )
            )
        )
        minimum = rng.choice((None, None, None, 0, 6, 12, 16, 18, 27, 60))
        maximum = (
            None
            if minimum is None or minimum >= 27 or rng.random() < 0.4
            else minimum + rng.choice((3, 6, 10, 14))
        )
        capacity = rng.choice((None, None, 10, 12, 15, 20, 30, 60))
        full = capacity is not None and rng.random() < 0.2
        roll = rng.random()
        status = (
            Offer.Status.ACTIVE
            if roll < 0.95
            else Offer.Status.INACTIVE
            if roll < 0.98
            else Offer.Status.TEMPORARILY_CLOSED
        )
        expired = rng.random() < 0.04
        offer = Offer(
            hsds_id=_uuid(rng),
            provider=provider,
            name=f"{kind} {labels[place.district]}",
            description=f"{sentence} Angebot {index + 1} von {provider.name}.",
            email=provider.email,
            phone=provider.phone,
            status=status,
            application_process=rng.choice(
                ("Ohne Anmeldung.", "Anmeldung per Telefon oder E-Mail.", "Termin vereinbaren.")
            ),
            minimum_age=minimum,
            maximum_age=maximum,
            sexes=[Sex.FEMALE] if kind in ("Frauentreff",) or rng.random() < 0.05 else [],
            family_situations=rng.sample(list(FamilySituation.values), rng.choice((0, 0, 1, 2))),
            residence_kinds=(
                [ResidenceKind.RESIDENCE_PERMIT, ResidenceKind.SETTLEMENT_PERMIT]
                if kind == "Integrationskurs"
                else []
            ),
            citywide=citywide,
            free_of_charge=rng.random() < 0.8,
            capacity=capacity,
            free_places=(0 if full else rng.randint(0, capacity)) if capacity else None,
            waiting_list=full,
            wait_time="Etwa zwei Monate" if full else "",
            required_documents=["Pass oder Ausweisersatz"] if rng.random() < 0.3 else [],
            valid_until=today - timedelta(days=rng.randint(1, 90)) if expired else None,
            is_public=rng.random() < 0.9,
            accepts_referrals=not full,
            checked_on=today - timedelta(days=rng.randint(0, 420)),
        )
        chosen_places = [place] + [p for p in places if p is not place and rng.random() < 0.3]
        plans.append((offer, offer_domains, languages, districts, chosen_places))
    offers = _insert(Offer, [plan[0] for plan in plans])

    domain_rows, language_rows, district_rows = [], [], []
    at_rows, schedule_rows = [], []
    for offer, offer_domains, languages, districts, chosen_places in plans:
        domain_rows += [
            OfferDomain(offer=offer, domain=d, position=i) for i, d in enumerate(offer_domains)
        ]
        language_rows += [OfferLanguage(offer=offer, code=code) for code in languages]
        district_rows += [OfferDistrict(offer=offer, district=d) for d in districts]
        at_rows += [
            OfferLocation(hsds_id=_uuid(rng), offer=offer, location=p) for p in chosen_places
        ]
        for _ in range(rng.choice((1, 1, 2))):
            start = rng.randint(8, 18)
            monthly = rng.random() < 0.2
            schedule_rows.append(
                Schedule(
                    hsds_id=_uuid(rng),
                    offer=offer,
                    location=chosen_places[0],
                    freq=Schedule.Frequency.MONTHLY if monthly else Schedule.Frequency.WEEKLY,
                    byday=(
                        f"{rng.randint(1, 4)}{rng.choice(DAYS)}"
                        if monthly
                        else ",".join(
                            sorted(rng.sample(DAYS, rng.choice((1, 1, 2, 3))), key=DAYS.index)
                        )
                    ),
                    opens_at=time(start, rng.choice((0, 30))),
                    closes_at=time(start + rng.choice((1, 2, 3)), 0),
                )
            )
    assert len(offers) == len(plans)  # noqa: S101 - the plans hold the created offers
    OfferDomain.objects.bulk_create(domain_rows, batch_size=BATCH)
    OfferLanguage.objects.bulk_create(language_rows, batch_size=BATCH)
    OfferDistrict.objects.bulk_create(district_rows, batch_size=BATCH)
    OfferLocation.objects.bulk_create(at_rows, batch_size=BATCH)
    Schedule.objects.bulk_create(schedule_rows, batch_size=BATCH)


# --- the measurements ---------------------------------------------------------------------------

#: Typical searches: (label, filters of ``offers_search``).
SEARCHES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("search: language + Arabic", {"domain": "language", "language": "ar"}),
    ("search: language + Arabic, public only", {"domain": "language", "language": "ar",
                                                "public_only": True}),
    ("search: district Oberbarmen", {"district": "oberbarmen"}),
    ("search: family, age 8, Barmen", {"domain": "family", "age": 8, "district": "barmen"}),
    ("search: text 'Deutschkurs'", {"q": "Deutschkurs"}),
    ("search: all current offers", {}),
)  # fmt: skip


def _offers_search() -> Callable[..., Any]:
    try:
        from lotse.directory import selectors
    except ImportError as exc:
        raise BenchUnavailable(
            "lotse.directory.selectors is missing: the directory search cannot be measured."
        ) from exc
    search = getattr(selectors, "offers_search", None)
    if search is None:
        raise BenchUnavailable(
            "lotse.directory.selectors.offers_search is missing: the search cannot be measured."
        )
    return search  # type: ignore[no-any-return]


def _evaluate(found: Any) -> int:
    """What a page of results costs: the count and the first page (a list: its length)."""
    if isinstance(found, Sequence):
        return len(found)
    total = int(found.count())
    list(found[:PAGE])
    return total


def _require_url(path: str) -> None:
    try:
        resolve(path)
    except Resolver404 as exc:
        raise BenchUnavailable(f"{path} is not routed yet: it cannot be measured.") from exc


def _get(client: Client, url: str) -> Any:
    response = client.get(url)
    if response.status_code != 200:
        raise BenchUnavailable(f"GET {url} answered {response.status_code}, not 200.")
    return response


def _consume(client: Client, url: str) -> int:
    """Read the whole (streamed) answer; its size in bytes. The test client closes the
    response itself once it is read (closing it here again would fire ``request_finished``
    and, inside a transaction, drop the database connection)."""
    response = _get(client, url)
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def _max_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux (bytes on macOS); the bench runs on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def directory_suite(*, repeat: int, offers: int = 5000) -> list[BenchRow]:
    """The directory on ``offers`` bench offers plus the demo directory: typical searches
    (count and first page), the public page and the streamed HSDS export.

    Needs the demo accounts (``demo_city_seed``); raises :class:`BenchUnavailable` naming
    the selector, page or API operation that does not exist (yet).
    """
    from lotse.accounts.models import User
    from lotse.accounts.services import api_token_create

    from .offers import seed_demo_offers
    from .services import demo_city_seed

    search = _offers_search()
    _require_url("/angebote/")
    _require_url(EXPORT)

    demo_city_seed(families=0, seed=1)
    seed_demo_offers()
    start = clock.perf_counter()
    seed_bench_offers(offers)
    seeded = clock.perf_counter() - start
    analyze()
    total = Offer.objects.count()
    rows = [
        BenchRow(
            f"directory: seed {offers:,} bench offers",
            1,
            seeded * 1000,
            seeded * 1000,
            f"bulk_create; {total:,} offers in all",
        )
    ]

    for label, filters in SEARCHES:

        def run(filters: dict[str, Any] = filters) -> int:
            return _evaluate(search(**filters))

        found = run()
        queries = query_count(run)
        rows.append(
            row(
                label,
                measure(run, repeat=repeat),
                f"{found:,} found; count + first {PAGE}; {queries} queries",
            )
        )

    client = Client()
    _get(client, SEARCH_PAGE)

    def page() -> object:
        return client.get(SEARCH_PAGE)

    queries = query_count(page)
    rows.append(
        row(
            "public page: /angebote/ language + Arabic",
            measure(page, repeat=repeat),
            f"GET {SEARCH_PAGE}, anonymous; {queries} queries",
        )
    )

    rows.append(_matching_row(repeat))

    admin = User.objects.get(username="admin")
    token = api_token_create(user=admin, name="bench").raw
    api = Client(headers={"Authorization": f"Bearer {token}"})
    url = EXPORT + EXPORT_QUERY
    exported = _evaluate(search())
    size = _consume(api, url)
    queries = query_count(lambda: _consume(api, url))
    rss_before = _max_rss_mib()
    tracemalloc.start()
    _consume(api, url)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = _max_rss_mib()
    rows.append(
        row(
            f"api: HSDS JSON export ({exported:,} offers)",
            measure(lambda: _consume(api, url), repeat=max(3, repeat // 20), warmup=1),
            f"streamed, {size / 1e6:.1f} MB, {queries} queries; tracemalloc peak "
            f"(Python allocations) {peak / 2**20:.1f} MiB; process peak RSS (ru_maxrss) "
            f"{rss_before:.0f} → {rss_after:.0f} MiB",
        )
    )
    return rows


#: A family of six with needs in four domains: two parents, four children (2, 6, 11, 16).
FAMILY_OF_SIX = (
    ("language", (34, 31)),
    ("work", (34,)),
    ("childcare", (2,)),
    ("education", (6, 11, 16)),
)


def _matching_row(repeat: int) -> BenchRow:
    """Needs matching (``directory.matching.match_needs``) for a family of six."""
    from lotse.directory.matching import NeedProfile, PersonProfile, match_needs

    needs = [
        NeedProfile(
            key=domain,
            domain=domain,
            level=3,
            persons=tuple(
                PersonProfile(
                    age=age, languages=("ar", "ku"), residence_kind="aufenthaltserlaubnis"
                )
                for age in ages
            ),
            district="oberbarmen",
            family_situations=("family_with_children",),
        )
        for domain, ages in FAMILY_OF_SIX
    ]

    def run() -> int:
        return sum(len(result.matches) for result in match_needs(needs))

    shown = run()
    queries = query_count(run)
    return row(
        "matching: family of six, four needs",
        measure(run, repeat=repeat),
        f"{shown} offers shown; {queries} queries; target p95 ≤ 100 ms",
    )
