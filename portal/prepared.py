"""QuerySets compiled to SQL once per process, then run again with other values.

Building and compiling a QuerySet costs far more than running a simple statement: here,
0.5 ms to fetch an article by primary key through the ORM against 0.05 ms for the
statement itself. The pages nobody has cached yet run the same few statements with other
values on every request, so those are compiled once, from the QuerySet that defines them
(which stays their one definition), and run again as Django's own iterable runs them:
the statement, the database converters, ``Model.from_db``.

``run_together()`` runs several of them in one round trip to PostgreSQL (psycopg's
pipeline mode): a page that needs an article, its tags, its comments and the links around
it, all known by the article's id, then waits for the database once instead of twice.
Anything with ``statement(values)`` and ``results(connection, rows, values)`` can run
with them (``news.related.AroundStatement`` is written in SQL).
"""

from contextlib import ExitStack

from django.db import connections

# Stand-ins for the values while compiling: integers no query here would hold otherwise,
# within the range of the smallest integer column (a value out of a column's range
# compiles to "nothing found", with the stand-in nowhere in the parameters).
_MARKER = -2_046_190_000
_FAST_RANGE = range(-(2**31), 2**31)
_ANY_INTEGER = range(-(2**63), 2**63)  # what any database integer column can hold


class PreparedQuery:
    """``build(**values)``, compiled on first use; calling it runs the statement again.

    ``build`` takes integers (primary keys, ids) and must pass each into the query once,
    unchanged: the compiled parameters are searched for the stand-ins. Nothing else in it
    may change between calls (no ``timezone.now()``: pass the time in, or check it on
    the rows). It selects columns of its model only (``defer``/``only`` are fine; no
    ``select_related``, ``values`` or annotations). A call returns a list of model
    instances, deferred fields loading on first use as usual.
    """

    def __init__(self, build, *names: str):
        self.build, self.names = build, names
        self._compiled = None

    def __call__(self, **values) -> list:
        return run_together((self, values))[0]

    def statement(self, values: dict):
        """``(using, sql, params)`` to run for ``values``.

        ``sql`` is None where the statement cannot run them: then ``params`` is None when
        no row can match, else the values for the ORM to answer with.
        """
        _model, using, sql, params, positions, _fields, _conv = self._compiled or self._compile()
        values = {name: int(values[name]) for name in self.names}
        if any(value not in _ANY_INTEGER for value in values.values()):
            return using, None, None  # no row holds it (the ORM itself fails on a foreign key)
        if any(value not in _FAST_RANGE for value in values.values()):
            # Beyond a 32-bit column (a made-up id in a URL): the ORM knows each column's
            # range and finds nothing, where the database would refuse the statement.
            return using, None, values
        params = list(params)
        for name, index in positions.items():
            params[index] = values[name]
        return using, sql, params

    def results(self, connection, rows, values) -> list:
        model, using, _sql, _params, _positions, fields, converters = self._compiled
        instances = []
        for row in rows:
            if converters:
                row = list(row)
                for index, (functions, column) in converters.items():
                    for convert in functions:
                        row[index] = convert(row[index], column, connection)
            instances.append(model.from_db(using, fields, row))
        return instances

    def _compile(self):
        markers = {name: _MARKER - n for n, name in enumerate(self.names)}
        queryset = self.build(**markers)
        model, using = queryset.model, queryset.db
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        columns = [column for column, _sql, _alias in compiler.select]
        fields = [column.target.attname for column in columns]
        own = [field.attname for field in model._meta.concrete_fields]
        if len(set(fields)) != len(fields) or [f for f in own if f in fields] != fields:
            raise ValueError(f"a prepared query selects columns of its model only: {sql}")
        positions = {}
        for name, marker in markers.items():
            found = [i for i, value in enumerate(params) if value == marker]
            if len(found) != 1:
                raise ValueError(f"{name!r} must reach the query once, unchanged: {sql}")
            positions[name] = found[0]
        converters = compiler.get_converters(columns)
        self._compiled = (model, using, sql, tuple(params), positions, fields, converters)
        return self._compiled


def run_together(*calls) -> list:
    """``[query(**values) for query, values in calls]``, in one round trip where it can.

    On PostgreSQL the statements go out together in pipeline mode and their results come
    back together; elsewhere (SQLite answers in process) they run one after the other.
    Each is still a query of its own to Django (``assertNumQueries`` counts them).
    """
    results, pending = [None] * len(calls), []
    for position, (query, values) in enumerate(calls):
        using, sql, params = query.statement(values)
        if sql is not None:
            pending.append((position, query, values, using, sql, params))
        elif params is None:
            results[position] = query.results(None, [], values)
        else:
            results[position] = list(query.build(**params))
    by_database = {}
    for item in pending:
        by_database.setdefault(item[3], []).append(item)
    for using, items in by_database.items():
        connection = connections[using]
        with ExitStack() as open_cursors:
            cursors = [open_cursors.enter_context(connection.cursor()) for _ in items]
            with ExitStack() as sending:
                if len(items) > 1 and connection.vendor == "postgresql":
                    # Errors come when the pipeline syncs, outside any cursor's execute().
                    sending.enter_context(connection.wrap_database_errors)
                    sending.enter_context(connection.connection.pipeline())
                for cursor, (*_call, sql, params) in zip(cursors, items, strict=True):
                    cursor.execute(sql, params)
            for cursor, (position, query, values, *_rest) in zip(cursors, items, strict=True):
                results[position] = query.results(connection, cursor.fetchall(), values)
    return results
