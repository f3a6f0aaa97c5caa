"""Demo data: the reference release of OSE Immunotherapeutics (1 July 2024) as structured parts.

`releases.demo.ose` holds the parts; `manage.py load_demo` writes them to the database.
"""
