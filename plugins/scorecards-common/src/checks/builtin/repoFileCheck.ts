import { z } from 'zod';
import { itemText } from '../../model/joinStrings';
import {
  evidenceEntry,
  outcome,
  unknownFromReads,
} from '../../evidence/outcomes';
import { formatAge } from '../../evidence/formatAge';
import { CheckContext, defineCheckType } from '../checkType';
import { compileEntityField, EntityFieldReader } from '../entityFieldPath';
import {
  compilePathMatcher,
  firstMatchIn,
  indexListing,
  ListingIndex,
  PathMatcher,
} from '../globPattern';

const paramsSchema = z.strictObject({
  paths: z.array(z.string()).min(1),
  mode: z.enum(['any', 'all']).default('any'),
  /** Only applies when an entity field starts with a prefix (techdocs-ref `dir:`); else not-applicable. */
  onlyIf: z
    .strictObject({ path: z.string(), startsWith: z.string() })
    .optional(),
  maxAgeSeconds: z.number().int().min(1).optional(),
});

type Params = z.output<typeof paramsSchema>;

/** Lists a few paths naturally: `a, b or c`. */
export function listPaths(paths: readonly string[], joiner = 'or'): string {
  if (paths.length <= 1) return paths.join('');
  return `${paths.slice(0, -1).join(', ')} ${joiner} ${
    paths[paths.length - 1]
  }`;
}

/**
 * The index of the listing last matched, for the evaluation (context) that read it: the
 * repo-file checks of one evaluation (six in the default standard) match their globs against
 * the same listing one after another, so it is indexed once per evaluation.
 */
let lastContext: CheckContext | undefined;
let lastListing: readonly string[] | undefined;
let lastIndex: ListingIndex | undefined;

function listingIndex(
  ctx: CheckContext,
  listing: readonly string[],
): ListingIndex {
  if (ctx !== lastContext || listing !== lastListing || !lastIndex) {
    lastIndex = indexListing(listing);
    lastContext = ctx;
    lastListing = listing;
  }
  return lastIndex;
}

/** The last `readNote`: the repo-file checks of an evaluation ask one after another. */
let lastRepository: string | undefined;
let lastAgeSeconds: number | null = null;
let lastNote = '';

/** ` in <repository> (read <age> ago)`: where the listing came from and how old it is. */
function readNote(repository: string, ageSeconds: number | null): string {
  if (repository !== lastRepository || ageSeconds !== lastAgeSeconds) {
    lastRepository = repository;
    lastAgeSeconds = ageSeconds;
    lastNote = ` in ${repository} (read ${formatAge(ageSeconds ?? 0)} ago)`;
  }
  return lastNote;
}

/** `repo-file`: the repository contains any / all of some paths (globs), per fresh repo.files evidence. */
export const repoFileCheckType = defineCheckType<
  Params,
  Params & {
    matchers: PathMatcher[];
    expected: string;
    /** Texts that depend on the parameters only, built at load. */
    noneOf: string;
    allAbsent: string;
    notNeeded: string;
    readOnlyIf: EntityFieldReader | null;
    readOptions: { maxAgeSeconds?: number };
  }
>({
  id: 'repo-file',
  notesTimeLimits: true,
  description:
    'The repository holds any (or all) of the paths, per fresh repo.files evidence; a fresh listing without them fails, no listing is unknown.',
  paramsSchema,
  compile: p => ({
    // Every key spelled out, so all compiled params share one shape (optional ones undefined).
    paths: p.paths,
    mode: p.mode,
    onlyIf: p.onlyIf,
    maxAgeSeconds: p.maxAgeSeconds,
    matchers: p.paths.map(compilePathMatcher),
    noneOf: `none of ${p.paths.join(', ')}`,
    allAbsent: listPaths(p.paths),
    notNeeded: p.onlyIf
      ? `Not needed: ${p.onlyIf.path} does not start with ${p.onlyIf.startsWith}.`
      : '',
    readOnlyIf: p.onlyIf ? compileEntityField(p.onlyIf.path) : null,
    readOptions: { maxAgeSeconds: p.maxAgeSeconds },
    expected: `${p.mode === 'any' ? 'one of' : 'all of'} ${listPaths(
      p.paths,
      'and',
    )} in the repository`,
  }),
  needs: () => [{ source: 'repo', kind: 'repo.files' }],
  evaluate(ctx, p) {
    const expected = p.expected;
    if (p.onlyIf && p.readOnlyIf) {
      const value = p.readOnlyIf(ctx.entity);
      if (typeof value !== 'string' || !value.startsWith(p.onlyIf.startsWith)) {
        return outcome(
          'not-applicable',
          'NOT_IN_SCOPE',
          p.notNeeded,
          expected,
          'not needed',
        );
      }
    }
    const read = ctx.evidence('repo.files', p.readOptions);
    if (read.state !== 'fresh') return unknownFromReads([read], expected);
    const value = (read.value ?? {}) as {
      repository?: string;
      paths?: string[];
    };
    const files = value.paths ?? [];
    const matchers = p.matchers;
    // The first match of each path (sized once), and the found ones as `joinStrings` writes them.
    const matched: (string | undefined)[] = new Array(matchers.length);
    let foundCount = 0;
    let foundText = '';
    const index = listingIndex(ctx, files);
    for (let i = 0; i < matchers.length; i++) {
      const match = firstMatchIn(index, matchers[i]);
      matched[i] = match;
      if (match === undefined) continue;
      foundText =
        foundCount === 0 ? itemText(match) : `${foundText}, ${itemText(match)}`;
      foundCount++;
    }
    const ok =
      p.mode === 'any' ? foundCount > 0 : foundCount === matchers.length;
    const where = readNote(
      value.repository ?? ctx.subject.repository ?? 'the repository',
      read.ageSeconds,
    );
    const evidence = [
      evidenceEntry(read, ok ? `found ${foundText}` : p.noneOf),
    ];
    if (ok) {
      return outcome(
        'pass',
        'PASS',
        `${foundText} present${where}.`,
        expected,
        foundText,
        evidence,
      );
    }
    const absent =
      foundCount === 0
        ? p.allAbsent
        : listPaths(p.paths.filter((_, i) => matched[i] === undefined));
    return outcome(
      'fail',
      'FILE_MISSING',
      `No ${absent}${where}; expected ${
        p.mode === 'any' ? 'one of them' : 'all of them'
      }.`,
      expected,
      foundCount > 0 ? `only ${foundText}` : 'not present',
      evidence,
    );
  },
});
