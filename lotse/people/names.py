"""Name normalisation for search and duplicate detection — the one place that knows names.

A name passes three steps:

1. ``fold``: German umlauts spelled out (ä → ae), Arabic article and ta marbuta resolved,
   then every script to lowercase ASCII by anyascii (Arabic, Persian, Cyrillic, Ge'ez,
   diacritics), punctuation to spaces.
2. ``name_tokens``: particles dropped (al-, el-, bin, ibn, oglu …), glued articles split
   (Alhassan → hassan), Abdul/Abd al-/Abdel joined to one canonical ``abd``.
3. per token a *variant key*: a known variant family ("=muhammad" for Mohammed, Muhammad,
   Mehmet, محمد …) or else a consonant skeleton that ignores what transliterations disagree
   on (vowels, doubled letters, kh/ch/h, sch/sh/s, w/v, q/k, j/y …) plus a class of the final
   vowel, which keeps Amin and Amina apart. Families are checked first, so hard negatives
   with the same skeleton (Hassan/Hussein, Mohammed/Mahmoud) stay apart.

4. per Latin word also *cross-script keys* (``script_name_keys``): coarse consonant classes
   that a name written in Arabic or Persian script shares with its Latin spelling
   (``script_query_keys``: Schubert شوبرت, Alvarez ألفاريز), and that long Latin spellings
   share when no variant family groups them (Qorbani, Ghorbani).

Search indexes the keys; ``name_similarity`` ranks and scores candidates order-insensitively.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from anyascii import anyascii
from rapidfuzz.distance import Levenshtein

#: Scores of ``name_similarity`` at or above this count as "the same person" by name alone.
LIKELY_OR_POSSIBLE_THRESHOLD = 0.78

PAIRS_FILE = Path(__file__).resolve().parent / "data" / "name_pairs.tsv"

_GERMAN = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)
_ARABIC_WORD = re.compile(r"[\u0600-\u06FF]+")
_NON_NAME = re.compile(r"[^a-z0-9']+")

# Variant families: every spelling maps to one canonical name. Spellings are in folded form
# (lowercase ASCII after particle handling); Arabic-script skeletons are included.
_FAMILIES: dict[str, tuple[str, ...]] = {
    "muhammad": (
        "mhd",
        "mohammed",
        "muhammad",
        "mohamad",
        "mohamed",
        "muhammed",
        "mohammad",
        "mohammod",
        "muhamad",
        "muhamed",
        "mohamet",
        "mehmet",
        "mehmed",
        "mohd",
        "mhmd",
        "mahomed",
        "mouhamed",
        "mouhamad",
        "muhamet",
        "mamadou",
        "mamadu",
        "mamady",
    ),
    "mahmud": (
        "mahmoud",
        "mahmud",
        "mahmood",
        "mehmood",
        "mahmut",
        "machmud",
        "mhmwd",
        "mahmod",
        "mhmud",
    ),
    "ahmad": ("ahmad", "ahmed", "achmed", "ahmet", "ahmat", "achmad", "ahmd", "hmd"),
    "hamid": ("hamid", "hameed", "hamed", "hmyd"),
    "husayn": (
        "hussein",
        "husain",
        "hossein",
        "husein",
        "huseyin",
        "husayn",
        "hosein",
        "hussain",
        "hossain",
        "hussien",
        "husseyn",
        "hsyn",
        "hosseyn",
        "hoseyn",
        "huesseyin",
        "hueseyin",
    ),
    "hasan": ("hassan", "hasan", "hasen", "hsn", "hassen"),
    "hasanayn": ("hassanein", "hasanain", "hasnain", "hsnyn"),
    "yusuf": (
        "yusuf",
        "youssef",
        "yousef",
        "yousif",
        "yusef",
        "jussuf",
        "jusuf",
        "yousuf",
        "youssouf",
        "yussuf",
        "ywsf",
        "yosef",
        "jossef",
        "yusif",
        "yussef",
    ),
    "alexander": (
        "alexander",
        "aleksandr",
        "oleksandr",
        "olexandr",
        "aleksander",
        "oleksander",
        "alexandr",
        "aleksandar",
        "alexandru",
        "olexander",
    ),
    "alexandra": ("alexandra", "aleksandra", "oleksandra", "olexandra", "alexandrina"),
    "mykola": ("mykola", "nikolai", "nikolay", "nikolaj", "mikola", "nicolae", "nikola"),
    "volodymyr": ("volodymyr", "vladimir", "wladimir", "volodimir", "wolodymyr"),
    "serhiy": ("serhiy", "serhii", "sergey", "sergei", "sergej", "serhij", "sergiy"),
    "andriy": ("andriy", "andrii", "andrey", "andrei", "andrej", "andrij"),
    "yuriy": ("yuriy", "yurii", "yuri", "jurij", "juri", "yurij", "iurii"),
    "olena": ("olena", "elena", "jelena", "yelena", "helena", "olena"),
    "tetyana": ("tetyana", "tetiana", "tatiana", "tatjana", "tatyana", "tetjana"),
    "natalia": ("natalia", "nataliya", "natalija", "natalya", "natalja", "nataliia"),
    "iryna": ("iryna", "irina", "iryna"),
    "ibrahim": (
        "ibrahim",
        "ebrahim",
        "ibraheem",
        "brahim",
        "ibrahima",
        "ibragim",
        "abrhym",
        "ebrahim",
        "ibrahem",
    ),
    "ismail": (
        "ismail",
        "ismael",
        "esmail",
        "smail",
        "ismayil",
        "ismaeel",
        "asmaeel",
        "esmaeil",
        "ismaail",
        "ismaiel",
    ),
    "mustafa": (
        "mustafa",
        "mostafa",
        "moustafa",
        "mustapha",
        "mostapha",
        "moustapha",
        "mstfa",
        "mstfy",
        "mustafe",
    ),
    "umar": ("omar", "umar", "omer", "oemer", "amr_never", "omar", "umer"),
    "uthman": (
        "uthman",
        "othman",
        "osman",
        "usman",
        "othmane",
        "ousmane",
        "osmane",
        "athman",
        "ethman",
        "ausman",
    ),
    "ali": ("ali", "aly", "aliyu_never"),
    "aliyu": ("aliyu", "aliou", "alioune", "aliu"),
    "fatima": (
        "fatima",
        "fatimah",
        "fatema",
        "fatemeh",
        "fatma",
        "fatoumata",
        "fatouma",
        "fatmata",
        "ftmh",
        "fatme",
        "fatime",
    ),
    "aisha": (
        "aisha",
        "aicha",
        "aysha",
        "ayesha",
        "aischa",
        "aishah",
        "aysa",
        "ayse",
        "aischah",
        "aishatu",
        "aissatou",
        "aissata",
        "ayshe",
        "aysh",
    ),
    "khadija": (
        "khadija",
        "khadijah",
        "khadijeh",
        "khadije",
        "chadidja",
        "hatice",
        "kadija",
        "khadidja",
        "hadiza",
        "hadija",
        "hdyjh",
        "hadidscha",
        "chadidscha",
    ),
    "zaynab": (
        "zainab",
        "zaynab",
        "zeinab",
        "zeynep",
        "zaineb",
        "zineb",
        "sainab",
        "zaynb",
        "zynb",
        "zenab",
    ),
    "maryam": ("maryam", "mariam", "meryem", "mariyam", "maryem", "mrym", "miriam"),
    "kazim": ("kazem", "kadhim", "kazim", "kadim", "kathim", "kazm", "kadhem", "kasim_never"),
    "qasim": (
        "qasim",
        "kasim",
        "ghasem",
        "qassem",
        "kassem",
        "qasem",
        "qassim",
        "qasm",
        "gasim",
        "ghassem",
        "kasem",
    ),
    "yevhen": (
        "yevhen",
        "evgeny",
        "evgeni",
        "yevgeny",
        "jewgeni",
        "jewgenij",
        "evgenij",
        "yevgeniy",
        "ievgen",
    ),
    "mykhailo": ("mykhailo", "mikhail", "michail", "mychajlo", "mihail", "mykhaylo", "mikhailo"),
    "kateryna": (
        "kateryna",
        "ekaterina",
        "jekaterina",
        "yekaterina",
        "katerina",
        "katharina_never",
    ),
    "oleksiy": (
        "oleksii",
        "oleksiy",
        "aleksej",
        "alexei",
        "aleksei",
        "alexey",
        "oleksij",
        "alexej",
    ),
    "hanna": ("hanna", "anna", "ganna", "hanna"),
    "reza": ("reza", "riza", "rida", "rda", "rza", "ridha"),
    "yaqub": ("yaqub", "yakub", "jakub", "yacoub", "yaqoob", "yakup", "jakob", "yaaqub"),
    "sulayman": (
        "sulaiman",
        "suleiman",
        "sulayman",
        "suleyman",
        "soliman",
        "sleiman",
        "souleymane",
        "sulejman",
        "solayman",
        "slyman",
        "sleman",
        "sliman",
    ),
    "abdallah": (
        "abdallah",
        "abdullah",
        "abdulla",
        "abdellah",
        "abdoulaye",
        "abdulahi",
        "abdullahi",
        "abdula",
    ),
    "jafar": ("jafar", "jaafar", "djafar", "dschafar", "cafer", "jafer"),
    "jamal": ("jamal", "djamal", "dschamal", "gamal", "cemal", "jamaal"),
    "khalid": (
        "khalid",
        "khaled",
        "chalid",
        "chaled",
        "halit",
        "halid",
        "khaleed",
        "khld",
        "khalid",
    ),
    "said": ("said", "saeed", "saiid", "saied", "sa'id"),
    "sayyid": ("sayed", "sayyid", "seyed", "seyyed", "sayid", "syed", "sayyed", "seyyid"),
    "salih": ("saleh", "salih", "salah_never", "salekh", "salh"),
    "amir": ("amir", "ameer", "emir", "aamir"),
    "amer": ("amer", "aamer", "amer"),
    "samir": ("samir", "sameer", "semir"),
    "samer": ("samer", "samer"),
    "javad": ("javad", "jawad", "cevat", "jwad", "dschawad"),
    "javid": ("javid", "jawid", "javed", "jawed", "cavit"),
    "bashar": ("bashar", "bachar", "baschar", "beshar"),
    "bishr": ("bishr", "bishir", "bisher"),
    "diallo": ("diallo", "djallo", "jallow", "dialo"),
    "yahya": ("yahya", "yahia", "yehia", "jahja", "yahyah", "yhya", "yhy"),
    "isa": ("isa", "issa", "eissa", "eesa", "aissa", "esa"),
    "musa": ("musa", "moussa", "mousa", "moosa", "mussa", "mwsa", "mwsy"),
    "idris": ("idris", "idriss", "edris", "idrissa", "adrys", "idrees"),
    "rahman": ("rahman", "rahmane", "rehman", "rachman", "rhmn"),
    "rahim": ("rahim", "raheem", "rahime_never", "rhym"),
    "karim": ("karim", "kareem", "kerim", "krym"),
    "karima": ("karima", "kareema", "kerime", "krymh"),
    "amin": ("amin", "ameen", "emin", "amine", "lamine", "amyn"),
    "amina": ("amina", "aminah", "emine", "aminata", "ameena", "amynh"),
    "nur": ("nour", "noor", "nur", "nwr"),
    "tsegay": ("tsegay", "tsegai", "tsegaye", "tesegay", "segay", "zegai", "tsgay"),
    "gebre": ("gebre", "ghebre", "gebru", "ghebru", "gbre"),
    "haile": ("haile", "hayle", "hailé"),
    "hailu": ("hailu", "haylu"),
    "tesfay": ("tesfay", "tesfai", "tesfaye", "tesfa", "tsfay"),
    "mehari": ("mehari", "mehary", "mhari"),
    "yohannes": ("yohannes", "yohanes", "johannes", "yohanis", "yohanna_never", "youhannes"),
    "ion": ("ion", "ioan", "ioan", "ivan_never"),
    "ivan": ("ivan", "iwan", "ivan"),
    "gheorghe": ("gheorghe", "georghe", "gheorge", "georgi", "georgiy", "heorhiy"),
    "dimitar": (
        "dimitar",
        "dimitri",
        "dmitri",
        "dmitriy",
        "dmytro",
        "dimitrij",
        "dumitru",
        "dmitrij",
    ),
    "chukwu": ("chukwu", "chukwuma_never"),
    "oluwaseun": ("oluwaseun", "seun", "oluwasegun_never"),
}

_FAMILY_OF: dict[str, str] = {}
for _canonical, _spellings in _FAMILIES.items():
    for _spelling in _spellings:
        if not _spelling.endswith("_never"):
            _FAMILY_OF[_spelling] = _canonical

# Particles that carry no identity: dropped wherever they stand alone.
_PARTICLES = frozenset(
    {
        "al",
        "el",
        "ul",
        "ad",
        "as",
        "ash",
        "at",
        "az",
        "an",
        "ar",
        "bin",
        "ben",
        "ibn",
        "bint",
        "binti",
        "bent",
        "oglu",
        "ogly",
        "ogli",
        "uulu",
        "kyzy",
        "qizi",
        "kizi",
        "von",
        "van",
        "der",
        "de",
        "la",
        "le",
        "di",
        "da",
        "dos",
        "du",
        "abu_never",
    }
)
_PATRONYMIC_SUFFIXES = ("oglu", "ogly", "ogli")
_ABD_PREFIXES = ("abdul", "abdel", "abdal", "abdol", "abdil", "abdur", "abdoul", "abdu", "abd")
_ALLAH_FORMS = frozenset(
    {"allah", "ullah", "ulla", "llah", "lah", "lh", "llh", "alla", "ullahi", "ulahi", "lahi", "la"}
)
# Given names starting with al/el that are no article (kept whole).
_NOT_ARTICLES = frozenset(
    {
        "alireza",
        "alaaddin",
        "alaeddin",
        "alaedin",
        "alaadin",
        "alaa",
        "aliakbar",
        "alimohammad",
        "alijan",
        "alishah",
        "aliasghar",
        "alisher",
        "alexander",
        "alexandra",
        "alina",
        "alim",
        "alima",
        "aliya",
        "aliyu",
        "almaz",
        "alan",
        "albert",
        "alma",
        "alena",
        "aleksei",
        "alexei",
        "alessandro",
        "elena",
        "elif",
        "elias",
        "elham",
        "elmira",
        "elvira",
        "elisa",
        "elisabeta",
        "ella",
        "ellen",
        "elnur",
        "elmas",
        "elvis",
        "elsa",
        "elton",
    }
)


_PERSIAN_LETTERS = frozenset("یکگپچژ")


def _arabic_word(match: re.Match[str]) -> str:
    """Arabic script writes no short vowels: make the long ones and the article explicit."""
    word = match.group(0)
    # The article ال is dropped as in Latin spellings.
    if word.startswith("ال") and len(word) > 3:
        word = word[2:]
    if word.startswith("عبدال") and len(word) > 5:
        word = "عبد " + word[5:]
    persian = bool(_PERSIAN_LETTERS & set(word))
    letters = []
    last = len(word) - 1
    for index, char in enumerate(word):
        following = word[index + 1] if index < last else ""
        if char in "اآأ":
            letters.append("a")
        elif char == "إ":
            letters.append("i")  # hamza below: Ibrahim, Ismail
        elif char in "ةى":
            letters.append("a")  # ta marbuta and alif maqsura end a name in -a (Fatima, Mustafa)
        elif char == "ه" and index == last and index > 0 and word[index - 1] != "ل":
            letters.append("a")  # Persian final -eh (Fatemeh); Allah keeps its h
        elif char == "ه" and index > 0 and word[index - 1] in "زسكکتدصطغ":
            letters.append("'h")  # z+h is no zh: keep the letters apart (Zahra)
        elif char == "و" and index > 0 and following not in ("ا", "ي", "ی"):
            letters.append("u")  # a long vowel unless a vowel follows (Marwan, Darwish)
        elif char in "يی" and index > 0 and following not in ("ا", "و"):
            letters.append("i")
        elif char in "ضظذ" and persian:
            letters.append("z")  # Persian pronounces them z (Reza, Kazem)
        else:
            letters.append(char)
    return "".join(letters)


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lowercase ASCII with spaces between words, whatever the script."""
    text = text.translate(_GERMAN)
    text = _ARABIC_WORD.sub(_arabic_word, text)
    ascii_text = anyascii(text).lower().replace("`", "'")
    return " ".join(_NON_NAME.sub(" ", ascii_text).split())


