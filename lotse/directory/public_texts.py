"""The texts of the public site's legal and help pages: the city's own, else the shipped ones.

A German public body's website needs an Impressum (§ 5 DDG, § 18 MStV), a privacy notice
(Art. 13 GDPR), an accessibility statement (BGG NRW / BITV NRW implementing EU 2016/2102, to
the technical standard of BITV 2.0 and EN 301 549) and an explanation of the site in Leichte
Sprache. The city keeps its own wording per page and language as ``CityText`` in the admin;
until it has, the defaults below for Wuppertal are shown, in German and English.

Which text a visitor gets, in order: the city's text in the visitor's language, the city's
German text (marked as German for screen readers), the shipped text in the visitor's language,
the shipped German text. The city's own words always win over shipped ones: an English
default must not contradict what the city wrote in German.

Bodies are plain text (no HTML): paragraphs separated by a blank line; a paragraph of one line
starting with ``## `` is a heading; a paragraph whose lines all start with ``- `` is a list.
Web and e-mail addresses become links.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from .models import CityText

#: The languages the defaults are written in; any other language falls back to German.
DEFAULT_LANGUAGES = ("de", "en")
#: When the shipped defaults were last reviewed (shown in the accessibility statement).
DEFAULTS_REVIEWED = {"de": "1. Dezember 2026", "en": "1 December 2026"}


@dataclass(frozen=True)
class Block:
    """One piece of a page: a heading, a paragraph or a list."""

    kind: str  # "heading", "paragraph" or "list"
    text: str = ""
    items: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PageText:
    page: str
    #: the language the text is written in (may differ from the page's: then marked up)
    language: str
    title: str
    body: str
    #: whether the city wrote it (False: the shipped default)
    from_city: bool

    @property
    def blocks(self) -> list[Block]:
        return blocks(self.body)


def blocks(body: str) -> list[Block]:
    """The body split into headings, paragraphs and lists (see the module docstring)."""
    result: list[Block] = []
    normalised = body.replace("\r\n", "\n").replace("\r", "\n")
    for chunk in normalised.split("\n\n"):
        lines = [line.rstrip() for line in chunk.strip("\n").split("\n") if line.strip()]
        if not lines:
            continue
        if len(lines) == 1 and lines[0].startswith("## "):
            result.append(Block("heading", text=lines[0][3:].strip()))
        elif all(line.lstrip().startswith("- ") for line in lines):
            result.append(Block("list", items=[line.lstrip()[2:].strip() for line in lines]))
        else:
            result.append(Block("paragraph", text="\n".join(line.strip() for line in lines)))
    return result


def page_text(page: str, language: str) -> PageText:
    """The text of ``page`` (a ``CityText.Page`` value) for a visitor reading ``language``."""
    wanted = [language] if language == "de" else [language, "de"]
    own = {text.language: text for text in CityText.objects.filter(page=page, language__in=wanted)}
    for code in wanted:
        if code in own:
            text = own[code]
            return PageText(page, code, text.title, text.body, from_city=True)
    code = language if language in DEFAULT_LANGUAGES else "de"
    title, body = DEFAULTS[page][code]
    return PageText(page, code, title, body.format_map(_facts(code)), from_city=False)


def _facts(language: str) -> dict[str, str]:
    """What the defaults fill in at request time (settings are never read at import)."""
    dpo_lines = [
        value
        for value in (
            settings.DPO_NAME,
            settings.DPO_ADDRESS,
            settings.DPO_EMAIL,
            settings.DPO_PHONE,
        )
        if value
    ]
    if dpo_lines:
        dpo = "\n".join(dpo_lines)
    elif language == "de":
        dpo = (
            "Den behördlichen Datenschutz der Stadt Wuppertal erreichen Sie unter der "
            "Anschrift der Stadt."
        )
    else:
        dpo = (
            "You can reach the city's data-protection officer at the City of Wuppertal's "
            "address above."
        )
    feedback_email = settings.ACCESSIBILITY_FEEDBACK_EMAIL
    contact_email = f"\n{'E-Mail' if language == 'de' else 'E-mail'}: {feedback_email}"
    return {
        "dpo": dpo,
        "reviewed": DEFAULTS_REVIEWED[language],
        "contact_email": contact_email if feedback_email else "",
    }


@dataclass(frozen=True)
class EnforcementBody:
    """Where a visitor turns when the city does not answer a report of a barrier, or not
    satisfactorily (the enforcement procedure of EU 2016/2102 Art. 9)."""

    name: str
    email: str
    url: str


#: The enforcement body for a public body of North Rhine-Westphalia (§ 10d BGG NRW), named by
#: the shipped statement and by the thank-you page of the form "Report a barrier".
ENFORCEMENT_BODY = EnforcementBody(
    name="Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen",
    email="ombudsstelle-barrierefreie-it@mags.nrw.de",
    url="https://www.lbbp.nrw.de/ombudsstelle",
)


_CITY_DE = """Stadt Wuppertal
Johannes-Rau-Platz 1
42275 Wuppertal
Telefon: 0202 563-0"""

_CITY_EN = """City of Wuppertal (Stadt Wuppertal)
Johannes-Rau-Platz 1
42275 Wuppertal, Germany
Phone: +49 202 563-0"""

_IMPRINT_DE = f"""Angaben nach § 5 Digitale-Dienste-Gesetz (DDG) und § 18 Medienstaatsvertrag (MStV).

