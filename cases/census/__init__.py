"""The children in need (CIN) census: the Department for Education's statutory return, in and out.

`layout.py` maps the tracker's records to the census (one place, read by export and import),
`export.py` writes the XML, `validation.py` runs the Department's rules (`cin_validator`, in its
own virtual environment), `importing.py` brings a file's records in, `services.py` runs jobs.
"""
