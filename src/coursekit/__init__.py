"""coursekit: the instructor's and the site's tooling of the course.

Not imported by the notebooks. The command line ``python -m migrationlab <command>``
(:mod:`coursekit.cli`) is what the Makefile runs.

``cli``           the commands: book, data, exercises, grade, mistakes, lab, clean
``book``          the book build, the student edition's table of contents, the offline archive
``exercises``     ``make exercises``: otter assign from ``solutions/`` into ``exercises/``
``grading``       ``make grade``: a folder of submissions into a gradebook and feedback
``mistakes``      ``make mistakes``: the catalogue of plausible mistakes, graded
``schedule``      the day-by-day timetable read from ``book/schedule.yml``
``slides``        Sphinx extension: a slide deck from each lecture page
``offline_site``  Sphinx extension: a site that works without a network
"""
