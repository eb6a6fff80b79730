/*
 * URL credentials in stored results (scorecards-common README, "URL credentials never reach
 * results"). Since the engine redacts every outcome (`https://bob:s3cr3t@host` →
 * `https://***@host`), new results carry none; results stored before it may, and are served
 * until the entity's next change. This migration applies the same redaction once to every
 * stored result text:
 *
 * - `scorecards_latest.evaluation_json`: each result's reason, message, expected, found,
 *   evidence summaries and URLs, missing-input hints and notes, and the copies blockers hold
 *   (message, missing-input hints), as `redactOutcome` of scorecards-common does. Fixes come
 *   from the standard, not the entity, and are left as the engine leaves them.
 * - `scorecards_latest.snapshot_json` (each result's reason), with `result_hash` recomputed
 *   from the new snapshot as `resultHashOf` (src/evaluation/recordEvaluation.ts) does: the
 *   next evaluation then finds the same hash and writes nothing, instead of a spurious change.
 * - `scorecards_transitions.from_reason`, `to_reason`.
 *
 * Not touched, holding no result text: `summary_json` (levels, states, attributions only),
 * rollup snapshots (counts). Waivers and campaigns are what people typed, not results.
 *
 * Only rows whose JSON text holds an `@` are read (no userinfo without one; JSON.stringify,
 * the only writer, never escapes it), in keyset batches, and only rows whose text changes are
 * written. Down does nothing: the credentials are gone.
 */

// @ts-check

const { createHash } = require('node:crypto');

const BATCH = 200;
/** Width of `from_reason` and `to_reason` (20260314000000_init). */
const REASON_WIDTH = 64;

// ---- the scan of `redactUrlCredentials` (scorecards-common src/model/urlCredentials.ts) ----
// Copied, not required: knex loads migrations as plain JavaScript (the backend's, and the knex
// CLI's), and scorecards-common is TypeScript source without a build in this repository. The
// copy is held to the original by src/database/redactStoredResults.test.ts.

const MASK = '***@';
const SPECIAL_SCHEMES = new Set(['http', 'https', 'ws', 'wss', 'ftp']);
const LONGEST_SPECIAL_SCHEME = 5;
const SLASH = 47;
const BACKSLASH = 92;
const AT = 64;

/** Tab, line feed, carriage return: URL parsers drop them wherever they stand. @param {number} code */
function isDroppedByParsers(code) {
  return code === 9 || code === 10 || code === 13;
}

/** `/ ? #` or white space other than what parsers drop. @param {number} code */
function endsAuthority(code) {
  return (
    code === SLASH ||
    code === 63 ||
    code === 35 ||
    (code <= 32 && !isDroppedByParsers(code))
  );
}

/** @param {number} code */
function isSchemeChar(code) {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 43 ||
    code === 45 ||
    code === 46
  );
}

/** @param {string} text @param {number} colon */
function followsSpecialScheme(text, colon) {
  let from = colon;
  while (from > 0 && isSchemeChar(text.charCodeAt(from - 1))) {
    from--;
    if (colon - from > LONGEST_SPECIAL_SCHEME) return false;
  }
  return SPECIAL_SCHEMES.has(text.slice(from, colon).toLowerCase());
}

/** @param {string} text @param {number} index */
function skipDropped(text, index) {
  let i = index;
  while (i < text.length && isDroppedByParsers(text.charCodeAt(i))) i++;
  return i;
}

/** Where the authority after the scheme ending at `colon` starts, or -1. @param {string} text @param {number} colon */
function authorityStart(text, colon) {
  if (followsSpecialScheme(text, colon)) {
    let i = colon + 1;
    for (; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code !== SLASH && code !== BACKSLASH && !isDroppedByParsers(code)) {
        break;
      }
    }
    return i;
  }
  const first = skipDropped(text, colon + 1);
  if (text.charCodeAt(first) !== SLASH) return -1;
  const second = skipDropped(text, first + 1);
  return text.charCodeAt(second) === SLASH ? second + 1 : -1;
}

/**
 * The text with the userinfo of every URL in it replaced by `***@`; the same string when it
 * held none.
 * @param {string} text
 */
