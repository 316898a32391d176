"""Every form schema instance owns its nodes: colander shares the nodes
declared on a class between instances, so a view that set a widget's
choices or added a validator for one request changed every later request
(the archive's destruction form refused a valid proposal after another
list had been offered)."""
import importlib
import pkgutil

import colander
import deform

import silat
from silat.forms import CSRFSchema


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def _nodes(schema):
    for child in schema.children:
        yield child
        yield from _nodes(child)


def test_no_two_instances_of_a_form_schema_share_a_node():
    for info in pkgutil.walk_packages(silat.__path__, "silat."):
        if not info.name.endswith(("tests", "__main__")):
            importlib.import_module(info.name)
    schemas = list(_all_subclasses(CSRFSchema))
    assert len(schemas) > 10
    for cls in schemas:
        first, second = cls(), cls()
        shared = {id(n) for n in _nodes(first)} & {id(n) for n in _nodes(second)}
        assert not shared, cls


def test_a_choice_set_for_one_request_does_not_reach_the_next():
    from silat.archive.views import ProposeSchema
    first = ProposeSchema()
    first["berkas"].widget = deform.widget.CheckboxChoiceWidget(values=[("A", "A")])
    first["berkas"].validator = colander.ContainsOnly(["A"])
    second = ProposeSchema()
    assert second["berkas"].deserialize(["B"]) == {"B"}
    assert not isinstance(second["berkas"].widget, deform.widget.CheckboxChoiceWidget) \
        or second["berkas"].widget.values != [("A", "A")]
