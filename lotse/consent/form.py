"""The texts of the printable consent form, in the seven languages Lotse prints it in.

The form is a legal document the family signs, so its texts are kept here as data, reviewed
as a whole and versioned (``FORM_VERSION``), not scattered over the gettext catalogues: a
change of wording is a new form version. German is always printed; another language is
printed beside it. ``{agencies}`` and ``{agency}`` are filled in with agency names; the
data-protection officer's contact comes from the settings (``lotse.consent.dpo``), only its
labels are here.

Citations and German terms of art (Duldung, Bürgergeld, agency names) stay in German in
every language: they are what the family reads on their letters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Printed on every form and to be recorded with the declaration (``form_version``).
FORM_VERSION = "2026-2"  # 2026-2: names the data-protection officer

#: The languages the form is printed in; German is always printed.
LANGUAGES: tuple[str, ...] = ("de", "en", "ar", "fa", "uk", "tr", "ru")
RTL = "rtl"
LTR = "ltr"

# Citations never break across lines. In right-to-left text a left-to-right mark before them
# keeps them reading "§ 65 SGB VIII", as on the family's German letters.
NBSP = "\u00a0"
LRM = "\u200e"
# A right-to-left mark after a German word keeps a list of German words in right-to-left text
# in reading order (otherwise "Duldung، Gestattung" would run left to right as one phrase).
RLM = "\u200f"
SGB_VIII_65 = f"§{NBSP}65{NBSP}SGB{NBSP}VIII"
SGB_I_36 = f"§{NBSP}36{NBSP}SGB{NBSP}I"


@dataclass(frozen=True)
class FormText:
    language: str
    #: The language's own name for itself.
    name: str
    #: "ltr" or "rtl" (Arabic and Persian).
    direction: str
    title: str
    subtitle: str
    # Section headings.
    about_heading: str
    choice_heading: str
    notes_heading: str
    rights_heading: str
    # Plain-language explanations.
    about: str
    decide: str
    health: str
    #: Printed only when the foreigners' authority is a recipient; ``{agencies}`` = its name(s).
    foreigners_authority: str
    #: Printed only when entrusted information (§ 65 SGB VIII) is included.
    entrusted: str
    voluntary: str
    no_disadvantage: str
    #: ``{agency}`` = the agency that filled in the form with the family.
    contact: str
    #: The data-protection officer's contact (Art. 13(1)(b) GDPR); the values come from settings.
    dpo_heading: str
    dpo_intro: str
    dpo_address: str
    dpo_email: str
    dpo_phone: str
    statement: str
    # Field labels.
    person: str
    name_label: str
    native_name: str
    birth_date: str
    #: Added to a date of birth that is only estimated.
    estimated: str
    lotse_id: str
    given_by: str
    given_by_subject: str
    given_by_guardian: str
    guardian: str
    recipients: str
    disclosing: str
    disclosing_all: str
    categories_label: str
    entrusted_item: str
    purpose: str
    purpose_text: str
    validity: str
    valid_from: str
    valid_until: str
    signature: str
    signature_consent: str
    signature_staff: str
    place_date: str
    #: category code -> (label, what belongs to it)
    categories: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: ConsentPurpose code -> label
    purposes: dict[str, str] = field(default_factory=dict)
    #: Agency.Kind code -> what kind of agency it is
    agency_kinds: dict[str, str] = field(default_factory=dict)


GERMAN = FormText(
    language="de",
    name="Deutsch",
    direction=LTR,
    title="Einwilligung in den Austausch von Informationen",
    subtitle="zwischen den Stellen, die Sie und Ihre Familie begleiten (Lotse)",
    about_heading="Worum geht es?",
    choice_heading="Was Sie gewählt haben",
    notes_heading="Wichtig zu wissen",
    rights_heading="Ihre Rechte",
    about=(
        "Lotse ist das gemeinsame Fallmanagement-System der Stadt. Mehrere Stellen arbeiten "
        "damit, zum Beispiel die Integrationsstelle, das Jugendamt, das Jobcenter und "
        "Beratungsstellen. Jede Stelle sieht zunächst nur ihre eigenen Unterlagen über Sie."
    ),
    decide=(
        "Sie entscheiden, ob Informationen an andere Stellen weitergegeben werden: welche "
        "Informationen, an wen, wofür und bis wann. Dieses Formular zeigt genau, was Sie "
        "gewählt haben. Nur das darf aufgrund dieser Einwilligung weitergegeben werden – nichts "
        "anderes. Ohne Einwilligung dürfen Stellen Informationen nur weitergeben, wenn ein "
        "Gesetz es ausdrücklich erlaubt."
    ),
    health=(
        "Informationen über Ihre Gesundheit werden niemals an die Ausländerbehörde "
        "weitergegeben – auch nicht mit Ihrer Einwilligung. Das gilt ebenso für Informationen "
        "aus Schule und Kita."
    ),
    foreigners_authority=(
        "Sie haben die Ausländerbehörde als Empfängerin genannt: {agencies}. Die "
        "Ausländerbehörde erhält nur Angaben zu Ihrer Identität (Name, Geburtsdatum, "
        "Kontaktdaten) und zu Ihrem Aufenthaltsstatus – und davon nur, was auf diesem Formular "
        "steht. Sie erhält nichts über Gesundheit, Schule oder Kita, Familie, Geld, Arbeit oder "
        "Wohnen und keine Notizen aus Gesprächen. Überlegen Sie in Ruhe, ob Sie das möchten. "
        "Ohne Ihre Einwilligung erhält die Ausländerbehörde über Lotse nichts."
    ),
    entrusted=(
        "Sie geben auch Informationen frei, die Sie dem Jugendamt in persönlicher oder "
        "erzieherischer Hilfe anvertraut haben, zum Beispiel in einem vertraulichen Gespräch. "
        f"Solche anvertrauten Informationen schützt das Gesetz besonders ({SGB_VIII_65}): Das "
        "Jugendamt darf sie nur mit Einwilligung der Person weitergeben, die sie anvertraut "
        "hat. Mit Ihrer Unterschrift erlauben Sie das nur für die hier genannten Stellen, "
        "Bereiche und Zwecke."
    ),
    voluntary=(
        "Ihre Einwilligung ist freiwillig. Sie können sie jederzeit widerrufen – mündlich oder "
        "schriftlich, bei jeder hier genannten Stelle, ohne Begründung und ohne Nachteile. Der "
        "Widerruf gilt sofort für die Zukunft. Was vorher rechtmäßig weitergegeben wurde, "
        "bleibt davon unberührt."
    ),
    no_disadvantage=(
        "Wenn Sie nicht einwilligen oder später widerrufen, hat das keine Auswirkung auf Ihre "
        "Sozialleistungen und auf die Hilfe, die Sie bekommen. Jede Stelle fragt Sie dann "
        "selbst nach den Unterlagen, die sie braucht."
    ),
    contact=(
        "Fragen oder Widerruf: Wenden Sie sich an {agency} (die Stelle, die dieses Formular mit "
        "Ihnen ausgefüllt hat) oder an eine andere hier genannte Stelle. Sie können sich auch "
        "an die Datenschutzbeauftragte oder den Datenschutzbeauftragten der Stadt wenden. Sie "
        "haben das Recht zu erfahren, welche Informationen über Sie gespeichert sind, und das "
        "Recht, sich bei der Datenschutz-Aufsichtsbehörde zu beschweren."
    ),
    dpo_heading="Ansprechperson für den Datenschutz",
    dpo_intro=(
        "Bei Fragen zu Ihren Daten und zu Ihren Rechten erreichen Sie die "
        "Datenschutzbeauftragte oder den Datenschutzbeauftragten der Stadt:"
    ),
    dpo_address="Anschrift",
    dpo_email="E-Mail",
    dpo_phone="Telefon",
    statement=(
        "Ich habe diese Informationen verstanden. Ich willige in den Austausch von "
        "Informationen ein, wie er auf diesem Formular beschrieben ist."
    ),
    person="Person, um die es geht",
    name_label="Name",
    native_name="Name in Originalschrift",
    birth_date="Geburtsdatum",
    estimated="geschätzt",
    lotse_id="Lotse-ID",
    given_by="Einwilligung erteilt von",
    given_by_subject="der Person selbst",
    given_by_guardian=f"einem Elternteil oder Vormund (Kind unter 15 Jahren, {SGB_I_36})",
    guardian="Name des Elternteils oder Vormunds",
    recipients="Diese Stellen dürfen Informationen erhalten",
    disclosing="Diese Stellen dürfen Informationen weitergeben",
    disclosing_all="alle Stellen, die Informationen über die Person gespeichert haben",
    categories_label="Diese Informationen dürfen weitergegeben werden",
    entrusted_item=f"auch dem Jugendamt anvertraute Informationen ({SGB_VIII_65})",
    purpose="Zweck",
    purpose_text="Beschreibung des Zwecks",
    validity="Gültigkeit",
    valid_from="gültig ab",
    valid_until="gültig bis",
    signature="Unterschriften",
    signature_consent="Unterschrift der einwilligenden Person",
    signature_staff="Entgegengenommen von (Stelle, Name, Unterschrift)",
    place_date="Ort, Datum",
    categories={
        "identity": ("Identität und Kontakt", "Name, Geburtsdatum, Anschrift, Telefon"),
        "residence": ("Aufenthaltsstatus", "Aufenthaltstitel, Duldung, Gestattung, Fristen"),
        "language": (
            "Sprache und Integrationskurs",
            "Deutschkurse, Integrationskurs, Sprachniveau",
        ),
        "education": ("Schule und Kinderbetreuung", "Schule, Kita, Kindertagespflege"),
        "work": (
            "Arbeit, Qualifikation, Anerkennung",
            "Arbeit, Ausbildung, Abschlüsse, Anerkennung von Berufsabschlüssen",
        ),
        "housing": ("Wohnen", "Wohnung, Unterkunft, Wohnungssuche"),
        "finances": ("Finanzen und Leistungen", "Einkommen, Sozialleistungen, Schulden"),
        "youth_welfare": (
            "Familie und Jugendhilfe",
            "Beratung und Hilfen des Jugendamts für Familie, Kinder und Jugendliche",
        ),
        "health": ("Gesundheit", "Krankheiten, Behandlung, Behinderung, Schwangerschaft"),
        "case_plan": ("Ziele und Maßnahmen", "vereinbarte Ziele, Schritte und Termine"),
    },
    purposes={
        "case_management": "Abgestimmtes Fallmanagement (Integrationsplan)",
        "case_conference": "Fallkonferenz",
        "referral": "Vermittlung an ein Beratungs- oder Unterstützungsangebot",
        "benefits": (
            "Klärung von Leistungen, auch beim Wechsel des Leistungssystems (zum Beispiel vom "
            "Asylbewerberleistungsgesetz zum Bürgergeld)"
        ),
        "residence": "Aufenthaltsrechtliche Angelegenheiten",
        "other": "Anderer Zweck (siehe Beschreibung)",
    },
    agency_kinds={
        "integration_office": "Integrationsstelle",
        "youth_welfare_office": "Jugendamt",
        "jobcenter": "Jobcenter",
        "employment_agency": "Agentur für Arbeit",
        "social_welfare_office": "Sozialamt",
        "foreigners_authority": "Ausländerbehörde",
        "school_authority": "Schulamt",
        "welfare_association": "Wohlfahrtsverband",
        "migrant_organisation": "Migrantenorganisation",
        "volunteer_initiative": "Ehrenamtliche Initiative",
        "other": "Sonstige Stelle",
    },
)

ENGLISH = FormText(
    language="en",
    name="English",
    direction=LTR,
    title="Consent to the exchange of information",
    subtitle="between the agencies that support you and your family (Lotse)",
    about_heading="What is this about?",
    choice_heading="What you have chosen",
    notes_heading="Important to know",
    rights_heading="Your rights",
    about=(
        "Lotse is the city's shared case-management system. Several agencies work with it, for "
        "example the integration office, the youth welfare office (Jugendamt), the Jobcenter "
        "and counselling services. At first, each agency sees only its own records about you."
    ),
    decide=(
        "You decide whether information is passed on to other agencies: which information, to "
        "whom, for what purpose and until when. This form shows exactly what you have chosen. "
        "Only that may be passed on because of this consent – nothing else. Without consent, "
        "agencies may pass on information only where a law expressly allows it."
    ),
    health=(
        "Information about your health is never passed on to the foreigners' authority "
        "(Ausländerbehörde) – not even with your consent. The same applies to information from "
        "school and day care."
    ),
    foreigners_authority=(
        "You have named the foreigners' authority (Ausländerbehörde) as a recipient: "
        "{agencies}. It receives only information about your identity (name, date of birth, "
        "contact details) and about your residence status – and of that, only what is written "
        "on this form. It receives nothing about health, school or day care, family, money, "
        "work or housing, and no notes from conversations. Take your time to decide whether "
        "you want this. Without your consent, the foreigners' authority receives nothing "
        "through Lotse."
    ),
    entrusted=(
        "You also release information that you confided to the youth welfare office "
        "(Jugendamt) in personal or educational help, for example in a confidential "
        "conversation. The law gives such confided information special protection "
        f"({SGB_VIII_65}): the Jugendamt may pass it on only with the consent of the person "
        "who confided it. With your signature you allow this only for the agencies, areas and "
        "purposes named here."
    ),
    voluntary=(
        "Your consent is voluntary. You can withdraw it at any time – orally or in writing, at "
        "any agency named here, without giving reasons and without any disadvantage. The "
        "withdrawal takes effect immediately for the future. Whatever was lawfully passed on "
        "before remains unaffected."
    ),
    no_disadvantage=(
        "If you do not consent, or withdraw your consent later, this has no effect on your "
        "social benefits or on the help you receive. Each agency will then ask you directly "
        "for the documents it needs."
    ),
    contact=(
        "Questions or withdrawal: please contact {agency} (the agency that filled in this form "
        "with you) or any other agency named here. You can also contact the city's data "
        "protection officer. You have the right to know what information about you is stored, "
        "and the right to complain to the data protection supervisory authority."
    ),
    dpo_heading="Contact for data protection",
    dpo_intro=(
        "If you have questions about your data or your rights, you can reach the city's "
        "data protection officer here:"
    ),
    dpo_address="Address",
    dpo_email="Email",
    dpo_phone="Phone",
    statement=(
        "I have understood this information. I consent to the exchange of information as "
        "described on this form."
    ),
    person="The person concerned",
    name_label="Name",
    native_name="Name in original script",
    birth_date="Date of birth",
    estimated="estimated",
    lotse_id="Lotse ID",
    given_by="Consent given by",
    given_by_subject="the person themself",
    given_by_guardian=f"a parent or guardian (child under 15, {SGB_I_36})",
    guardian="Name of the parent or guardian",
    recipients="These agencies may receive information",
    disclosing="These agencies may pass on information",
    disclosing_all="all agencies that hold information about the person",
    categories_label="This information may be passed on",
    entrusted_item=f"including information confided to the Jugendamt ({SGB_VIII_65})",
    purpose="Purpose",
    purpose_text="Description of the purpose",
    validity="Validity",
    valid_from="valid from",
    valid_until="valid until",
    signature="Signatures",
    signature_consent="Signature of the person giving consent",
    signature_staff="Received by (agency, name, signature)",
    place_date="Place, date",
    categories={
        "identity": ("Identity and contact", "name, date of birth, address, phone"),
        "residence": ("Residence status", "residence permit, Duldung, Gestattung, deadlines"),
        "language": (
            "Language and integration course",
            "German courses, integration course, language level",
        ),
        "education": ("School and childcare", "school, day care (Kita), childminders"),
        "work": (
            "Work, qualification, recognition",
            "work, vocational training, certificates, recognition of professional qualifications",
        ),
        "housing": ("Housing", "flat, accommodation, looking for a home"),
        "finances": ("Finances and benefits", "income, social benefits, debts"),
        "youth_welfare": (
            "Family and youth welfare",
            "counselling and support of the Jugendamt for families, children and young people",
        ),
        "health": ("Health", "illnesses, treatment, disability, pregnancy"),
        "case_plan": ("Goals and measures", "agreed goals, steps and appointments"),
    },
    purposes={
        "case_management": "Coordinated case management (integration plan)",
        "case_conference": "Case conference",
        "referral": "Referral to a counselling or support offer",
        "benefits": (
            "Clarifying benefits, also when changing from one benefit system to another (for "
            "example from asylum seekers' benefits to Bürgergeld)"
        ),
        "residence": "Residence matters",
        "other": "Other purpose (see description)",
    },
    agency_kinds={
        "integration_office": "integration office",
        "youth_welfare_office": "youth welfare office",
        "jobcenter": "job and basic income office",
        "employment_agency": "employment agency",
        "social_welfare_office": "social welfare office",
        "foreigners_authority": "foreigners' authority",
        "school_authority": "school authority",
        "welfare_association": "welfare association",
        "migrant_organisation": "migrant organisation",
        "volunteer_initiative": "volunteer initiative",
        "other": "other agency",
    },
)

ARABIC = FormText(
    language="ar",
    name="العربية",
    direction=RTL,
    title="الموافقة على تبادل المعلومات",
    subtitle="بين الجهات التي ترافقك وترافق عائلتك (Lotse)",
    about_heading="ما موضوع هذا النموذج؟",
    choice_heading="ما اخترته",
    notes_heading="من المهم أن تعرف",
    rights_heading="حقوقك",
    about=(
        "لوتسه (Lotse) هو النظام المشترك لإدارة الحالات في المدينة. تعمل به عدة جهات، مثل "
        "مكتب الاندماج ومكتب رعاية الشباب (Jugendamt) ومركز العمل (Jobcenter) ومراكز "
        "الاستشارة. في البداية لا ترى كل جهة إلا ملفاتها الخاصة عنك."
    ),
    decide=(
        "أنت من يقرر ما إذا كانت المعلومات ستُنقل إلى جهات أخرى: أي معلومات، وإلى من، ولأي "
        "غرض، وحتى متى. يبيّن هذا النموذج بالضبط ما اخترته. وبناءً على هذه الموافقة لا يجوز "
        "نقل إلا ذلك، ولا شيء غيره. ومن دون موافقة لا يجوز للجهات نقل المعلومات إلا إذا "
        "سمح القانون بذلك صراحةً."
    ),
    health=(
        "لا تُنقل المعلومات المتعلقة بصحتك أبدًا إلى دائرة شؤون الأجانب (Ausländerbehörde)، "
        "حتى لو وافقت على ذلك. وينطبق الأمر نفسه على المعلومات الواردة من المدرسة وروضة "
        "الأطفال."
    ),
    foreigners_authority=(
        "لقد ذكرت دائرة شؤون الأجانب (Ausländerbehörde) كجهة مستلمة: {agencies}. لا تتلقى "
        "هذه الدائرة إلا المعلومات المتعلقة بهويتك (الاسم وتاريخ الميلاد وبيانات الاتصال) "
        "وبوضع إقامتك، ومن ذلك فقط ما هو مكتوب في هذا النموذج. ولا تتلقى أي شيء عن الصحة أو "
        "المدرسة أو روضة الأطفال أو العائلة أو المال أو العمل أو السكن، ولا أي ملاحظات من "
        "المحادثات. خذ وقتك في التفكير فيما إذا كنت تريد ذلك. ومن دون موافقتك لا تتلقى دائرة "
        "شؤون الأجانب أي شيء عن طريق لوتسه."
    ),
    entrusted=(
        "أنت تسمح أيضًا بنقل معلومات أفضيت بها إلى مكتب رعاية الشباب (Jugendamt) في إطار "
        "المساعدة الشخصية أو التربوية، مثلًا في محادثة سرية. يحمي القانون هذه المعلومات "
        f"حماية خاصة ({LRM}{SGB_VIII_65}): لا يجوز لمكتب رعاية الشباب نقلها إلا بموافقة الشخص الذي "
        "أفضى بها. وبتوقيعك تسمح بذلك فقط للجهات والمجالات والأغراض المذكورة هنا."
    ),
    voluntary=(
        "موافقتك طوعية. يمكنك سحبها في أي وقت، شفهيًا أو كتابيًا، لدى أي جهة مذكورة هنا، دون "
        "ذكر الأسباب ودون أن يلحق بك أي ضرر. يسري السحب فورًا على المستقبل، ولا يمس ما نُقل "
        "قبل ذلك بصورة قانونية."
    ),
    no_disadvantage=(
        "إذا لم توافق أو سحبت موافقتك لاحقًا، فلن يؤثر ذلك على مساعداتك الاجتماعية ولا على "
        "الدعم الذي تحصل عليه. وفي هذه الحالة ستطلب منك كل جهة مباشرةً المستندات التي "
        "تحتاجها."
    ),
    contact=(
        "للأسئلة أو لسحب الموافقة: يُرجى التواصل مع {agency} (الجهة التي ملأت هذا النموذج "
        "معك) أو مع أي جهة أخرى مذكورة هنا. ويمكنك أيضًا التواصل مع مسؤول حماية البيانات في "
        "المدينة. يحق لك أن تعرف ما هي المعلومات المحفوظة عنك، ويحق لك تقديم شكوى إلى هيئة "
        "الرقابة على حماية البيانات."
    ),
    dpo_heading="جهة الاتصال لحماية البيانات",
    dpo_intro=(
        "إذا كانت لديك أسئلة حول بياناتك أو حقوقك، يمكنك التواصل مع مسؤول حماية البيانات "
        "في المدينة:"
    ),
    dpo_address="العنوان",
    dpo_email="البريد الإلكتروني",
    dpo_phone="الهاتف",
    statement=("لقد فهمت هذه المعلومات. وأوافق على تبادل المعلومات كما هو موضّح في هذا النموذج."),
    person="الشخص المعني",
    name_label="الاسم",
    native_name="الاسم بالخط الأصلي",
    birth_date="تاريخ الميلاد",
    estimated="تقديري",
    lotse_id="رقم التعريف في لوتسه",
    given_by="الموافقة صادرة عن",
    given_by_subject="الشخص نفسه",
    given_by_guardian=f"أحد الوالدين أو الوصي (طفل دون 15 عامًا، {LRM}{SGB_I_36})",
    guardian="اسم أحد الوالدين أو الوصي",
    recipients="يجوز لهذه الجهات تلقي المعلومات",
    disclosing="يجوز لهذه الجهات نقل المعلومات",
    disclosing_all="جميع الجهات التي تحفظ معلومات عن هذا الشخص",
    categories_label="يجوز نقل هذه المعلومات",
    entrusted_item=f"بما في ذلك المعلومات التي أُفضي بها إلى مكتب رعاية الشباب ({LRM}{SGB_VIII_65})",
    purpose="الغرض",
    purpose_text="وصف الغرض",
    validity="مدة الصلاحية",
    valid_from="صالحة من",
    valid_until="صالحة حتى",
    signature="التوقيعات",
    signature_consent="توقيع الشخص الذي يعطي الموافقة",
    signature_staff="استلمها (الجهة، الاسم، التوقيع)",
    place_date="المكان والتاريخ",
    categories={
        "identity": ("الهوية وبيانات الاتصال", "الاسم، تاريخ الميلاد، العنوان، الهاتف"),
        "residence": (
            "وضع الإقامة",
            f"تصريح الإقامة، Duldung{RLM}، Gestattung{RLM}، المواعيد النهائية",
        ),
        "language": (
            "اللغة ودورة الاندماج",
            "دورات اللغة الألمانية، دورة الاندماج، مستوى اللغة",
        ),
        "education": ("المدرسة ورعاية الأطفال", "المدرسة، روضة الأطفال، رعاية الأطفال النهارية"),
        "work": (
            "العمل والمؤهلات والاعتراف بها",
            "العمل، التدريب المهني، الشهادات، الاعتراف بالمؤهلات المهنية",
        ),
        "housing": ("السكن", "الشقة، مكان الإقامة، البحث عن سكن"),
        "finances": ("الأمور المالية والمساعدات", "الدخل، المساعدات الاجتماعية، الديون"),
        "youth_welfare": (
            "رعاية الأسرة والشباب",
            "استشارات مكتب رعاية الشباب ومساعداته للأسرة والأطفال والشباب",
        ),
        "health": ("الصحة", "الأمراض، العلاج، الإعاقة، الحمل"),
        "case_plan": ("الأهداف والإجراءات", "الأهداف والخطوات والمواعيد المتفق عليها"),
    },
    purposes={
        "case_management": "إدارة الحالة بشكل منسق (خطة الاندماج)",
        "case_conference": "اجتماع مشترك لمناقشة الحالة",
        "referral": "الإحالة إلى خدمة استشارة أو دعم",
        "benefits": (
            "توضيح المساعدات، بما في ذلك عند الانتقال من نظام مساعدات إلى آخر (مثلًا من "
            "مساعدات طالبي اللجوء إلى Bürgergeld)"
        ),
        "residence": "شؤون الإقامة",
        "other": "غرض آخر (انظر الوصف)",
    },
    agency_kinds={
        "integration_office": "مكتب الاندماج",
        "youth_welfare_office": "مكتب رعاية الشباب",
        "jobcenter": "مركز العمل والمساعدات",
        "employment_agency": "وكالة العمل",
        "social_welfare_office": "مكتب الشؤون الاجتماعية",
        "foreigners_authority": "دائرة شؤون الأجانب",
        "school_authority": "هيئة الشؤون المدرسية",
        "welfare_association": "جمعية رعاية اجتماعية",
        "migrant_organisation": "منظمة مهاجرين",
        "volunteer_initiative": "مبادرة تطوعية",
        "other": "جهة أخرى",
    },
)

PERSIAN = FormText(
    language="fa",
    name="فارسی",
    direction=RTL,
    title="رضایت‌نامه برای تبادل اطلاعات",
    subtitle="میان نهادهایی که شما و خانواده‌تان را همراهی می‌کنند (Lotse)",
    about_heading="این فرم درباره چیست؟",
    choice_heading="آنچه انتخاب کرده‌اید",
    notes_heading="نکات مهم",
    rights_heading="حقوق شما",
    about=(
        "لوتسه (Lotse) سامانه مشترک مدیریت پرونده در شهر است. چند نهاد با آن کار می‌کنند، "
        "برای نمونه دفتر ادغام، اداره رفاه کودکان و نوجوانان (Jugendamt)، جاب‌سنتر "
        "(Jobcenter) و مراکز مشاوره. در آغاز، هر نهاد فقط پرونده‌های خودش درباره شما را "
        "می‌بیند."
    ),
    decide=(
        "شما تصمیم می‌گیرید که آیا اطلاعاتی به نهادهای دیگر داده شود یا نه: کدام اطلاعات، "
        "به چه کسی، برای چه هدفی و تا چه زمانی. این فرم دقیقاً نشان می‌دهد که شما چه چیزی را "
        "انتخاب کرده‌اید. بر پایه این رضایت فقط همین‌ها را می‌توان منتقل کرد، نه چیز دیگری. "
        "بدون رضایت، نهادها فقط زمانی می‌توانند اطلاعات را منتقل کنند که قانون صریحاً اجازه "
        "داده باشد."
    ),
    health=(
        "اطلاعات مربوط به سلامت شما هرگز به اداره امور اتباع خارجی (Ausländerbehörde) داده "
        "نمی‌شود، حتی با رضایت شما. همین قاعده درباره اطلاعات مدرسه و مهدکودک نیز صدق می‌کند."
    ),
    foreigners_authority=(
        "شما اداره امور اتباع خارجی (Ausländerbehörde) را به‌عنوان دریافت‌کننده نام "
        "برده‌اید: {agencies}. این اداره فقط اطلاعات مربوط به هویت شما (نام، تاریخ تولد، "
        "اطلاعات تماس) و وضعیت اقامت شما را دریافت می‌کند، و از این‌ها هم فقط آنچه را که در "
        "این فرم آمده است. این اداره هیچ چیزی درباره سلامت، مدرسه یا مهدکودک، خانواده، پول، "
        "کار یا مسکن، و هیچ یادداشتی از گفتگوها دریافت نمی‌کند. با آرامش فکر کنید که آیا "
        "این را می‌خواهید یا نه. بدون رضایت شما، اداره امور اتباع خارجی از طریق لوتسه هیچ "
        "چیزی دریافت نمی‌کند."
    ),
    entrusted=(
        "شما همچنین اجازه می‌دهید اطلاعاتی منتقل شود که در چارچوب کمک شخصی یا تربیتی به "
        "اداره رفاه کودکان و نوجوانان (Jugendamt) سپرده‌اید، برای نمونه در یک گفتگوی "
        f"محرمانه. قانون از این اطلاعات حمایت ویژه می‌کند ({LRM}{SGB_VIII_65}): این اداره فقط با "
        "رضایت کسی که این اطلاعات را در میان گذاشته است اجازه دارد آن‌ها را منتقل کند. با "
        "امضای خود، این اجازه را فقط برای نهادها، بخش‌ها و هدف‌هایی می‌دهید که اینجا نام "
        "برده شده‌اند."
    ),
    voluntary=(
        "رضایت شما داوطلبانه است. می‌توانید هر زمان آن را پس بگیرید، به‌صورت شفاهی یا کتبی، "
        "نزد هر یک از نهادهایی که اینجا نام برده شده‌اند، بدون ذکر دلیل و بدون هیچ زیانی "
        "برای شما. پس‌گرفتن رضایت از همان لحظه برای آینده معتبر است. اطلاعاتی که پیش از آن "
        "به‌طور قانونی منتقل شده است، تحت تأثیر قرار نمی‌گیرد."
    ),
    no_disadvantage=(
        "اگر رضایت ندهید یا بعداً رضایت خود را پس بگیرید، این کار هیچ تأثیری بر کمک‌های "
        "اجتماعی شما و حمایتی که دریافت می‌کنید ندارد. در این صورت هر نهاد مدارکی را که لازم "
        "دارد مستقیماً از خود شما می‌خواهد."
    ),
    contact=(
        "برای پرسش یا پس‌گرفتن رضایت: لطفاً با {agency} (نهادی که این فرم را همراه شما پر "
        "کرده است) یا با هر نهاد دیگری که اینجا نام برده شده است تماس بگیرید. همچنین "
        "می‌توانید با مسئول حفاظت از داده‌های شهر تماس بگیرید. شما حق دارید بدانید چه "
        "اطلاعاتی درباره شما ذخیره شده است، و حق دارید به مرجع نظارت بر حفاظت از داده‌ها "
        "شکایت کنید."
    ),
    dpo_heading="تماس درباره حفاظت از داده‌ها",
    dpo_intro=(
        "اگر درباره داده‌ها یا حقوق خود پرسشی دارید، می‌توانید با مسئول حفاظت از داده‌های "
        "شهر تماس بگیرید:"
    ),
    dpo_address="نشانی",
    dpo_email="ایمیل",
    dpo_phone="تلفن",
    statement=("این توضیحات را فهمیده‌ام. با تبادل اطلاعات به شکلی که در این فرم آمده است موافقم."),
    person="شخص مورد نظر",
    name_label="نام",
    native_name="نام به خط اصلی",
    birth_date="تاریخ تولد",
    estimated="تخمینی",
    lotse_id="شناسه لوتسه",
    given_by="رضایت‌دهنده",
    given_by_subject="خود شخص",
    given_by_guardian=f"یکی از والدین یا قیم (کودک زیر ۱۵ سال، {LRM}{SGB_I_36})",
    guardian="نام پدر یا مادر یا قیم",
    recipients="این نهادها می‌توانند اطلاعات دریافت کنند",
    disclosing="این نهادها می‌توانند اطلاعات را منتقل کنند",
    disclosing_all="همه نهادهایی که اطلاعاتی درباره این شخص ذخیره کرده‌اند",
    categories_label="این اطلاعات را می‌توان منتقل کرد",
    entrusted_item=(
        f"همچنین اطلاعاتی که به اداره رفاه کودکان و نوجوانان سپرده شده است ({LRM}{SGB_VIII_65})"
    ),
    purpose="هدف",
    purpose_text="شرح هدف",
    validity="مدت اعتبار",
    valid_from="معتبر از",
    valid_until="معتبر تا",
    signature="امضاها",
    signature_consent="امضای رضایت‌دهنده",
    signature_staff="دریافت‌شده توسط (نهاد، نام، امضا)",
    place_date="محل و تاریخ",
    categories={
        "identity": ("هویت و اطلاعات تماس", "نام، تاریخ تولد، نشانی، تلفن"),
        "residence": ("وضعیت اقامت", f"اجازه اقامت، Duldung{RLM}، Gestattung{RLM}، مهلت‌ها"),
        "language": (
            "زبان و دوره ادغام",
            "کلاس‌های زبان آلمانی، دوره ادغام، سطح زبان",
        ),
        "education": ("مدرسه و نگهداری از کودکان", "مدرسه، مهدکودک، مراقبت روزانه از کودک"),
        "work": (
            "کار، مهارت‌ها و به‌رسمیت‌شناختن مدارک",
            "کار، آموزش حرفه‌ای، مدارک تحصیلی، به‌رسمیت‌شناختن مدارک حرفه‌ای",
        ),
        "housing": ("مسکن", "آپارتمان، محل اسکان، جستجوی خانه"),
        "finances": ("امور مالی و کمک‌های اجتماعی", "درآمد، کمک‌های اجتماعی، بدهی‌ها"),
        "youth_welfare": (
            "کمک به خانواده و نوجوانان",
            "مشاوره و کمک‌های اداره رفاه کودکان و نوجوانان برای خانواده، کودکان و نوجوانان",
        ),
        "health": ("سلامت", "بیماری‌ها، درمان، معلولیت، بارداری"),
        "case_plan": ("هدف‌ها و اقدامات", "هدف‌ها، گام‌ها و قرارهای توافق‌شده"),
    },
    purposes={
        "case_management": "مدیریت هماهنگ پرونده (برنامه ادغام)",
        "case_conference": "جلسه مشترک درباره پرونده",
        "referral": "معرفی به یک مرکز مشاوره یا حمایت",
        "benefits": (
            "روشن‌کردن وضعیت کمک‌های اجتماعی، از جمله هنگام تغییر نظام کمک‌ها (برای نمونه "
            "از کمک‌های پناهجویان به Bürgergeld)"
        ),
        "residence": "امور اقامتی",
        "other": "هدف دیگر (شرح آن را ببینید)",
    },
    agency_kinds={
        "integration_office": "دفتر ادغام",
        "youth_welfare_office": "اداره رفاه کودکان و نوجوانان",
        "jobcenter": "مرکز کاریابی و کمک‌هزینه",
        "employment_agency": "اداره کار",
        "social_welfare_office": "اداره امور اجتماعی",
        "foreigners_authority": "اداره امور اتباع خارجی",
        "school_authority": "اداره آموزش و پرورش",
        "welfare_association": "انجمن رفاه اجتماعی",
        "migrant_organisation": "سازمان مهاجران",
        "volunteer_initiative": "گروه داوطلبان",
        "other": "نهاد دیگر",
    },
)

UKRAINIAN = FormText(
    language="uk",
    name="Українська",
    direction=LTR,
    title="Згода на обмін інформацією",
    subtitle="між установами, які супроводжують вас і вашу родину (Lotse)",
    about_heading="Про що йдеться?",
    choice_heading="Що ви обрали",
    notes_heading="Важливо знати",
    rights_heading="Ваші права",
    about=(
        "Lotse — це спільна система ведення справ у місті. Нею користуються кілька установ, "
        "наприклад служба з питань інтеграції, відомство у справах молоді (Jugendamt), "
        "Jobcenter і консультаційні служби. Спочатку кожна установа бачить лише власні записи "
        "про вас."
    ),
    decide=(
        "Ви самі вирішуєте, чи передаватиметься інформація іншим установам: яка саме, кому, з "
        "якою метою і до якого часу. У цій формі точно зазначено, що ви обрали. На підставі "
        "цієї згоди можна передавати лише це — і нічого іншого. Без згоди установи можуть "
        "передавати інформацію лише тоді, коли це прямо дозволяє закон."
    ),
    health=(
        "Інформацію про ваше здоров’я ніколи не передають до відомства у справах іноземців "
        "(Ausländerbehörde) — навіть за вашої згоди. Те саме стосується інформації зі школи та "
        "дитячого садка."
    ),
    foreigners_authority=(
        "Ви вказали відомство у справах іноземців (Ausländerbehörde) як одержувача: "
        "{agencies}. Воно отримує лише дані про вашу особу (ім’я, дата народження, контактні "
        "дані) та ваш статус перебування — і з цього лише те, що зазначено в цій формі. Воно "
        "не отримує нічого про здоров’я, школу чи дитячий садок, родину, гроші, роботу чи "
        "житло, а також жодних нотаток із розмов. Спокійно подумайте, чи ви цього хочете. Без "
        "вашої згоди відомство у справах іноземців нічого не отримує через Lotse."
    ),
    entrusted=(
        "Ви також дозволяєте передавати інформацію, яку довірили відомству у справах молоді "
        "(Jugendamt) під час особистої чи виховної допомоги, наприклад у конфіденційній "
        f"розмові. Закон особливо захищає таку довірену інформацію ({SGB_VIII_65}): Jugendamt "
        "може передавати її лише за згодою людини, яка її довірила. Своїм підписом ви "
        "дозволяєте це лише для зазначених тут установ, розділів і цілей."
    ),
    voluntary=(
        "Ваша згода є добровільною. Ви можете будь-коли її відкликати — усно або письмово, в "
        "будь-якій зазначеній тут установі, без пояснення причин і без жодних негативних "
        "наслідків. Відкликання діє одразу на майбутнє. Те, що було правомірно передано "
        "раніше, воно не зачіпає."
    ),
    no_disadvantage=(
        "Якщо ви не дасте згоди або пізніше відкличете її, це ніяк не вплине на ваші соціальні "
        "виплати та на допомогу, яку ви отримуєте. У такому разі кожна установа попросить "
        "потрібні їй документи безпосередньо у вас."
    ),
    contact=(
        "Запитання або відкликання згоди: зверніться, будь ласка, до {agency} (установи, яка "
        "заповнила цю форму разом із вами) або до будь-якої іншої зазначеної тут установи. Ви "
        "також можете звернутися до уповноваженого з питань захисту даних міста. Ви маєте "
        "право знати, яку інформацію про вас зберігають, і право подати скаргу до наглядового "
        "органу з питань захисту даних."
    ),
    dpo_heading="Контакт із питань захисту даних",
    dpo_intro=(
        "Якщо у вас є запитання щодо ваших даних або ваших прав, ви можете звернутися до "
        "уповноваженого з питань захисту даних міста:"
    ),
    dpo_address="Адреса",
    dpo_email="Електронна пошта",
    dpo_phone="Телефон",
    statement=(
        "Я зрозумів (зрозуміла) цю інформацію. Я погоджуюся на обмін інформацією, як його "
        "описано в цій формі."
    ),
    person="Особа, якої це стосується",
    name_label="Ім’я та прізвище",
    native_name="Ім’я в оригінальному написанні",
    birth_date="Дата народження",
    estimated="приблизно",
    lotse_id="Ідентифікатор Lotse",
    given_by="Згоду надає",
    given_by_subject="сама особа",
    given_by_guardian=f"один із батьків або опікун (дитина до 15 років, {SGB_I_36})",
    guardian="Ім’я одного з батьків або опікуна",
    recipients="Ці установи можуть отримувати інформацію",
    disclosing="Ці установи можуть передавати інформацію",
    disclosing_all="усі установи, що зберігають інформацію про цю особу",
    categories_label="Цю інформацію можна передавати",
    entrusted_item=f"також інформацію, довірену відомству у справах молоді ({SGB_VIII_65})",
    purpose="Мета",
    purpose_text="Опис мети",
    validity="Строк дії",
    valid_from="діє з",
    valid_until="діє до",
    signature="Підписи",
    signature_consent="Підпис особи, яка надає згоду",
    signature_staff="Прийняв (прийняла) (установа, ім’я, підпис)",
    place_date="Місце, дата",
    categories={
        "identity": ("Особа та контактні дані", "ім’я, дата народження, адреса, телефон"),
        "residence": ("Статус перебування", "дозвіл на проживання, Duldung, Gestattung, строки"),
        "language": (
            "Мова та інтеграційний курс",
            "курси німецької мови, інтеграційний курс, рівень мови",
        ),
        "education": ("Школа та догляд за дітьми", "школа, дитячий садок, денна няня"),
        "work": (
            "Робота, кваліфікація, визнання",
            "робота, професійне навчання, дипломи, визнання професійної кваліфікації",
        ),
        "housing": ("Житло", "квартира, місце проживання, пошук житла"),
        "finances": ("Фінанси та соціальні виплати", "доходи, соціальні виплати, борги"),
        "youth_welfare": (
            "Допомога родині та молоді",
            "консультації та допомога відомства у справах молоді для родини, дітей і молоді",
        ),
        "health": ("Здоров’я", "хвороби, лікування, інвалідність, вагітність"),
        "case_plan": ("Цілі та заходи", "погоджені цілі, кроки й зустрічі"),
    },
    purposes={
        "case_management": "Узгоджене ведення справи (план інтеграції)",
        "case_conference": "Спільна нарада щодо справи",
        "referral": "Направлення до консультаційної служби або служби підтримки",
        "benefits": (
            "З’ясування соціальних виплат, зокрема під час переходу до іншої системи виплат "
            "(наприклад, від виплат для шукачів притулку до Bürgergeld)"
        ),
        "residence": "Питання права на перебування",
        "other": "Інша мета (див. опис)",
    },
    agency_kinds={
        "integration_office": "служба з питань інтеграції",
        "youth_welfare_office": "відомство у справах молоді",
        "jobcenter": "центр зайнятості та базового забезпечення",
        "employment_agency": "агентство з питань праці",
        "social_welfare_office": "соціальне відомство",
        "foreigners_authority": "відомство у справах іноземців",
        "school_authority": "шкільне відомство",
        "welfare_association": "благодійна організація соціальної допомоги",
        "migrant_organisation": "організація мігрантів",
        "volunteer_initiative": "волонтерська ініціатива",
        "other": "інша установа",
    },
)

TURKISH = FormText(
    language="tr",
    name="Türkçe",
    direction=LTR,
    title="Bilgi paylaşımına onay",
    subtitle="Size ve ailenize destek olan kurumlar arasında (Lotse)",
    about_heading="Bu form ne hakkında?",
    choice_heading="Seçtikleriniz",
    notes_heading="Bilmeniz gerekenler",
    rights_heading="Haklarınız",
    about=(
        "Lotse, şehrin ortak vaka yönetim sistemidir. Bu sistemle birkaç kurum çalışır; "
        "örneğin uyum bürosu, Gençlik Dairesi (Jugendamt), Jobcenter ve danışma merkezleri. "
        "Başlangıçta her kurum sizinle ilgili yalnızca kendi kayıtlarını görür."
    ),
    decide=(
        "Bilgilerin başka kurumlara aktarılıp aktarılmayacağına siz karar verirsiniz: hangi "
        "bilgilerin, kime, hangi amaçla ve ne zamana kadar. Bu form, neyi seçtiğinizi tam "
        "olarak gösterir. Bu onaya dayanarak yalnızca bunlar aktarılabilir, başka hiçbir şey "
        "aktarılamaz. Onay olmadan kurumlar bilgileri ancak bir yasa açıkça izin veriyorsa "
        "aktarabilir."
    ),
    health=(
        "Sağlığınızla ilgili bilgiler hiçbir zaman Yabancılar Dairesi'ne (Ausländerbehörde) "
        "aktarılmaz – sizin onayınızla bile. Aynı kural okul ve kreşten gelen bilgiler için de "
        "geçerlidir."
    ),
    foreigners_authority=(
        "Yabancılar Dairesi'ni (Ausländerbehörde) alıcı olarak belirttiniz: {agencies}. "
        "Yabancılar Dairesi yalnızca kimliğinize (ad, doğum tarihi, iletişim bilgileri) ve "
        "oturum durumunuza ilişkin bilgileri alır; bunlardan da yalnızca bu formda yazılı "
        "olanları. Sağlık, okul veya kreş, aile, para, iş veya konut hakkında hiçbir bilgi ve "
        "görüşme notlarından hiçbiri Yabancılar Dairesi'ne verilmez. Bunu isteyip "
        "istemediğinizi acele etmeden düşünün. Onayınız olmadan Yabancılar Dairesi Lotse "
        "üzerinden hiçbir bilgi almaz."
    ),
    entrusted=(
        "Ayrıca kişisel veya eğitsel yardım kapsamında Gençlik Dairesi'ne (Jugendamt) güvenerek "
        "anlattığınız bilgilerin aktarılmasına da izin veriyorsunuz; örneğin gizli bir "
        f"görüşmede anlattıklarınızın. Yasa bu tür bilgileri özel olarak korur ({SGB_VIII_65}): "
        "Gençlik Dairesi bunları ancak bilgiyi anlatan kişinin onayıyla aktarabilir. "
        "İmzanızla buna yalnızca burada adı geçen kurumlar, alanlar ve amaçlar için izin "
        "vermiş olursunuz."
    ),
    voluntary=(
        "Onayınız gönüllüdür. Onayınızı istediğiniz zaman geri alabilirsiniz: sözlü ya da "
        "yazılı olarak, burada adı geçen herhangi bir kurumda, gerekçe göstermeden ve hiçbir "
        "dezavantaj yaşamadan. Geri alma, o andan itibaren gelecek için geçerlidir. Daha önce "
        "yasal olarak aktarılmış bilgiler bundan etkilenmez."
    ),
    no_disadvantage=(
        "Onay vermezseniz ya da onayınızı daha sonra geri alırsanız, bunun sosyal "
        "yardımlarınıza ve aldığınız desteğe hiçbir etkisi olmaz. Bu durumda her kurum "
        "ihtiyaç duyduğu belgeleri doğrudan sizden ister."
    ),
    contact=(
        "Sorularınız için ya da onayınızı geri almak için lütfen {agency} ile (bu formu "
        "sizinle birlikte dolduran kurum) veya burada adı geçen başka bir kurumla iletişime "
        "geçin. Şehrin veri koruma görevlisine de başvurabilirsiniz. Hakkınızda hangi "
        "bilgilerin kayıtlı olduğunu öğrenme ve veri koruma denetim makamına şikâyette "
        "bulunma hakkınız vardır."
    ),
    dpo_heading="Veri koruma konusunda iletişim",
    dpo_intro=(
        "Verileriniz veya haklarınız hakkında sorularınız varsa şehrin veri koruma "
        "görevlisine ulaşabilirsiniz:"
    ),
    dpo_address="Adres",
    dpo_email="E-posta",
    dpo_phone="Telefon",
    statement=("Bu açıklamaları anladım. Bu formda açıklanan bilgi paylaşımına onay veriyorum."),
    person="İlgili kişi",
    name_label="Adı soyadı",
    native_name="Adın özgün yazımı",
    birth_date="Doğum tarihi",
    estimated="tahmini",
    lotse_id="Lotse numarası",
    given_by="Onayı veren",
    given_by_subject="kişinin kendisi",
    given_by_guardian=f"anne, baba veya vasi (15 yaşından küçük çocuk, {SGB_I_36})",
    guardian="Anne, baba veya vasinin adı",
    recipients="Bu kurumlar bilgi alabilir",
    disclosing="Bu kurumlar bilgi aktarabilir",
    disclosing_all="bu kişi hakkında bilgi kaydetmiş olan tüm kurumlar",
    categories_label="Bu bilgiler aktarılabilir",
    entrusted_item=f"Gençlik Dairesi'ne güvenerek anlatılan bilgiler de dahil ({SGB_VIII_65})",
    purpose="Amaç",
    purpose_text="Amacın açıklaması",
    validity="Geçerlilik",
    valid_from="başlangıç",
    valid_until="bitiş",
    signature="İmzalar",
    signature_consent="Onay veren kişinin imzası",
    signature_staff="Teslim alan (kurum, ad, imza)",
    place_date="Yer, tarih",
    categories={
        "identity": ("Kimlik ve iletişim bilgileri", "ad, doğum tarihi, adres, telefon"),
        "residence": ("Oturum durumu", "oturum izni, Duldung, Gestattung, süreler"),
        "language": ("Dil ve uyum kursu", "Almanca kursları, uyum kursu, dil seviyesi"),
        "education": ("Okul ve çocuk bakımı", "okul, kreş, gündüz bakıcısı"),
        "work": (
            "İş, mesleki yeterlilik, denklik",
            "iş, meslek eğitimi, diplomalar, meslek diplomalarının denkliği",
        ),
        "housing": ("Konut", "ev, barınma yeri, ev arama"),
        "finances": ("Mali durum ve sosyal yardımlar", "gelir, sosyal yardımlar, borçlar"),
        "youth_welfare": (
            "Aile ve gençlik yardımı",
            "Gençlik Dairesi'nin aileler, çocuklar ve gençler için danışmanlık ve yardımları",
        ),
        "health": ("Sağlık", "hastalıklar, tedavi, engellilik, hamilelik"),
        "case_plan": ("Hedefler ve önlemler", "üzerinde anlaşılan hedefler, adımlar ve randevular"),
    },
    purposes={
        "case_management": "Koordineli vaka yönetimi (uyum planı)",
        "case_conference": "Vaka toplantısı",
        "referral": "Bir danışma veya destek hizmetine yönlendirme",
        "benefits": (
            "Sosyal yardımların netleştirilmesi, bir yardım sisteminden diğerine geçiş dahil "
            "(örneğin sığınmacı yardımlarından Bürgergeld'e)"
        ),
        "residence": "Oturumla ilgili konular",
        "other": "Başka bir amaç (açıklamaya bakınız)",
    },
    agency_kinds={
        "integration_office": "uyum bürosu",
        "youth_welfare_office": "Gençlik Dairesi",
        "jobcenter": "iş ve temel gelir desteği merkezi",
        "employment_agency": "İş Ajansı",
        "social_welfare_office": "Sosyal Yardım Dairesi",
        "foreigners_authority": "Yabancılar Dairesi",
        "school_authority": "Okul Dairesi",
        "welfare_association": "sosyal yardım kuruluşu",
        "migrant_organisation": "göçmen derneği",
        "volunteer_initiative": "gönüllü girişimi",
        "other": "diğer kurum",
    },
)

RUSSIAN = FormText(
    language="ru",
    name="Русский",
    direction=LTR,
    title="Согласие на обмен информацией",
    subtitle="между учреждениями, которые сопровождают вас и вашу семью (Lotse)",
    about_heading="О чём идёт речь?",
    choice_heading="Что вы выбрали",
    notes_heading="Важно знать",
    rights_heading="Ваши права",
    about=(
        "Lotse — это общая система ведения дел в городе. С ней работают несколько учреждений, "
        "например служба по вопросам интеграции, ведомство по делам молодёжи (Jugendamt), "
        "Jobcenter и консультационные службы. Сначала каждое учреждение видит только свои "
        "собственные записи о вас."
    ),
    decide=(
        "Вы сами решаете, будет ли информация передаваться другим учреждениям: какая именно, "
        "кому, с какой целью и до какого времени. В этой форме точно указано, что вы выбрали. "
        "На основании этого согласия можно передавать только это — и ничего другого. Без "
        "согласия учреждения могут передавать информацию, только если это прямо разрешает "
        "закон."
    ),
    health=(
        "Информация о вашем здоровье никогда не передаётся в ведомство по делам иностранцев "
        "(Ausländerbehörde) — даже с вашего согласия. То же касается информации из школы и "
        "детского сада."
    ),
    foreigners_authority=(
        "Вы указали ведомство по делам иностранцев (Ausländerbehörde) в качестве получателя: "
        "{agencies}. Оно получает только данные о вашей личности (имя, дата рождения, "
        "контактные данные) и о вашем статусе пребывания — и из этого только то, что указано в "
        "этой форме. Оно не получает ничего о здоровье, школе или детском саде, семье, "
        "деньгах, работе или жилье, а также никаких записей бесед. Спокойно подумайте, хотите "
        "ли вы этого. Без вашего согласия ведомство по делам иностранцев ничего не получает "
        "через Lotse."
    ),
    entrusted=(
        "Вы также разрешаете передавать информацию, которую доверили ведомству по делам "
        "молодёжи (Jugendamt) в рамках личной или воспитательной помощи, например в "
        "конфиденциальной беседе. Закон особо защищает такую доверенную информацию "
        f"({SGB_VIII_65}): Jugendamt может передавать её только с согласия человека, "
        "который её доверил. Своей подписью вы разрешаете это только для указанных здесь "
        "учреждений, разделов и целей."
    ),
    voluntary=(
        "Ваше согласие добровольно. Вы можете в любое время отозвать его — устно или "
        "письменно, в любом указанном здесь учреждении, без объяснения причин и без каких-либо "
        "неблагоприятных последствий. Отзыв действует сразу на будущее. На то, что было "
        "правомерно передано раньше, он не влияет."
    ),
    no_disadvantage=(
        "Если вы не дадите согласия или позже отзовёте его, это никак не повлияет на ваши "
        "социальные выплаты и на помощь, которую вы получаете. В этом случае каждое "
        "учреждение запросит нужные ему документы непосредственно у вас."
    ),
    contact=(
        "Вопросы или отзыв согласия: обратитесь, пожалуйста, в {agency} (учреждение, которое "
        "заполнило эту форму вместе с вами) или в любое другое указанное здесь учреждение. Вы "
        "также можете обратиться к уполномоченному по защите данных города. Вы имеете право "
        "знать, какая информация о вас хранится, и право подать жалобу в надзорный орган по "
        "защите данных."
    ),
    dpo_heading="Контакт по вопросам защиты данных",
    dpo_intro=(
        "Если у вас есть вопросы о ваших данных или ваших правах, вы можете обратиться к "
        "уполномоченному по защите данных города:"
    ),
    dpo_address="Адрес",
    dpo_email="Электронная почта",
    dpo_phone="Телефон",
    statement=(
        "Я понял (поняла) эту информацию. Я согласен (согласна) на обмен информацией, как он "
        "описан в этой форме."
    ),
    person="Лицо, которого это касается",
    name_label="Имя и фамилия",
    native_name="Имя в оригинальном написании",
    birth_date="Дата рождения",
    estimated="приблизительно",
    lotse_id="Идентификатор Lotse",
    given_by="Согласие даёт",
    given_by_subject="само лицо",
    given_by_guardian=f"один из родителей или опекун (ребёнок до 15 лет, {SGB_I_36})",
    guardian="Имя родителя или опекуна",
    recipients="Эти учреждения могут получать информацию",
    disclosing="Эти учреждения могут передавать информацию",
    disclosing_all="все учреждения, которые хранят информацию об этом лице",
    categories_label="Эту информацию можно передавать",
    entrusted_item=(
        f"в том числе информацию, доверенную ведомству по делам молодёжи ({SGB_VIII_65})"
    ),
    purpose="Цель",
    purpose_text="Описание цели",
    validity="Срок действия",
    valid_from="действует с",
    valid_until="действует до",
    signature="Подписи",
    signature_consent="Подпись лица, дающего согласие",
    signature_staff="Принял (приняла) (учреждение, имя, подпись)",
    place_date="Место, дата",
    categories={
        "identity": ("Личность и контактные данные", "имя, дата рождения, адрес, телефон"),
        "residence": ("Статус пребывания", "вид на жительство, Duldung, Gestattung, сроки"),
        "language": (
            "Язык и интеграционный курс",
            "курсы немецкого языка, интеграционный курс, уровень языка",
        ),
        "education": ("Школа и присмотр за детьми", "школа, детский сад, дневная няня"),
        "work": (
            "Работа, квалификация, признание",
            "работа, профессиональное обучение, дипломы, признание профессиональной квалификации",
        ),
        "housing": ("Жильё", "квартира, место проживания, поиск жилья"),
        "finances": ("Финансы и социальные выплаты", "доходы, социальные выплаты, долги"),
        "youth_welfare": (
            "Помощь семье и молодёжи",
            "консультации и помощь ведомства по делам молодёжи для семьи, детей и молодёжи",
        ),
        "health": ("Здоровье", "болезни, лечение, инвалидность, беременность"),
        "case_plan": ("Цели и меры", "согласованные цели, шаги и встречи"),
    },
    purposes={
        "case_management": "Согласованное ведение дела (план интеграции)",
        "case_conference": "Совместное совещание по делу",
        "referral": "Направление в консультационную службу или службу поддержки",
        "benefits": (
            "Выяснение вопросов социальных выплат, в том числе при переходе в другую систему "
            "выплат (например, от выплат для лиц, ищущих убежища, к Bürgergeld)"
        ),
        "residence": "Вопросы права на пребывание",
        "other": "Другая цель (см. описание)",
    },
    agency_kinds={
        "integration_office": "служба по вопросам интеграции",
        "youth_welfare_office": "ведомство по делам молодёжи",
        "jobcenter": "центр занятости и базового обеспечения",
        "employment_agency": "агентство по труду",
        "social_welfare_office": "социальное ведомство",
        "foreigners_authority": "ведомство по делам иностранцев",
        "school_authority": "школьное ведомство",
        "welfare_association": "благотворительная организация социальной помощи",
        "migrant_organisation": "организация мигрантов",
        "volunteer_initiative": "волонтёрская инициатива",
        "other": "другое учреждение",
    },
)

TEXTS: dict[str, FormText] = {
    text.language: text for text in (GERMAN, ENGLISH, ARABIC, PERSIAN, UKRAINIAN, TURKISH, RUSSIAN)
}


def form_text(language: str) -> FormText:
    """The texts of one language; ValueError for a language the form is not printed in."""
    try:
        return TEXTS[language]
    except KeyError:
        raise ValueError(
            f"The consent form is not available in {language!r}; use one of {', '.join(LANGUAGES)}."
        ) from None
