"""Writers of small test files (DV, TXRM/CFB, MRC, TIFF, logs). Test-only: not part of the package."""
