"""Transport and trade documents as data: the document type schemas (pydantic models with
published JSON Schemas) that credentials carry as their ``credentialSubject``.

``transcaspian.documents.types`` holds the models and the ``DOCUMENT_TYPES`` registry; the
credential machinery that signs them lives in ``transcaspian.vc``.
"""
