"""Custom Rasa NLU components for Chinese input."""