function redactUrlCredentials(text) {
  if (text.indexOf('@') === -1) return text;
  let out = '';
  let copied = 0;
  let colon = text.indexOf(':');
  while (colon !== -1) {
    const start = authorityStart(text, colon);
    if (start === -1) {
      colon = text.indexOf(':', colon + 1);
      continue;
    }
    let lastAt = -1;
    let end = start;
    for (; end < text.length; end++) {
      const code = text.charCodeAt(end);
      if (endsAuthority(code)) break;
      if (code === AT) lastAt = end;
    }
    if (lastAt > start) {
      out += text.slice(copied, start) + MASK;
      copied = lastAt + 1;
    }
    colon = text.indexOf(':', end);
  }
  return copied === 0 ? text : out + text.slice(copied);
}

// ---- the walk over stored results ----

/**
 * The value redacted when it is text; anything else as it is (stored JSON is not trusted to
 * have the shape the types say, as `redactText` of scorecards-common does not trust a type's).
 * @param {unknown} value
 */
function redactText(value) {
  return typeof value === 'string' ? redactUrlCredentials(value) : value;
}

/**
 * The object with the named text fields redacted; the same object when none changed.
 * @param {unknown} value @param {readonly string[]} fields
 */
function redactFields(value, fields) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return value;
  }
  const record = /** @type {Record<string, unknown>} */ (value);
  /** @type {Record<string, unknown> | undefined} */
  let copy;
  for (const field of fields) {
    const text = redactText(record[field]);
    if (text !== record[field]) {
      copy ??= { ...record };
      copy[field] = text;
    }
  }
  return copy ?? value;
}

/**
 * The list with each item mapped; the same list when none changed, or when it is no list.
 * @param {unknown} list @param {(item: unknown) => unknown} map
 */
function mapChanged(list, map) {
  if (!Array.isArray(list)) return list;
  /** @type {unknown[] | undefined} */
  let copy;
  for (let i = 0; i < list.length; i++) {
    const item = map(list[i]);
    if (item !== list[i]) {
      copy ??= list.slice();
      copy[i] = item;
    }
  }
  return copy ?? list;
}

/**
 * The object with each named list mapped; the same object when none changed.
 * @param {unknown} value @param {Record<string, (item: unknown) => unknown>} lists
 */
function redactLists(value, lists) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return value;
  }
  const record = /** @type {Record<string, unknown>} */ (value);
  /** @type {Record<string, unknown> | undefined} */
  let copy;
  for (const [field, map] of Object.entries(lists)) {
    const list = mapChanged(record[field], map);
    if (list !== record[field]) {
      copy ??= { ...record };
      copy[field] = list;
    }
  }
  return copy ?? value;
}

/** @param {unknown} entry */
const redactEvidence = entry => redactFields(entry, ['summary', 'url']);
/** @param {unknown} entry */
const redactMissing = entry => redactFields(entry, ['hint']);

/** @param {unknown} result */
function redactResult(result) {
  return redactLists(
    redactFields(result, ['reason', 'message', 'expected', 'found']),
    { evidence: redactEvidence, missing: redactMissing, notes: redactText },
  );
}

/** @param {unknown} blocker */
function redactBlocker(blocker) {
  return redactLists(redactFields(blocker, ['message']), {
    missing: redactMissing,
  });
}

/**
 * A stored evaluation (`EntityEvaluation`) with every result text redacted; the same object
 * when nothing held credentials.
 * @param {unknown} evaluation
 */
function redactEvaluation(evaluation) {
  return redactLists(evaluation, {
    results: redactResult,
    blockers: redactBlocker,
  });
}

/**
 * A stored history snapshot with each result's reason redacted; the same object when none
 * held credentials.
 * @param {unknown} snapshot
 */
function redactSnapshot(snapshot) {
  return redactLists(snapshot, {
    results: result => redactFields(result, ['reason']),
  });
}

/**
 * The JSON text with `redact` applied to its value: the new text, or undefined when nothing
 * changed or the text is no JSON (left for the store to report as it always would).
 * @param {string} json @param {(value: unknown) => unknown} redact
 */
function redactJson(json, redact) {
  let value;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const redacted = redact(value);
  return redacted === value ? undefined : JSON.stringify(redacted);
}

/** `resultHashOf` of recordEvaluation.ts, over the snapshot's stored JSON. @param {string} snapshotJson */
function resultHashOfJson(snapshotJson) {
  return `sha256:${createHash('sha256').update(snapshotJson).digest('hex')}`;
}

