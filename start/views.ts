/*
|--------------------------------------------------------------------------
| View globals
|--------------------------------------------------------------------------
|
| Values every page can read.
|
*/

import View from '@ioc:Adonis/Core/View'
import SessionStore from 'App/Services/SessionStore'

View.global('sessionDriver', SessionStore.driver)
