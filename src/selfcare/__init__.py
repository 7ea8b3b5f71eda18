from selfcare._version import __version__
