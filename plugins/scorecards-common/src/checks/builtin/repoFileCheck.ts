import { z } from 'zod';
import { joinStrings } from '../../model/joinStrings';
import {
  evidenceEntry,
  outcome,
  unknownFromReads,
} from '../../evidence/outcomes';
import { formatAge } from '../../evidence/formatAge';
import { defineCheckType } from '../checkType';
import { compileEntityField, EntityFieldReader } from '../entityFieldPath';
import { compilePathMatcher, firstMatch, PathMatcher } from '../globPattern';

const paramsSchema = z.object({
  paths: z.array(z.string()).min(1),
  mode: z.enum(['any', 'all']).default('any'),
  /** Only applies when an entity field starts with a prefix (techdocs-ref `dir:`); else not-applicable. */
  onlyIf: z.object({ path: z.string(), startsWith: z.string() }).optional(),
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
    const matched: (string | undefined)[] = [];
    const found: string[] = [];
    for (const matcher of p.matchers) {
      const match = firstMatch(matcher, files);
      matched.push(match);
      if (match !== undefined) found.push(match);
    }
    const ok =
      p.mode === 'any' ? found.length > 0 : found.length === p.matchers.length;
    const where =
      value.repository ?? ctx.subject.repository ?? 'the repository';
    const age = formatAge(read.ageSeconds ?? 0);
    const foundText = joinStrings(found, ', ');
    const evidence = [
      evidenceEntry(read, ok ? `found ${foundText}` : p.noneOf),
    ];
    if (ok) {
      return outcome(
        'pass',
        'PASS',
        `${foundText} present in ${where} (read ${age} ago).`,
        expected,
        foundText,
        evidence,
      );
    }
    const absent =
      found.length === 0
        ? p.allAbsent
        : listPaths(p.paths.filter((_, i) => matched[i] === undefined));
    return outcome(
      'fail',
      'FILE_MISSING',
      `No ${absent} in ${where} (read ${age} ago); expected ${
        p.mode === 'any' ? 'one of them' : 'all of them'
      }.`,
      expected,
      found.length > 0 ? `only ${foundText}` : 'not present',
      evidence,
    );
  },
});
