"""Which companies a member of staff works for: an agency writing for several issuers sees only its own.

A user assigned to one or more companies (CompanyAssignment) sees and changes only those companies'
releases and parts, on every screen, in the API and in the services. A user with no assignment, and
every superuser, works for all companies: with one company, nobody needs an assignment.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet


def company_ids(user) -> set[int] | None:
    """The companies `user` works for, or None for all of them."""
    if user is None or not getattr(user, "is_authenticated", False) or user.is_superuser:
        return None
    cached = getattr(user, "_newsroom_company_ids", False)
    if cached is not False:
        return cached
    from .models import CompanyAssignment

    ids = set(CompanyAssignment.objects.filter(user=user).values_list("company_id", flat=True)) or None
    user._newsroom_company_ids = ids
    return ids


def works_for(user, company_id: int | None) -> bool:
    ids = company_ids(user)
    return ids is None or company_id in ids


def scoped(queryset: QuerySet, user, path: str = "company", *, shared: bool = False) -> QuerySet:
    """`queryset` limited to what `user` works for; `path` leads to the company; `shared`: rows without a
    company (texts every company may use) stay visible."""
    ids = company_ids(user)
    if ids is None:
        return queryset
    condition = Q(**{f"{path}__in": ids})
    if shared:
        condition |= Q(**{f"{path}__isnull": True})
    return queryset.filter(condition)
