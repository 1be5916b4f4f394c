"""Benchmarks: each module measures a figure beside a baseline from the same run."""
