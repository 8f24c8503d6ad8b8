"""Passenger-flow helpers for the mobility-migration nexus.

Planned (issue "Chapter 5"): monthly series, seasonal-trend decomposition wrappers, the
flow log ratio log2(inflow/outflow) and its cumulative version (Pollacci, Sirbu & Iacus
2023), network measures of the country graph, and gravity and radiation models of
passenger flows.
"""
