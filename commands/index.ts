import { listDirectoryFiles } from '@adonisjs/core/build/standalone'
import Application from '@ioc:Adonis/Core/Application'

/*
|--------------------------------------------------------------------------
| Exporting an array of commands
|--------------------------------------------------------------------------
|
| The project's own ace commands: every file in this folder but this one.
|
*/
export default listDirectoryFiles(__dirname, Application.appRoot, ['./commands/index'])
