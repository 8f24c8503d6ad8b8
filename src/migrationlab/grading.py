"""The instructor's grading command.

Planned (issue "Autograded exercises"): ``python -m migrationlab grade`` wraps
otter-grader to grade a folder of submitted notebooks locally (no Docker), with a
per-notebook timeout, and writes a gradebook CSV and per-student feedback; broken
submissions get a row with a reason instead of stopping the run.
"""
