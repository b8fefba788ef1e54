"""Archive documents, one package per archive.

=================  ===========================================================================
``empiar``         the EMPIAR deposition JSON (image sets, people, citation, code lists)
``biostudies``     BioStudies / BioImage Archive: PageTab, file list, SIM spreadsheet, REMBI
``ome``            OME-XML per SIM dataset
``deposit``        the deposit folder: every document of a correlative pair, md5.txt, README.txt
``report``         the self-contained HTML report
``base``/``table`` what every builder shares (`Export`, `MissingField`; text tables)
=================  ===========================================================================

Each package's ``__init__`` names its builders and resolves them on first use, so that importing
one document's code does not import another's (openpyxl, ome-types and jsonschema load only
inside the builders that need them).
"""
