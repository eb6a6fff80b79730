import { builtinCheckTypes } from '../checks/builtin';
import { CheckType, CompiledCall } from '../checks/checkType';
import { CatalogIndex, catalogMemo } from '../catalog/catalogIndex';
import { redactUrlCredentials } from '../model/urlCredentials';
import { CompiledStandard } from '../standard/compiledStandard';

/**
 * Whether an evaluation may skip redacting URL credentials from the outcomes of its built-in
 * checks, decided from its inputs instead of from every text it writes.
 *
 * Why: redacting each outcome scans every text the checks have just concatenated, which makes
 * V8 flatten each of them first; that was a quarter of the engine's time (docs/benchmarks.md).
 * The texts the engine reads are flat (parsed from JSON) and fewer.
 *
 * The rule: no built-in check type writes an `@` or a URL scheme of its own
 * (`credentialFreeInputs.test.ts` holds them to it), so a built-in's outcome can carry URL
 * credentials only when a text it read held some. The entity is looked at per evaluation;
 * evidence as the evaluation context reads it (each fact a check reads, the entity's ledger
 * records and edges, once per item by identity; the health list each time); the
 * standard and the catalog snapshot once each (they serve many). A text without `@` is passed
 * over with one `indexOf`; one with an `@` (a workflow ref `deploy.yml@v3`, a group's e-mail
 * address) is scanned as the redaction would scan it.
 * Whatever cannot be told (an extension check type, a catalog index not built by
 * `indexCatalog`, a value nested too deep) takes the redacting path, which is always right.
 */

/** Nesting beyond which a value is not walked further and counts as holding credentials. */
const MAX_DEPTH = 32;

/**
 * Whether the text holds a URL with credentials, also once written after a `kind:` (the engine
 * writes refs as `kind:namespace/name`, so a namespace `//u:p@h` would become one); one
 * `indexOf` for text without `@`.
 */
function textHoldsCredentials(text: string): boolean {
  if (text.indexOf('@') === -1) return false;
  const prefixed = `x:${text}`;
  return redactUrlCredentials(prefixed) !== prefixed;
}

/**
 * Whether any string or object key in the JSON-like value (an entity, an evidence fact, a
 * ledger record) holds a URL with credentials. Per evaluation, so plain objects and arrays only.
 */
export function holdsCredentials(value: unknown, depth: number = 0): boolean {
  if (typeof value === 'string') return textHoldsCredentials(value);
  if (value === null || typeof value !== 'object') return false;
  if (depth > MAX_DEPTH) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++)
      if (holdsCredentials(value[i], depth + 1)) return true;
    return false;
  }
  for (const key in value) {
    if (
      textHoldsCredentials(key) ||
      holdsCredentials((value as Record<string, unknown>)[key], depth + 1)
    )
      return true;
  }
  return false;
}

/** Whether any item of the list holds a URL with credentials (see `holdsCredentials`). */
export function anyHoldsCredentials(items: readonly unknown[]): boolean {
  for (let i = 0; i < items.length; i++)
    if (holdsCredentials(items[i])) return true;
  return false;
}

/** Ends one record's keys and values in `FlatListMemo.content`. */
const RECORD_END = Object.freeze({});

/** The last flat list walked by `listHoldsCredentials`: its keys and values, and its verdict. */
interface FlatListMemo {
  /** Per record, each key then its value (in `for...in` order), then `RECORD_END`. */
  content: unknown[];
  verdict: boolean;
}

let lastFlatList: FlatListMemo | undefined;

/** Adds a key and its value to `content`; false (nothing added) for a value that is an object. */
function addFlat(content: unknown[], key: string, value: unknown): boolean {
  if (value !== null && typeof value === 'object') return false;
  content.push(key, value);
  return true;
}

/**
 * The keys and values of a list of flat records (objects, not arrays, whose values are not
 * objects) in the order `holdsCredentials` walks them; undefined for any other list.
 */
function flatContent(items: readonly unknown[]): unknown[] | undefined {
  const content: unknown[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item === null || typeof item !== 'object' || Array.isArray(item))
      return undefined;
    // Every key `for...in` gives, as the walk reads them (inherited enumerable ones too).
    for (const key in item) {
      if (!addFlat(content, key, (item as Record<string, unknown>)[key]))
        return undefined;
    }
    content.push(RECORD_END);
  }
  return content;
}

/** Whether the records hold exactly `content`'s keys and values, in the same order. */
function sameContent(
  items: readonly unknown[],
  content: readonly unknown[],
): boolean {
  let j = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item === null || typeof item !== 'object' || Array.isArray(item))
      return false;
    for (const key in item) {
      // Its key, then its value (`j` moves past both).
      if (
        content[j++] !== key ||
        content[j++] !== (item as Record<string, unknown>)[key]
      )
        return false;
    }
    if (content[j++] !== RECORD_END) return false;
  }
  return j === content.length;
}