def _strip_marks(token: str) -> str:
    # A leading ' is an ayn or hamza: a vowel onset (Abdullah, 'Efrem). Inner ones stay
    # until light_form has read the digraphs, so that z'h is not read as zh.
    if token.startswith("'"):
        token = token.lstrip("'")
        if token and token[0] not in _VOWELS:
            token = "a" + token
    return token.rstrip("'")


def is_particle(word: str) -> bool:
    """al, bin, oglu …: words that connect a name rather than identify a person."""
    return word in _PARTICLES


@lru_cache(maxsize=200_000)
def name_tokens(text: str) -> tuple[str, ...]:
    """The identity-bearing words of a name, particles removed and compounds split."""
    tokens: list[str] = []
    for raw in fold(text).replace("-", " ").split():
        token = _strip_marks(raw)
        if not token or token in _PARTICLES:
            continue
        for suffix in _PATRONYMIC_SUFFIXES:
            if token.endswith(suffix) and len(token) > len(suffix) + 2:
                token = token[: -len(suffix)]
                break
        if (
            token.startswith(("al", "el"))
            and token not in _NOT_ARTICLES
            and token not in _FAMILY_OF
        ):
            rest = token[2:]
            if len(rest) >= 3 and not rest.startswith("i"):
                token = rest
        split = _split_abd(token)
        if split is not None:
            tokens.extend(split)
            continue
        if tokens and tokens[-1] == "abd" and token in _ALLAH_FORMS:
            token = "allah"  # noqa: S105 - a name, not a password
        tokens.append(token)
    return tuple(tokens)


