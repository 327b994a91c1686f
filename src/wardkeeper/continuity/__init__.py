"""Business continuity: the hospital's critical systems, their backups, the
proof that the backups read back, and the disaster-recovery plans and drills
that bring a system back (docs/continuity.md, decision 0008)."""
