"""Ribbon commands, each written once against the host protocol (:mod:`addin.hosts.base`):
:mod:`~addin.commands.rank` (县区排名) and :mod:`~addin.commands.refresh` (刷新季度表)."""