def _split_abd(token: str) -> list[str] | None:
    """Abdulrahman, Abdel-Rahman, Abd al-Rahman → ["abd", "rahman"]; Abdullah → abd allah."""
    if token in _FAMILY_OF and _FAMILY_OF[token] != "abdallah":
        return None
    if token in _FAMILY_OF:
        return ["abd", "allah"]
    for prefix in _ABD_PREFIXES:
        if token.startswith(prefix):
            rest = token[len(prefix) :]
            if not rest:
                return ["abd"]
            if rest in _ALLAH_FORMS:
                return ["abd", "allah"]
            if len(rest) >= 4:
                if rest.startswith(("al", "ul", "el")) and len(rest) > 5:
                    rest = rest[2:]
                return ["abd", rest]
            return None
    return None


# "9" stands for the ch sound of tsch/tch/ch, so that a plain c can become k or s.
_DIGRAPHS = (
    ("tsch", "9"),
    ("dsch", "j"),
    ("sch", "s"),
    ("tch", "9"),
    ("dzh", "j"),
    ("zh", "s"),
    ("sh", "s"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "z"),
    ("dj", "j"),
    ("ts", "s"),
    ("tz", "s"),
    ("ck", "k"),
    ("ch", "9"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ue", "u"),
    ("oe", "o"),
    ("x", "ks"),
    ("ey", "ai"),
    ("ay", "ai"),
    ("ei", "ai"),
    ("ae", "a"),
    ("aa", "a"),
    ("uw", "u"),
)
_C_BEFORE_FRONT_VOWEL = re.compile(r"c(?=[eiy])")

_CONSONANT_CLASS = str.maketrans({"w": "v", "q": "k", "z": "s", "p": "b", "j": "y"})
# In the skeleton only: Ukrainian h is Russian g (Olha/Olga, Halyna/Galina).
_SKELETON_CLASS = str.maketrans({"g": "h"})
_VOWELS = frozenset("aeiouy")


@lru_cache(maxsize=200_000)
def light_form(token: str) -> str:
    """Spelling with transliteration digraphs unified but vowels kept (for fine comparison)."""
    form = token
    if form.startswith(("cha", "chr", "cho", "chu")):
        form = "h" + form[2:]  # German and Greek ch for kh: Chalid, Christo
    if form.endswith("ch") and not form.endswith(("tsch", "tch")):
        form = form[:-2] + "h"  # Scheich
    for digraph, replacement in _DIGRAPHS:
        form = form.replace(digraph, replacement)
    form = _C_BEFORE_FRONT_VOWEL.sub("s", form).replace("c", "k").replace("'", "")
    form = form.translate(_CONSONANT_CLASS)
    if len(form) > 2 and form.endswith("h") and form[-2] in "aeiou":
        form = form[:-1]  # Sarah/Sara, Fatemeh/Fatema: a final h after a vowel is silent
    return re.sub(r"(.)\1+", r"\1", form)


def _final_class(token: str) -> str:
    end = token[-1]
    if end == "h" and len(token) > 2 and token[-2] in "ae":
        end = "a"
    if end == "e":
        return "e"  # Yasmine/Yasmin, Emine/Amina: compatible with both (see _finals_agree)
    if end == "a":
        return "a"
    if end in "iy":
        return "i"
    if end in "ouw":
        return "o"
    return ""


@lru_cache(maxsize=200_000)
def token_key(token: str) -> str:
    """The variant key of one token: ``=family`` or a consonant skeleton with end class."""
    family = _family(token)
    if family is not None:
        return "=" + family
    return _plain_key(token)


@lru_cache(maxsize=200_000)
def token_keys(token: str) -> tuple[str, ...]:
    """All keys of a token: a family member is also indexed under its skeleton, so that a
    vowel-less spelling from Arabic script still finds it."""
    key = token_key(token)
    if key.startswith("="):
        return (key, _plain_key(token))
    return (key,) if key else ()


_COMPATIBLE_FINALS = {"e": ("", "a"), "": ("e",), "a": ("e",)}
_MIN_STEM = 3


# Romanisations that read one letter two ways: French ch for sh (Chami, Chahine), و as w or
# as u (Hawraa, Haura).
_OTHER_READINGS = (("ch", "sh"), ("aw", "au"), ("au", "aw"))


def query_token_keys(token: str) -> tuple[str, ...]:
    """``token_keys`` of a word of a query, and those of its other readings
    (``_OTHER_READINGS``) and of compatible final vowels (Yasmine: Yasmin, Hamadeh: Hamada,
    see ``_finals_agree``): the index keeps them apart (Amin, Amina), a search looks on both
    sides and lets the ranking compare. A known family has its one key anyway."""
    keys = list(token_keys(token))
    if not keys or keys[0].startswith("="):
        return tuple(keys)
    forms = [token, *(token.replace(a, b) for a, b in _OTHER_READINGS if a in token)]
    for form in forms:
        if form != token:
            keys.extend(token_keys(form))
        plain = _plain_key(form)
        stem = _stem(plain)
        if len(stem) >= _MIN_STEM:  # short stems would meet half the city
            keys.extend(stem + final for final in _COMPATIBLE_FINALS.get(plain[len(stem) :], ()))
    return tuple(dict.fromkeys(keys))


def query_keys(query: str) -> list[str]:
    """Variant keys of a name, in order, without repeats.

    Neighbouring words also give the key of their compound, so that "Alaa Al-Din" meets
    "Alaaddin" and "Mohammad Reza" meets "Mohammadreza".
    """
    tokens = name_tokens(query)
    keys = [k for t in tokens for k in token_keys(t)]
    keys.extend(token_key(first + second) for first, second in itertools.pairwise(tokens))
    return list(dict.fromkeys(k for k in keys if k))


def spellings(
    given_names: str, family_name: str, aliases: Sequence[str], native_name: str
) -> list[str]:
    """Every way a person's name is written: full name, other spellings, native script."""
    written = [f"{given_names} {family_name}".strip()]
    written.extend(str(alias) for alias in aliases if alias)
    if native_name:
        written.append(native_name)
    return written


def person_search_keys(
    *,
    given_names: str,
    family_name: str,
    aliases: list[str] | tuple[str, ...] = (),
    native_name: str = "",
) -> set[str]:
    """Every key under which a person should be found, over all their spellings."""
    keys: set[str] = set()
    full_name = f"{given_names} {family_name}"
    for spelling in (given_names, family_name, full_name, *aliases, native_name):
        if spelling:
            keys.update(query_keys(spelling))
    return keys


def _family(token: str) -> str | None:
    return _FAMILY_OF.get(token) or _FAMILY_OF.get(light_form(token))


@lru_cache(maxsize=200_000)
def _plain_key(token: str) -> str:
    form = light_form(token)
    if not form:
        return ""
    head = "a" if form[0] in _VOWELS else form[0].translate(_SKELETON_CLASS)
    body = "".join(ch for ch in form[1:] if ch not in _VOWELS).translate(_SKELETON_CLASS)
    return re.sub(r"(.)\1+", r"\1", head + body) + _final_class(form)


_VOWEL_CLASS = str.maketrans({"y": "i", "o": "u"})


@lru_cache(maxsize=200_000)
def _vowels(form: str) -> str:
    """The vowel classes of a spelling: Omar ~ Umar, Saleh ~ Salih, but not Amr ~ Omar."""
    sequence = "".join(ch for ch in form if ch in _VOWELS).translate(_VOWEL_CLASS)
    return re.sub(r"(.)\1+", r"\1", sequence)


def _vowels_agree(a: str, b: str) -> bool:
    """Same vowel classes, where e may stand for a or i (Mahdi/Mehdi, Saleh/Salih)."""
    return len(a) == len(b) and all(x == y or "e" in (x, y) for x, y in zip(a, b, strict=True))


def _is_subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(ch in letters for ch in short)


def _finals_agree(key_a: str, key_b: str) -> bool:
    final_a = key_a[-1] if key_a[-1:] in ("a", "e", "i", "o") else ""
    final_b = key_b[-1] if key_b[-1:] in ("a", "e", "i", "o") else ""
    if final_a == final_b:
        return True
    return "e" in (final_a, final_b) and {final_a, final_b} <= {"e", "", "a"}


def _stem(key: str) -> str:
    return key[:-1] if key[-1:] in ("a", "e", "i", "o") else key


def _plain_similarity(a: str, b: str) -> float:
    light_a, light_b = light_form(a), light_form(b)
    if light_a == light_b:
        return 1.0
    spelled = Levenshtein.normalized_similarity(light_a, light_b)
    key_a, key_b = _plain_key(a), _plain_key(b)
    if key_a and key_b and _stem(key_a) == _stem(key_b) and _finals_agree(key_a, key_b):
        shorter, longer = sorted((light_a, light_b), key=len)
        # A script without short vowels writes a subsequence of the Latin letters
        # (mhmud ⊂ mahmud, not ⊂ muhamad); Latin variants differ in vowels of one class.
        if _is_subsequence(shorter, longer) or _vowels_agree(_vowels(light_a), _vowels(light_b)):
            return 0.9 + 0.1 * spelled
        return 0.7
    skeleton = Levenshtein.normalized_similarity(key_a, key_b)
    return 0.8 * max(spelled, skeleton if min(len(key_a), len(key_b)) >= 4 else 0.0)


@lru_cache(maxsize=200_000)
def _token_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    family_a, family_b = _family(a), _family(b)
    if family_a and family_b:
        return 1.0 if family_a == family_b else 0.0
    if family_a or family_b:
        family, other = (family_a, b) if family_a else (family_b, a)
        assert family is not None  # noqa: S101 - one of them is set
        best = max(
            _plain_similarity(spelling, other)
            for spelling in _FAMILIES[family]
            # vowel-less family members are for key lookup, too loose to compare with
            if not spelling.endswith("_never") and set(spelling) & _VOWELS
        )
        return min(best, 0.97)
    return _plain_similarity(a, b)


def token_similarity(a: str, b: str) -> float:
    """Similarity of two identity-bearing words (``name_tokens``) in 0..1."""
    return _token_similarity(a, b)


def _join_compounds(tokens: list[str], other: list[str]) -> list[str]:
    """Join neighbours the other name writes as one word (Mohammad Reza / Mohammadreza)."""
    other_forms = [light_form(t) for t in other]
    joined: list[str] = []
    index = 0
    while index < len(tokens):
        if index + 1 < len(tokens):
            compound = light_form(tokens[index] + tokens[index + 1])
            if any(
                Levenshtein.normalized_similarity(compound, form) >= 0.8 for form in other_forms
            ):
                joined.append(compound)
                index += 2
                continue
        joined.append(tokens[index])
        index += 1
    return joined


@lru_cache(maxsize=100_000)
def name_similarity(a: str, b: str) -> float:
    """Similarity of two full names in 0..1, whatever the word order and script."""
    tokens_a = list(dict.fromkeys(name_tokens(a)))
    tokens_b = list(dict.fromkeys(name_tokens(b)))
    if not tokens_a or not tokens_b:
        return 0.0
    tokens_a = _join_compounds(tokens_a, tokens_b)
    tokens_b = _join_compounds(tokens_b, tokens_a)
    pairs = sorted(
        (
            (_token_similarity(x, y), i, j)
            for i, x in enumerate(tokens_a)
            for j, y in enumerate(tokens_b)
        ),
        reverse=True,
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    matched: list[float] = []
    for score, i, j in pairs:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        matched.append(score)
    extra = abs(len(tokens_a) - len(tokens_b))
    # The weakest word weighs as much as the average: one different family name is enough
    # to tell two people apart, and a missing second given name costs only a little.
    score = 0.5 * (sum(matched) / len(matched)) + 0.5 * min(matched)
    return round(max(0.0, score * (1 - 0.04 * extra)), 4)


def evaluate_pairs(path: Path | None = None, *, threshold: float | None = None) -> dict[str, float]:
    """Precision and recall of ``name_similarity >= threshold`` over labelled pairs."""
    limit = LIKELY_OR_POSSIBLE_THRESHOLD if threshold is None else threshold
    tp = fp = fn = tn = 0
    with (path or PAIRS_FILE).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            same = row["same"].strip() == "1"
            predicted = name_similarity(row["name_a"], row["name_b"]) >= limit
            tp += same and predicted
            fp += (not same) and predicted
            fn += same and not predicted
            tn += (not same) and not predicted
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {
        "precision": precision,
        "recall": recall,
        "pairs": tp + fp + fn + tn,
        "true_positive": tp,
        "false_positive": fp,
        "false_negative": fn,
    }


# --- cross-script keys ---------------------------------------------------------------------------
#
# A name written in Arabic or Persian script carries its consonants but rarely its vowels, and a
# Latin name of any origin is written in it by sound: Schubert شوبرت, Stockhausen شتوكهاوزن,
# Alvarez ألفاريز. Both sides map to the same coarse consonant classes (voiced and voiceless
# alike, s/z/sh one class, k/q/g/j/kh one class; vowels, h, w, y dropped), so that a query in
# Arabic script meets the Latin record. Coarse on purpose: the key only finds candidates, the
# ranking (name_similarity) decides.

SCRIPT_KEY_PREFIX = "~"
_SCRIPT_WORD = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]+")
_ARABIC_CLASSES = {
    **dict.fromkeys("بپ", "b"),
    **dict.fromkeys("فڤ", "f"),
    **dict.fromkeys("تطثدضذ", "t"),
    **dict.fromkeys("سصزظشژچ", "s"),
    **dict.fromkeys("كکقغخجگ", "k"),
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ر": "r",
}
# Longest first; a digraph read once is not read again by its letters. Where a spelling is
# read two ways by the languages that use it, both readings are keys: ch (Chantal شانتال,
# Eckhart إيكهارت), c before e/i (Arcega أرسيجا, Ceravolo كيرافولو), a final c of the Slavic
# -ić (Antic أنتيتش), w (William ويليام, Wilhelm فيلهلم), j (Jamal جمال, Rejewski رييفسكي),
# gn (Agnelli أنييلي), x (Alexander, Xavier).
_LATIN_CLASSES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("tsch", ("s",)),
    ("dsch", ("k",)),
    ("sch", ("s", "sk")),
    ("tch", ("s",)),
    ("sh", ("s",)),
    ("zh", ("s", "k")),
    ("ch", ("s", "k")),
    ("ph", ("f",)),
    ("th", ("t",)),
    ("dh", ("t",)),
    ("kh", ("k",)),
    ("gh", ("k",)),
    ("ck", ("k",)),
    ("qu", ("k",)),
    ("dg", ("tk", "k")),
    ("gn", ("kn", "n")),
    ("x", ("ks", "s")),
    ("w", ("", "f")),
    ("j", ("k", "")),
)
_LATIN_LETTERS = str.maketrans(
    {
        **dict.fromkeys("bp", "b"),
        **dict.fromkeys("fv", "f"),
        **dict.fromkeys("td", "t"),
        **dict.fromkeys("sz", "s"),
        **dict.fromkeys("kqg", "k"),
        **dict.fromkeys("aeiouyh'", ""),
    }
)
_MAX_SCRIPT_VARIANTS = 8
_SILENT_FINALS = frozenset("tdsx")


