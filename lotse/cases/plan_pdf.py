"""The family integration plan as PDF: for the family in German and their language, and for
the case file.

The family version is plain language: our goals, who helps, by when, the next steps and whom
to call. German always; beside it the family's language (right to left for Arabic and
Persian). What caseworkers wrote (the goals and measures) stays as written, in German. The
texts of the family version are here, per language, reviewed like the consent form's texts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.formats import date_format

from lotse.core.pdf import pdf_response, render_pdf

from . import selectors
from .models import Case

TEMPLATE = "cases/plan_pdf.html"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "cases"


@dataclass(frozen=True)
class PlanText:
    language: str
    name: str
    direction: str
    title: str
    intro: str
    goal: str
    for_whom: str
    helps: str
    by_when: str
    steps: str
    no_steps: str
    call: str
    no_goals: str
    made_on: str
    domains: dict[str, str]


_DE = PlanText(
    "de",
    "Deutsch",
    "ltr",
    "Unser Plan",
    "Das haben wir gemeinsam vereinbart. Wir sprechen regelmäßig darüber, was schon "
    "geklappt hat und was wir ändern.",
    "Ziel",
    "Für",
    "Wer hilft",
    "Bis wann",
    "Nächste Schritte",
    "Noch keine Schritte vereinbart.",
    "Fragen? Rufen Sie an:",
    "Noch keine Ziele vereinbart.",
    "Erstellt am",
    {
        "residence": "Aufenthalt",
        "language": "Sprache",
        "housing": "Wohnen",
        "work": "Arbeit und Beruf",
        "education": "Schule und Bildung",
        "childcare": "Kinderbetreuung",
        "health": "Gesundheit",
        "finances": "Geld und Schulden",
        "family": "Familie und Erziehung",
        "participation": "Teilhabe und Freizeit",
        "mobility": "Mobilität",
    },
)

_EN = PlanText(
    "en",
    "English",
    "ltr",
    "Our plan",
    "This is what we agreed together. We talk regularly about what has worked and what we change.",
    "Goal",
    "For",
    "Who helps",
    "By when",
    "Next steps",
    "No steps agreed yet.",
    "Questions? Call:",
    "No goals agreed yet.",
    "Made on",
    {
        "residence": "Residence",
        "language": "Language",
        "housing": "Housing",
        "work": "Work and job",
        "education": "School and education",
        "childcare": "Childcare",
        "health": "Health",
        "finances": "Money and debts",
        "family": "Family and parenting",
        "participation": "Taking part and free time",
        "mobility": "Getting around",
    },
)

_AR = PlanText(
    "ar",
    "العربية",
    "rtl",
    "خطتنا",
    "هذا ما اتفقنا عليه معًا. نتحدث بانتظام عمّا نجح وما سنغيّره.",
    "الهدف",
    "لِـ",
    "من يساعد",
    "حتى متى",
    "الخطوات التالية",
    "لم يتم الاتفاق على خطوات بعد.",
    "هل لديك أسئلة؟ اتصل بـ:",
    "لم يتم الاتفاق على أهداف بعد.",
    "تاريخ الإعداد",
    {
        "residence": "الإقامة",
        "language": "اللغة",
        "housing": "السكن",
        "work": "العمل والمهنة",
        "education": "المدرسة والتعليم",
        "childcare": "رعاية الأطفال",
        "health": "الصحة",
        "finances": "المال والديون",
        "family": "الأسرة والتربية",
        "participation": "المشاركة ووقت الفراغ",
        "mobility": "التنقل",
    },
)

_FA = PlanText(
    "fa",
    "فارسی",
    "rtl",
    "برنامه ما",
    "این چیزی است که با هم توافق کردیم. به طور منظم درباره آنچه موفق بوده و آنچه تغییر "
    "می‌دهیم صحبت می‌کنیم.",
    "هدف",
    "برای",
    "چه کسی کمک می‌کند",
    "تا چه زمانی",
    "قدم‌های بعدی",
    "هنوز قدمی توافق نشده است.",
    "سؤال دارید؟ تماس بگیرید:",
    "هنوز هدفی توافق نشده است.",
    "تاریخ تهیه",
    {
        "residence": "اقامت",
        "language": "زبان",
        "housing": "مسکن",
        "work": "کار و شغل",
        "education": "مدرسه و آموزش",
        "childcare": "مراقبت از کودک",
        "health": "سلامت",
        "finances": "پول و بدهی",
        "family": "خانواده و تربیت",
        "participation": "مشارکت و اوقات فراغت",
        "mobility": "رفت‌وآمد",
    },
)

_UK = PlanText(
    "uk",
    "Українська",
    "ltr",
    "Наш план",
    "Ось про що ми домовилися разом. Ми регулярно говоримо про те, що вже вдалося і що ми "
    "змінюємо.",
    "Мета",
    "Для",
    "Хто допомагає",
    "До якого часу",
    "Наступні кроки",
    "Кроки ще не узгоджені.",
    "Питання? Телефонуйте:",
    "Цілі ще не узгоджені.",
    "Складено",
    {
        "residence": "Перебування",
        "language": "Мова",
        "housing": "Житло",
        "work": "Робота і професія",
        "education": "Школа і освіта",
        "childcare": "Догляд за дітьми",
        "health": "Здоров'я",
        "finances": "Гроші та борги",
        "family": "Сім'я та виховання",
        "participation": "Участь і дозвілля",
        "mobility": "Пересування",
    },
)

_TR = PlanText(
    "tr",
    "Türkçe",
    "ltr",
    "Planımız",
    "Birlikte bunları kararlaştırdık. Neyin işe yaradığını ve neyi değiştirdiğimizi düzenli "
    "olarak konuşuyoruz.",
    "Hedef",
    "Kimin için",
    "Kim yardım ediyor",
    "Ne zamana kadar",
    "Sonraki adımlar",
    "Henüz adım kararlaştırılmadı.",
    "Sorunuz mu var? Arayın:",
    "Henüz hedef kararlaştırılmadı.",
    "Hazırlanma tarihi",
    {
        "residence": "Oturum",
        "language": "Dil",
        "housing": "Konut",
        "work": "İş ve meslek",
        "education": "Okul ve eğitim",
        "childcare": "Çocuk bakımı",
        "health": "Sağlık",
        "finances": "Para ve borçlar",
        "family": "Aile ve eğitim",
        "participation": "Katılım ve boş zaman",
        "mobility": "Ulaşım",
    },
)

_RU = PlanText(
    "ru",
    "Русский",
    "ltr",
    "Наш план",
    "Вот о чём мы договорились вместе. Мы регулярно обсуждаем, что уже получилось и что мы меняем.",
    "Цель",
    "Для",
    "Кто помогает",
    "До какого срока",
    "Следующие шаги",
    "Шаги ещё не согласованы.",
    "Вопросы? Звоните:",
    "Цели ещё не согласованы.",
    "Составлено",
    {
        "residence": "Пребывание",
        "language": "Язык",
        "housing": "Жильё",
        "work": "Работа и профессия",
        "education": "Школа и образование",
        "childcare": "Присмотр за детьми",
        "health": "Здоровье",
        "finances": "Деньги и долги",
        "family": "Семья и воспитание",
        "participation": "Участие и досуг",
        "mobility": "Передвижение",
    },
)

TEXTS: dict[str, PlanText] = {t.language: t for t in (_DE, _EN, _AR, _FA, _UK, _TR, _RU)}
LANGUAGES = tuple(TEXTS)


def language(code: str) -> str:
    """The language asked for if the plan is printed in it, else German."""
    return code if code in TEXTS else "de"


def _date(value: Any) -> str:
    return date_format(value, "d.m.Y") if value else "–"


def plan_context(
    *,
    case: Case,
    name: str,
    plan: list[selectors.PlanGoal],
    language: str,
    for_family: bool,
) -> dict[str, Any]:
    chosen = TEXTS[language]
    columns = [_DE] if chosen is _DE else [_DE, chosen]
    return {
        "case": case,
        "name": name,
        "plan": plan,
        "columns": columns,
        "bilingual": len(columns) > 1,
        "for_family": for_family,
        "contacts": selectors.case_contacts(case),
        "made_on": _date(timezone.localdate()),
    }


def response(
    request: HttpRequest,
    *,
    case: Case,
    name: str,
    plan: list[selectors.PlanGoal],
    language: str,
    for_family: bool,
) -> HttpResponse:
    context = plan_context(
        case=case, name=name, plan=plan, language=language, for_family=for_family
    )
    pdf = render_pdf(TEMPLATE, context, base_url=TEMPLATE_DIR)
    kind = f"plan-{language}" if for_family else "plan-akte"
    return pdf_response(pdf, filename=f"{kind}-{case.household.public_id}.pdf")
