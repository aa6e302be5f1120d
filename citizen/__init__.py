"""What a citizen's message says: the facts of their case (how long they paid, who paid, why the job ended, whether
they are still employed, the places they name and in which role) and the questions they ask, read from
voice-typed, colloquial, sometimes Traditional or pinyin text. Plain Python (offices_kb for place names): no Rasa
import, so the actions and the NLU components share one reading.
"""

from citizen.facts import Facts, read_facts

__all__ = ["Facts", "read_facts"]
