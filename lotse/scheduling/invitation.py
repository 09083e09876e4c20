"""The texts of the printed invitation to an appointment, in the languages Lotse prints it in.

Like the consent form (``lotse.consent.form``) the invitation is a letter to the family, so
its few sentences are kept here as data, reviewed as a whole, not in the gettext catalogues
of the user interface. German is always printed; the family's language beside it, with the
date and time written as that language writes them (CLDR, via Babel). For a language without
texts here, the German sentences are printed with the date in the family's language.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InvitationText:
    heading: str
    dear: str  # "{name}"
    body: str
    when: str
    where: str
    what: str
    interpreter: str  # once the interpreter is booked
    interpreter_sought: str  # needed, not booked yet: nothing promised
    bring: str
    cannot: str  # "{agency}", "{phone}": the number of the family's contact there
    cannot_no_phone: str  # "{agency}": no number recorded, so no "call us"
    together: str  # "{names}": everyone invited, when family members come along


TEXTS: dict[str, InvitationText] = {
    "de": InvitationText(
        heading="Einladung",
        dear="Guten Tag {name},",
        body="wir laden Sie zu einem Termin ein.",
        when="Wann",
        where="Wo",
        what="Worum es geht",
        interpreter="Beim Termin wird für Sie gedolmetscht.",
        interpreter_sought="Wir bemühen uns um eine Dolmetscherin oder einen Dolmetscher.",
        bring="Bitte bringen Sie Ihren Ausweis und diesen Brief mit.",
        cannot="Wenn Sie nicht kommen können, rufen Sie uns bitte an: {agency}, Telefon {phone}.",
        cannot_no_phone="Wenn Sie nicht kommen können, sagen Sie uns bitte Bescheid: {agency}.",
        together="Eingeladen sind: {names}.",
    ),
    "en": InvitationText(
        heading="Invitation",
        dear="Dear {name},",
        body="we invite you to an appointment.",
        when="When",
        where="Where",
        what="What it is about",
        interpreter="An interpreter will be there.",
        interpreter_sought="We are trying to arrange an interpreter.",
        bring="Please bring your identity document and this letter.",
        cannot="If you cannot come, please call us: {agency}, phone {phone}.",
        cannot_no_phone="If you cannot come, please let us know: {agency}.",
        together="Invited: {names}.",
    ),
    "ar": InvitationText(
        heading="دعوة",
        dear="مرحباً {name}،",
        body="ندعوكم إلى موعد.",
        when="متى",
        where="أين",
        what="موضوع الموعد",
        interpreter="سيكون هناك مترجم أو مترجمة.",
        interpreter_sought="نسعى إلى توفير مترجم أو مترجمة.",
        bring="يرجى إحضار وثيقة الهوية وهذه الرسالة.",
        cannot="إذا لم تتمكنوا من الحضور، يرجى الاتصال بنا: {agency}، هاتف {phone}.",
        cannot_no_phone="إذا لم تتمكنوا من الحضور، يرجى إبلاغنا: {agency}.",
        together="المدعوون: {names}.",
    ),
    "fa": InvitationText(
        heading="دعوت‌نامه",
        dear="سلام {name}،",
        body="ما شما را به یک قرار ملاقات دعوت می‌کنیم.",
        when="چه زمانی",
        where="کجا",
        what="موضوع",
        interpreter="یک مترجم حضور خواهد داشت.",
        interpreter_sought="ما در تلاش هستیم برای شما مترجم فراهم کنیم.",
        bring="لطفاً کارت شناسایی خود و این نامه را همراه بیاورید.",
        cannot="اگر نمی‌توانید بیایید، لطفاً با ما تماس بگیرید: {agency}، تلفن {phone}.",
        cannot_no_phone="اگر نمی‌توانید بیایید، لطفاً به ما اطلاع دهید: {agency}.",
        together="دعوت‌شدگان: {names}.",
    ),
    "uk": InvitationText(
        heading="Запрошення",
        dear="Добрий день, {name}!",
        body="Запрошуємо вас на зустріч.",
        when="Коли",
        where="Де",
        what="Тема зустрічі",
        interpreter="Буде присутній перекладач або перекладачка.",
        interpreter_sought="Ми намагаємося знайти перекладача або перекладачку.",
        bring="Будь ласка, візьміть із собою посвідчення особи та цей лист.",
        cannot="Якщо не можете прийти, будь ласка, зателефонуйте нам: {agency}, телефон {phone}.",
        cannot_no_phone="Якщо не можете прийти, будь ласка, повідомте нам: {agency}.",
        together="Запрошені: {names}.",
    ),
    "ru": InvitationText(
        heading="Приглашение",
        dear="Здравствуйте, {name}!",
        body="Приглашаем вас на встречу.",
        when="Когда",
        where="Где",
        what="Тема встречи",
        interpreter="Будет присутствовать переводчик.",
        interpreter_sought="Мы стараемся найти переводчика.",
        bring="Пожалуйста, возьмите с собой удостоверение личности и это письмо.",
        cannot="Если вы не можете прийти, пожалуйста, позвоните нам: {agency}, телефон {phone}.",
        cannot_no_phone="Если вы не можете прийти, пожалуйста, сообщите нам: {agency}.",
        together="Приглашены: {names}.",
    ),
    "tr": InvitationText(
        heading="Davet",
        dear="Merhaba {name},",
        body="sizi bir randevuya davet ediyoruz.",
        when="Ne zaman",
        where="Nerede",
        what="Konu",
        interpreter="Bir tercüman hazır bulunacak.",
        interpreter_sought="Bir tercüman bulmaya çalışıyoruz.",
        bring="Lütfen kimlik belgenizi ve bu mektubu yanınızda getirin.",
        cannot="Gelemezseniz lütfen bizi arayın: {agency}, telefon {phone}.",
        cannot_no_phone="Gelemezseniz lütfen bize haber verin: {agency}.",
        together="Davet edilenler: {names}.",
    ),
}
#: Dari is written and read like Persian.
TEXTS["prs"] = TEXTS["fa"]


def texts_for(language: str) -> InvitationText:
    return TEXTS.get(language, TEXTS["de"])
