"""The API answers JSON whatever the client's Accept header says (a browser asks for HTML
first): there is one representation, so there is nothing to negotiate and no 406."""

from rest_framework.negotiation import BaseContentNegotiation


class JsonOnly(BaseContentNegotiation):
    def select_parser(self, request, parsers):
        for parser in parsers:
            if request.content_type.split(";")[0].strip() == parser.media_type:
                return parser
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
