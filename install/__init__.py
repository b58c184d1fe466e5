"""Setting up a statistician's Windows PC: the installer (``install.bat`` → :mod:`install.install`),
where things live (:mod:`install.locations`), which Python to use (:mod:`install.pythons`), whether
Excel is in the way (:mod:`install.busy`), the add-in's registration with Excel
(:mod:`install.excel_addins`), the offline wheelhouse (:mod:`install.wheelhouse`) and the
self-check 环境检查 (:mod:`install.doctor`)."""
