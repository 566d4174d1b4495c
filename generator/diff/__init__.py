"""Compare two versions of an API's contract: breaking changes, changelogs, the CI gate.

``sources`` loads each side (a git revision, a bundled file or the working tree) as a bundle,
``engine`` walks both with the rules of ``operations`` and ``schemas``, ``versioning`` checks
``info.version``, ``allow`` applies the allow file and ``formats`` prints the result.
"""
