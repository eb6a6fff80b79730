import { InputError } from '@backstage/errors';
import { parse } from '@internal/suite-node';
import { z } from 'zod';
import { text } from './validation';

// The ids a runtime kill switch is stored under (§4.7). The matcher (`checkKillSwitches`,
// `checkActionSwitch`) looks a switch up by the exact template name and action id the scaffolder
// sends, which are lower-case: golden-path template names follow the entity name rules in lower
// case, action ids are lower-case segments joined by ":" (`goldenpath:register`,
// `publish:github:pull-request`). A switch stored under another spelling would say "off" in
// GET /kill-switches and stop nothing, so it is refused with the spelling that would match.

// The catalog's entity name rule (letters and digits at both ends, `-` `_` `.` between, doubled
// separators allowed: `svc--v2`), in lower case; config switches take such names too.
const SEGMENT = '[a-z0-9](?:[-_.a-z0-9]*[a-z0-9])?';
const TEMPLATE_ID = new RegExp(`^${SEGMENT}$`);
const ACTION_ID = new RegExp(`^${SEGMENT}(?::${SEGMENT})*$`);
/** Longest entity name (`metadata.name`) the catalog accepts. */
const MAX_TEMPLATE_NAME = 63;

const idShape = z.object({ id: text('id', 256) });

function valid(scope: 'template' | 'action', id: string): boolean {
  return scope === 'template'
    ? TEMPLATE_ID.test(id) && id.length <= MAX_TEMPLATE_NAME
    : ACTION_ID.test(id);
}

/** The `:id` of `PUT /kill-switches/{template|action}/:id`, or 400 saying what to send. */
export function killSwitchId(
  scope: 'template' | 'action',
  raw: string,
): string {
  const id = parse(idShape, { id: raw }).id;
  if (valid(scope, id)) return id;
  const lower = id.toLocaleLowerCase('en-US');
  const hint = valid(scope, lower) ? `; did you mean "${lower}"?` : '';
  throw new InputError(
    scope === 'template'
      ? `id "${id}" is not a template name: a template switch matches the template's metadata.name exactly, 1–${MAX_TEMPLATE_NAME} lower-case letters, digits and - _ . starting and ending with a letter or digit (for example service-node-http)${hint}`
      : `id "${id}" is not an action id: an action switch matches the action id exactly, lower-case letters, digits and - _ . starting and ending with a letter or digit, in segments joined by ":" (for example goldenpath:register)${hint}`,
  );
}
