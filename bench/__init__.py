"""Benchmarks for `make bench`: every figure an issue asks for, with a baseline from the same run."""
