"""Write the sample workbook of 示例市 and its data drops into a folder (default: ./tongji-samples).

    python -m workbooks.samples [FOLDER]

The figures come from the dataset bundled with the package (workbooks/samples/data/*.csv) and a
fixed random seed, so every run writes the same workbook.
"""

from __future__ import annotations

import sys
from pathlib import Path

from workbooks.samples.build import build_all

if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("tongji-samples")
    for kind, path in build_all(folder).items():
        print(f"{kind:18} {path}")
