"""Synthetic families of the demo city: deterministic, realistic and fast to load.

``generate_families`` is pure: ``random.Random(seed)`` and a reference day give the same
families in the same order, whatever the database holds. ``load_families`` writes them in bulk
(persons, households, members, languages, residence histories, changes of benefit regime and
the search tokens; COPY on PostgreSQL, one prepared INSERT on SQLite): 40,000 families load
in about a minute; the services of the people module write one row and one audit
event at a time and are meant for caseworkers. One DEMO_SEEDED audit event covers the load.

What the families look like, and why:

* origins weighted like the refugee and EU-migrant population of a German city (Syria, Ukraine,
  Afghanistan, Iraq, Türkiye, Romania, Bulgaria, Iran, Eritrea, Guinea, Nigeria);
* given names by sex, family names (gendered for Slavic names, patronymic for Eritrea), the
  name in its original script (Arabic, Persian, Cyrillic, Ge'ez) and other spellings as they
  occur across documents (Mohammed/Muhammad, Al-Hassan/Alhasan, passport order);
* birth dates, many of them 01.01. with precision "year" or "estimated";
* couples with children, single parents, young single adults, sometimes a grandparent;
* residence histories: Aufenthaltsgestattung → Aufenthaltserlaubnis § 25 Abs. 2 (a change from
  AsylbLG to SGB II, recorded as a DomainTransition), Duldung, § 24 for Ukrainians, EU free
  movement, renewals, Fiktionsbescheinigungen and permits that expire within 90 days;
* registered by a weighted mix of agencies; a few persons are registered a second time, with
  another spelling, by another agency — the case the duplicate check exists for.

Demo data only: phone numbers start the subscriber number with 0 (never assigned in Germany),
e-mail addresses use example.org.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import accumulate
from typing import Any, Generic, TypeVar

from django.db import connection
from django.db.models import Field, Model
from django.utils import timezone

from lotse.accounts.models import Agency, User
from lotse.people import names
from lotse.people.choices import (
    BirthDatePrecision,
    District,
    HouseholdRole,
    LanguageLevel,
    ResidenceKind,
    Sex,
    WorkPermission,
)
from lotse.people.models import (
    DomainTransition,
    Household,
    HouseholdMember,
    Person,
    PersonLanguage,
    PersonNameKey,
    ResidenceStatus,
)
from lotse.people.residence import benefit_regime, is_domain_transition
from lotse.people.search import name_key_values

from .city import ACCOUNTS

Progress = Callable[[str, int, int], None]

T = TypeVar("T")

PROGRESS_EVERY = 1000

# --- names ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NameForm:
    """One name with its Latin spellings (most common first) and its original script."""

    spellings: tuple[str, ...]
    native: str = ""


@dataclass(frozen=True)
class FamilyName:
    male: NameForm
    female: NameForm

    def for_sex(self, sex: str) -> NameForm:
        return self.female if sex == Sex.FEMALE else self.male


def _form(spec: str) -> NameForm:
    """``"Mohammed|Muhammad|Mohamad=محمد"`` → NameForm."""
    latin, _, native = spec.partition("=")
    spellings = tuple(dict.fromkeys(s.strip() for s in latin.split("|") if s.strip()))
    return NameForm(spellings, native.strip())


def _forms(*specs: str) -> tuple[NameForm, ...]:
    return tuple(_form(s) for s in specs)


def _families(*specs: str) -> tuple[FamilyName, ...]:
    """``"Ivanov|Iwanow=Иванов / Ivanova|Iwanowa=Иванова"``: masculine / feminine form."""
    result = []
    for spec in specs:
        male, _, female = spec.partition(" / ")
        male_form = _form(male)
        result.append(FamilyName(male_form, _form(female) if female else male_form))
    return tuple(result)


# fmt: off
# The name tables stay compact: one spelling family per item, several items per line.
SYRIA_MALE = _forms(
    "Mohammed|Muhammad|Mohamad|Mohamed=محمد", "Ahmad|Ahmed|Achmed=أحمد",
    "Mahmoud|Mahmud|Machmud=محمود", "Khaled|Khalid|Chaled=خالد", "Omar|Umar|Omer=عمر",
    "Ali=علي", "Hassan|Hasan=حسن", "Hussein|Husain|Hussain|Husein=حسين",
    "Yousef|Yusuf|Youssef|Jussuf=يوسف", "Ibrahim|Ebrahim|Ibraheem=إبراهيم",
    "Mustafa|Mostafa|Moustafa=مصطفى",
    "Abdulrahman|Abdul Rahman|Abdelrahman|Abd al-Rahman=عبد الرحمن",
    "Abdullah|Abdallah|Abdulla=عبد الله", "Bashar|Baschar=بشار", "Samer=سامر",
    "Tarek|Tariq|Tarik=طارق", "Rami=رامي", "Fadi=فادي", "Kareem|Karim=كريم",
    "Walid|Waleed|Walied=وليد", "Jamal|Djamal|Gamal=جمال", "Saeed|Said=سعيد",
    "Hamza|Hamsa=حمزة", "Anas=أنس", "Adnan=عدنان", "Ziad|Ziyad|Siad=زياد",
    "Osama|Usama|Ussama=أسامة", "Muhannad|Mohannad=مهند", "Amer|Aamer=عامر",
    "Yazan|Jazan=يزن",
)
SYRIA_FEMALE = _forms(
    "Fatima|Fatma|Fatmeh=فاطمة", "Aisha|Aischa|Aysha|Ayesha=عائشة", "Maryam|Mariam=مريم",
    "Rasha|Rascha=رشا", "Nour|Noor|Nur=نور", "Hala=هالة", "Rania|Ranya=رانيا", "Amal=أمل",
    "Lina=لينا", "Yasmin|Yasmine|Jasmin=ياسمين", "Zeinab|Zainab|Zaynab=زينب",
    "Huda|Houda|Hoda=هدى", "Salma=سلمى", "Reem|Rim=ريم", "Dima=ديما", "Rama=راما",
    "Heba|Hiba=هبة", "Asmaa|Asma=أسماء", "Khadija|Khadidja|Chadidscha=خديجة",
    "Layla|Leila|Laila=ليلى", "Sara|Sarah=سارة", "Nada=ندى", "Rahaf=رهف",
    "Shahed|Schahed=شهد", "Ghada=غادة", "Walaa|Wala=ولاء", "Bayan=بيان", "Joud|Jud=جود",
    "Sham|Scham=شام",
)
SYRIA_FAMILY = _families(
    "Al-Hassan|Alhasan|Al Hassan|Alhassan=الحسن", "Al-Ali|Alali|Al Ali=العلي",
    "Al-Ahmad|Alahmad|Al Ahmad=الأحمد", "Haddad|Hadad=حداد",
    "Al-Khatib|Alkhatib|Al Khateeb|Khatib=الخطيب", "Darwish|Darwisch|Darvish=درويش",
    "Al-Obaidi|Alobaidi|Obaidi=العبيدي", "Hamdan=حمدان", "Al-Masri|Almasri|El-Masri=المصري",
    "Kassem|Qasem|Kasem|Qassem=قاسم", "Mansour|Mansur=منصور",
    "Al-Halabi|Alhalabi|Halabi=الحلبي", "Khalil|Chalil=خليل",
    "Suleiman|Sulaiman|Sleiman=سليمان", "Othman|Osman|Uthman=عثمان",
    "Al-Hamoud|Alhamoud|Hammoud=الحمود", "Shaker|Schaker|Shakir=شاكر",
    "Al-Sayed|Alsayed|El Sayed=السيد", "Al-Najjar|Najjar|Alnajjar=النجار",
    "Yassin|Yasin|Jassin=ياسين", "Khoury|Khouri|Churi=خوري", "Saleh|Salih=صالح",
    "Al-Mohammad|Almohammad|Al Mohamad=المحمد", "Al-Hussein|Alhussein|Al Hussain=الحسين",
    "Sheikho|Schecho|Shekho=شيخو", "Hesso|Hasso=حسو",
    "Al-Abdullah|Alabdullah|Al Abdallah=العبدالله", "Al-Khalaf|Alkhalaf=الخلف",
    "Issa|Isa=عيسى", "Al-Rifai|Alrifai|Rifai=الرفاعي",
)

IRAQ_MALE = _forms(
    "Mohammed|Muhammad|Mohamed=محمد", "Ali=علي", "Hussein|Hussain|Husein=حسين",
    "Haider|Hayder|Heider=حيدر", "Abbas|Abas=عباس", "Mustafa|Mostafa=مصطفى",
    "Ahmed|Ahmad=أحمد", "Omar|Umar=عمر", "Karrar|Karar=كرار", "Murtadha|Murtada|Mortada=مرتضى",
    "Saif|Sayf|Seif=سيف", "Zaid|Zeid=زيد", "Ammar|Amar=عمار", "Yasser|Yaser|Jasser=ياسر",
    "Sajjad|Sajad=سجاد", "Dilshad|Dilschad=دلشاد", "Rebin|Rebien=ريبين",
    "Khairi|Chairi|Khayri=خيري", "Khider|Khudher|Khidir=خضر", "Nawzad|Nawsad=نوزاد",
    "Falah|Fallah=فلاح", "Qasim|Kasim|Qassim=قاسم",
)
IRAQ_FEMALE = _forms(
    "Zainab|Zeinab|Zaynab=زينب", "Fatima|Fatma=فاطمة", "Maryam|Mariam=مريم",
    "Noor|Nour|Nur=نور", "Zahraa|Zahra=زهراء", "Hawraa|Hawra=حوراء",
    "Shaimaa|Shaima|Shayma=شيماء", "Sura|Soura=سرى", "Ban=بان", "Rusul|Rosul=رسل",
    "Nadia|Nadja|Nadiya=نادية", "Jihan|Gihan|Dschihan=جيهان", "Layla|Leila=ليلى",
    "Hanan=حنان", "Ghufran|Ghofran=غفران", "Shireen|Shirin|Schirin=شيرين",
    "Nasrin|Nesrin=نسرين", "Basma|Besma=بسمة",
)
IRAQ_FAMILY = _families(
    "Al-Obaidi|Alobaidi|Obaidi=العبيدي", "Al-Jubouri|Aljuburi|Al-Juburi|Jubouri=الجبوري",
    "Al-Saadi|Alsaadi|As-Saadi=الساعدي", "Al-Tamimi|Altamimi|At-Tamimi=التميمي",
    "Al-Dulaimi|Aldulaimi|Al-Dulaimy=الدليمي", "Al-Rubaie|Alrubaie|Al-Rubaiy=الربيعي",
    "Hussein|Hussain=حسين", "Abbas=عباس", "Kadhim|Kazem|Kazim|Kadim=كاظم",
    "Jaafar|Jafar|Gaafar=جعفر", "Khalaf=خلف", "Qasim|Kasim=قاسم", "Murad|Mourad=مراد",
    "Haji|Hadschi|Hajji=حجي", "Rasho|Rascho=رشو", "Ilyas|Elias=إلياس",
    "Al-Khafaji|Alkhafaji|Khafaji=الخفاجي", "Al-Shammari|Alshammari|Shammari=الشمري",
    "Sinjari|Sindschari=سنجاري", "Barzani=بارزاني",
)

AFGHANISTAN_MALE = _forms(
    "Mohammad|Mohammed|Muhammad|Mohamad=محمد", "Ahmad|Ahmed=احمد", "Ali=علی", "Hamid=حمید",
    "Mahmood|Mahmud|Mahmoud=محمود", "Mustafa|Mostafa=مصطفی", "Jawad|Javad|Dschawad=جواد",
    "Reza|Resa=رضا", "Hussain|Hossein|Hussein|Husain=حسین", "Abdullah|Abdulla=عبدالله",
    "Abdul Rahim|Abdulrahim|Abdurrahim=عبدالرحیم", "Farid=فرید", "Nasir|Naser|Nasser=ناصر",
    "Rahmatullah|Rahmatulla|Rahmat Ullah=رحمت‌الله", "Mirwais|Mirvais|Mir Wais=میرویس",
    "Zabihullah|Zabiullah|Sabiullah=ذبیح‌الله", "Ramin=رامین", "Omid|Umid=امید",
    "Bilal=بلال", "Wahid|Vahid|Wahed=وحید", "Naweed|Navid|Nawid=نوید",
    "Samiullah|Samiulla=سمیع‌الله", "Sayed|Sayyed|Seyed=سید", "Ghulam|Gholam|Golam=غلام",
    "Khalid|Khaled=خالد", "Sohrab|Suhrab=سهراب", "Idris|Edris=ادریس", "Habib=حبیب",
    "Rohullah|Ruhullah=روح‌الله",
)
AFGHANISTAN_FEMALE = _forms(
    "Fatima|Fatema|Fatemeh=فاطمه", "Zahra|Sahra=زهرا", "Maryam|Mariam=مریم",
    "Masooma|Masuma|Masoumeh=معصومه", "Shabnam|Schabnam=شبنم",
    "Parwana|Parvana|Parwaneh=پروانه", "Nazanin|Nasanin=نازنین", "Farzana|Farsana=فرزانه",
    "Khadija|Khadidscha=خدیجه", "Laila|Leila|Layla=لیلا", "Mursal|Morsal=مرسل", "Sima=سیما",
    "Hamida|Hamide=حمیده", "Roya|Rouya=رؤیا", "Malalai|Malalay=ملالی", "Sahar=سحر",
    "Nilofar|Nilufar|Niloofar=نیلوفر", "Gulalai|Gulalay=گلالی", "Tahmina|Tahmineh=تهمینه",
    "Freshta|Fereshta|Fereshteh=فرشته", "Zarghuna|Zarghona=زرغونه",
    "Mahbooba|Mahbuba=محبوبه", "Nargis|Narges=نرگس", "Shukria|Shukriya|Schukria=شکریه",
)
AFGHANISTAN_FAMILY = _families(
    "Ahmadi|Ahmady=احمدی", "Mohammadi|Muhammadi|Mohamadi=محمدی",
    "Hussaini|Hosseini|Husaini=حسینی", "Rahimi|Rahimy=رحیمی", "Karimi|Karimy=کریمی",
    "Hakimi=حکیمی", "Haidari|Heydari|Haidary=حیدری", "Sultani|Soltani=سلطانی",
    "Noori|Nouri|Nuri=نوری", "Rezaei|Rezai|Rezaie=رضایی", "Jafari|Jafary|Dschafari=جعفری",
    "Sadat|Saadat=سادات", "Amiri|Amiry=امیری", "Stanikzai|Stanekzai=ستانکزی", "Popal=پوپل",
    "Wardak|Vardak=وردک", "Safi=صافی", "Azizi|Azizy=عزیزی", "Naseri|Nasiri=ناصری",
    "Habibi|Habiby=حبیبی", "Sharifi|Scharifi=شریفی", "Qaderi|Qadiri|Kaderi=قادری",
    "Yousufzai|Yusufzai|Yousafzai=یوسفزی", "Durrani|Durani=درانی", "Hamidi|Hamidy=حمیدی",
    "Nazari|Nasari=نظری", "Samadi=صمدی",
)

IRAN_MALE = _forms(
    "Mohammad|Mohammed|Muhammad=محمد", "Ali=علی", "Hossein|Hosein|Hussein=حسین",
    "Reza=رضا", "Mehdi|Mahdi=مهدی", "Amir=امیر", "Hamid=حمید", "Saeed|Saeid|Said=سعید",
    "Majid|Madschid|Madjid=مجید", "Behnam=بهنام", "Babak=بابک", "Arash|Arasch=آرش",
    "Farhad=فرهاد", "Omid=امید", "Kaveh|Kawe|Kave=کاوه", "Javad|Djavad=جواد",
    "Ehsan=احسان", "Navid|Nawid=نوید", "Peyman|Payman|Pejman=پیمان",
    "Dariush|Daryush|Dariusch=داریوش", "Mohsen|Mohssen=محسن", "Masoud|Massoud|Masud=مسعود",
)
IRAN_FEMALE = _forms(
    "Maryam|Mariam=مریم", "Fatemeh|Fatima|Fateme=فاطمه", "Zahra=زهرا", "Sara|Sarah=سارا",
    "Shirin|Schirin=شیرین", "Leila|Leyla|Laila=لیلا", "Narges|Nargis=نرگس", "Mina=مینا",
    "Parisa=پریسا", "Nasrin|Nassrin=نسرین", "Azadeh|Azade=آزاده", "Mahsa=مهسا",
    "Neda=ندا", "Elham=الهام", "Samira=سمیرا", "Golnar|Gulnar=گلنار", "Roya=رؤیا",
    "Tahereh|Tahere=طاهره", "Somayeh|Somaye|Sumaya=سمیه", "Marjan=مرجان",
)
IRAN_FAMILY = _families(
    "Mohammadi|Mohamadi=محمدی", "Hosseini|Hoseini|Husseini=حسینی", "Ahmadi=احمدی",
    "Rezaei|Rezaee|Rezai=رضایی", "Moradi=مرادی", "Karimi=کریمی", "Jafari|Djafari=جعفری",
    "Rahimi=رحیمی", "Hashemi|Haschemi=هاشمی", "Ghasemi|Qasemi|Ghassemi=قاسمی",
    "Sadeghi|Sadeqi=صادقی", "Mousavi|Musavi|Moussawi=موسوی", "Kazemi|Kasemi=کاظمی",
    "Ebrahimi|Ibrahimi=ابراهیمی", "Nazari=نظری", "Bahrami=بهرامی", "Tehrani=تهرانی",
    "Abbasi|Abassi=عباسی", "Rostami|Rustami=رستمی", "Shirazi|Schirazi=شیرازی",
    "Ghorbani|Qorbani|Gorbani=قربانی", "Akbari=اکبری", "Farahani=فراهانی",
    "Najafi|Nadschafi=نجفی",
)

UKRAINE_MALE = _forms(
    "Oleksandr|Aleksandr|Alexander|Oleksander=Олександр", "Andrii|Andriy|Andrij|Andrej=Андрій",
    "Dmytro|Dmitri|Dmitrij=Дмитро", "Serhii|Serhiy|Sergej|Serhij=Сергій",
    "Volodymyr|Wolodymyr|Vladimir=Володимир", "Mykola|Nikolai|Mikola=Микола",
    "Oleh|Oleg=Олег", "Yurii|Yuriy|Jurij|Juri=Юрій", "Ivan|Iwan=Іван",
    "Vasyl|Wassyl|Vasily=Василь", "Maksym|Maxim|Maksim=Максим", "Bohdan|Bogdan=Богдан",
    "Taras=Тарас", "Artem|Artjom|Artiom=Артем", "Denys|Denis=Денис", "Viktor|Wiktor=Віктор",
    "Ihor|Igor=Ігор", "Roman=Роман", "Yevhen|Jewgen|Evgeniy|Yevgeniy=Євген",
    "Mykhailo|Mychajlo|Mikhail|Michail=Михайло", "Matvii|Matvei|Matwij=Матвій",
    "Danylo|Danilo|Danil=Данило", "Nazar=Назар", "Kyrylo|Kirill|Kyrill=Кирило",
    "Tymofii|Timofei|Tymofij=Тимофій", "Vladyslav|Wladyslaw|Vladislav=Владислав",
)
UKRAINE_FEMALE = _forms(
    "Olena|Elena|Jelena=Олена", "Iryna|Irina=Ірина",
    "Nataliia|Natalia|Natalija|Nataliya=Наталія", "Tetiana|Tetyana|Tatjana|Tatiana=Тетяна",
    "Oksana=Оксана", "Svitlana|Swetlana|Svetlana=Світлана",
    "Yuliia|Yulia|Julija|Julia=Юлія", "Kateryna|Katerina|Jekaterina=Катерина",
    "Anastasiia|Anastasia|Anastasija=Анастасія", "Mariia|Maria|Marija=Марія",
    "Viktoriia|Viktoria|Wiktorija=Вікторія", "Halyna|Galina|Halina=Галина",
    "Liudmyla|Ludmila|Lyudmyla=Людмила", "Daryna|Darina=Дарина",
    "Sofiia|Sofia|Sofija=Софія", "Alina=Аліна", "Polina=Поліна",
    "Valentyna|Valentina|Walentyna=Валентина", "Inna=Інна",
    "Khrystyna|Chrystyna|Kristina=Христина", "Olha|Olga|Olja=Ольга",
    "Nadiia|Nadiya|Nadija=Надія", "Valeriia|Valeria|Walerija=Валерія",
    "Veronika|Weronika=Вероніка",
)
UKRAINE_FAMILY = _families(
    "Shevchenko|Schewtschenko|Sevcenko=Шевченко", "Kovalenko|Kowalenko=Коваленко",
    "Bondarenko=Бондаренко", "Tkachenko|Tkatschenko=Ткаченко",
    "Kravchenko|Krawtschenko=Кравченко", "Oliinyk|Olijnyk|Oleinik=Олійник",
    "Melnyk|Melnik=Мельник", "Boiko|Boyko|Bojko=Бойко",
    "Kovalchuk|Kowaltschuk|Kovaltchuk=Ковальчук",
    "Polishchuk|Polischtschuk|Polischuk=Поліщук", "Savchenko|Sawtschenko=Савченко",
    "Lysenko|Lissenko|Lisenko=Лисенко", "Marchenko|Martschenko=Марченко",
    "Rudenko=Руденко", "Moroz|Moros=Мороз", "Petrenko=Петренко",
    "Kravets|Krawez|Kravec=Кравець", "Hnatiuk|Hnatyuk|Gnatjuk=Гнатюк",
    "Savchuk|Sawtschuk=Савчук", "Zhuk|Schuk|Zuk=Жук", "Sydorenko|Sidorenko=Сидоренко",
    "Kovalskyi|Kowalskyj|Kovalskiy=Ковальський / Kovalska|Kowalska=Ковальська",
    "Ivanov|Iwanow=Іванов / Ivanova|Iwanowa=Іванова",
    "Petrov|Petrow=Петров / Petrova|Petrowa=Петрова",
    "Levytskyi|Lewyzkyj|Levitsky=Левицький / Levytska|Lewyzka|Levitskaya=Левицька",
)

BULGARIA_MALE = _forms(
    "Georgi|Georgij|Georgy=Георги", "Ivan|Iwan=Иван", "Dimitar|Dimitr|Dimitri=Димитър",
    "Nikolay|Nikolai|Nikolaj=Николай", "Petar|Petr|Peter=Петър",
    "Hristo|Christo|Khristo=Христо", "Stoyan|Stojan=Стоян", "Todor=Тодор", "Angel=Ангел",
    "Yordan|Jordan=Йордан", "Asen|Assen=Асен", "Stefan=Стефан", "Mehmed|Mehmet=Мехмед",
    "Ahmed|Ahmet=Ахмед", "Emil=Емил", "Martin=Мартин", "Atanas|Athanas=Атанас",
    "Kiril|Kirill|Kyril=Кирил", "Ventsislav|Wenzislaw|Ventzislav=Венцислав",
)
BULGARIA_FEMALE = _forms(
    "Maria|Mariya|Marija=Мария", "Ivanka|Iwanka=Иванка", "Elena|Jelena=Елена",
    "Yordanka|Jordanka=Йорданка", "Petya|Petja=Петя",
    "Desislava|Dessislava|Desislawa=Десислава", "Gergana=Гергана", "Radka=Радка",
    "Snezhana|Sneschana|Snejana=Снежана", "Violeta|Violetta=Виолета", "Fatme|Fatma=Фатме",
    "Ayshe|Ajsche|Aysche=Айше", "Silviya|Silvia|Silvija=Силвия",
    "Tsvetanka|Zwetanka|Cvetanka=Цветанка", "Galina=Галина", "Nikol|Nicole=Никол",
    "Gabriela=Габриела",
)
BULGARIA_FAMILY = _families(
    "Ivanov|Iwanow=Иванов / Ivanova|Iwanowa=Иванова",
    "Georgiev|Georgiew=Георгиев / Georgieva|Georgiewa=Георгиева",
    "Dimitrov|Dimitrow=Димитров / Dimitrova|Dimitrowa=Димитрова",
    "Petrov|Petrow=Петров / Petrova|Petrowa=Петрова",
    "Nikolov|Nikolow=Николов / Nikolova|Nikolowa=Николова",
    "Stoyanov|Stojanow=Стоянов / Stoyanova|Stojanowa=Стоянова",
    "Hristov|Christow|Khristov=Христов / Hristova|Christowa=Христова",
    "Todorov|Todorow=Тодоров / Todorova|Todorowa=Тодорова",
    "Yordanov|Jordanow=Йорданов / Yordanova|Jordanowa=Йорданова",
    "Angelov|Angelow=Ангелов / Angelova|Angelowa=Ангелова",
    "Mehmedov|Mehmedow=Мехмедов / Mehmedova|Mehmedowa=Мехмедова",
    "Asenov|Assenow=Асенов / Asenova|Assenowa=Асенова",
    "Kostov|Kostow=Костов / Kostova|Kostowa=Костова",
    "Mihaylov|Michailow|Mihailov=Михайлов / Mihaylova|Michailowa|Mihailova=Михайлова",
    "Yusein|Jusein|Hyuseyin=Юсеин", "Ali=Али",
)

ROMANIA_MALE = _forms(
    "Ion|Ioan", "Gheorghe|Georghe|Gheorge", "Constantin|Konstantin", "Vasile|Wasile",
    "Mihai|Mihail|Michai", "Andrei|Andrej", "Alexandru|Alexander", "Florin", "Marian",
    "Ionuț|Ionut", "Ștefan|Stefan|Stephan", "Nicolae|Nicolai|Niculae", "Dumitru|Dimitru",
    "Cristian|Christian", "Daniel", "Adrian", "Bogdan", "Cătălin|Catalin", "Costel",
    "Marius", "Florian", "Petru",
)
ROMANIA_FEMALE = _forms(
    "Maria", "Elena", "Ioana|Ioanna", "Ana|Anna", "Mihaela|Michaela", "Andreea|Andrea",
    "Gabriela", "Cristina|Christina", "Alexandra", "Florentina", "Nicoleta|Nicoletta",
    "Daniela", "Roxana", "Ionela", "Mădălina|Madalina", "Georgiana", "Larisa|Larissa",
    "Rebeca|Rebecca", "Denisa",
)
ROMANIA_FAMILY = _families(
    "Popescu|Popesku", "Ionescu|Ionesku", "Popa", "Pop", "Radu", "Dumitru", "Stan",
    "Stoica|Stoika", "Gheorghe", "Matei|Matej", "Ciobanu|Tschobanu", "Rusu", "Munteanu",
    "Constantin", "Lungu", "Florea", "Mihai", "Marin", "Tudor", "Dinu",
    "Lăcătuș|Lacatus|Lakatos", "Căldăraru|Caldararu", "Ștefan|Stefan", "Moldovan",
    "Sârbu|Sarbu", "Țurcanu|Turcanu",
)

TURKIYE_MALE = _forms(
    "Mehmet|Mehmed|Muhammet", "Mustafa", "Ahmet|Ahmed", "Ali", "Hüseyin|Hueseyin|Huseyin",
    "Hasan|Hassan", "İbrahim|Ibrahim", "İsmail|Ismail", "Murat|Murad", "Yusuf|Jusuf",
    "Ömer|Oemer|Omer", "Emre", "Burak", "Serkan", "Fatih", "Osman", "Abdullah",
    "Ramazan|Ramadan", "Mahmut|Mahmud", "Kemal", "Cem", "Deniz", "Baran", "Welat|Velat",
    "Rojhat", "Şükrü|Sukru|Schükrü", "Recep|Redschep", "Cemal|Djemal",
)
TURKIYE_FEMALE = _forms(
    "Fatma", "Ayşe|Ayse|Aysche", "Emine", "Hatice|Hatidsche|Hatica", "Zeynep|Seynep|Zeinep",
    "Elif", "Meryem|Merjem", "Şerife|Serife", "Sultan", "Hülya|Huelya|Hulya",
    "Özlem|Oezlem|Ozlem", "Esra", "Derya", "Gülsüm|Guelsuem|Gulsum", "Leyla|Leila",
    "Rojda", "Berfin", "Dilan", "Songül|Songuel|Songul",
)
TURKIYE_FAMILY = _families(
    "Yılmaz|Yilmaz|Jilmas", "Kaya|Kaja", "Demir", "Şahin|Sahin|Schahin",
    "Çelik|Celik|Tschelik", "Yıldız|Yildiz", "Yıldırım|Yildirim", "Öztürk|Oeztuerk|Ozturk",
    "Aydın|Aydin", "Özdemir|Oezdemir|Ozdemir", "Arslan", "Doğan|Dogan", "Kılıç|Kilic|Kilitsch",
    "Aslan", "Çetin|Cetin", "Kara", "Koç|Koc|Kotsch", "Kurt", "Özkan|Oezkan|Ozkan", "Polat",
    "Tekin", "Güneş|Gunes|Guenes", "Ekinci|Ekindschi", "Tunç|Tunc", "Erdoğan|Erdogan",
)

ERITREA_MALE = _forms(
    "Yonas|Jonas=ዮናስ", "Tesfay|Tesfai|Tesfaye=ተስፋይ", "Mehari|Mehary=መሓሪ",
    "Habtom|Habtum=ሃብቶም", "Dawit|Dawitt|Dawid=ዳዊት", "Filmon|Filimon|Philemon=ፊልሞን",
    "Samuel|Samiel=ሳሙኤል", "Yohannes|Yohanes|Johannes=ዮሃንስ",
    "Biniam|Biniyam|Binyam=ቢንያም", "Merhawi|Merhawie=መርሃዊ", "Kidane|Kidanie=ኪዳነ",
    "Tekle|Teklu=ተኽለ", "Gebremedhin|Ghebremedhin|Gebre-Medhin=ገብረመድህን",
    "Gebreyesus|Ghebreyesus|Gebre-Yesus=ገብረየሱስ", "Berhane|Berhani|Birhane=በርሃነ",
    "Amanuel|Emanuel|Ammanuel=ኣማኑኤል", "Robel=ሮቤል", "Henok|Henock=ሄኖክ",
    "Semere|Semre=ሰመረ", "Tsegay|Tsegai|Tsegaye=ጸጋይ", "Mulugeta=ሙሉጌታ",
    "Goitom|Goitum=ጎይቶም", "Abraham|Abrham=ኣብርሃም", "Mussie|Musie=ሙሴ",
    "Tewelde|Tewolde=ተወልደ", "Kibrom|Kibrum=ክብሮም", "Haile|Hayle=ሃይለ",
    "Negasi|Negassi=ነጋሲ",
)
ERITREA_FEMALE = _forms(
    "Helen|Hellen=ሄለን", "Selam|Salam=ሰላም", "Senait|Senayt|Sennait=ሰናይት",
    "Freweyni|Frewoini|Freweini=ፍረወይኒ", "Saba=ሳባ", "Winta|Wintana=ዊንታ", "Ruta|Ruth=ሩታ",
    "Semhar|Semhare=ሰምሃር", "Yordanos|Jordanos=ዮርዳኖስ", "Mebrat|Mebrhat=መብራት",
    "Almaz|Almas=ኣልማዝ", "Tsega|Tzega=ጸጋ", "Elsa=ኤልሳ", "Milen|Milien=ሚለን",
    "Azieb|Aziab=ኣዚብ", "Lidia|Lydia=ሊድያ", "Hiwet|Hiwot=ሕይወት", "Feven|Fewen=ፌቨን",
    "Rahwa=ራሕዋ", "Mihret|Mhret=ምሕረት",
)
# Eritrean names are patronymic: the "family name" on German documents is the father's (or
# grandfather's) given name, so children carry their father's first name.
ERITREA_FAMILY = _families(
    "Gebremariam|Ghebremariam|Gebre-Mariam=ገብረማርያም",
    "Woldemichael|Weldemichael|Wolde-Michael=ወልደሚካኤል", "Tesfamariam|Tesfamaryam=ተስፋማርያም",
    "Habte|Habtay=ሃብተ", "Andemariam=ኣንደማርያም", "Ghebrehiwet|Gebrehiwet=ገብረሕይወት",
    "Asmerom=ኣስመሮም", "Kahsay|Kahsai=ካሕሳይ", "Weldu|Woldu=ወልዱ", "Berhe|Brhe=በርሀ",
    "Tesfay|Tesfai|Tesfaye=ተስፋይ", "Tekle|Teklu=ተኽለ", "Haile|Hayle=ሃይለ",
    "Gebreyesus|Ghebreyesus|Gebre-Yesus=ገብረየሱስ", "Kidane|Kidanie=ኪዳነ",
)

GUINEA_MALE = _forms(
    "Mamadou|Mamadu|Mamoudou", "Alpha|Alfa", "Ibrahima|Ibrahim", "Abdoulaye|Abdulaye|Abdoulay",
    "Ousmane|Usman|Osmane", "Mohamed|Mohammed|Mouhamed", "Souleymane|Suleiman|Sulemane",
    "Amadou|Ahmadou|Amadu", "Boubacar|Bubacarr|Boubakar", "Sékou|Sekou", "Lansana|Lansane",
    "Thierno|Tierno|Cerno", "Aboubacar|Abubakar|Abubacarr", "Alseny|Alsény",
    "Moussa|Musa|Mousa", "Oumar|Umar", "Saliou|Saliu", "Mamady|Mamadi",
)
GUINEA_FEMALE = _forms(
    "Fatoumata|Fatumata|Fatimata", "Mariama|Mariam", "Aissatou|Aïssatou|Aisatu|Aissata",
    "Kadiatou|Kadiatu|Khadiatou", "Hawa|Awa", "Aminata|Aminatou", "Hadja",
    "Djenabou|Jenabu|Djénabou", "Kadidja|Kadija", "Oumou|Umu", "Ramatoulaye|Ramatulai",
    "Binta|Bintou", "Mariame", "Sira", "Nènè|Nene", "Tenin|Tenen",
)
GUINEA_FAMILY = _families(
    "Diallo|Jallow|Djalo", "Bah|Ba", "Barry|Bari", "Sow|Sowe", "Camara|Kamara",
    "Sylla|Silla", "Touré|Toure|Ture", "Keita|Keïta", "Condé|Conde|Kondeh",
    "Soumah|Sumah|Souma", "Bangoura|Bangura", "Konaté|Konate", "Kouyaté|Kouyate|Kuyateh",
    "Cissé|Cisse|Sisse", "Baldé|Balde", "Doumbouya|Dumbuya", "Traoré|Traore",
    "Sidibé|Sidibe",
)

NIGERIA_MALE = _forms(
    "Chukwuemeka|Chukwuemekah", "Oluwaseun|Oluseun", "Ibrahim", "Abdullahi|Abdulahi",
    "Emmanuel|Emanuel|Immanuel", "Chinedu|Chinedum", "Obinna|Obina", "Adebayo|Adebayou",
    "Oluwafemi|Olufemi", "Babatunde|Babatounde", "Uchenna|Uchena", "Samuel", "Godwin",
    "Osagie", "Musa|Moussa", "Yusuf|Yusufu|Yussuf", "Osaro|Osaru", "Kingsley|Kingsly",
    "Friday", "Sunday", "Victor|Viktor", "Daniel", "Efosa",
)
NIGERIA_FEMALE = _forms(
    "Blessing", "Precious", "Chiamaka", "Ngozi|Ngozie", "Adaeze", "Oluwakemi|Olukemi",
    "Funmilayo", "Aisha|Aishat|Ayisha", "Joy", "Esther", "Grace", "Favour|Favor", "Peace",
    "Osasere", "Amina|Aminat", "Chioma|Chiomah", "Ifeoma|Ifeomah", "Nneka|Neka", "Efe",
    "Gift", "Glory",
)
NIGERIA_FAMILY = _families(
    "Okafor|Okafo", "Okonkwo", "Adeyemi|Adeyemy", "Ogunleye|Ogunleyi", "Eze|Ezeh",
    "Nwosu|Nwosuh", "Obi|Obih", "Ibrahim", "Abubakar|Abubakr", "Bello|Belo", "Musa",
    "Okoro|Okorro", "Osagie", "Igbinedion|Igbinidion", "Omoregie|Omoreggie",
    "Osaghae|Osagae", "Ehigiator", "Adeleke", "Balogun", "Uzoma|Uzomah", "Chukwu|Chukwuh",
    "Edosa", "Iyamu",
)

# fmt: on

# --- origins ----------------------------------------------------------------------------------

ASYLUM = "asylum"
TEMPORARY_PROTECTION = "temporary_protection"
EU = "eu"

COUPLE_WITH_CHILDREN = "couple_with_children"
SINGLE_PARENT = "single_parent"
SINGLE = "single"
COUPLE = "couple"


@dataclass(frozen=True)
class Origin:
    country: str  # ISO 3166
    weight: float
    male: tuple[NameForm, ...]
    female: tuple[NameForm, ...]
    family: tuple[FamilyName, ...]
    first_languages: tuple[tuple[str, float], ...]
    # (language, when the first language is, level, probability) for adults; "*" for any.
    second_languages: tuple[tuple[str, str, str, float], ...]
    track: str
    arrival_years: tuple[int, int]
    protection_rate: float = 0.0
    vague_birth_rate: float = 0.05
    native_rate: float = 0.0
    alias_rate: float = 0.3
    second_given_rate: float = 0.0
    wife_takes_name: bool = False
    patronymic: bool = False
    structures: tuple[tuple[str, float], ...] = (
        (COUPLE_WITH_CHILDREN, 0.36),
        (SINGLE_PARENT, 0.09),
        (SINGLE, 0.44),
        (COUPLE, 0.11),
    )
    children: tuple[float, ...] = (0.32, 0.33, 0.2, 0.1, 0.05)  # P(1), P(2) … children
    grandparent_rate: float = 0.06
    single_male_share: float = 0.75


# fmt: off
_AFRICAN_STRUCTURES = ((SINGLE, 0.58), (COUPLE_WITH_CHILDREN, 0.17), (SINGLE_PARENT, 0.16),
                       (COUPLE, 0.09))

ORIGINS: tuple[Origin, ...] = (
    Origin(
        "SY", 0.26, SYRIA_MALE, SYRIA_FEMALE, SYRIA_FAMILY,
        (("ar", 0.85), ("ku", 0.15)),
        (("ar", "ku", "b2", 0.9), ("en", "*", "b1", 0.15)),
        ASYLUM, (2014, 2024), protection_rate=0.85, vague_birth_rate=0.2, native_rate=0.85,
        alias_rate=0.5, second_given_rate=0.04,
        children=(0.25, 0.3, 0.23, 0.13, 0.06, 0.03),
    ),
    Origin(
        "UA", 0.17, UKRAINE_MALE, UKRAINE_FEMALE, UKRAINE_FAMILY,
        (("uk", 0.75), ("ru", 0.25)),
        (("ru", "uk", "c1", 0.6), ("uk", "ru", "b2", 0.5), ("en", "*", "b1", 0.3)),
        TEMPORARY_PROTECTION, (2022, 2025), vague_birth_rate=0.01, native_rate=0.65,
        alias_rate=0.5, wife_takes_name=True,
        structures=((SINGLE_PARENT, 0.36), (COUPLE_WITH_CHILDREN, 0.22), (SINGLE, 0.28),
                    (COUPLE, 0.14)),
        children=(0.5, 0.35, 0.12, 0.03), grandparent_rate=0.2, single_male_share=0.4,
    ),
    Origin(
        "AF", 0.09, AFGHANISTAN_MALE, AFGHANISTAN_FEMALE, AFGHANISTAN_FAMILY,
        (("prs", 0.7), ("ps", 0.3)),
        (("prs", "ps", "b1", 0.4), ("en", "*", "a2", 0.15)),
        ASYLUM, (2015, 2025), protection_rate=0.6, vague_birth_rate=0.45, native_rate=0.8,
        alias_rate=0.5, second_given_rate=0.15,
        children=(0.15, 0.25, 0.25, 0.18, 0.1, 0.07), single_male_share=0.85,
    ),
    Origin(
        "IQ", 0.08, IRAQ_MALE, IRAQ_FEMALE, IRAQ_FAMILY,
        (("ar", 0.65), ("ku", 0.35)),
        (("ar", "ku", "b1", 0.6), ("en", "*", "b1", 0.15)),
        ASYLUM, (2015, 2024), protection_rate=0.4, vague_birth_rate=0.25, native_rate=0.8,
        alias_rate=0.45, second_given_rate=0.03,
        children=(0.25, 0.3, 0.23, 0.13, 0.06, 0.03),
    ),
    Origin(
        "TR", 0.08, TURKIYE_MALE, TURKIYE_FEMALE, TURKIYE_FAMILY,
        (("tr", 0.7), ("ku", 0.3)),
        (("tr", "ku", "c1", 0.9), ("en", "*", "b1", 0.2)),
        ASYLUM, (2018, 2025), protection_rate=0.2, vague_birth_rate=0.04, alias_rate=0.35,
        second_given_rate=0.1, wife_takes_name=True,
        structures=((SINGLE, 0.45), (COUPLE_WITH_CHILDREN, 0.3), (SINGLE_PARENT, 0.05),
                    (COUPLE, 0.2)),
    ),
    Origin(
        "RO", 0.08, ROMANIA_MALE, ROMANIA_FEMALE, ROMANIA_FAMILY,
        (("ro", 0.7), ("rom", 0.3)),
        (("ro", "rom", "c1", 0.95),),
        EU, (2010, 2025), vague_birth_rate=0.02, alias_rate=0.2, wife_takes_name=True,
        structures=((COUPLE_WITH_CHILDREN, 0.5), (SINGLE_PARENT, 0.1), (SINGLE, 0.25),
                    (COUPLE, 0.15)),
        children=(0.2, 0.3, 0.25, 0.15, 0.1), single_male_share=0.6,
    ),
    Origin(
        "BG", 0.08, BULGARIA_MALE, BULGARIA_FEMALE, BULGARIA_FAMILY,
        (("bg", 0.55), ("tr", 0.3), ("rom", 0.15)),
        (("bg", "tr", "c1", 0.9), ("bg", "rom", "c1", 0.9)),
        EU, (2010, 2025), vague_birth_rate=0.02, native_rate=0.5, alias_rate=0.3,
        wife_takes_name=True,
        structures=((COUPLE_WITH_CHILDREN, 0.5), (SINGLE_PARENT, 0.1), (SINGLE, 0.25),
                    (COUPLE, 0.15)),
        children=(0.2, 0.3, 0.25, 0.15, 0.1), single_male_share=0.6,
    ),
    Origin(
        "IR", 0.04, IRAN_MALE, IRAN_FEMALE, IRAN_FAMILY,
        (("fa", 1.0),),
        (("en", "*", "b1", 0.35),),
        ASYLUM, (2016, 2025), protection_rate=0.45, vague_birth_rate=0.05, native_rate=0.8,
        alias_rate=0.3,
        structures=((SINGLE, 0.45), (COUPLE_WITH_CHILDREN, 0.3), (SINGLE_PARENT, 0.05),
                    (COUPLE, 0.2)),
    ),
    Origin(
        "ER", 0.04, ERITREA_MALE, ERITREA_FEMALE, ERITREA_FAMILY,
        (("ti", 1.0),),
        (("ar", "*", "a2", 0.15), ("en", "*", "a2", 0.25)),
        ASYLUM, (2014, 2024), protection_rate=0.8, vague_birth_rate=0.35, native_rate=0.55,
        alias_rate=0.5, patronymic=True, structures=_AFRICAN_STRUCTURES,
    ),
    Origin(
        "GN", 0.04, GUINEA_MALE, GUINEA_FEMALE, GUINEA_FAMILY,
        (("ff", 0.5), ("sus", 0.3), ("emk", 0.2)),
        (("fr", "*", "b1", 0.7),),
        ASYLUM, (2016, 2024), protection_rate=0.15, vague_birth_rate=0.4, alias_rate=0.4,
        structures=_AFRICAN_STRUCTURES, single_male_share=0.8,
    ),
    Origin(
        "NG", 0.04, NIGERIA_MALE, NIGERIA_FEMALE, NIGERIA_FAMILY,
        (("yo", 0.35), ("ig", 0.3), ("bin", 0.2), ("ha", 0.15)),
        (("en", "*", "c1", 0.95),),
        ASYLUM, (2015, 2024), protection_rate=0.08, vague_birth_rate=0.15, alias_rate=0.2,
        wife_takes_name=True, structures=_AFRICAN_STRUCTURES, single_male_share=0.55,
    ),
)

DISTRICT_WEIGHTS: tuple[tuple[str, float], ...] = (
    (District.ELBERFELD, 22),
    (District.OBERBARMEN, 19),
    (District.BARMEN, 17),
    (District.ELBERFELD_WEST, 8),
    (District.HECKINGHAUSEN, 8),
    (District.UELLENDAHL_KATERNBERG, 7),
    (District.VOHWINKEL, 7),
    (District.LANGERFELD_BEYENBURG, 6),
    (District.RONSDORF, 3),
    (District.CRONENBERG, 3),
)

STREETS: dict[str, tuple[tuple[str, str], ...]] = {
    District.ELBERFELD: (
        ("Gathe", "42107"), ("Hochstraße", "42105"), ("Marienstraße", "42105"),
        ("Friedrich-Ebert-Straße", "42103"), ("Platz der Republik", "42107"),
        ("Hombüchel", "42105"), ("Ostersbaum", "42107"), ("Luisenstraße", "42103"),
    ),
    District.ELBERFELD_WEST: (
        ("Varresbecker Straße", "42115"), ("Nützenberger Straße", "42115"),
        ("Funckstraße", "42115"), ("Sonnborner Straße", "42327"),
    ),
    District.UELLENDAHL_KATERNBERG: (
        ("Uellendahler Straße", "42109"), ("Katernberger Straße", "42115"),
        ("Westfalenweg", "42111"),
    ),
    District.VOHWINKEL: (
        ("Kaiserstraße", "42329"), ("Vohwinkeler Straße", "42329"), ("Bahnstraße", "42327"),
        ("Gräfrather Straße", "42329"),
    ),
    District.CRONENBERG: (
        ("Hauptstraße", "42349"), ("Solinger Straße", "42349"), ("Hastener Straße", "42349"),
    ),
    District.BARMEN: (
        ("Werth", "42275"), ("Höhne", "42275"), ("Unterdörnen", "42283"),
        ("Gewerbeschulstraße", "42289"), ("Rathenaustraße", "42277"),
        ("Wittensteinstraße", "42285"),
    ),
    District.OBERBARMEN: (
        ("Berliner Straße", "42275"), ("Schwarzbach", "42277"),
        ("Wichlinghauser Straße", "42277"), ("Langobardenstraße", "42277"),
        ("Normannenstraße", "42277"), ("Färberstraße", "42275"),
    ),
    District.HECKINGHAUSEN: (
        ("Heckinghauser Straße", "42289"), ("Waldeckstraße", "42289"),
        ("Widukindstraße", "42289"),
    ),
    District.LANGERFELD_BEYENBURG: (
        ("Schwelmer Straße", "42389"), ("Langerfelder Straße", "42389"),
        ("Beyenburger Straße", "42399"),
    ),
    District.RONSDORF: (
        ("Staubenthaler Straße", "42369"), ("Lüttringhauser Straße", "42369"),
        ("Remscheider Straße", "42369"),
    ),
}

# fmt: on

# Which demo agency registers a family: mostly KIM, Jugendamt, Jobcenter, Sozialamt.
AGENCY_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("kim", 28),
    ("jc", 18),
    ("sa", 16),
    ("ja", 10),
    ("car", 7),
    ("dia", 5),
    ("abh", 3),
    ("mso", 3),
    ("fi", 2),
)
DUPLICATE_RATE = 0.03  # families whose head another agency registered a second time

_PERMIT_SPELLINGS = ("§ 25 Abs. 2 AufenthG", "§ 25 Abs. 2 AufenthG", "§ 25 II AufenthG")

# --- specifications (pure data) ---------------------------------------------------------------


@dataclass(frozen=True)
class StatusSpec:
    kind: str
    paragraph: str
    valid_from: date
    valid_until: date | None
    residence_obligation: str = ""
    work_permission: str = WorkPermission.UNKNOWN


@dataclass(frozen=True)
class LanguageSpec:
    language: str
    level: str
    interpreter_needed: bool = False


@dataclass
class PersonSpec:
    public_id: str
    role: str
    given_names: str
    family_name: str
    sex: str
    birth_date: date
    birth_date_precision: str
    country: str
    aliases: list[str] = field(default_factory=list)
    native_name: str = ""
    arrival_in_germany: date | None = None
    arrival_in_city: date | None = None
    phone: str = ""
    email: str = ""
    languages: list[LanguageSpec] = field(default_factory=list)
    statuses: list[StatusSpec] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()


@dataclass
class FamilySpec:
    public_id: str
    agency_code: str
    district: str
    street: str
    postcode: str
    country: str
    structure: str
    members: list[PersonSpec]
    # The same person registered a second time by another agency (other spelling, no household).
    registered_elsewhere: tuple[str, PersonSpec] | None = None


class Weighted(Generic[T]):
    """A weighted choice with precomputed cumulative weights: one ``random()`` per draw."""

    def __init__(self, items: Sequence[tuple[T, float]]) -> None:
        self.values = [value for value, _ in items]
        self.cumulative = list(accumulate(weight for _, weight in items))

    def pick(self, rng: random.Random) -> T:
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


_ORIGIN_PICK = Weighted([(o.country, o.weight) for o in ORIGINS])
_ORIGIN_BY_COUNTRY = {o.country: o for o in ORIGINS}
_DISTRICT_PICK = Weighted(DISTRICT_WEIGHTS)
_STRUCTURE_PICK = {o.country: Weighted(o.structures) for o in ORIGINS}
_LANGUAGE_PICK = {o.country: Weighted(o.first_languages) for o in ORIGINS}

_ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class _Ids:
    """Deterministic public IDs from their own random stream, never repeated."""

    def __init__(self, seed: int | str, taken: set[str] | None = None) -> None:
        self.rng = random.Random(f"lotse-demo-ids-{seed}")
        self.taken: set[str] = set(taken or ())

    def new(self, prefix: str) -> str:
        while True:
            body = "".join(self.rng.choice(_ID_ALPHABET) for _ in range(8))
            public_id = f"{prefix}-{body[:4]}-{body[4:]}"
            if public_id not in self.taken:
                self.taken.add(public_id)
                return public_id


def _spell(rng: random.Random, form: NameForm) -> str:
    """The spelling one document uses: mostly the common one, often another."""
    if len(form.spellings) == 1 or rng.random() < 0.55:
        return form.spellings[0]
    return rng.choice(form.spellings[1:])


def _day_in_year(rng: random.Random, year: int, today: date) -> date:
    day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
    return min(day, today - timedelta(days=1))


def _days(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(days=rng.randint(low, high))


class _FamilyBuilder:
    def __init__(
        self, rng: random.Random, ids: _Ids, today: date, origins: Weighted[str] = _ORIGIN_PICK
    ) -> None:
        self.rng = rng
        self.ids = ids
        self.today = today
        self.origins = origins

    # --- one person -----------------------------------------------------------------------

    def birth(
        self, origin: Origin, age: int, *, born_here: bool = False, unaccompanied: bool = False
    ) -> tuple[date, str]:
        rng = self.rng
        year = self.today.year - age
        vague = 0.0 if born_here else origin.vague_birth_rate * (1.6 if unaccompanied else 1.0)
        if rng.random() < vague:
            roll = rng.random()
            estimated = 0.5 if unaccompanied else 0.2
            if roll < estimated:
                precision = BirthDatePrecision.ESTIMATED
            elif roll < 0.88:
                precision = BirthDatePrecision.YEAR
            else:  # the document says 01.01. and nobody doubted it
                precision = BirthDatePrecision.EXACT
            return date(year, 1, 1), precision
        return _day_in_year(rng, year, self.today), BirthDatePrecision.EXACT

    def person(
        self,
        origin: Origin,
        *,
        role: str,
        sex: str,
        age: int,
        family: FamilyName,
        family_spelling: str | None,
        given: Sequence[NameForm] | None = None,
        born_here: bool = False,
        unaccompanied: bool = False,
    ) -> PersonSpec:
        rng = self.rng
        pool = origin.female if sex == Sex.FEMALE else origin.male
        if given is None:
            chosen = [rng.choice(pool)]
            if age >= 14 and rng.random() < origin.second_given_rate:
                second = rng.choice(pool)
                if second != chosen[0]:
                    chosen.append(second)
            given = chosen
        family_form = family.for_sex(sex)
        given_spelled = " ".join(_spell(rng, form) for form in given)
        if family_spelling is None or rng.random() < 0.2:
            family_spelled = _spell(rng, family_form)
        elif family_spelling in family_form.spellings:
            family_spelled = family_spelling
        else:  # the feminine form of a Slavic name: same position in its own spelling list
            position = (
                family.male.spellings.index(family_spelling)
                if family_spelling in family.male.spellings
                else 0
            )
            family_spelled = family_form.spellings[min(position, len(family_form.spellings) - 1)]
        birth_date, precision = self.birth(
            origin, age, born_here=born_here, unaccompanied=unaccompanied
        )
        spec = PersonSpec(
            public_id=self.ids.new("P"),
            role=role,
            given_names=given_spelled,
            family_name=family_spelled,
            sex=sex,
            birth_date=birth_date,
            birth_date_precision=precision,
            country=origin.country,
        )
        spec.aliases = self.aliases(origin, given, family_form, spec.full_name)
        natives = [form.native for form in (*given, family_form)]
        if all(natives) and rng.random() < origin.native_rate:
            spec.native_name = " ".join(natives)
        if age >= 16:
            if rng.random() < 0.55:
                spec.phone = f"0202 0{rng.randrange(100000, 999999)}"
            if rng.random() < 0.15:
                local = ".".join(
                    "".join(ch for ch in names.fold(part) if ch.isalnum())
                    for part in (given_spelled.split()[0], family_spelled)
                )
                spec.email = f"{local}{rng.randint(1, 99)}@example.org"
        return spec

    def aliases(
        self, origin: Origin, given: Sequence[NameForm], family: NameForm, primary: str
    ) -> list[str]:
        rng = self.rng
        if rng.random() >= origin.alias_rate:
            return []
        wanted = 1 if rng.random() < 0.75 else 2
        result: list[str] = []
        for _ in range(wanted):
            given_spelled = " ".join(rng.choice(form.spellings) for form in given)
            family_spelled = rng.choice(family.spellings)
            if rng.random() < 0.08:  # passport order, machine-readable zone style
                alias = f"{family_spelled.upper()}, {given_spelled}"
            else:
                alias = f"{given_spelled} {family_spelled}"
            if alias != primary and alias not in result:
                result.append(alias)
        return result

    # --- languages ------------------------------------------------------------------------

    def languages(
        self, origin: Origin, first: str, person: PersonSpec, years_here: float
    ) -> list[LanguageSpec]:
        rng = self.rng
        age = self.today.year - person.birth_date.year
        result = [LanguageSpec(first, LanguageLevel.NATIVE)]
        if age >= 16:
            for language, when_first, level, probability in origin.second_languages:
                if when_first not in ("*", first) or language == first:
                    continue
                if rng.random() < probability:
                    result.append(LanguageSpec(language, level))
        german = self.german_level(age, years_here, born_here=person.arrival_in_germany is None)
        if german is not None:
            needs = (
                age >= 16
                and german in (LanguageLevel.NONE, LanguageLevel.A1, LanguageLevel.A2)
                and rng.random() < 0.9
            )
            result.append(LanguageSpec("de", german, needs))
        return result

    def german_level(self, age: int, years_here: float, *, born_here: bool) -> str | None:
        rng = self.rng
        if age < 3:
            return None
        if born_here:
            return LanguageLevel.C1 if age >= 6 else LanguageLevel.B1
        if age < 18:
            if years_here < 1:
                return rng.choice((LanguageLevel.NONE, LanguageLevel.A1, LanguageLevel.A2))
            return rng.choice((LanguageLevel.B1, LanguageLevel.B2, LanguageLevel.C1))
        if years_here < 1:
            return rng.choice((LanguageLevel.NONE, LanguageLevel.A1))
        if years_here < 3:
            return rng.choice(
                (LanguageLevel.A1, LanguageLevel.A2, LanguageLevel.A2, LanguageLevel.B1)
            )
        return rng.choice(
            (
                LanguageLevel.A2,
                LanguageLevel.B1,
                LanguageLevel.B1,
                LanguageLevel.B2,
                LanguageLevel.B2,
                LanguageLevel.C1,
            )
        )

    # --- residence ------------------------------------------------------------------------

    def residence(self, origin: Origin, arrival: date) -> list[StatusSpec]:
        if origin.track == EU:
            start = arrival + _days(self.rng, 0, 30)
            return [
                StatusSpec(
                    ResidenceKind.EU_FREE_MOVEMENT,
                    "§ 2 FreizügG/EU",
                    min(start, self.today),
                    None,
                    "",
                    WorkPermission.ALLOWED,
                )
            ]
        if origin.track == TEMPORARY_PROTECTION:
            start = min(arrival + _days(self.rng, 7, 60), self.today)
            return self.permits(
                ResidenceKind.RESIDENCE_PERMIT,
                "§ 24 AufenthG",
                start,
                years=2,
                renew_years=1,
                obligation="",
            )
        return self.asylum(origin, arrival)

    def asylum(self, origin: Origin, arrival: date) -> list[StatusSpec]:
        rng, today = self.rng, self.today
        applied = min(arrival + _days(rng, 3, 60), today)
        decided = applied + _days(rng, 90, 720)
        if decided > today:
            return [
                StatusSpec(
                    ResidenceKind.ASYLUM_PERMISSION,
                    "",
                    applied,
                    today + _days(rng, 20, 365),
                    "Wuppertal",
                    WorkPermission.WITH_APPROVAL,
                )
            ]
        timeline = [
            StatusSpec(
                ResidenceKind.ASYLUM_PERMISSION,
                "",
                applied,
                decided - timedelta(days=1),
                "Wuppertal",
                WorkPermission.WITH_APPROVAL,
            )
        ]
        if rng.random() < origin.protection_rate:
            roll = rng.random()
            if roll < 0.8:
                paragraph, years = rng.choice(_PERMIT_SPELLINGS), 3
            elif roll < 0.87:
                paragraph, years = "§ 25 Abs. 1 AufenthG", 3
            else:
                paragraph, years = "§ 25 Abs. 3 AufenthG", 1
            obligation = "Wuppertal" if rng.random() < 0.6 else ""
            timeline += self.permits(
                ResidenceKind.RESIDENCE_PERMIT,
                paragraph,
                decided,
                years=years,
                renew_years=years,
                obligation=obligation,
            )
            return timeline
        tolerated = decided + _days(rng, 14, 90)
        if tolerated > today:
            tolerated = decided
        until = today + _days(rng, 30, 270)
        if (today - tolerated).days > 540 and rng.random() < 0.3:
            changed = tolerated + _days(rng, 540, max(540, (today - tolerated).days))
            changed = min(changed, today)
            timeline.append(
                StatusSpec(
                    ResidenceKind.TOLERATION,
                    "§ 60a AufenthG",
                    tolerated,
                    changed - timedelta(days=1),
                    "Wuppertal",
                    WorkPermission.WITH_APPROVAL,
                )
            )
            roll = rng.random()
            paragraph = (
                "§ 25 Abs. 5 AufenthG"
                if roll < 0.4
                else "§ 104c AufenthG"
                if roll < 0.7
                else "§ 25b AufenthG"
                if roll < 0.9
                else "§ 25a AufenthG"
            )
            timeline += self.permits(
                ResidenceKind.RESIDENCE_PERMIT,
                paragraph,
                changed,
                years=1,
                renew_years=2,
                obligation="",
            )
            return timeline
        timeline.append(
            StatusSpec(
                ResidenceKind.TOLERATION,
                "§ 60a AufenthG",
                tolerated,
                until,
                "Wuppertal",
                WorkPermission.WITH_APPROVAL,
            )
        )
        return timeline

    def permits(
        self,
        kind: str,
        paragraph: str,
        start: date,
        *,
        years: int,
        renew_years: int,
        obligation: str,
    ) -> list[StatusSpec]:
        """A permit with its renewals up to today; sometimes a Fiktionsbescheinigung between."""
        rng, today = self.rng, self.today
        result: list[StatusSpec] = []
        valid_from = start
        until = start + timedelta(days=365 * years)
        while until < today:
            result.append(
                StatusSpec(kind, paragraph, valid_from, until, obligation, WorkPermission.ALLOWED)
            )
            if (
                (until - start).days >= 3 * 365
                and kind == ResidenceKind.RESIDENCE_PERMIT
                and (
                    paragraph.startswith("§ 25 Abs. 1")
                    or "25 Abs. 2" in paragraph
                    or "25 II" in paragraph
                )
                and rng.random() < 0.35
            ):
                result.append(
                    StatusSpec(
                        ResidenceKind.SETTLEMENT_PERMIT,
                        "§ 26 Abs. 3 AufenthG",
                        until + timedelta(days=1),
                        None,
                        "",
                        WorkPermission.ALLOWED,
                    )
                )
                return result
            valid_from = until + timedelta(days=1)
            if rng.random() < 0.1:
                fiction_until = valid_from + _days(rng, 30, 120)
                if fiction_until >= today:
                    result.append(
                        StatusSpec(
                            ResidenceKind.PROVISIONAL,
                            "§ 81 Abs. 4 AufenthG",
                            valid_from,
                            fiction_until,
                            obligation,
                            WorkPermission.ALLOWED,
                        )
                    )
                    return result
                result.append(
                    StatusSpec(
                        ResidenceKind.PROVISIONAL,
                        "§ 81 Abs. 4 AufenthG",
                        valid_from,
                        fiction_until - timedelta(days=1),
                        obligation,
                        WorkPermission.ALLOWED,
                    )
                )
                valid_from = fiction_until
            obligation = obligation if (valid_from - start).days < 3 * 365 else ""
            until = valid_from + timedelta(days=365 * renew_years)
        if rng.random() < 0.1:  # expires within the next 90 days: the case of the warning
            until = max(valid_from, today + _days(rng, 5, 89))
        result.append(
            StatusSpec(kind, paragraph, valid_from, until, obligation, WorkPermission.ALLOWED)
        )
        return result

    # --- a family -------------------------------------------------------------------------

    def family(self) -> FamilySpec:
        rng, today = self.rng, self.today
        origin = _ORIGIN_BY_COUNTRY[self.origins.pick(rng)]
        structure = _STRUCTURE_PICK[origin.country].pick(rng)
        district = _DISTRICT_PICK.pick(rng)
        street, postcode = rng.choice(STREETS[district])
        number = f"{rng.randint(1, 160)}{rng.choice(('', '', '', '', 'a', 'b'))}"
        first_year, last_year = origin.arrival_years
        last_year = min(last_year, today.year)
        arrival = _day_in_year(rng, rng.randint(min(first_year, last_year), last_year), today)
        arrival = min(arrival, today - timedelta(days=20))
        in_city = min(arrival + _days(rng, 0, 540), today - timedelta(days=10))
        first_language = _LANGUAGE_PICK[origin.country].pick(rng)
        family_name = rng.choice(origin.family)
        family_spelling = _spell(rng, family_name.male)

        members: list[PersonSpec] = []
        mother_age: int | None = None
        father: PersonSpec | None = None
        father_given: NameForm | None = None
        if structure in (COUPLE_WITH_CHILDREN, COUPLE):
            father_age = (
                rng.randint(24, 56) if structure == COUPLE_WITH_CHILDREN else rng.randint(20, 72)
            )
            father_given = rng.choice(origin.male)
            father = self.person(
                origin,
                role=HouseholdRole.HEAD,
                sex=Sex.MALE,
                age=father_age,
                family=family_name,
                family_spelling=family_spelling,
                given=[father_given],
            )
            members.append(father)
            mother_age = max(19, father_age - rng.randint(0, 8))
            if origin.wife_takes_name:
                wife_family, wife_spelling = family_name, family_spelling
            else:
                wife_family = rng.choice(origin.family)
                wife_spelling = None
            members.append(
                self.person(
                    origin,
                    role=HouseholdRole.PARTNER,
                    sex=Sex.FEMALE,
                    age=mother_age,
                    family=wife_family,
                    family_spelling=wife_spelling,
                )
            )
        elif structure == SINGLE_PARENT:
            sex = Sex.FEMALE if rng.random() < 0.85 else Sex.MALE
            mother_age = rng.randint(22, 50)
            if sex == Sex.MALE:
                father_given = rng.choice(origin.male)
            members.append(
                self.person(
                    origin,
                    role=HouseholdRole.HEAD,
                    sex=sex,
                    age=mother_age,
                    family=family_name,
                    family_spelling=family_spelling,
                    given=[father_given] if father_given is not None else None,
                )
            )
            if sex == Sex.FEMALE and not origin.wife_takes_name:
                # The children carry their (absent) father's name.
                father_given = rng.choice(origin.male)
                if not origin.patronymic:
                    family_name = rng.choice(origin.family)
                    family_spelling = _spell(rng, family_name.male)
        else:  # a single adult
            sex = Sex.MALE if rng.random() < origin.single_male_share else Sex.FEMALE
            upper = 70 if origin.track == TEMPORARY_PROTECTION else 35
            age = rng.randint(18, upper)
            members.append(
                self.person(
                    origin,
                    role=HouseholdRole.HEAD,
                    sex=sex,
                    age=age,
                    family=family_name,
                    family_spelling=family_spelling,
                    unaccompanied=age < 26,
                )
            )

        if structure in (COUPLE_WITH_CHILDREN, SINGLE_PARENT):
            assert mother_age is not None  # noqa: S101 - set for both structures
            weights = origin.children
            count = 1 + rng.choices(range(len(weights)), weights=weights)[0]
            if structure == SINGLE_PARENT:
                count = max(1, count - 1)
            child_family = family_name
            child_spelling: str | None = family_spelling
            if origin.patronymic and father_given is not None:
                child_family = FamilyName(father_given, father_given)
                child_spelling = father.given_names if father is not None else None
            oldest = min(mother_age - 18, 24)
            for _ in range(count):
                age = rng.randint(0, max(0, oldest))
                born_here = today.year - age > arrival.year or (
                    today.year - age == arrival.year and rng.random() < 0.5
                )
                sex = Sex.FEMALE if rng.random() < 0.5 else Sex.MALE
                child = self.person(
                    origin,
                    role=HouseholdRole.CHILD,
                    sex=sex,
                    age=age,
                    family=child_family,
                    family_spelling=child_spelling,
                    born_here=born_here,
                )
                if born_here and child.birth_date < arrival:
                    child.birth_date = min(arrival + _days(rng, 30, 300), today)
                    child.birth_date_precision = BirthDatePrecision.EXACT
                members.append(child)
            if rng.random() < origin.grandparent_rate:
                age = min(88, mother_age + rng.randint(20, 30))
                sex = Sex.FEMALE if rng.random() < 0.7 else Sex.MALE
                grandparent_family = rng.choice(origin.family)
                members.append(
                    self.person(
                        origin,
                        role=HouseholdRole.OTHER_RELATIVE,
                        sex=sex,
                        age=age,
                        family=grandparent_family,
                        family_spelling=None,
                    )
                )

        timeline = self.residence(origin, arrival)
        for member in members:
            born_here = member.birth_date >= arrival
            if not born_here:
                member.arrival_in_germany = arrival
                member.arrival_in_city = in_city
            start = member.birth_date if born_here else arrival
            member.statuses = _clip(timeline, start)
            years_here = (today - max(arrival, member.birth_date)).days / 365
            member.languages = self.languages(origin, first_language, member, years_here)

        agency_code = self.agency(timeline, structure, members)
        family = FamilySpec(
            public_id=self.ids.new("H"),
            agency_code=agency_code,
            district=district,
            street=f"{street} {number}",
            postcode=postcode,
            country=origin.country,
            structure=structure,
            members=members,
        )
        if rng.random() < DUPLICATE_RATE:
            family.registered_elsewhere = self.registered_elsewhere(origin, family)
        return family

    def agency(self, timeline: list[StatusSpec], structure: str, members: list[PersonSpec]) -> str:
        regime = _regimes(timeline)[-1] if timeline else None
        weights = dict(AGENCY_WEIGHTS)
        if regime == "asylblg":
            weights["jc"] = 0
            weights["sa"] = 30
        elif regime == "sgb_ii":
            weights["sa"] = 0
            weights["jc"] = 30
        if any(m.role == HouseholdRole.CHILD for m in members):
            weights["ja"] += 12
        if structure == SINGLE and self.today.year - members[0].birth_date.year < 27:
            weights["dia"] += 8
        return Weighted(list(weights.items())).pick(self.rng)

    def registered_elsewhere(self, origin: Origin, family: FamilySpec) -> tuple[str, PersonSpec]:
        rng = self.rng
        head = family.members[0]
        others = [(code, w) for code, w in AGENCY_WEIGHTS if code != family.agency_code]
        agency_code = Weighted(others).pick(rng)
        spellings = [*head.aliases, head.full_name]
        full = rng.choice(spellings)
        if "," in full:
            family_name, _, given = full.partition(",")
            given_names, family_name = given.strip(), family_name.strip().title()
        else:
            given_names, _, family_name = full.rpartition(" ")
            if not given_names:
                given_names, family_name = head.given_names, head.family_name
        birth_date, precision = head.birth_date, head.birth_date_precision
        if precision == BirthDatePrecision.EXACT and rng.random() < 0.3:
            birth_date, precision = date(birth_date.year, 1, 1), BirthDatePrecision.YEAR
        twin = replace(
            head,
            public_id=self.ids.new("P"),
            given_names=given_names,
            family_name=family_name,
            aliases=[],
            birth_date=birth_date,
            birth_date_precision=precision,
            phone="",
            email="",
            languages=head.languages[:1],
            statuses=head.statuses[-1:],
        )
        return agency_code, twin


def _clip(timeline: list[StatusSpec], start: date) -> list[StatusSpec]:
    """The family's residence history as it applies to a member present from ``start``."""
    result = []
    for status in timeline:
        if status.valid_until is not None and status.valid_until < start:
            continue
        if status.valid_from < start:
            status = replace(status, valid_from=start)
        result.append(status)
    return result


