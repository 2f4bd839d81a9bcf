/*
 * Patch: a render's state reads Edge's globals through its prototype instead
 * of copying them.
 *
 * Gain, measured with it off (server CPU per request, cookie driver;
 * docs/patches.md): a returning visitor's page 209 µs instead of 283; a
 * language switch renders nothing (222 and 212 µs, within the noise).
 *
 * If edge.js changes: boot stops when a member below is gone. What the check
 * cannot see: the patch rewrites Template#renderCompiled and
 * #getComponentState, and reads the renderer's `globals`, `locals`,
 * `processor`, `compiler` and `asyncCompiler`. A new key in a component's
 * state, a new processor hook or a renamed field would be missed, silently or
 * with a TypeError on every page: compare these with the new version's
 * Template and Renderer before raising the pin.
 */
import { lodash } from '@poppinss/utils'
import { PatchTarget, patchTarget } from './patchTarget'

/**
 * Edge 5 builds a render's state by copying every global (about 45 helpers
 * here) into a new object twice per render, and once more per component:
 * with lodash's deep merge of the globals and the request's locals, then
 * with `Object.assign` of that and the render's own values. Objects of some
 * fifty keys that V8 keeps as dictionaries: a few dozen microseconds per
 * page. Every `view.share()` deep merges too, a redirect's included, which
 * renders nothing.
 *
 * Here the state of a render is an object whose prototype is the globals
 * object, and which holds the locals and the render's own values: a template
 * reads `state.t` or `state.route` through the prototype, and never sees a
 * difference. Only the globals object itself is a prototype: making a new
 * object a prototype costs V8 more than the copy it saves.
 *
 * A deep merge differs from assigning only for values it copies: plain
 * objects, arrays, typed arrays and arguments objects, which it merges key by
 * key. Every other value (a function, a class instance such as `request`,
 * `i18n` or `flashMessages`, a string) it assigns as it is, and `undefined`
 * does not replace a value. `assignState` does the same, and still merges the
 * values that are copied, globals included, so each render gets its own copy
 * of them as before.
 */
function assignState(target: Record<string, any>, source: Record<string, any> | undefined) {
  for (const key in source) {
    const value = source[key]
    if (isCopied(value)) {
      lodash.merge(target, { [key]: value })
    } else if (value !== undefined || !(key in target)) {
      target[key] = value
    }
  }
  return target
}

/**
 * Whether lodash's merge may copy the value rather than assign it: arrays,
 * typed arrays and objects that are no class instance. Counting a value too
 * many is harmless: it then goes through lodash's merge.
 */
function isCopied(value: unknown) {
  if (typeof value !== 'object' || value === null) {
    return false
  }
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    return true
  }
  const proto = Object.getPrototypeOf(value)
  return proto === null || proto.constructor === Object
}

/**
 * An object that reads the globals through its prototype, and holds its own
 * copy of those that a deep merge would copy.
 */
function onGlobals(globals: Record<string, any>) {
  const state = Object.create(globals)
  for (const key in globals) {
    if (isCopied(globals[key])) {
      lodash.merge(state, { [key]: globals[key] })
    }
  }
  return state
}

/** What the patch replaces or reads, checked at boot. */
export const targets: PatchTarget[] = [
  {
    package: 'edge.js',
    writtenFor: '5.5.1',
    module: 'edge.js/build/src/Template',
    members: [
      'Template.prototype.renderCompiled',
      'Template.prototype.getComponentState',
      'Template.prototype.wrapToFunction',
      'Template.prototype.trimTopBottomNewLines',
    ],
  },
  {
    package: 'edge.js',
    writtenFor: '5.5.1',
    module: 'edge.js/build/src/Component/Props',
    members: ['Props'],
  },
  {
    package: 'edge.js',
    writtenFor: '5.5.1',
    module: 'edge.js/build/src/Renderer',
    members: [
      'EdgeRenderer.prototype.share',
      'EdgeRenderer.prototype.render',
      'EdgeRenderer.prototype.renderSync',
      'EdgeRenderer.prototype.renderRaw',
      'EdgeRenderer.prototype.renderRawSync',
    ],
  },
]

export function shareViewStateShallowly() {
  const { Template } = patchTarget<typeof import('edge.js/build/src/Template')>(targets[0])
  const { Props } = patchTarget<typeof import('edge.js/build/src/Component/Props')>(targets[1])
  const { EdgeRenderer } = patchTarget<typeof import('edge.js/build/src/Renderer')>(targets[2])

  /**
   * Edge's Template, whose states read the globals through their prototype;
   * `sharedState` holds the locals and the copied globals, and each state
   * made from it copies those only. Its `renderCompiled` is Edge's but for
   * the first line.
   */
  class SharedStateTemplate extends (Template as new (...args: any[]) => any) {
    private globals: Record<string, any>

    constructor(compiler: any, globals: Record<string, any>, locals: any, processor: any) {
      super(compiler, {}, {}, processor)
      this.globals = globals
      this.sharedState = assignState(onGlobals(globals), locals)
    }

    private stateWith(...values: Record<string, any>[]) {
      return Object.assign(Object.create(this.globals), this.sharedState, ...values)
    }

    public renderCompiled(compiledTemplate: string, state: any) {
      const templateState = this.stateWith(state)
      const $context = {}
      if (this.compiler.async) {
        return this.wrapToFunction(compiledTemplate)(this, templateState, $context).then(
          (output: string) => {
            output = this.trimTopBottomNewLines(output)
            return this.processor.executeOutput({ output, template: this, state: templateState })
          }
        )
      }
      const output = this.trimTopBottomNewLines(
        this.wrapToFunction(compiledTemplate)(this, templateState, $context)
      )
      return this.processor.executeOutput({ output, template: this, state: templateState })
    }

    public getComponentState(props: any, slots: any, caller: any) {
      return this.stateWith(props, { $slots: slots, $caller: caller, $props: new Props(props) })
    }
  }

  const proto = EdgeRenderer.prototype as any
  proto.share = function (data: Record<string, any>) {
    assignState(this.locals, data)
    return this
  }
  proto.render = async function (templatePath: string, state = {}) {
    return this.template(this.asyncCompiler).render(templatePath, state)
  }
  proto.renderSync = function (templatePath: string, state = {}) {
    return this.template(this.compiler).render(templatePath, state)
  }
  proto.renderRaw = async function (contents: string, state = {}, templatePath?: string) {
    return this.template(this.asyncCompiler).renderRaw(contents, state, templatePath)
  }
  proto.renderRawSync = function (contents: string, state = {}, templatePath?: string) {
    return this.template(this.compiler).renderRaw(contents, state, templatePath)
  }
  proto.template = function (compiler: any) {
    return new SharedStateTemplate(compiler, this.globals, this.locals, this.processor)
  }
}
