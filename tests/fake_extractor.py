"""The two steps ``service.curation`` asks of an extractor, for stand-ins of spaCy that only
define ``extract(raws, existing)``: nothing to read ahead, the whole work done when resolving."""
from __future__ import annotations


class ExtractsWhenResolving:
    def readings(self, raws):
        return ((raw, raw, None) for raw in raws)

    def resolve(self, raw, meta, existing=()):
        return self.extract([raw], existing=existing)
