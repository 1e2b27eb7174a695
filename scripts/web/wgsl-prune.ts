/**
 * Build-time WGSL tree-shaker for the browser bundle: shaders/*.wgsl stay the one source of truth, and the bundle
 * inlines only what inference runs. `pruneWgsl` keeps the named entry points and, transitively, every module-scope
 * declaration they name; other entry points (backward, training) and the bindings, helpers, constants and overrides
 * only they use are dropped. Comments go, whitespace is compacted; line breaks stay so Tint's `line:column` messages
 * still point somewhere readable.
 *
 * Tokenizer-light: references are found by identifier tokens (members excepted), not by scopes, so a local that
 * shadows a module-scope name keeps that declaration too. That only over-keeps: a module-scope `var` that no kept entry point statically
 * uses is not part of its pipeline layout, so the result compiles and binds exactly as the full file does.
 */

/** One top-level item of a WGSL module: a directive or a declaration with the attributes in front of it. */
interface Item {
  /** Source text, comments already stripped. */
  readonly text: string;
  /** Declared name; undefined for directives and const_assert. */
  readonly name: string | undefined;
  /** A `fn` carrying @compute, @vertex or @fragment. */
  readonly isEntry: boolean;
}

const DIRECTIVES = new Set(['enable', 'requires', 'diagnostic']);
const DECLARATIONS = new Set(['struct', 'fn', 'var', 'const', 'override', 'alias']);
const STAGE_ATTRIBUTES = /@(compute|vertex|fragment)\b/;
/**
 * Names, with a leading `.` when they are a member or swizzle (`gid.x` does not reference a buffer `x`). Numbers are
 * matched first, so the `u` of `1u` or the `e5f` of `1e5f` is not taken for a name.
 */
const TOKENS = /[0-9][0-9A-Za-z_.]*|(?:\.\s*)?[A-Za-z_][A-Za-z0-9_]*/g;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const WORD = /[A-Za-z0-9_]/;
/** Characters that could fuse into a different token if the space between two of them went (`- -`, `/ *`, `& &`). */
const OPERATOR = /[-+*/%&|^<>=!.]/;

/**
 * `source` reduced to the given entry points and what they reference, comments stripped and whitespace compacted.
 * Directives (`enable`, `requires`, `diagnostic`) and `const_assert`s are always kept. Throws an Error naming
 * `file` and the entry when a requested entry point is not in the source.
 */
export function pruneWgsl(source: string, entryPoints: readonly string[], file = 'wgsl'): string {
  const items = splitItems(stripComments(source, file), file);
  const byName = new Map<string, Item>();
  for (const item of items) if (item.name !== undefined) byName.set(item.name, item);

  const kept = new Set<Item>();
  const pending: Item[] = [];
  const keep = (item: Item) => {
    if (!kept.has(item)) { kept.add(item); pending.push(item); }
  };
  for (const entry of entryPoints) {
    const item = byName.get(entry);
    if (item === undefined || !item.isEntry) {
      const known = items.filter((i) => i.isEntry).map((i) => i.name).join(', ');
      throw new Error(`${file}: no entry point '${entry}' (entry points: ${known})`);
    }
    keep(item);
  }
  for (const item of items) if (item.name === undefined) keep(item);
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    for (const token of item.text.match(TOKENS) ?? []) {
      const target = byName.get(token);  // undefined for numbers and members
      // Entry points cannot be called, so a token naming one is a local or a member, never a reference.
      if (target !== undefined && !target.isEntry) keep(target);
    }
  }
  return items.filter((i) => kept.has(i)).map((i) => compact(i.text)).join('\n') + '\n';
}

/**
 * Removes `//` line comments and `/* *\/` block comments (which nest in WGSL). A block comment becomes its line
 * breaks, or one space, so no two tokens join and line numbers stay those of the source.
 */
