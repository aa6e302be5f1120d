"""What the assistant keeps besides Rasa's own rows, and how it lets go of it: the tables every process shares in
the tracker store's database (SQLite var/rasa/tracker.db, or PostgreSQL when TRACKER_STORE_URL is set), deleting
one conversation on request, and deleting what is older than RETENTION_DAYS.

- `records.schema`: the names of the tables it works on (defined once, in stores/schema.py) and the indexes on
  Rasa's `events`; a deletion or a purge creates only its own `forgotten` and `retention_log`.
- `records.forget`: one conversation's rows, all at once (stores.forget: events, ratings, handoff code, dashboard
  rows), remembered as forgotten so that asking twice is harmless.
- `records.retention`: `python -m records purge` (cron, `make purge`, and the launcher once a day).

SQLAlchemy Core only (no Rasa import): Rasa's serving code, the web app and the tools share it.
"""
