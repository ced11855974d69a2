"""The benchmark driver behind `make bench`: a table of cases (cases.py), each run beside its
peers, every figure saved as one JSON line of a common schema (records.py), tables printed at the end."""
