"""The ``tongji.xlam`` add-in, built from text on any OS: ribbon XML (:mod:`addin.xlam.customui`),
VBA modules (:mod:`addin.xlam.vba_modules`, ``vba/*.bas``, the ``TJ_`` wrappers of
:mod:`addin.xlam.classic_udfs`), the ``vbaProject.bin`` writer (:mod:`addin.xlam.vbaproject`) and
the package assembly (:mod:`addin.xlam.build`)."""