def _regimes(statuses: Sequence[StatusSpec]) -> list[str]:
    regimes: list[str] = []
    previous: str | None = None
    for status in statuses:
        previous = benefit_regime(status.kind, status.paragraph, previous_regime=previous)
        regimes.append(previous)
    return regimes


def generate_families(
    count: int,
    *,
    seed: int | str,
    today: date | None = None,
    taken_ids: set[str] | None = None,
    origins: Sequence[tuple[str, float]] | None = None,
) -> Iterator[FamilySpec]:
    """``count`` families; the same seed and day always give the same families.

    ``origins`` weighs the countries of :data:`ORIGINS` otherwise than a city's population
    does (the steering caseload, ``lotse.demo.steering``, is a KIM clientele, not the city's).
    """
    builder = _FamilyBuilder(
        random.Random(seed),
        _Ids(seed, taken_ids),
        today or timezone.localdate(),
        Weighted(origins) if origins is not None else _ORIGIN_PICK,
    )
    for _ in range(count):
        yield builder.family()


# --- spelling variants (for benchmarks and tests) ---------------------------------------------


def _all_forms() -> dict[str, NameForm]:
    forms: dict[str, NameForm] = {}
    for origin in ORIGINS:
        every = [*origin.male, *origin.female]
        for family in origin.family:
            every += [family.male, family.female]
        for form in every:
            for spelling in form.spellings:
                forms.setdefault(spelling.lower(), form)
    return forms


