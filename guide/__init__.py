"""The official guide, the single source of the assistant's facts: where it is, its sections and how an answer
cites them, its phone table and the few facts the code itself needs (the province's phone, the 1-year condition).

Dependency-free (standard library only), so that offices_kb, the actions, the NLU components, the Rasa channels
and the web app all read the guide through this one package. Wording users read lives in domain.yml, not here.
"""

from guide.phones import GuideBureau, min_contribution_months, parse_phone_table, phone_table, province_contact
from guide.sections import BASIS, SECTIONS, Section, cite, cited_sections, passage, section
from guide.source import guide_path, guide_text

__all__ = ["BASIS", "SECTIONS", "GuideBureau", "Section", "cite", "cited_sections", "guide_path", "guide_text",
           "min_contribution_months", "parse_phone_table", "passage", "phone_table", "province_contact", "section"]
