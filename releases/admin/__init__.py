"""The editorial admin: where a comms team composes, checks, previews and passes on releases.

- `site`: the newsroom's AdminSite (the company in the header, the dashboard on the index);
- `releases`: the release form, its ordered parts, its side panels and its list;
- `parts`: the company and the reusable parts a release is composed from;
- `record`: the audit trail and the snapshots, read-only; `tokens`: the integrators' API keys;
- `dashboard`: what the index shows each role; `views`: preview, workflow buttons, snapshot, parts;
- `display`: small helpers shared by those (badges, moments in the company's zone, the form's scope);
- `guards`: what every ModelAdmin of the site answers input it cannot use (never a 500).

Every change goes through `releases.services`.
"""

from releases.distribution import admin as distribution  # noqa: F401  (alerts and webhooks)

from . import parts, record, releases, tokens  # noqa: F401  (each registers its ModelAdmins)
