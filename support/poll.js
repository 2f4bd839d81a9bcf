/*
|--------------------------------------------------------------------------
| Waiting for something to happen
|--------------------------------------------------------------------------
|
| Polls instead of sleeping: a fixed sleep is too short on a busy machine
| and wasted time on an idle one.
|
*/

/**
 * Calls `check` until it returns a truthy value, and returns that value.
 * Throws `message` (with the last error `check` threw, if any) once
 * `timeoutMs` have passed.
 */
async function until(check, { timeoutMs = 5000, intervalMs = 50, message = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs
  let lastError
  for (;;) {
    try {
      const value = await check()
      if (value) {
        return value
      }
    } catch (error) {
      lastError = error
    }
    if (Date.now() > deadline) {
      const reason = lastError ? ` (last error: ${lastError.message})` : ''
      throw new Error(`Gave up after ${timeoutMs} ms waiting for ${message}${reason}`)
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

module.exports = { until }