## Herausgeberin

{_CITY_DE}

Die Stadt Wuppertal ist eine Körperschaft des öffentlichen Rechts. Sie wird vertreten durch die Oberbürgermeisterin oder den Oberbürgermeister.

## Zuständig für das Verzeichnis

Das Kommunale Integrationsmanagement (KIM) der Stadt Wuppertal koordiniert das Verzeichnis der Angebote. Anschrift wie oben.

Für die Angaben zu einem Angebot ist der Träger verantwortlich, der beim Angebot genannt ist. Die Träger prüfen ihre Angaben mindestens alle sechs Monate.

## Aufsichtsbehörde

Bezirksregierung Düsseldorf
Cecilienallee 2
40474 Düsseldorf

## Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV

Die Leitung des Kommunalen Integrationsmanagements der Stadt Wuppertal, Anschrift wie oben.

## Verweise auf andere Internetseiten

Das Verzeichnis verweist auf Internetseiten der Träger. Für deren Inhalte sind die Träger verantwortlich.

## Software

Das Verzeichnis läuft mit Lotse, einer Software für die Zusammenarbeit in der Unterstützung zugewanderter Familien."""  # noqa: E501

_IMPRINT_EN = f"""Legal notice under § 5 of the German Digital Services Act (DDG) and § 18 of the Interstate Media Treaty (MStV).

## Published by

{_CITY_EN}

The City of Wuppertal is a public-law corporation. It is represented by its Lord Mayor.

## Responsible for the directory

The City of Wuppertal's integration management (Kommunales Integrationsmanagement, KIM) coordinates the directory of offers. Address as above.

Each offer's details are the responsibility of the provider named with the offer. Providers check their details at least every six months.

## Supervisory authority

Bezirksregierung Düsseldorf
Cecilienallee 2
40474 Düsseldorf, Germany

## Responsible for the content under § 18(2) MStV

The head of the City of Wuppertal's integration management, address as above.

## Links to other websites

The directory links to the providers' websites. The providers are responsible for their content.

## Software

The directory runs on Lotse, software for agencies working together to support immigrant families."""  # noqa: E501

_PRIVACY_DE = f"""Hier lesen Sie, welche Daten beim Besuch des Verzeichnisses der Angebote verarbeitet werden (Art. 13 Datenschutz-Grundverordnung, DSGVO).

## Verantwortliche Stelle

{_CITY_DE}

## Datenschutzbeauftragte oder Datenschutzbeauftragter

{{dpo}}

## Was beim Aufruf der Seiten verarbeitet wird

Wenn Sie eine Seite aufrufen, übermittelt Ihr Browser technisch nötige Daten: Ihre IP-Adresse, Datum und Uhrzeit, die aufgerufene Adresse und die Kennung Ihres Browsers. Wir brauchen sie, um Ihnen die Seite zu senden und um die Seiten vor Angriffen zu schützen.

Rechtsgrundlage ist Art. 6 Abs. 1 Buchst. e DSGVO in Verbindung mit § 3 Datenschutzgesetz Nordrhein-Westfalen (DSG NRW): Die Stadt informiert über Hilfen für Familien; dafür muss sie die Seiten betreiben.

