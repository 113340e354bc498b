"""Committee elections (居委会选举, DOMAIN.md E1–E17).

This session holds the count (``rules/``), the bundle's canonical form and the standalone
verifier (``verify.py``); the plugin's hookimpls, tables and API come later. Nothing here
registers a plugin yet, on purpose: loading this package changes nothing in a deployment.
"""
