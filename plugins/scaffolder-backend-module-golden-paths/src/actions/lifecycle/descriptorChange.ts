import {
  DEPRECATION_ANNOTATIONS,
  GP_KEYS,
} from '@internal/plugin-golden-paths-common';

/** The annotations a transition sets and removes (golden-paths.md §7.1 effects). */
export function annotationChange(p: {
  transition: string;
  replacement?: string;
  sunsetOn?: string;
  reason: string;
  today: string;
}): { set: Record<string, string>; remove: string[] } {
  switch (p.transition) {
    case 'deprecate':
      return {
        set: {
          ...(p.sunsetOn ? { [GP_KEYS.retireBy]: p.sunsetOn } : {}),
          ...(p.replacement ? { [GP_KEYS.replacedBy]: p.replacement } : {}),
          [GP_KEYS.deprecatedReason]: p.reason,
        },
        remove: [],
      };
    case 'undeprecate':
      return { set: {}, remove: [...DEPRECATION_ANNOTATIONS] };
    case 'archive':
      return { set: { [GP_KEYS.archivedOn]: p.today }, remove: [] };
    case 'unarchive':
      return { set: {}, remove: [GP_KEYS.archivedOn] };
    default:
      return { set: {}, remove: [] };
  }
}
