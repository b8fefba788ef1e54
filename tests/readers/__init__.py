# A package so that pytest puts tests/ (not tests/readers/) on sys.path: the format folders here
# (mrc/, tiff/ ...) must not shadow importable modules of the same name (the peer `mrc` package).
