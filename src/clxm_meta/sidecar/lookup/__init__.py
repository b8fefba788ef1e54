"""Online look-ups, opt-in: ORCID (people), Crossref and Europe PMC (citation), ROR (organisations).

Nothing here runs unless asked (``clxm-meta sidecar --orcid/--doi/--pmid``). Each service's base
URL can be replaced by an environment variable (``CLXM_META_ORCID_URL``,
``CLXM_META_CROSSREF_URL``, ``CLXM_META_EUROPEPMC_URL``, ``CLXM_META_ROR_URL``): the tests point
them at a server on 127.0.0.1 that serves recorded answers. `lookup_all` makes every look-up
asked for, or raises `clxm_meta.errors.LookupFailedError` naming each one that failed, so that
nothing is half-written.
"""

from clxm_meta.sidecar.lookup.run import LookedUp, lookup_all

__all__ = ["LookedUp", "lookup_all"]
