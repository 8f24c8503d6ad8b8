"""coursekit: the instructor's and the site's tooling of the course.

Not imported by the notebooks. The command line ``python -m migrationlab <command>``
(:mod:`coursekit.cli`) is what the Makefile runs.

``cli``           the commands: book, data, exercises, grade, mistakes, lab, clean
``book``          the book build, the student edition's table of contents, the offline archive
``exercises``     ``make exercises``: otter assign from ``solutions/`` into ``exercises/``
``grading``       ``make grade``: a folder of submissions into a gradebook and feedback
``mistakes``      ``make mistakes``: the catalogue of plausible mistakes, graded
``schedule``      the day-by-day timetable read from ``book/schedule.yml``
``slides``        reveal.js decks (16:9) from ``book/slides/`` and the built lecture pages,
                  and their PDFs
``book_pdf``      the whole book as one PDF, printed offline by Chromium
``browser``       where the system Chromium is (the PDFs and the browser tests use it)
``offline_site``  Sphinx extension: a site that works without a network
``downloads``     Sphinx extension: each notebook page offers its executed notebook
``quiz``          Sphinx extension: the lectures' self-check quizzes (``{quiz}``), offline
"""
