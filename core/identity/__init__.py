"""Identity and access: communities, accounts, persons and proxies, roles, permissions."""