_FORMS = _all_forms()


def respell(rng: random.Random, name: str) -> str:
    """The name as another document might spell it (word by word, where a variant is known)."""
    whole = _FORMS.get(name.lower())
    if whole is not None and len(whole.spellings) > 1:
        return rng.choice([s for s in whole.spellings if s.lower() != name.lower()])
    words = []
    for word in name.split():
        form = _FORMS.get(word.lower())
        others = [s for s in form.spellings if s.lower() != word.lower()] if form else []
        words.append(rng.choice(others) if others else word)
    return " ".join(words)


# --- loading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadResult:
    families: int
    persons: int
    statuses: int
    transitions: int
    name_keys: int
    seconds: float


def _demo_users() -> dict[str, User]:
    """The (first) caseworker account of each demo agency, as the user who registered its
    families."""
    wanted: dict[str, str] = {}
    for account in ACCOUNTS:
        if account.role == "caseworker":
            wanted.setdefault(account.agency_code, account.username)
    users = {u.username: u for u in User.objects.filter(username__in=wanted.values())}
    return {code: users[name] for code, name in wanted.items() if name in users}


def _insert(model: type[Model], field_names: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """INSERT many rows fast: COPY on PostgreSQL, one prepared statement on SQLite.

    ``bulk_create`` spends most of its time building model instances and preparing each value
    in Python; for 100,000 persons with 600,000 search tokens that is minutes. Values here are
    plain Python values the database driver adapts itself (str, int, bool, date, None); JSON and
    datetimes are prepared by the caller with the field's own methods.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(_concrete(model, name).column) for name in field_names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            driver_cursor: Any = cursor.cursor  # psycopg 3
            with driver_cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for values in rows:
                    copy.write_row(values)
            return
        placeholders = ", ".join(["%s"] * len(field_names))
        # Identifiers come from the model's metadata; every value is a bound parameter.
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        cursor.executemany(sql, rows)


def _concrete(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)  # noqa: S101 - a concrete column, by construction
    return field


def _pks(model: type[Model], public_ids: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(public_ids), 900):
        part = public_ids[start : start + 900]
        found.update(
            model._default_manager.filter(public_id__in=part).values_list("public_id", "pk")
        )
    return found


_PERSON_FIELDS = (
    "public_id", "owner_agency", "created_by", "given_names", "family_name", "aliases",
    "native_name", "birth_date", "birth_date_precision", "birth_year", "sex", "nationalities",
    "arrival_in_germany", "arrival_in_city", "phone", "email", "district", "version",
    "created_at", "updated_at",
)  # fmt: skip
_HOUSEHOLD_FIELDS = (
    "public_id", "owner_agency", "street", "postcode", "city", "district", "version",
    "created_at", "updated_at",
)  # fmt: skip
_STATUS_FIELDS = (
    "person", "owner_agency", "recorded_by", "kind", "paragraph", "valid_from", "valid_until",
    "residence_obligation", "work_permission", "benefit_regime", "created_at", "updated_at",
)  # fmt: skip
_TRANSITION_FIELDS = (
    "person", "owner_agency", "residence_status", "from_regime", "to_regime", "effective_from",
    "state", "created_at", "updated_at",
)  # fmt: skip


class _Writer:
    def __init__(self, agencies: dict[str, Agency], users: dict[str, User], today: date) -> None:
        self.agency_ids = {code: agency.pk for code, agency in agencies.items()}
        self.user_ids = {code: user.pk for code, user in users.items()}
        self.today = today
        self.persons = self.statuses = self.transitions = self.name_keys = 0
        self.json_field = Person._meta.get_field("aliases")

    def json(self, value: list[str]) -> Any:
        return self.json_field.get_db_prep_save(value, connection)

    def write(self, chunk: list[FamilySpec]) -> None:
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        _insert(
            Household,
            _HOUSEHOLD_FIELDS,
            [
                (f.public_id, self.agency_ids[f.agency_code], f.street, f.postcode, "Wuppertal",
                 f.district, 1, now, now)
                for f in chunk
            ],
        )  # fmt: skip
        household_pks = _pks(Household, [f.public_id for f in chunk])

        rows: list[tuple[PersonSpec, str, str, int | None]] = []
        for family in chunk:
            home = household_pks[family.public_id]
            rows.extend((m, family.agency_code, family.district, home) for m in family.members)
            if family.registered_elsewhere is not None:
                code, twin = family.registered_elsewhere
                rows.append((twin, code, family.district, None))
        _insert(
            Person,
            _PERSON_FIELDS,
            [
                (p.public_id, self.agency_ids[code], self.user_ids.get(code), p.given_names,
                 p.family_name, self.json(p.aliases), p.native_name, p.birth_date,
                 p.birth_date_precision, p.birth_date.year, p.sex, self.json([p.country]),
                 p.arrival_in_germany, p.arrival_in_city, p.phone, p.email, district, 1, now, now)
                for p, code, district, _ in rows
            ],
        )  # fmt: skip
        person_pks = _pks(Person, [p.public_id for p, *_ in rows])
        self.persons += len(rows)

        members: list[tuple[Any, ...]] = []
        languages: list[tuple[Any, ...]] = []
        keys: list[tuple[Any, ...]] = []
        statuses: list[tuple[Any, ...]] = []
        turning: list[tuple[ResidenceStatus, str]] = []  # statuses that change the regime
        for spec, code, _, household_pk in rows:
            person_pk = person_pks[spec.public_id]
            agency_pk = self.agency_ids[code]
            if household_pk is not None:
                members.append((household_pk, person_pk, spec.role))
            languages.extend(
                (person_pk, agency_pk, item.language, item.level, item.interpreter_needed)
                for item in spec.languages
            )
            keys.extend(
                (person_pk, agency_pk, kind, value)
                for kind, value in name_key_values(
                    given_names=spec.given_names,
                    family_name=spec.family_name,
                    aliases=spec.aliases,
                    native_name=spec.native_name,
                )
            )
            previous: str | None = None
            for status in spec.statuses:
                regime = benefit_regime(status.kind, status.paragraph, previous_regime=previous)
                values = (person_pk, agency_pk, self.user_ids.get(code), status.kind,
                          status.paragraph, status.valid_from, status.valid_until,
                          status.residence_obligation, status.work_permission, regime)  # fmt: skip
                if is_domain_transition(previous, regime):
                    assert previous is not None  # noqa: S101 - implied by the check
                    turning.append((ResidenceStatus(**dict(zip(
                        ("person_id", "owner_agency_id", "recorded_by_id", "kind", "paragraph",
                         "valid_from", "valid_until", "residence_obligation", "work_permission",
                         "benefit_regime"),
                        values, strict=True,
                    ))), previous))  # fmt: skip
                else:
                    statuses.append((*values, now, now))
                previous = regime
        _insert(HouseholdMember, ("household", "person", "role"), members)
        _insert(
            PersonLanguage,
            ("person", "owner_agency", "language", "level", "interpreter_needed"),
            languages,
        )
        _insert(PersonNameKey, ("person", "owner_agency", "kind", "value"), keys)
        _insert(ResidenceStatus, _STATUS_FIELDS, statuses)
        # The statuses that change the benefit regime need their ids for the transition rows.
        ResidenceStatus.objects.bulk_create([status for status, _ in turning])
        _insert(
            DomainTransition,
            _TRANSITION_FIELDS,
            [
                (status.person_id, status.owner_agency_id, status.pk, previous_regime,
                 status.benefit_regime, status.valid_from,
                 DomainTransition.State.OPEN.value
                 if (self.today - status.valid_from).days < 180
                 else DomainTransition.State.DONE.value,
                 now, now)
                for status, previous_regime in turning
            ],
        )  # fmt: skip
        self.name_keys += len(keys)
        self.statuses += len(statuses) + len(turning)
        self.transitions += len(turning)


def write_families(
    families: Sequence[FamilySpec],
    *,
    agencies: dict[str, Agency],
    users: dict[str, User],
    today: date,
) -> int:
    """Write families generated elsewhere as :func:`load_families` writes its own; the number
    of persons written. Each family's ``agency_code`` (and that of a second registration) must
    be a key of ``agencies``; ``users`` names who registered them, by the same codes."""
    writer = _Writer(agencies, users, today)
    for start in range(0, len(families), PROGRESS_EVERY):
        writer.write(list(families[start : start + PROGRESS_EVERY]))
    return writer.persons


def load_families(
    *,
    families: int,
    seed: int,
    today: date | None = None,
    progress: Progress | None = None,
    chunk_size: int = PROGRESS_EVERY,
) -> LoadResult:
    """Write ``families`` synthetic families; the demo agencies must exist.

    Call inside a transaction (``demo_city_seed`` does): a failure leaves nothing behind.
    """
    started = time.perf_counter()
    today = today or timezone.localdate()
    codes = [code for code, _ in AGENCY_WEIGHTS]
    agencies = {a.code: a for a in Agency.objects.filter(code__in=codes)}
    missing = sorted(set(codes) - set(agencies))
    if missing:
        raise ValueError(f"demo agencies missing: {', '.join(missing)}")
    writer = _Writer(agencies, _demo_users(), today)
    taken = set(Person.objects.values_list("public_id", flat=True)) | set(
        Household.objects.values_list("public_id", flat=True)
    )
    chunk: list[FamilySpec] = []
    done = 0
    for family in generate_families(families, seed=seed, today=today, taken_ids=taken):
        chunk.append(family)
        if len(chunk) >= chunk_size:
            writer.write(chunk)
            done += len(chunk)
            chunk = []
            if progress is not None:
                progress("families", done, families)
    if chunk:
        writer.write(chunk)
        done += len(chunk)
        if progress is not None:
            progress("families", done, families)
    if families >= 1000:
        _analyze()
    return LoadResult(
        families=done,
        persons=writer.persons,
        statuses=writer.statuses,
        transitions=writer.transitions,
        name_keys=writer.name_keys,
        seconds=time.perf_counter() - started,
    )


def _analyze() -> None:
    """Fresh planner statistics after a bulk load (what autovacuum would do a little later).

    PostgreSQL only: SQLite keeps no statistics unless ANALYZE runs, and nothing in Lotse runs
    it; with them, SQLite 3.40 plans the search candidate query through the person_id index
    (several times slower, see the bench report), so the demo keeps SQLite as deployed.
    """
    if connection.vendor != "postgresql":
        return
    tables = [
        model._meta.db_table
        for model in (Person, PersonNameKey, Household, HouseholdMember, ResidenceStatus)
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute("ANALYZE " + connection.ops.quote_name(table))
