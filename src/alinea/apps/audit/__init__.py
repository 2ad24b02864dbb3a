"""The audit log: who changed which agreement, when, and what it looked like before and after.

Every service that writes calls ``alinea.apps.audit.services.audit_record`` inside its transaction.
"""
