from tests.stack import stack  # noqa: F401  (session fixture: starts Rasa, actions and web app once)
