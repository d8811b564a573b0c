"""Sizes and limits, each written once. The page gets the ones it needs from
``web/shared/limits.generated.js``, which ``build.py generate`` writes from this module (a
test checks that it is current)."""

#: The drawing grid is GRID x GRID cells; a drawing is N_PIXELS zeros and ones.
GRID = 10
N_PIXELS = GRID * GRID

#: The label of drawings that are none of the letters (see ``data/negatives.py``). Reserved:
#: no letter may have this name.
NONE_LABEL = "(none)"

#: What one training may ask for (a browser tab has to hold and train it).
MAX_HIDDEN_LAYERS = 8
MAX_LAYER_SIZE = 1024
MAX_EPOCHS = 10_000
MAX_SAMPLES = 200_000
MAX_SEED = 2**32 - 1
MAX_USER_SAMPLES = 10_000

#: What a stored model may hold.
MAX_CLASSES = 64
MAX_CLASS_NAME = 32
MAX_PARAMETERS = 1_000_000

#: What a registry or an imported bundle may hold.
MAX_MODELS = 200
MAX_BUNDLE_BYTES = 64 * 1024 * 1024

#: What a model's notes and tags, and the production history, may hold.
MAX_NOTE_CHARS = 2000
MAX_TAGS = 16
MAX_TAG_CHARS = 32
MAX_HISTORY = 1000

#: How many predictions the page's local monitoring log keeps (the oldest go first).
MAX_PREDICTION_LOG = 2000

#: The limits the page checks before it asks Python (name in limits.js: value).
FOR_THE_PAGE = {"GRID": GRID, "NONE_LABEL": NONE_LABEL, "MAX_BUNDLE_BYTES": MAX_BUNDLE_BYTES,
                "MAX_NOTE_CHARS": MAX_NOTE_CHARS, "MAX_TAGS": MAX_TAGS,
                "MAX_TAG_CHARS": MAX_TAG_CHARS, "MAX_PREDICTION_LOG": MAX_PREDICTION_LOG}
