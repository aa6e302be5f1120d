"""Jilin's social insurance bureaus and the places they serve. Plain Python: no Rasa import.

    >>> from offices_kb import lookup
    >>> lookup("我在珲春住，社保局电话多少").best.phone
    '0433-7512409'
"""

from offices_kb.api import bureaus_in, lookup, mentions, nearest, province_bureau, search
from offices_kb.models import Bureau, LookupResult, Match, Mention, Nearby

__all__ = ["Bureau", "LookupResult", "Match", "Mention", "Nearby", "bureaus_in", "lookup", "mentions", "nearest",
           "province_bureau", "search"]
