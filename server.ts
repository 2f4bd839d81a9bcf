/*
|--------------------------------------------------------------------------
| AdonisJs Server
|--------------------------------------------------------------------------
|
| The contents in this file is meant to bootstrap the AdonisJs application
| and start the HTTP server to accept incoming connections.
|
*/

import 'reflect-metadata'
import sourceMapSupport from 'source-map-support'
import { Ignitor } from '@adonisjs/core/build/standalone'
import { createHttpServer } from './providers/HttpServer'

// A boot error is printed by youch-terminal, wrapped at the terminal's width.
// Without a terminal (a pipe, a log file) there is no width, and it wrapped
// after every word: give it a width that wraps nothing.
if (!process.stdout.isTTY) {
  process.stdout.columns = 1000
}

sourceMapSupport.install({ handleUncaughtExceptions: false })

const server = new Ignitor(__dirname).httpServer()
server.start(createHttpServer).then(() => {
  /**
   * An error thrown outside a request's promise chain (in a stream's event
   * handler, say) reaches no exception handler, and Node would end the
   * process, and every request in flight with it. Once the app serves, such
   * an error is logged on one line and the server keeps serving. The
   * Ignitor's own monitor would log the same error a second time, as fatal.
   */
  const logger = server.application.logger
  process.removeAllListeners('uncaughtExceptionMonitor')
  process.on('uncaughtException', (error, origin) => {
    logger.error({ err: error, origin }, 'uncaught error, still serving: %s', error.message)
  })
})
