"""Inserting many rows of one model at once without model instances, for the few services
that write hundreds of thousands of rows in one go (a matchmaking run's recommendations):
`bulk_create` spends most of its time building and preparing one model instance per row."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connections, models, router

# Fields whose Python values are already what the database takes (no conversion to skip).
_PLAIN = (models.IntegerField, models.FloatField, models.BooleanField, models.ForeignKey)
_ROWS_PER_STATEMENT = 1000
_PARAMS_PER_STATEMENT = 32000  # under SQLite's and PostgreSQL's limits on parameters


def rows_insert(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """INSERT `rows` (tuples of values for `fields`, by attribute name, e.g. `run_id`) into
    `model`'s table, many rows per statement (PostgreSQL: one COPY); returns how many.

    Like `bulk_create` without primary keys returned: no model instances, no signals, no
    `auto_now` nor Python defaults (give every column without a database default). Values of
    fields other than numbers, booleans and foreign keys go through the field's
    `get_db_prep_save` (JSON, dates), as `bulk_create` does. Call it inside a transaction.
    """
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    prepare = [
        None if isinstance(field, _PLAIN) and not field.primary_key else field for field in columns
    ]
    per_statement = max(1, min(_ROWS_PER_STATEMENT, _PARAMS_PER_STATEMENT // len(columns)))
    quote = connection.ops.quote_name
    # Only the model's own quoted table and column names are in the text; values are params.
    head = "INSERT INTO {} ({}) VALUES ".format(  # noqa: S608
        quote(meta.db_table), ", ".join(quote(field.column) for field in columns)
    )
    one = "({})".format(", ".join(["%s"] * len(columns)))
    iterator, written = iter(rows), 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: a third of the time of multi-row INSERTs, whose parameters psycopg binds
            # one by one on the client.
            target = head.removeprefix("INSERT INTO ").removesuffix(" VALUES ")
            with cursor.cursor.copy(f"COPY {target} FROM STDIN") as copy:
                for row in iterator:
                    copy.write_row(
                        [v if f is None else f.get_db_prep_save(v, connection)
                         for f, v in zip(prepare, row, strict=True)]
                    )  # fmt: skip
                    written += 1
            return written
        while batch := list(islice(iterator, per_statement)):
            params = [
                v if f is None else f.get_db_prep_save(v, connection)
                for row in batch
                for f, v in zip(prepare, row, strict=True)
            ]
            cursor.execute(head + ", ".join([one] * len(batch)), params)
            written += len(batch)
    return written
