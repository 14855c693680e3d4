from django.core.management.base import BaseCommand
from tqdm import tqdm

from search import index
from search.documents import source


class Command(BaseCommand):
    help = (
        "Rebuild the search indexes from scratch: PostgreSQL's, and Elasticsearch's when "
        "ELASTICSEARCH_URL is set (a new index, then the alias moves to it in one step)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--doc-type", default="listing")

    def handle(self, *args, doc_type: str, **options):
        total = source(doc_type).count()
        with tqdm(total=total, unit="doc", file=self.stderr, disable=None) as bar:
            counts = index.reindex(doc_type=doc_type, progress=bar.update)
        for backend, count in counts.items():
            self.stdout.write(f"{backend}: {count} documents")
