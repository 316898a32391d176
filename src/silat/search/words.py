"""A query as plain words, analysed as Whoosh's parser analyses them
(issue 16): the fast paths of the officer search and the public register
(``search.columns``) match these; anything else goes to Whoosh."""
import re

from silat.search.schema import PUBLIC_ALIASES, PUBLIC_USER_FIELDS

_WORD = re.compile(r"^\w[\w./-]*$")
_PART = re.compile(r'(\w+):"([^"]*)"|(\w+):(\S+)|(\S+)')
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}


def analyse(text, schema, fields=PUBLIC_USER_FIELDS, aliases=PUBLIC_ALIASES):
    """The query as words, each a list of (field, tokens) of which one must
    match, analysed as Whoosh's parser analyses them for ``fields``; None
    when the query needs the parser (operators, wildcards, groups, phrases
    of several words, unknown fields)."""
    names = {field: field for field in fields}
    names.update({alias: field for field, found in aliases.items() if field in fields for alias in found})
    words = []
    for match in _PART.finditer(text):
        quoted_name, quoted, name, value, plain = match.groups()
        if plain is not None:
            if not _WORD.match(plain) or plain in _OPERATORS:
                return None
            choices = [(field, list(schema[field].process_text(plain, mode="query")))
                       for field in fields]
        else:
            field = names.get(quoted_name or name)
            value = quoted if quoted_name else value
            if field is None or (not quoted_name and not _WORD.match(value)):
                return None
            tokens = list(schema[field].process_text(value, mode="query"))
            if quoted_name and len(tokens) > 1:
                return None                     # a phrase: positions matter
            choices = [(field, tokens)]
        choices = [(field, tokens) for field, tokens in choices if tokens]
        if choices:
            words.append(choices)
    return words
