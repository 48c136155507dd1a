"""Grounding (layer 2): the checks that every reply of the model passes, and the response models
whose validators run them.

:mod:`~summarizer.grounding.context` runs the checks of one reply inside instructor's validation
(re-ask or repair, record a ``GroundingIssue``); the checks themselves are in ``checks``,
``summary_checks`` and ``event_checks``, built on ``support``, ``quality`` and the text analysis
of :mod:`summarizer.text`; ``casualties`` reads casualty claims from the text.
"""
