/** The `sql` block (translator-spec.md §10): only for SQL `db.system` values. */
import {
  DB_CONNECTION_STRING,
  DB_NAME,
  DB_STATEMENT,
  DB_SYSTEM,
  DB_USER,
  DEFAULT_SQL_HOST,
  SQL_SYSTEMS,
} from './constants';
import type { Sql } from './document';
import type { AttributesLike } from './types';
import { str } from './values';

export function makeSql(
  spanName: string,
  attributes: AttributesLike,
  consumed: Set<string>,
): Sql | undefined {
  const system = attributes[DB_SYSTEM];
  if (typeof system !== 'string' || !SQL_SYSTEMS.has(system)) return undefined;
  let connection = str(attributes[DB_CONNECTION_STRING]);
  if (connection === '') connection = DEFAULT_SQL_HOST;
  consumed.add(DB_CONNECTION_STRING);
  consumed.add(DB_SYSTEM);
  consumed.add(DB_NAME);
  consumed.add(DB_STATEMENT);
  consumed.add(DB_USER);
  const sql: Sql = {
    connection_string: connection + '/' + str(attributes[DB_NAME]),
    // The collector deliberately uses the span name, not the connection string, as the URL.
    url: spanName,
    sanitized_query: str(attributes[DB_STATEMENT]),
    database_type: system,
  };
  const user = str(attributes[DB_USER]);
  if (user !== '') sql.user = user;
  return sql;
}
