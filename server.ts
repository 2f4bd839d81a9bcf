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
import { createHttpServer } from './app/Services/HttpServer'

// A boot error is printed by youch-terminal, wrapped at the terminal's width.
// Without a terminal (a pipe, a log file) there is no width, and it wrapped
// after every word: give it a width that wraps nothing.
if (!process.stdout.isTTY) {
  process.stdout.columns = 1000
}

sourceMapSupport.install({ handleUncaughtExceptions: false })

new Ignitor(__dirname).httpServer().start(createHttpServer)
