"""Life domains: how a family's needs are assessed and how offers are classified.

They live here, below the case, because the directory classifies its offers by them and the
case (which depends on the directory) assesses needs by them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LifeDomain(models.TextChoices):
    """The life domains of the assessment, the plan and the offers."""

    RESIDENCE = "residence", _("Residence")
    LANGUAGE = "language", _("Language")
    HOUSING = "housing", _("Housing")
    WORK = "work", _("Work and qualification")
    EDUCATION = "education", _("Education and school")
    CHILDCARE = "childcare", _("Childcare")
    HEALTH = "health", _("Health, including mental health")
    FINANCES = "finances", _("Finances and debts")
    FAMILY = "family", _("Family and parenting")
    PARTICIPATION = "participation", _("Social participation")
    MOBILITY = "mobility", _("Mobility")
