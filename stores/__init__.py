"""What the assistant keeps besides Rasa's conversations, in the tracker store's own database (SQLite
var/rasa/tracker.db by default, PostgreSQL when TRACKER_STORE_URL is set): handoff codes (咨询编号), 好差评 ratings,
staff accounts, their sessions and the audit log. Plain Python over SQLAlchemy Core with SQL text, so the same code
runs in the action server (Rasa's SQLAlchemy 1.4) and in the web app (SQLAlchemy 2.x): no Rasa, no aiohttp.

db.py opens the database (one engine per process), schema.py is the only place a table is defined, the other
modules read and write one concern each; conversation.py reads Rasa's `events` table (turns and facts)."""
