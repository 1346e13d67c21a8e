"""The language server: a thin pygls layer over `hubsave.analysis`."""
