import { z } from 'zod';
import {
  evidenceEntry,
  outcome,
  unknownFromReads,
} from '../../evidence/outcomes';
import { formatAge } from '../../evidence/formatAge';
import { defineCheckType } from '../checkType';
import { readEntityField } from '../entityFieldPath';
import { compileGlob } from '../globPattern';

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
  Params & { globs: RegExp[]; expected: string }
>({
  id: 'repo-file',
  description:
    'The repository holds any (or all) of the paths, per fresh repo.files evidence; a fresh listing without them fails, no listing is unknown.',
  paramsSchema,
  compile: p => ({
    ...p,
    globs: p.paths.map(compileGlob),
    expected: `${p.mode === 'any' ? 'one of' : 'all of'} ${listPaths(
      p.paths,
      'and',
    )} in the repository`,
  }),
  needs: () => [{ source: 'repo', kind: 'repo.files' }],
  evaluate(ctx, p) {
    const expected = p.expected;
    if (p.onlyIf) {
      const value = readEntityField(ctx.entity, p.onlyIf.path);
      if (typeof value !== 'string' || !value.startsWith(p.onlyIf.startsWith)) {
        return outcome(
          'not-applicable',
          'NOT_IN_SCOPE',
          `Not needed: ${p.onlyIf.path} does not start with ${p.onlyIf.startsWith}.`,
          expected,
          'not needed',
        );
      }
    }
    const read = ctx.evidence('repo.files', { maxAgeSeconds: p.maxAgeSeconds });
    if (read.state !== 'fresh') return unknownFromReads([read], expected);
    const value = (read.value ?? {}) as {
      repository?: string;
      paths?: string[];
    };
    const files = value.paths ?? [];
    const matched = p.globs.map(glob => files.find(f => glob.test(f)));
    const found = matched.filter((m): m is string => m !== undefined);
    const ok =
      p.mode === 'any' ? found.length > 0 : found.length === p.globs.length;
    const where =
      value.repository ?? ctx.subject.repository ?? 'the repository';
    const age = formatAge(read.ageSeconds ?? 0);
    const evidence = [
      evidenceEntry(
        read,
        ok ? `found ${found.join(', ')}` : `none of ${p.paths.join(', ')}`,
      ),
    ];
    if (ok) {
      return outcome(
        'pass',
        'PASS',
        `${found.join(', ')} present in ${where} (read ${age} ago).`,
        expected,
        found.join(', '),
        evidence,
      );
    }
    const absent = p.paths.filter((_, i) => matched[i] === undefined);
    return outcome(
      'fail',
      'FILE_MISSING',
      `No ${listPaths(absent)} in ${where} (read ${age} ago); expected ${
        p.mode === 'any' ? 'one of them' : 'all of them'
      }.`,
      expected,
      found.length > 0 ? `only ${found.join(', ')}` : 'not present',
      evidence,
    );
  },
});
