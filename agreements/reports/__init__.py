"""What the register reports: the semester report to the Governor and the Minister
(semester.py) as a letter (letter.py), and the register's dashboard (dashboard.py); forms and
views."""