# Read as d in Arabic and as z in Persian (Ramazan رمضان, Mohammadreza محمدرضا); a word
# without Persian letters may be either.
_D_OR_Z = frozenset("ضذ")


def _arabic_classes(word: str) -> tuple[str, ...]:
    if word.startswith("ال") and len(word) > 3:
        word = word[2:]  # the article, as Latin spellings drop it
    word = word.replace("تش", "ش")  # ch of Archie, Kontsevich
    readings = [""]
    for char in word:
        sounds = ("t", "s") if char in _D_OR_Z else (_ARABIC_CLASSES.get(char, ""),)
        readings = [r + sound for r in readings for sound in sounds][:_MAX_SCRIPT_VARIANTS]
    return tuple(readings)


@lru_cache(maxsize=100_000)
def _latin_classes(token: str) -> tuple[str, ...]:
    """Coarse classes of a folded Latin word, every reading of its ambiguous letters."""
    readings = [""]
    index = 0
    while index < len(token):
        rest = token[index:]
        choices: tuple[str, ...]
        for digraph, sounds in _LATIN_CLASSES:
            if rest.startswith(digraph):
                choices = sounds
                index += len(digraph)
                break
        else:
            char = token[index]
            index += 1
            if char == "c":
                following = rest[1:2]
                choices = ("s", "k") if following in ("e", "i", "y", "") else ("k",)
            else:
                choices = (char.translate(_LATIN_LETTERS),)
        readings = [r + c for r in readings for c in choices][:_MAX_SCRIPT_VARIANTS]
    if len(token) > 3 and token[-1] in _SILENT_FINALS and token[-2] in _VOWELS:
        # French and Spanish spellings whose final letter is not spoken (Carnot كارنو)
        readings += [r[:-1] for r in readings if r.endswith(("t", "s"))]
    return tuple(readings[:_MAX_SCRIPT_VARIANTS])


def _script_key(classes: str) -> str:
    classes = re.sub(r"(.)\1+", r"\1", re.sub(r"[^a-z]", "", classes))
    return SCRIPT_KEY_PREFIX + classes if classes else ""


def has_script_letters(text: str) -> bool:
    """Whether the text holds a word in Arabic or Persian script."""
    return _SCRIPT_WORD.search(text) is not None


def script_query_keys(text: str) -> list[str]:
    """Cross-script keys of the words of a query written in Arabic or Persian script."""
    keys = (
        _script_key(classes)
        for word in _SCRIPT_WORD.findall(text)
        for classes in _arabic_classes(word)
    )
    return list(dict.fromkeys(k for k in keys if k))


@lru_cache(maxsize=100_000)
def script_name_keys(text: str) -> tuple[str, ...]:
    """Cross-script keys of a person's Latin name: of each word as written (Alvarez
    ألفاريز) and of its identity-bearing form (Al-Hassan → Hassan, as Arabic drops ال)."""
    words = [*fold(text).replace("-", " ").split(), *name_tokens(text)]
    keys = (_script_key(c) for word in dict.fromkeys(words) for c in _latin_classes(word))
    return tuple(dict.fromkeys(k for k in keys if k))
