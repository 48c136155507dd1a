"""Eval harness: gold labels, metrics, suites, runner, reports, comparisons."""