Die Anwendung selbst schreibt keine IP-Adressen in ihre Protokolle. Protokolle des Webservers werden höchstens sieben Tage aufbewahrt und dann gelöscht, außer sie werden zur Aufklärung eines Angriffs gebraucht.

## Ihre Suche

Was Sie in die Suche eingeben und welche Filter Sie wählen, wird nur verwendet, um Ihnen die passenden Angebote zu zeigen. Es wird nicht gespeichert und keiner Person zugeordnet. Sie müssen sich nicht anmelden.

## Wenn Sie eine Barriere melden

Was Sie in das Formular „Barriere melden“ schreiben, schicken wir per E-Mail an die Ansprechstelle für Barrierefreiheit der Stadt: Ihre Nachricht, die Seite, um die es geht, und – nur wenn Sie sie angeben – Ihren Namen und Ihre E-Mail-Adresse. Die Stadt nutzt diese Angaben nur, um Ihre Meldung zu bearbeiten und Ihnen zu antworten. Im Verzeichnis selbst wird nichts davon gespeichert.

Rechtsgrundlage ist Art. 6 Abs. 1 Buchst. e DSGVO: Öffentliche Stellen müssen Meldungen zu Barrieren entgegennehmen und beantworten (Art. 7 Abs. 1 Buchst. b Richtlinie (EU) 2016/2102, BITV NRW).

Damit das Formular nicht missbraucht wird, zählen wir eine Stunde lang, wie viele Meldungen von einer IP-Adresse kommen. Dafür speichern wir nicht die Adresse, sondern nur einen daraus berechneten Prüfwert. Er wird nach einer Stunde gelöscht.

## Cookies

- lotse_language: speichert die Sprache, die Sie gewählt haben. Es wird nur gesetzt, wenn Sie die Sprache wechseln, und beim Schließen des Browsers gelöscht.
- csrftoken: schützt die Formulare für den Sprachwechsel und „Barriere melden“ vor Missbrauch durch andere Seiten. Es wird nach höchstens einem Jahr gelöscht.

Beide Cookies sind technisch nötig (§ 25 Abs. 2 Nr. 2 Telekommunikation-Digitale-Dienste-Datenschutz-Gesetz, TDDDG). Sie enthalten keine Angaben über Sie.

## Keine Analyse, keine Dienste Dritter

Wir werten Ihren Besuch nicht aus und setzen keine Werkzeuge zur Reichweitenmessung ein. Schriften, Programme und die Karte liefern wir selbst aus. Die Karte ist eine selbst erzeugte Grafik, kein Kartendienst. Beim Besuch werden keine Daten an Dritte übermittelt.

## Empfänger

Die Seiten betreibt die Stadt Wuppertal selbst oder ein IT-Dienstleister in ihrem Auftrag (Art. 28 DSGVO). Daten werden nicht in Länder außerhalb der Europäischen Union übermittelt.

## Ihre Rechte

Sie haben das Recht auf Auskunft (Art. 15 DSGVO), Berichtigung (Art. 16), Löschung (Art. 17), Einschränkung der Verarbeitung (Art. 18) und Widerspruch gegen die Verarbeitung (Art. 21). Wenden Sie sich dafür an die verantwortliche Stelle oder an die oder den Datenschutzbeauftragten.

Sie können sich bei der Aufsichtsbehörde beschweren:
Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen
Kavalleriestraße 2–4
40213 Düsseldorf
poststelle@ldi.nrw.de
https://www.ldi.nrw.de

## Pflicht zur Angabe, automatische Entscheidungen

Sie müssen keine Daten angeben. Ohne die technisch übermittelten Daten kann die Seite aber nicht angezeigt werden. Es gibt keine automatisierte Entscheidung im Sinne von Art. 22 DSGVO.

## Wenn Sie sich an einen Träger wenden

Wenn Sie einen Träger anrufen, ihm schreiben oder seine Internetseite besuchen, ist der Träger für diese Daten verantwortlich. Es gelten seine Hinweise zum Datenschutz."""  # noqa: E501

_PRIVACY_EN = f"""This notice explains which data is processed when you visit the directory of offers (Art. 13 General Data Protection Regulation, GDPR).

## Controller

{_CITY_EN}

