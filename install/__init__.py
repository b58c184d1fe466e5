"""Setting up a statistician's Windows PC: the installer (``install.bat`` → :mod:`install.install`),
where things live (:mod:`install.locations`), the offline wheelhouse (:mod:`install.wheelhouse`)
and the self-check 环境检查 (:mod:`install.doctor`)."""
