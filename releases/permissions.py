"""The editorial roles and what each may do; the groups themselves come from migration 0002_roles."""

WRITER = "Writer"
REVIEWER = "Reviewer"
PUBLISHER = "Publisher"
ROLES = (WRITER, REVIEWER, PUBLISHER)

SUBMIT = "releases.submit_release"
REVIEW = "releases.review_release"
PUBLISH = "releases.publish_release"


def can_write(user) -> bool:
    return user.has_perm("releases.change_release")


def can_submit(user) -> bool:
    return user.has_perm(SUBMIT)


def can_review(user) -> bool:
    return user.has_perm(REVIEW)


def can_publish(user) -> bool:
    return user.has_perm(PUBLISH)
