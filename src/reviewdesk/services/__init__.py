"""Use cases: one function per action, taking the acting principal, owning the transaction.

The REST API, the web pages, the CLI, the worker and library users all call these.
"""
