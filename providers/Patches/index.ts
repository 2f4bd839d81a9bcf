/**
 * Whether the app runs its speed patches: APP_PATCHES=off (env.ts) runs the
 * stock code of every patched package instead, so that a reader can compare
 * the two and a package upgrade can be tried before its patch is redone.
 * A plain read of the environment, which env.ts has validated at boot and
 * which anything may call, a module with no IoC container included.
 */
export function patchesEnabled() {
  return process.env.APP_PATCHES !== 'off'
}
