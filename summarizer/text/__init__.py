"""Text analysis (layer 1): pure functions over German and English text, no Pydantic, no LLM.

Segmentation, lexicon and name tokens, transliteration, numbers, locating passages, attribution
(who says or reports what) and language detection. Imports only the data model.
"""
