"""Constrained decoding (layer 3): what a small model is allowed to write.

* :mod:`~summarizer.constrained.models` - per-article response models (sentence and passage
  choices, ids, caps, the figures and sources a sentence offers);
* :mod:`~summarizer.constrained.kinds` - the ``x-summarizer-kind`` declarations of free-text
  fields and their validation patterns;
* :mod:`~summarizer.constrained.grammar` - the llguidance grammar of the in-process model;
* :mod:`~summarizer.constrained.server` - the schemas a server other than OpenAI's gets.
"""
