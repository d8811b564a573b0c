"""The model registry: its document and operations (``document``, this package's public
face, so ``registry.register(...)`` reads as it did), the production history
(``history``), the registry in a file (``store``), project files (``project``) and
model cards (``model_card``).

Pure functions over JSON documents, except ``store``, the CPython file edge. Depends on
``model`` (to load a stored model) and the shared tables; never on training or service.
"""

from .document import (  # noqa: F401  (the package's public face)
    ALGORITHM_VERSION,
    DOC_KEYS,
    ENTRY_KEYS,
    LINEAGE_KEYS,
    MAX_BUNDLE_BYTES,
    OPTIONAL_KEYS,
    SCHEMA_VERSION,
    TRAINED_IN,
    Document,
    Entry,
    RegistryError,
    annotate,
    check_tags,
    delete,
    dumps,
    empty_registry,
    export_bundle,
    get,
    get_production,
    import_bundle,
    list_models,
    load_model,
    load_recognizer,
    loads,
    make_version,
    migrate,
    migrate_entry,
    parse_json,
    register,
    reset,
    rollback,
    set_production,
    summary,
    validate,
    validate_entry,
)
