"""Distribution at the moment: email alerts to subscribers and signed webhooks (issue 15).

services.py   every state change of subscribers, dispatches, deliveries and webhook endpoints, and the tasks
              (`*_task`) that run that work outside the request through Django's tasks framework (`db_worker`)
mail.py       the messages (confirmation, release, correction, withdrawal notice)
webhooks.py   payloads, Standard Webhooks signatures, the guarded outbound HTTP request
tokens.py     signed links (confirmation, unsubscribe)
views.py      the public subscription form, confirmation and one-click unsubscribe
admin.py      subscribers, deliveries, webhook endpoints, the per-release panel
"""
