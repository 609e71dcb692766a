"""Suggestions: who and what a mail is about, from its addresses, subject and plain-text body."""

from .mailtext import MAX_BODY_BYTES, Reference, body_references, subject_references

__all__ = ["MAX_BODY_BYTES", "Reference", "body_references", "subject_references"]
