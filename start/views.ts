/*
|--------------------------------------------------------------------------
| View globals
|--------------------------------------------------------------------------
|
| Values every page can read.
|
*/

import View from '@ioc:Adonis/Core/View'
import Config from '@ioc:Adonis/Core/Config'
import SessionStore from 'App/Services/SessionStore'

View.global('sessionDriver', SessionStore.driver)
View.global('instanceName', Config.get('app.instanceName'))
