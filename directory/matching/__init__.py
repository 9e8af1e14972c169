"""The bridge between the directory and the pure matcher: validated input in, a package out."""
