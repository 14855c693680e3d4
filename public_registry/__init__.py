"""The public registry of signed agreements: versioned snapshots published on signing (never a
live read of a workspace), with withheld fields and their legal reasons."""
