"""Importers: foreign catalogues (CTDL, Open Badges 3.0, CSV) into catalogue folders.

Each importer turns a source file into an ``ImportResult``: schema entries plus
warnings for what the source cannot express or what was skipped. Nothing the
source does not say is invented: see README.md in this folder for each
format's mapping and the policy for missing required values.
"""
