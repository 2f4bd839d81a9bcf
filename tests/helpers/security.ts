/**
 * What the session store holds on the server, in bytes, with every driver
 * (tests/helpers/session_store.ts queries the stores). The cookie driver
 * keeps nothing on the server: what it stores travels in the visitor's
 * cookie jar.
 */
export { storedBytesInAll as storedBytes } from './session_store'