## Data-protection officer

{{dpo}}

## What is processed when you open a page

When you open a page, your browser sends data that is technically necessary: your IP address, the date and time, the address you opened and your browser's identification. We need it to send you the page and to protect the site against attacks.

The legal basis is Art. 6(1)(e) GDPR together with § 3 of the Data Protection Act of North Rhine-Westphalia (DSG NRW): the city informs families about support and needs to run these pages to do so.

The application itself writes no IP addresses to its logs. The web server's logs are kept for at most seven days and then deleted, unless they are needed to investigate an attack.

## Your search

What you type into the search and which filters you choose is used only to show you matching offers. It is not stored and not linked to any person. You do not need to log in.

## When you report a barrier

What you write in the form “Report a barrier” is sent by e-mail to the city's contact for accessibility: your message, the page it is about and – only if you give them – your name and e-mail address. The city uses them only to deal with your report and to answer you. Nothing of it is stored in the directory itself.

The legal basis is Art. 6(1)(e) GDPR: public bodies must receive and answer reports of barriers (Art. 7(1)(b) of Directive (EU) 2016/2102, BITV NRW).

To prevent misuse of the form, we count for one hour how many reports come from an IP address. For this we keep not the address but only a check value computed from it. It is deleted after one hour.

## Cookies

- lotse_language: remembers the language you chose. It is set only when you switch the language and is deleted when you close your browser.
- csrftoken: protects the forms for switching the language and “Report a barrier” against misuse by other websites. It is deleted after one year at the latest.

Both cookies are technically necessary (§ 25(2) no. 2 of the German Telecommunications and Digital Services Data Protection Act, TDDDG). They contain nothing about you.

## No analytics, no third-party services

We do not analyse your visit and use no audience measurement. We serve fonts, scripts and the map ourselves. The map is a drawing made by this site, not a map service. No data is passed to third parties when you visit.

## Recipients

The City of Wuppertal runs these pages itself or through an IT service provider on its behalf (Art. 28 GDPR). No data is transferred to countries outside the European Union.

## Your rights

You have the right of access (Art. 15 GDPR), rectification (Art. 16), erasure (Art. 17), restriction of processing (Art. 18) and to object to processing (Art. 21). Please contact the controller or the data-protection officer.

You can complain to the supervisory authority:
Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen
Kavalleriestraße 2–4
40213 Düsseldorf, Germany
poststelle@ldi.nrw.de
https://www.ldi.nrw.de

## No obligation, no automated decisions

You do not have to provide any data, but without the data your browser sends technically the page cannot be shown. There is no automated decision-making within the meaning of Art. 22 GDPR.

## When you contact a provider

When you call or write to a provider, or visit its website, the provider is responsible for that data, and its own privacy notice applies."""  # noqa: E501

_ACCESSIBILITY_DE = """Die Stadt Wuppertal möchte ihre Internetseiten für alle Menschen zugänglich machen. Rechtsgrundlage sind das Behindertengleichstellungsgesetz Nordrhein-Westfalen (BGG NRW) und die Barrierefreie-Informationstechnik-Verordnung Nordrhein-Westfalen (BITV NRW). Sie setzen die Richtlinie (EU) 2016/2102 um. Maßstab sind die Norm EN 301 549 und die Web Content Accessibility Guidelines (WCAG) 2.1 auf Stufe AA, wie sie auch die BITV 2.0 des Bundes vorgibt.

## Für welche Seiten diese Erklärung gilt

Diese Erklärung gilt für das Verzeichnis der Angebote unter der Adresse /angebote/: die Suche, die Seiten der Angebote, die Druckansicht, die Karte der Orte und die Hinweisseiten.

## Wie barrierefrei die Seiten sind

Die Seiten sind weitgehend mit den Anforderungen vereinbar.

- Alle Seiten lassen sich allein mit der Tastatur bedienen. Ein Link am Seitenanfang springt direkt zum Inhalt.
- Die Seiten funktionieren auch ohne JavaScript.
- Informationen werden nie nur durch Farbe vermittelt.
- Die Seiten gibt es auf Deutsch und auf Englisch, eine Erklärung in Leichter Sprache und eine Druckansicht.

## Was noch nicht barrierefrei ist

