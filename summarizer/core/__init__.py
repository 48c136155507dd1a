"""The core: types, settings, errors, output schemas, text segmentation and matching, and the
grounding checks. Nothing in it imports from the layers above (prompts, transport, providers,
pipeline, api, batch, evals, cli); ``tests/test_layers.py`` keeps it so.

* :mod:`~summarizer.core.types` - languages, modes, providers, tasks (one definition each);
* :mod:`~summarizer.core.request` - :class:`~summarizer.core.request.ArticleRequest`;
* :mod:`~summarizer.core.schemas` - what the user gets; :mod:`~summarizer.core.responses` - what
  the model is asked for; :mod:`~summarizer.core.constrained` - the same, narrowed per article
  for small models;
* :mod:`~summarizer.core.segmentation` - paragraphs, sentences, quoted passages;
* :mod:`~summarizer.core.matching` - locating passages, numbers and names in the article;
* :mod:`~summarizer.core.grounding` - the checks run on every reply, which record
  :class:`~summarizer.core.issues.GroundingIssue` s;
* :mod:`~summarizer.core.settings`, :mod:`~summarizer.core.errors`,
  :mod:`~summarizer.core.language`, :mod:`~summarizer.core.files`,
  :mod:`~summarizer.core.redact`.
"""
