"""The ``tongji`` command (:mod:`tongji.cli`): the add-in's jobs on .xlsx files, without Excel."""
