"""QuerySets compiled to SQL once per process, then run again with other values.

Building and compiling a QuerySet costs far more than running a simple statement: here,
0.5 ms to fetch an article by primary key through the ORM against 0.05 ms for the
statement itself. The pages nobody has cached yet run the same few statements with other
values on every request, so those are compiled once, from the QuerySet that defines them
(which stays their one definition), and run again as Django's own iterable runs them:
the statement, the database converters, ``Model.from_db``.
"""

from django.db import connections

# Stand-ins for the values while compiling: integers no query here would hold otherwise,
# within the range of the smallest integer column (a value out of a column's range
# compiles to "nothing found", with the stand-in nowhere in the parameters).
_MARKER = -2_046_190_000
_FAST_RANGE = range(-(2**31), 2**31)
_ANY_INTEGER = range(-(2**63), 2**63)  # what a database integer column can hold at all
NOTHING = ("", "", [])  # a statement for values no row can have


class PreparedQuery:
    """``build(**values)``, compiled on first use; calling it runs the statement again.

    ``build`` takes integers (primary keys, ids) and must pass each into the query once,
    unchanged: the compiled parameters are searched for the stand-ins. Nothing else in it
    may change between calls (no ``timezone.now()``: pass the time in, or check it on
    the rows). It selects whole rows of its model: no ``select_related``, ``only``,
    ``values`` or annotations. A call returns a list of model instances.
    """

    def __init__(self, build, *names: str):
        self.build, self.names = build, names
        self._compiled = None

    def __call__(self, **values) -> list:
        return run_together((self, values))[0]

    def _statement(self, values: dict):
        """``(alias, sql, params)`` for these values; ``None`` for values only the ORM can take."""
        model, using, sql, params, positions, fields, converters = self._compiled or self._compile()
        values = {name: int(values[name]) for name in self.names}
        if any(value not in _ANY_INTEGER for value in values.values()):
            return NOTHING
        if any(value not in _FAST_RANGE for value in values.values()):
            return None
        params = list(params)
        for name, index in positions.items():
            params[index] = values[name]
        return using, sql, params

    def _instances(self, rows, connection) -> list:
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
        if fields != [field.attname for field in model._meta.concrete_fields]:
            raise ValueError(f"a prepared query selects whole rows of its model only: {sql}")
        positions = {}
        for name, marker in markers.items():
            found = [i for i, value in enumerate(params) if value == marker]
            if len(found) != 1:
                raise ValueError(f"{name!r} must reach the query once, unchanged: {sql}")
            positions[name] = found[0]
        converters = compiler.get_converters(columns)
        self._compiled = (model, using, sql, tuple(params), positions, fields, converters)
        return self._compiled


def run_together(*calls) -> list[list]:
    """Run ``(query, values)`` pairs of prepared queries; a list of instances for each.

    On PostgreSQL they go in one round trip (psycopg's pipeline mode): an article page that
    nobody has cached asks for the article, its tags and its comments at once. Elsewhere,
    and for values only the ORM can take (beyond a 32-bit column: a made-up id in a URL,
    which the ORM finds nothing for, where the database would refuse the statement), one
    after the other.
    """
    statements = [query._statement(values) for query, values in calls]
    aliases = {s[0] for s in statements if s is not None and s is not NOTHING}
    pipelined = (
        len(calls) > 1
        and None not in statements
        and NOTHING not in statements
        and len(aliases) == 1
        and connections[next(iter(aliases))].vendor == "postgresql"
    )
    if not pipelined:
        return [
            _run(query, values, statement)
            for (query, values), statement in zip(calls, statements, strict=True)
        ]
    connection = connections[next(iter(aliases))]
    connection.ensure_connection()
    cursors = [connection.cursor() for _ in calls]
    try:
        with connection.connection.pipeline():
            for cursor, (_alias, sql, params) in zip(cursors, statements, strict=True):
                cursor.execute(sql, params)
            results = [cursor.fetchall() for cursor in cursors]
    finally:
        for cursor in cursors:
            cursor.close()
    return [
        query._instances(rows, connection)
        for (query, _values), rows in zip(calls, results, strict=True)
    ]


def _run(query: PreparedQuery, values: dict, statement) -> list:
    if statement is NOTHING:
        return []
    if statement is None:
        return list(query.build(**values))
    using, sql, params = statement
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return query._instances(rows, connection)