/**
 * A transition's reason redacted, within its column: a userinfo of one or two characters
 * becomes three (`***`), and PostgreSQL refuses text wider than the column. Reasons are codes
 * (`OWNER_NOT_FOUND`); cutting one that held a URL keeps none of its credentials.
 * @param {string | null} reason
 */
function redactReason(reason) {
  if (typeof reason !== 'string') return reason;
  const redacted = redactUrlCredentials(reason);
  if (redacted === reason) return reason;
  const chars = Array.from(redacted);
  return chars.length > REASON_WIDTH
    ? chars.slice(0, REASON_WIDTH).join('')
    : redacted;
}

/** @param {import('knex').Knex} knex */
async function redactLatestRows(knex) {
  let after = '';
  for (;;) {
    /** @type {{ entity_ref: string; snapshot_json: string; evaluation_json: string; result_hash: string | null }[]} */
    const rows = await knex('scorecards_latest')
      .where('entity_ref', '>', after)
      .andWhere(q =>
        q
          .where('evaluation_json', 'like', '%@%')
          .orWhere('snapshot_json', 'like', '%@%'),
      )
      .orderBy('entity_ref')
      .limit(BATCH)
      .select('entity_ref', 'snapshot_json', 'evaluation_json', 'result_hash');
    if (rows.length === 0) return;
    for (const row of rows) {
      /** @type {Record<string, string>} */
      const patch = {};
      const evaluation = redactJson(row.evaluation_json, redactEvaluation);
      if (evaluation !== undefined) patch.evaluation_json = evaluation;
      const snapshot = redactJson(row.snapshot_json, redactSnapshot);
      if (snapshot !== undefined) {
        patch.snapshot_json = snapshot;
        // A row without a hash has it computed from its snapshot when needed: nothing to keep.
        if (row.result_hash) patch.result_hash = resultHashOfJson(snapshot);
      }
      if (Object.keys(patch).length > 0) {
        // Only the row as read: a replica of the previous version can write a newer result
        // between the read and this update (the batch transaction locks no row it read), and
        // that result must not be replaced by the redacted older one. A row changed meanwhile
        // carries a result of the engine before redaction at worst, and is rewritten at the
        // entity's next change.
        await knex('scorecards_latest')
          .where({
            entity_ref: row.entity_ref,
            evaluation_json: row.evaluation_json,
            snapshot_json: row.snapshot_json,
          })
          .update(patch);
      }
    }
    after = rows[rows.length - 1].entity_ref;
  }
}

/** @param {import('knex').Knex} knex */
async function redactTransitions(knex) {
  let after = 0;
  for (;;) {
    /** @type {{ id: number; from_reason: string | null; to_reason: string | null }[]} */
    const rows = await knex('scorecards_transitions')
      .where('id', '>', after)
      .andWhere(q =>
        q
          .where('from_reason', 'like', '%@%')
          .orWhere('to_reason', 'like', '%@%'),
      )
      .orderBy('id')
      .limit(BATCH)
      .select('id', 'from_reason', 'to_reason');
    if (rows.length === 0) return;
    for (const row of rows) {
      const fromReason = redactReason(row.from_reason);
      const toReason = redactReason(row.to_reason);
      if (fromReason !== row.from_reason || toReason !== row.to_reason) {
        // Transitions are written once and never updated: the id alone is the row as read.
        await knex('scorecards_transitions')
          .where({ id: row.id })
          .update({ from_reason: fromReason, to_reason: toReason });
      }
    }
    after = Number(rows[rows.length - 1].id);
  }
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await redactLatestRows(knex);
  await redactTransitions(knex);
};

// Inside knex's batch transaction, like every other migration. Until 2026-12-07 it ran outside one
// (`transaction: false`, so a start cut short would keep the batches done), but knex then takes
// its migration lock in a transaction of its own: replicas starting together failed with
// "Migration table is already locked", and a start killed midway left the lock taken for every
// later start. A start cut short now rolls back and the next one begins again; only rows holding
// an `@` are read, so that is a short read even on a large table.

/**
 * @param {import('knex').Knex} _knex
 */
exports.down = async function down(_knex) {
  // Nothing to restore: the credentials were removed, not moved.
};

// For the test that holds the copy to scorecards-common's `redactUrlCredentials`, and the walk
// to the engine's. knex reads only `up` and `down`.
exports.redactUrlCredentials = redactUrlCredentials;
exports.redactEvaluation = redactEvaluation;
