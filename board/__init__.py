"""board: public disclosure boards for a county's key construction projects (重点项目公示).

The pipeline, one module per stage: load → model → validate → compute → render → write;
`build.build()` runs it all, `cli` is a thin layer over it.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
