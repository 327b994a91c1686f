"""The audit trail's maintenance: verifying the hash chain, exporting it for
off-system keeping, pruning past the retention period, and showing entries.

Recording lives in ``wardkeeper.core.audit``; this package reads the trail.
"""
