"""Read curation YAML keeping line numbers, so every error can name file:line."""
from __future__ import annotations

from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from .errors import SpacecoopError


class CurationError(SpacecoopError):
    """One problem in a curation file, printed as 'file:line: message'."""

    def __init__(self, path: Path | str, line: int | None, message: str):
        super().__init__(message)
        self.path, self.line, self.message = str(path), line, message

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class Mapping(dict):
    """A YAML mapping that remembers the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    class _Loader(Composer, CParser, SafeConstructor, Resolver):
        """libyaml's parser (8x faster on the codebook) under PyYAML's composer: the composer
        recurses in Python, so a deeply nested file is a RecursionError, where libyaml's own
        composer would overflow the C stack."""

        def __init__(self, text: str):
            CParser.__init__(self, text)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            Composer.__init__(self)
else:
    class _Loader(yaml.SafeLoader):
        pass


# Dates stay strings: '2024-08-08' must not become a datetime.date behind the curator's back.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Mapping:
    m = Mapping()
    m.line = node.start_mark.line + 1
    m.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            raise CurationError(loader.name, line, f"key {key!r} is not text")
        if key in m:
            raise CurationError(loader.name, line, f"key {key!r} appears twice in this mapping")
        m[key] = loader.construct_object(value_node, deep=True)
        m.key_lines[key] = line
    return m


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: Path, display: str | None = None):
    """Parse one YAML file; any syntax or encoding problem becomes a CurationError with its line."""
    name = display or str(path)
    from .limits import YAML_BYTES
    from .safety import UnsafeFile, read_bounded

    try:
        raw = read_bounded(path, YAML_BYTES, name, "YAML file")
    except UnsafeFile as e:
        raise CurationError(name, None, e.reason) from None
    except OSError as e:
        raise CurationError(name, None, f"cannot read: {e.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise CurationError(name, line, "is not valid UTF-8; save the file as UTF-8") from None
    loader = _Loader(text)
    loader.name = name
    try:
        return loader.get_single_data()
    except CurationError:
        raise
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        if "nesting depth" in str(e.problem):  # PyYAML >= 6.0.3 caps depth itself; older ones recurse
            raise CurationError(name, line, "YAML nesting is too deep") from None
        raise CurationError(name, line, f"YAML syntax error: {e.problem or e.context}") from None
    except yaml.reader.ReaderError as e:
        # libyaml gives the position in UTF-8 bytes, PyYAML in characters: count lines in the bytes.
        at = e.position if yaml.__with_libyaml__ else len(text[: e.position].encode("utf-8"))
        char = e.character if isinstance(e.character, int) else ord(e.character)
        line = raw[:at].count(b"\n") + 1
        raise CurationError(name, line, f"contains the character U+{char:04X}, which YAML does not allow") from None
    except yaml.YAMLError as e:
        raise CurationError(name, None, f"YAML error: {e}") from None
    except RecursionError:
        raise CurationError(name, None, "YAML nesting is too deep") from None
    finally:
        loader.dispose()