/**
 * `anyHoldsCredentials` for a list looked at in full for every evaluation (the source-health
 * list: one shared list may be changed in place between two evaluations). A list of flat records
 * whose every key and value equals, in order, those of the last list walked has that list's
 * verdict (the walk reads nothing else): comparing them is several times cheaper than scanning
 * each text again (a few per cent of an evaluation).
 */
export function listHoldsCredentials(items: readonly unknown[]): boolean {
  const last = lastFlatList;
  if (last !== undefined && sameContent(items, last.content))
    return last.verdict;
  const verdict = anyHoldsCredentials(items);
  const content = flatContent(items);
  lastFlatList = content === undefined ? undefined : { content, verdict };
  return verdict;
}

/** The verdict on each evidence item (fact, ledger record, edge, collection status) already walked. */
const itemVerdicts = new WeakMap<object, boolean>();

/**
 * `anyHoldsCredentials` for evidence items, each walked once: the catalog module's evidence
 * mirror hands the same fact objects to every pass until they change (then new objects), an
 * owner group's facts serve each of its entities, and facts are most of what an evaluation
 * reads (walking them every time cost more than the redaction it spares). Evaluation inputs
 * are read as immutable: an item changed in place after it was evaluated keeps its verdict.
 */
export function anyEvidenceHoldsCredentials(items: readonly object[]): boolean {
  for (let i = 0; i < items.length; i++)
    if (evidenceHoldsCredentials(items[i])) return true;
  return false;
}

/** `holdsCredentials` of one evidence item, walked once (see `anyEvidenceHoldsCredentials`). */
export function evidenceHoldsCredentials(item: object): boolean {
  let verdict = itemVerdicts.get(item);
  if (verdict === undefined) {
    verdict = holdsCredentials(item);
    itemVerdicts.set(item, verdict);
  }
  return verdict;
}

/**
 * Whether any string or key in the value holds a URL with credentials. Walks Maps, Sets and
 * class instances' own fields too (compiled standards and configs hold them), skips functions,
 * walks an object met twice once, and counts a too-deep value as holding some: it runs once per
 * standard or snapshot, not per evaluation.
 */
export function holdsUrlCredentials(
  value: unknown,
  seen: Set<object> = new Set(),
  depth: number = 0,
): boolean {
  if (typeof value === 'string') return textHoldsCredentials(value);
  if (value === null || typeof value !== 'object') return false;
  if (depth > MAX_DEPTH) return true;
  if (seen.has(value)) return false;
  seen.add(value);
  const inner = (v: unknown) => holdsUrlCredentials(v, seen, depth + 1);
  if (value instanceof Map) {
    for (const [k, v] of value) if (inner(k) || inner(v)) return true;
    return false;
  }
  if (value instanceof Set) {
    for (const v of value) if (inner(v)) return true;
    return false;
  }
  if (value instanceof RegExp) return inner(value.source);
  for (const key of Object.keys(value))
    if (inner(key) || inner((value as Record<string, unknown>)[key]))
      return true;
  return false;
}

const BUILT_IN: ReadonlySet<CheckType<any, any>> = new Set(builtinCheckTypes);

function isCall(value: unknown): value is CompiledCall {
  const type = (value as { type?: { evaluate?: unknown } } | null)?.type;
  return typeof type?.evaluate === 'function';
}

/** Whether the value (a call's params) names an extension check type anywhere inside. */
function namesExtensionType(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (depth > MAX_DEPTH) return true;
  if (isCall(value)) return !onlyBuiltInTypes(value, depth);
  const items = Array.isArray(value) ? value : Object.values(value);
  for (const item of items)
    if (namesExtensionType(item, depth + 1)) return true;
  return false;
}

/**
 * Whether the call and every call nested in its params (a combinator's parts) run built-in
 * check types only: an extension type's part is quoted in its combinator's outcome.
 */
export function onlyBuiltInTypes(
  call: CompiledCall,
  depth: number = 0,
): boolean {
  return BUILT_IN.has(call.type) && !namesExtensionType(call.params, depth + 1);
}

/**
 * Whether a text of the standard (checks as written, levels, config) holds URL credentials.
 * Walks the whole standard: the engine asks once per compiled standard and keeps the answer in
 * its plan.
 */
export function standardHoldsUrlCredentials(
  standard: CompiledStandard,
): boolean {
  return (
    holdsUrlCredentials(standard.checks.map(c => c.definition)) ||
    holdsUrlCredentials(standard.levels) ||
    holdsUrlCredentials(standard.config)
  );
}

/**
 * Whether an entity of the snapshot holds URL credentials; once per snapshot. Indexes not
 * built by `indexCatalog` cannot be walked and count as holding some.
 */
export function catalogHoldsUrlCredentials(catalog: CatalogIndex): boolean {
  const memo = catalogMemo(catalog);
  if (!memo) return true;
  memo.urlCredentials ??= holdsUrlCredentials(memo.entities);
  return memo.urlCredentials;
}
