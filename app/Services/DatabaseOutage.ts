/**
 * Socket errors of a database server that is down, restarting or out of
 * reach.
 */
const NETWORK_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE']

/**
 * PostgreSQL's own codes for the same: the connection_exception class (08…),
 * a server shutting down or starting up (57P01–57P03), and a statement cut by
 * statement_timeout (57014).
 */
const POSTGRES_CODES = /^(08\w{3}|57P0[123]|57014)$/

/**
 * SQLite's file locked by another process past the busy timeout
 * (config/database.ts).
 */
const SQLITE_CODES = ['SQLITE_BUSY', 'SQLITE_LOCKED']

/**
 * What pg and knex say when a connection ends or never comes: pg's
 * connectionTimeoutMillis and query_timeout, and knex's pool timeout.
 */
const MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Query read timeout/

/**
 * Whether an error means that the database does not answer, as opposed to a
 * bug or a bad query: the visitor then gets the 503 page, and the next
 * request, once the database is back, works without a restart.
 */
export function isDatabaseOutage(error: any) {
  if (!error || typeof error !== 'object') {
    return false
  }
  return (
    NETWORK_CODES.includes(error.code) ||
    SQLITE_CODES.includes(error.code) ||
    POSTGRES_CODES.test(error.code) ||
    error.name === 'KnexTimeoutError' ||
    MESSAGES.test(String(error.message))
  )
}
