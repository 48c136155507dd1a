"""The data model (layer 0 of ``docs/architecture.md``): imports nothing else of the package.

* :mod:`~summarizer.datamodel.types` - languages, modes, tasks (one definition each);
* :mod:`~summarizer.datamodel.schemas` - what the user gets (``ArticleSummary``, spans with
  their ``AlignmentStatus``, ``EventRecord``, ``RunMetadata``, batch records);
* :mod:`~summarizer.datamodel.request` - :class:`~summarizer.datamodel.request.ArticleRequest`;
* :mod:`~summarizer.datamodel.issues` - typed grounding findings;
  :mod:`~summarizer.datamodel.errors` - typed errors;
* :mod:`~summarizer.datamodel.settings` - every knob, validated;
* :mod:`~summarizer.datamodel.files` and :mod:`~summarizer.datamodel.redact` - the two privacy
  rules every layer follows (files readable by the user only; secrets masked in logs).
"""
