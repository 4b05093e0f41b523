/**
 * The `sql` block (translator-spec.md §10): only for SQL database systems.
 *
 * Deviation (option `stableDbConventions`, default on): the collector reads only the old database
 * conventions (`db.system`, `db.name`, `db.statement`, `db.user`, `db.connection_string`) unless
 * its gate `exporter.awsxray.EmitV1DBConventions` is on, and today's instrumentations (pg, mysql,
 * mysql2, tedious, oracledb, knex, …) write only the stable ones. Each stable key is read when its
 * old key is absent (`db.system.name`, `db.namespace`, `db.query.text`, `user.name`), and the
 * renamed systems `ibm.db2`, `microsoft.sql_server`, `oracle.db` count as SQL. A span of the stable
 * conventions (no `db.system`, no `db.connection_string`) has no connection string: its `url` and
 * `connection_string` are then built as the classic X-Ray SDK writes its `url`,
 * `<system>://<server.address>:<server.port>/<db.namespace>`, instead of the span name and
 * `localhost/<db>`, and no `sanitized_query` when it has no query (a connect span).
 */
import {
  DB_CONNECTION_STRING,
  DB_NAME,
  DB_NAMESPACE,
  DB_QUERY_TEXT,
  DB_STATEMENT,
  DB_SYSTEM,
  DB_SYSTEM_NAME,
  DB_USER,
  DEFAULT_SQL_HOST,
  SERVER_ADDRESS,
  SERVER_PORT,
  SQL_SYSTEMS,
  SQL_URL_SCHEMES,
  STABLE_SQL_SYSTEMS,
  USER_NAME,
} from './constants';
import type { Sql } from './document';
import type { AttributesLike } from './types';
import { int, str } from './values';

export function makeSql(
  spanName: string,
  attributes: AttributesLike,
  consumed: Set<string>,
  stableConventions: boolean,
): Sql | undefined {
  const oldSystem = attributes[DB_SYSTEM];
  const system = oldSystem === undefined && stableConventions ? attributes[DB_SYSTEM_NAME] : oldSystem;
  if (typeof system !== 'string') return undefined;
  if (!SQL_SYSTEMS.has(system) && !(stableConventions && STABLE_SQL_SYSTEMS.has(system))) return undefined;
  consumed.add(DB_CONNECTION_STRING);
  consumed.add(DB_SYSTEM);
  consumed.add(DB_NAME);
  consumed.add(DB_STATEMENT);
  consumed.add(DB_USER);
  if (!stableConventions) {
    return sqlBlock(
      spanName,
      str(attributes[DB_CONNECTION_STRING]),
      str(attributes[DB_NAME]),
      str(attributes[DB_STATEMENT]),
      system,
      str(attributes[DB_USER]),
    );
  }
  // The collector with its gate on consumes the stable keys too (read or not).
  consumed.add(DB_SYSTEM_NAME);
  consumed.add(DB_NAMESPACE);
  consumed.add(DB_QUERY_TEXT);
  consumed.add(USER_NAME);
  const database = str(either(attributes, DB_NAME, DB_NAMESPACE));
  let connection = str(attributes[DB_CONNECTION_STRING]);
  let url = spanName;
  if (oldSystem === undefined && attributes[DB_CONNECTION_STRING] === undefined) {
    const server = serverUrl(system, attributes);
    if (server !== '') {
      connection = server;
      url = server + '/' + database;
    }
  }
  const statement = str(either(attributes, DB_STATEMENT, DB_QUERY_TEXT));
  return sqlBlock(
    url,
    connection,
    database,
    // A span of the stable conventions without a query (a connect span): no sanitized_query, as
    // the classic SDK, instead of the collector's empty one.
    statement === '' && oldSystem === undefined ? undefined : statement,
    system,
    str(either(attributes, DB_USER, USER_NAME)),
  );
}

function sqlBlock(
  url: string,
  connection: string,
  database: string,
  statement: string | undefined,
  system: string,
  user: string,
): Sql {
  const sql: Sql = {
    connection_string: (connection !== '' ? connection : DEFAULT_SQL_HOST) + '/' + database,
    // The collector deliberately uses the span name, not the connection string, as the URL.
    url,
  };
  if (statement !== undefined) sql.sanitized_query = statement;
  sql.database_type = system;
  if (user !== '') sql.user = user;
  return sql;
}

/** The old key's value when present, else the stable key's. */
function either(attributes: AttributesLike, oldKey: string, stableKey: string): unknown {
  const value = attributes[oldKey];
  return value !== undefined ? value : attributes[stableKey];
}

/**
 * `<scheme>://<server.address>[:<server.port>]` (an IPv6 address in brackets); `''` without an
 * address or for a system without a URL scheme (`other_sql`).
 */
function serverUrl(system: string, attributes: AttributesLike): string {
  const host = str(attributes[SERVER_ADDRESS]);
  const scheme = SQL_URL_SCHEMES.get(system) ?? system;
  if (host === '' || scheme === '') return '';
  let url =
    scheme + '://' + (host.indexOf(':') >= 0 && host.charCodeAt(0) !== 91 /* [ */ ? '[' + host + ']' : host);
  const port = attributes[SERVER_PORT];
  const portText = typeof port === 'string' ? port : int(port) > 0 ? String(int(port)) : '';
  if (portText !== '') url += ':' + portText;
  return url;
}