export function stripComments(source: string, file = 'wgsl'): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    if (source.startsWith('//', i)) {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i++;
    } else if (source.startsWith('/*', i)) {
      const start = i;
      let depth = 0;
      let breaks = '';
      do {
        if (source.startsWith('/*', i)) { depth++; i += 2; }
        else if (source.startsWith('*/', i)) { depth--; i += 2; }
        else if (i >= source.length) throw new Error(`${file}:${lineOf(source, start)}: unterminated block comment`);
        else { if (source[i] === '\n') breaks += '\n'; i++; }
      } while (depth > 0);
      out += breaks === '' ? ' ' : breaks;
    } else {
      out += source[i++];
    }
  }
  return out;
}

/** Splits comment-free WGSL into its top-level items, each from its first attribute to its closing `}` or `;`. */
function splitItems(text: string, file: string): Item[] {
  const items: Item[] = [];
  let i = 0;
  const fail: (what: string) => never = (what) => {
    throw new Error(`${file}:${lineOf(text, i)}: ${what}`);
  };
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const word = (): string => {
    skipSpace();
    NAME.lastIndex = i;
    const match = NAME.exec(text);
    if (match === null) return fail('expected a name');
    i += match[0].length;
    return match[0];
  };
  // Index just past the bracket closing the one at `i` (`(` `[` `{` `<`); only the opening kind is counted, which
  // is enough: WGSL has no strings, and these brackets nest properly in every place this is called.
  const close = (open: string, shut: string): number => {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      if (text[j] === open) depth++;
      else if (text[j] === shut && --depth === 0) return j + 1;
    }
    return fail(`no '${shut}' closing this '${open}'`);
  };
  const to = (stop: string): number => {
    for (let depth = 0, j = i; j < text.length; j++) {
      const c = text[j]!;
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth--;
      else if (depth === 0 && c === stop) return j + 1;
    }
    return fail(`no '${stop}' ending this declaration`);
  };

  for (skipSpace(); i < text.length; skipSpace()) {
    if (text[i] === ';') { i++; continue; }  // an empty global declaration
    const start = i;
    while (text[i] === '@') {  // attributes: @name or @name(…)
      i++;
      word();
      skipSpace();
      if (text[i] === '(') i = close('(', ')');
      skipSpace();
    }
    const attributes = text.slice(start, i);
    const kind = word();
    let name: string | undefined;
    if (DIRECTIVES.has(kind) || kind === 'const_assert') {
      i = to(';');
    } else if (!DECLARATIONS.has(kind)) {
      i = start;
      fail(`unexpected '${kind}' at module scope`);
    } else {
      if (kind === 'var') {
        skipSpace();
        if (text[i] === '<') i = close('<', '>');
      }
      name = word();
      if (kind === 'fn' || kind === 'struct') {
        const body = text.indexOf('{', i);
        if (body < 0) fail(`${kind} ${name} has no body`);
        i = body;
        i = close('{', '}');
        if (kind === 'struct' && /^\s*;/.test(text.slice(i, i + 64))) i = text.indexOf(';', i) + 1;
      } else {
        i = to(';');
      }
    }
    items.push({ text: text.slice(start, i), name, isEntry: kind === 'fn' && STAGE_ATTRIBUTES.test(attributes) });
  }
  return items;
}

/**
 * Each run of whitespace becomes one line break if it held one, else one space where two words or two operator
 * characters meet (`let x`, `a - -b`), else nothing (`f(a, b)` → `f(a,b)`).
 */
function compact(text: string): string {
  const trimmed = text.trim();
  return trimmed.replace(/\s+/g, (run: string, offset: number) => {
    if (run.includes('\n') || run.includes('\r')) return '\n';
    const before = trimmed[offset - 1] ?? '';
    const after = trimmed[offset + run.length] ?? '';
    const fuses = (WORD.test(before) && WORD.test(after)) || (OPERATOR.test(before) && OPERATOR.test(after));
    return fuses ? ' ' : '';
  });
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let j = 0; j < index && j < text.length; j++) if (text[j] === '\n') line++;
  return line;
}
