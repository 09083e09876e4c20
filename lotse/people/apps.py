from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "lotse.people"
    label = "people"
    verbose_name = _("People and households")
    # The merge record names both records; a merged record points at its survivor; name
    # keys are written anew for the survivor (index_person_names).
    person_fields_kept = (
        "people.PersonMerge.survivor",
        "people.PersonMerge.merged",
        "people.Person.merged_into",
        "people.PersonNameKey.person",
    )

    def move_person_content(self, *, survivor_id: int, merged_id: int) -> dict[str, int]:
        from .services import person_content_move

        return person_content_move(survivor_id=survivor_id, merged_id=merged_id)