- Die Karte der Orte ist eine Grafik. Alle Orte stehen deshalb unter der Karte zusätzlich als Liste, nach Stadtbezirken geordnet.
- Die Beschreibungen der Angebote schreiben die Träger selbst. Sie sind nicht immer in einfacher Sprache.
- Eine Erklärung der Seiten in Deutscher Gebärdensprache gibt es noch nicht.

## Wie diese Erklärung erstellt wurde

Die Bewertung beruht auf einer Selbstbewertung: automatische Prüfungen mit axe-core und Tests mit der Tastatur und ohne JavaScript. Stand dieser Erklärung: {reviewed}.

## Barrieren melden: Feedback und Kontakt

Ist Ihnen eine Barriere aufgefallen? Brauchen Sie einen Inhalt in einer anderen Form? Dann nutzen Sie das Formular „Barriere melden“, schreiben Sie uns oder rufen Sie uns an. Wir antworten Ihnen so schnell wie möglich, spätestens innerhalb eines Monats.

Stadt Wuppertal, Kommunales Integrationsmanagement
Johannes-Rau-Platz 1
42275 Wuppertal
Telefon: 0202 563-0{contact_email}

## Durchsetzungsverfahren: die Ombudsstelle

Wenn wir Ihnen nicht oder nicht zufriedenstellend antworten, können Sie sich an die Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen wenden (§ 10d BGG NRW, §§ 9 ff. BITV NRW). Sie vermittelt zwischen Ihnen und der Stadt und hilft, eine Lösung zu finden. Das Verfahren ist kostenlos. Sie brauchen keinen Anwalt.

Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen bei der Beauftragten der Landesregierung für Menschen mit Behinderung
ombudsstelle-barrierefreie-it@mags.nrw.de
https://www.lbbp.nrw.de/ombudsstelle

Für Stellen des Bundes ist die Schlichtungsstelle nach § 16 Behindertengleichstellungsgesetz (BGG) zuständig; für die Stadt Wuppertal als öffentliche Stelle des Landes ist es die Ombudsstelle."""  # noqa: E501

_ACCESSIBILITY_EN = """The City of Wuppertal wants its websites to be accessible to everyone. The legal basis is the Disability Equality Act of North Rhine-Westphalia (BGG NRW) and its Accessible Information Technology Ordinance (BITV NRW), which implement Directive (EU) 2016/2102. The standard is EN 301 549 and the Web Content Accessibility Guidelines (WCAG) 2.1 at level AA, as the federal BITV 2.0 also requires.

## Which pages this statement covers

This statement covers the directory of offers at /angebote/: the search, the offer pages, the print view, the map of locations and the information pages.

## How accessible the pages are

The pages are largely compliant with the requirements.

- Every page can be used with the keyboard alone. A link at the top of each page jumps straight to the content.
- The pages also work without JavaScript.
- Information is never given by colour alone.
- The pages are available in German and English, with an explanation in easy language and a print view.

## What is not accessible yet

- The map of locations is a drawing. Every location is therefore also listed below the map, grouped by district.
- The providers write their offers' descriptions themselves. They are not always in plain language.
- There is no explanation of the site in German Sign Language yet.

## How this statement was prepared

The assessment is a self-assessment: automated checks with axe-core and tests with the keyboard and without JavaScript. This statement was last reviewed on {reviewed}.

## Report a barrier: feedback and contact

Have you come across a barrier? Do you need content in another format? Use the form “Report a barrier”, write to us or call us. We answer as soon as we can, within one month at the latest.

City of Wuppertal, integration management (Kommunales Integrationsmanagement)
Johannes-Rau-Platz 1
42275 Wuppertal, Germany
Phone: +49 202 563-0{contact_email}

## Enforcement procedure: the ombudsperson's office

