"""The Django project: settings, URLs, the REST API, the layout every page shares.

Agreement areas live in ``alinea.apps.<area>``; this package only wires them together.
"""
