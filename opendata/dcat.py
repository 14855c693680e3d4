"""The catalogue as DCAT-AP (3.0, read by DCAT-AP 2 harvesters too), built with rdflib and
serialised as JSON-LD or Turtle.

Per class, what DCAT-AP asks and what is given:
- dcat:Catalog: dct:title, dct:description, dct:publisher (mandatory), foaf:homepage,
  dct:language, dct:modified, dcat:dataset; paged with Hydra (hydra:PagedCollection, as
  ckanext-dcat's harvester follows) when there are more than PAGE_SIZE datasets.
- dcat:Dataset: dct:title, dct:description (mandatory, Indonesian and English), dct:identifier,
  dcat:keyword, dct:publisher, dcat:contactPoint, dct:spatial (dct:Location with the region's
  Kemendagri code as skos:notation, or Indonesia), dct:temporal (dct:PeriodOfTime),
  dct:accrualPeriodicity (EU frequency vocabulary), dcat:landingPage, dct:modified,
  dcat:distribution.
- dcat:Distribution: dcat:accessURL (mandatory), dcat:downloadURL, dct:license, dct:format,
  dcat:mediaType, dcat:byteSize, spdx:checksum (SHA-256), dct:conformsTo (the data dictionary
  as a Table Schema), foaf:page (the dictionary's page), dct:modified, dct:temporal for a
  year's snapshot.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from core.hosts import platform_url

from . import catalogue

SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
PAGE_SIZE = 100
LANGUAGES = (
    URIRef("http://publications.europa.eu/resource/authority/language/IND"),
    URIRef("http://publications.europa.eu/resource/authority/language/ENG"),
)


def _graph() -> Graph:
    graph = Graph()
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("skos", SKOS),
        ("spdx", SPDX),
        ("vcard", VCARD),
        ("hydra", HYDRA),
        ("locn", LOCN),
    ):
        graph.bind(prefix, namespace)
    return graph


def catalog_uri() -> URIRef:
    return URIRef(platform_url("/data/catalog"))


def _publisher(graph: Graph) -> URIRef:
    who = catalogue.publisher()
    node = URIRef(who.url)
    graph.add((node, RDF.type, FOAF.Agent))
    graph.add((node, RDF.type, FOAF.Organization))
    graph.add((node, FOAF.name, Literal(who.name)))
    graph.add((node, FOAF.homepage, URIRef(who.url)))
    graph.add((node, FOAF.mbox, URIRef(f"mailto:{who.email}")))
    return node


def _contact(graph: Graph) -> BNode:
    who = catalogue.publisher()
    node = BNode()
    graph.add((node, RDF.type, VCARD.Organization))
    graph.add((node, VCARD.fn, Literal(who.name)))
    graph.add((node, VCARD.hasEmail, URIRef(f"mailto:{who.email}")))
    return node


def _period(graph: Graph, start, end) -> BNode:
    node = BNode()
    graph.add((node, RDF.type, DCTERMS.PeriodOfTime))
    if start:
        graph.add((node, DCAT.startDate, Literal(start, datatype=XSD.date)))
    if end:
        graph.add((node, DCAT.endDate, Literal(end, datatype=XSD.date)))
    return node


def _licence(graph: Graph, licence: catalogue.Licence) -> URIRef:
    node = URIRef(licence.url)
    graph.add((node, RDF.type, DCTERMS.LicenseDocument))
    graph.add((node, DCTERMS.title, Literal(licence.title)))
    graph.add((node, DCTERMS.identifier, Literal(licence.id)))
    return node


def _place(graph: Graph, place: catalogue.Place) -> URIRef:
    node = URIRef(place.uri)
    graph.add((node, RDF.type, DCTERMS.Location))
    graph.add((node, SKOS.prefLabel, Literal(place.label)))
    if place.code:
        # The Kemendagri code (Permendagri 72/2019's kode wilayah).
        graph.add((node, SKOS.notation, Literal(place.code)))
        graph.add((node, DCTERMS.identifier, Literal(place.code)))
    return node


def add_dataset(graph: Graph, dataset: catalogue.Dataset, publisher, contact) -> URIRef:
    node = URIRef(dataset.url)
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.identifier, Literal(dataset.id)))
    graph.add((node, ADMS.identifier, Literal(dataset.name)))
    graph.add((node, DCTERMS.title, Literal(dataset.title_id, lang="id")))
    graph.add((node, DCTERMS.title, Literal(dataset.title_en, lang="en")))
    graph.add((node, DCTERMS.description, Literal(dataset.description_id, lang="id")))
    graph.add((node, DCTERMS.description, Literal(dataset.description_en, lang="en")))
    for keyword in dataset.keywords:
        graph.add((node, DCAT.keyword, Literal(keyword, lang="id")))
    graph.add((node, DCTERMS.publisher, publisher))
    graph.add((node, DCAT.contactPoint, contact))
    graph.add((node, DCAT.landingPage, URIRef(dataset.url)))
    graph.add((node, FOAF.page, URIRef(dataset.dictionary_url)))
    graph.add((node, DCTERMS.accrualPeriodicity, URIRef(dataset.frequency_uri)))
    for language in LANGUAGES:
        graph.add((node, DCTERMS.language, language))
    for place in dataset.spatial:
        graph.add((node, DCTERMS.spatial, _place(graph, place)))
    start, end = dataset.temporal
    if start or end:
        graph.add((node, DCTERMS.temporal, _period(graph, start, end)))
    if dataset.modified:
        graph.add((node, DCTERMS.modified, Literal(dataset.modified, datatype=XSD.dateTime)))
    if dataset.created:
        graph.add((node, DCTERMS.issued, Literal(dataset.created, datatype=XSD.dateTime)))
    licence = _licence(graph, dataset.licence)
    schema = URIRef(dataset.schema_url)
    graph.add((schema, RDF.type, DCTERMS.Standard))
    graph.add((schema, DCTERMS.title, Literal(dataset.dictionary.title_id, lang="id")))
    for distribution in dataset.distributions:
        graph.add((node, DCAT.distribution, _distribution(graph, dataset, distribution, licence)))
    return node


def _distribution(graph: Graph, dataset, distribution, licence) -> URIRef:
    file = distribution.file
    node = URIRef(distribution.url)
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.title, Literal(distribution.title_id, lang="id")))
    graph.add((node, DCTERMS.title, Literal(distribution.title_en, lang="en")))
    graph.add((node, DCAT.accessURL, URIRef(dataset.url)))
    graph.add((node, DCAT.downloadURL, URIRef(distribution.url)))
    graph.add((node, DCTERMS.license, licence))
    graph.add((node, DCTERMS.format, URIRef(catalogue.EU_FILE_TYPE + file.fmt.upper())))
    graph.add(
        (
            node,
            DCAT.mediaType,
            URIRef(f"https://www.iana.org/assignments/media-types/{distribution.media_type}"),
        )
    )
    graph.add((node, DCAT.byteSize, Literal(file.size, datatype=XSD.nonNegativeInteger)))
    checksum = BNode()
    graph.add((checksum, RDF.type, SPDX.Checksum))
    graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    graph.add((checksum, SPDX.checksumValue, Literal(file.sha256, datatype=XSD.hexBinary)))
    graph.add((node, SPDX.checksum, checksum))
    graph.add((node, DCTERMS.conformsTo, URIRef(dataset.schema_url)))
    graph.add((node, FOAF.page, URIRef(dataset.dictionary_url)))
    graph.add((node, DCTERMS.modified, Literal(file.modified_at, datatype=XSD.dateTime)))
    if file.year is not None:
        graph.add(
            (
                node,
                DCTERMS.temporal,
                _period(graph, f"{file.year}-01-01", f"{file.year}-12-31"),
            )
        )
    return node


def catalog_graph(
    datasets: list[catalogue.Dataset], *, page: int = 1, suffix: str = "jsonld"
) -> Graph:
    """The catalogue's graph, one page of datasets (PAGE_SIZE), with Hydra paging."""
    graph = _graph()
    node = catalog_uri()
    publisher = _publisher(graph)
    contact = _contact(graph)
    graph.add((node, RDF.type, DCAT.Catalog))
    graph.add((node, DCTERMS.title, Literal("Data terbuka Jejaring", lang="id")))
    graph.add((node, DCTERMS.title, Literal("Jejaring open data", lang="en")))
    graph.add(
        (
            node,
            DCTERMS.description,
            Literal(
                "Data terbuka kerja sama daerah di Jejaring: perjanjian yang ditandatangani, "
                "penawaran Pasar Kerja Sama dan daerah dengan kode Kemendagri.",
                lang="id",
            ),
        )
    )
    graph.add(
        (
            node,
            DCTERMS.description,
            Literal(
                "Open data of regional cooperation on Jejaring: signed agreements, the Pasar "
                "Kerja Sama listings and the regions with their Kemendagri codes.",
                lang="en",
            ),
        )
    )
    graph.add((node, DCTERMS.publisher, publisher))
    graph.add((node, DCAT.contactPoint, contact))
    graph.add((node, FOAF.homepage, URIRef(platform_url("/data/"))))
    for language in LANGUAGES:
        graph.add((node, DCTERMS.language, language))
    modified = max((d.modified for d in datasets if d.modified), default=None)
    if modified:
        graph.add((node, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))
    pages = max(1, -(-len(datasets) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    for dataset in datasets[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]:
        graph.add((node, DCAT.dataset, add_dataset(graph, dataset, publisher, contact)))
    if pages > 1:
        _paging(graph, page, pages, len(datasets), suffix)
    return graph


def _paging(graph: Graph, page: int, pages: int, total: int, suffix: str) -> None:
    def url(number: int) -> URIRef:
        return URIRef(platform_url(f"/data/catalog.{suffix}?page={number}"))

    node = url(page)
    graph.add((node, RDF.type, HYDRA.PagedCollection))
    graph.add((node, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
    graph.add((node, HYDRA.itemsPerPage, Literal(PAGE_SIZE, datatype=XSD.integer)))
    graph.add((node, HYDRA.firstPage, url(1)))
    graph.add((node, HYDRA.lastPage, url(pages)))
    if page > 1:
        graph.add((node, HYDRA.previousPage, url(page - 1)))
    if page < pages:
        graph.add((node, HYDRA.nextPage, url(page + 1)))


JSONLD_CONTEXT = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "skos": str(SKOS),
    "spdx": str(SPDX),
    "vcard": str(VCARD),
    "hydra": str(HYDRA),
    "xsd": str(XSD),
}


def serialise(graph: Graph, fmt: str) -> str:
    if fmt == "jsonld":
        return graph.serialize(format="json-ld", context=JSONLD_CONTEXT, indent=1)
    return graph.serialize(format="turtle")