If we do not answer, or our answer does not satisfy you, you can turn to the ombudsperson's office for accessible information technology of North Rhine-Westphalia (§ 10d BGG NRW, §§ 9 ff. BITV NRW). It mediates between you and the city to find a solution. The procedure is free of charge; you do not need a lawyer.

Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen (at the state government's commissioner for people with disabilities)
ombudsstelle-barrierefreie-it@mags.nrw.de
https://www.lbbp.nrw.de/ombudsstelle

For federal bodies the conciliation body under § 16 of the Disability Equality Act (BGG) is responsible; for the City of Wuppertal, a public body of the state, it is the ombudsperson's office."""  # noqa: E501

_EASY_DE = """Hier erklären wir diese Internet-Seite in Leichter Sprache.

## Was ist auf dieser Internet-Seite?

Auf dieser Internet-Seite finden Sie Angebote.
Die Angebote sind für Familien in Wuppertal.
Zum Beispiel:
Sprach-Kurse.
Beratung.
Hilfe bei der Suche nach Arbeit.
Hilfe bei der Suche nach einer Wohnung.

Die Angebote machen die Stadt Wuppertal und andere Gruppen.
Diese Gruppen heißen: Träger.
Ein Träger ist zum Beispiel ein Verein.

## So finden Sie ein Angebot

- Schreiben Sie ein Wort in das Feld: Suche.
- Sie können auch ein Thema wählen. Zum Beispiel: Wohnen.
- Sie können auch eine Sprache wählen. Dann sehen Sie nur Angebote in dieser Sprache.
- Sie können auch einen Stadt-Teil wählen. Dann sehen Sie Angebote in Ihrer Nähe.
- Drücken Sie dann auf den Knopf: Angebote suchen.

## Was steht bei einem Angebot?

Klicken Sie auf den Namen von einem Angebot.
Dann sehen Sie:
Wo ist das Angebot?
Wann ist das Angebot?
In welchen Sprachen ist das Angebot?
Kostet das Angebot Geld?
Was müssen Sie mitbringen?
Wen können Sie fragen?

## Die Karte

Auf der Karte sehen Sie:
Wo in Wuppertal sind die Angebote?
Unter der Karte steht eine Liste.
In der Liste stehen alle Orte.

## Drucken

Sie möchten die Angebote auf Papier haben?
Dann drücken Sie auf: Drucken.

## Andere Sprache

Die Seite gibt es auch auf Englisch.
Drücken Sie oben auf der Seite auf: English.

## Haben Sie Fragen?

Rufen Sie an bei der Stadt Wuppertal.
Die Telefon-Nummer ist: 0202 563-0.

Ist etwas auf der Seite schwer für Sie?
Dann sagen Sie es uns.
Mehr dazu steht auf der Seite: Barriere-Freiheit."""

_EASY_EN = """This page explains this website in easy language.

## What is on this website?

On this website you find offers.
The offers are for families in Wuppertal.
For example:
Language courses.
Advice.
Help to find work.
Help to find a flat.

The City of Wuppertal and other groups make the offers.
These groups are called: providers.
A provider can be a club or a charity.

## How to find an offer

- Write a word in the box: Search.
- You can also choose a topic. For example: housing.
- You can also choose a language. Then you only see offers in this language.
- You can also choose a part of the city. Then you see offers near you.
- Then press the button: Find offers.

## What does an offer page say?

Click on the name of an offer.
Then you see:
Where is the offer?
When is the offer?
Which languages does the offer use?
Does the offer cost money?
What do you need to bring?
Who can you ask?

## The map

The map shows:
Where in Wuppertal are the offers?
Below the map is a list.
The list shows all places.

## Print

Do you want the offers on paper?
Then press: Print.

## Other language

This website is also in German.
Press at the top of the page: Deutsch.

## Do you have questions?

Call the City of Wuppertal.
The phone number is: +49 202 563-0.

Is something on this website hard for you?
Then tell us.
The page Accessibility tells you how."""

#: The shipped texts: page → language → (title, body).
DEFAULTS: dict[str, dict[str, tuple[str, str]]] = {
    CityText.Page.IMPRINT: {
        "de": ("Impressum", _IMPRINT_DE),
        "en": ("Legal notice", _IMPRINT_EN),
    },
    CityText.Page.PRIVACY: {
        "de": ("Datenschutz", _PRIVACY_DE),
        "en": ("Privacy notice", _PRIVACY_EN),
    },
    CityText.Page.ACCESSIBILITY: {
        "de": ("Erklärung zur Barrierefreiheit", _ACCESSIBILITY_DE),
        "en": ("Accessibility statement", _ACCESSIBILITY_EN),
    },
    CityText.Page.EASY_LANGUAGE: {
        "de": ("Leichte Sprache", _EASY_DE),
        "en": ("Easy language", _EASY_EN),
    },
}
