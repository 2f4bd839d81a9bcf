/*
|--------------------------------------------------------------------------
| View globals
|--------------------------------------------------------------------------
|
| The one value the app's views read that no provider shares: the footer's
| session driver.
|
*/

import View from '@ioc:Adonis/Core/View'
import Env from '@ioc:Adonis/Core/Env'

View.global('sessionDriver', Env.get('SESSION_DRIVER'))
