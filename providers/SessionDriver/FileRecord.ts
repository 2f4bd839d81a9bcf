/*
 * The file driver's session file: its format, read and written. The file
 * starts with a line that gives the byte length and hash of the record
 * after it, so that a reader that meets the file mid-write (readers take no
 * lock) can tell.
 */

import crypto from 'node:crypto'
import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs'
import { isEnded, unpackRecord } from './Change'

/**
 * The characters of the record's SHA-1 (base64url) that the first line
 * keeps, after the record's byte length and a space.
 */
const DIGEST_LENGTH = 16

/**
 * A record as its session file holds it: the first line, then the record.
 */
export function sealFileRecord(record: string) {
  const body = Buffer.from(record)
  return Buffer.concat([Buffer.from(`${body.length} ${digest(body)}\n`), body])
}

/**
 * The record in a session file, or null when the file does not check out:
 * empty, cut short, mixed with the record it replaces, or not in this
 * format. Bytes past the record's length are the tail of a longer record
 * that the writer has yet to cut off.
 */
export function openFileRecord(file: Buffer): string | null {
  // Read by hand: every request of a returning visitor reads a record, and
  // a regular expression on the line as a string costs twice as much.
  let length = 0
  let at = 0
  while (at < 9 && file[at] >= 0x30 && file[at] <= 0x39) {
    length = length * 10 + file[at++] - 0x30
  }
  const start = at + 1 + DIGEST_LENGTH + 1
  if (at === 0 || file[at] !== 0x20 || file[start - 1] !== 0x0a || file.length < start + length) {
    return null
  }
  const body = file.subarray(start, start + length)
  return digest(body) === file.toString('latin1', at + 1, start - 1) ? body.toString() : null
}

/**
 * The record in a session file read while no writer is at work: one that
 * checks out, or a plain JSON record of an earlier version of the driver
 * when it is a valid record or end marker of this session. Anything else
 * is no session.
 */
export function settledRecord(sessionId: string, file: Buffer | null) {
  const record = file && openFileRecord(file)
  if (file === null || record !== null) {
    return record
  }
  const text = file.toString()
  return unpackRecord(sessionId, text) || isEnded(sessionId, text) ? text : null
}

/**
 * `crypto.hash` (Node 20.12) costs half as much as `createHash`; the app
 * runs on any Node 20.
 */
const sha1 = crypto.hash
  ? (body: Buffer) => crypto.hash('sha1', body, 'base64url')
  : (body: Buffer) => crypto.createHash('sha1').update(body).digest('base64url')

function digest(body: Buffer) {
  return sha1(body).slice(0, DIGEST_LENGTH)
}

/**
 * A file's bytes, or null when there is no such file.
 */
export function readOrNull(path: string) {
  try {
    return readFileSync(path)
  } catch (error) {
    if (error.code === 'ENOENT') {
      return null
    }
    throw error
  }
}

/**
 * Writes over an existing file without emptying it first: from the start,
 * then cut to the new length. False when there is no such file.
 */
export function overwrite(path: string, data: Buffer) {
  let fd: number
  try {
    fd = openSync(path, 'r+')
  } catch (error) {
    if (error.code === 'ENOENT') {
      return false
    }
    throw error
  }
  try {
    for (let done = 0; done < data.length;) {
      done += writeSync(fd, data, done, data.length - done, done)
    }
    ftruncateSync(fd, data.length)
  } finally {
    closeSync(fd)
  }
  return true
}
