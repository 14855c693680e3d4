"""Shared helpers at the bottom of the layers (see .importlinter): e-mail on commit, files,
cache keys, host names, the domain error model. Nothing here imports a Jejaring app."""
