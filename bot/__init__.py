"""aiohttp web app: citizens' chat widget, hotline staff console and JSON API in front of Rasa."""
