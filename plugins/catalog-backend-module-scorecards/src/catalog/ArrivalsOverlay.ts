import { Entity } from '@backstage/catalog-model';
import { CatalogIndex } from '@internal/plugin-scorecards-common';

/** Options of {@link ArrivalsOverlay}. */
export interface ArrivalsOverlayOptions {
  /** How long an entity is held while no snapshot holds it (deleted, or never stitched). */
  ttlMs: number;
  /** Most entities held, and most expired ones remembered. */
  max: number;
  /** What an evaluation can read of an entity, for telling a changed entity from a repeat. */
  contentOf: (entity: Entity) => string;
  /** Told of every ref whose `get` answer changed (must not throw). */
  changed: (ref: string) => void;
}

interface Held {
  entity: Entity;
  content: string;
  firstAtMs: number;
}

/**
 * Entities the catalog processed that the last snapshot did not hold, by ref (see
 * `CatalogSnapshotCache`). `changed` hears of every change to what `get` answers, so an
 * evaluation that read the answer is not reused past it.
 *
 * The catalog processes an entity again every loop even when its processing fails and nothing
 * is written; such an entity never reaches a snapshot. It is held from its first note for
 * `ttlMs` (a repeat with the same content changes nothing), then remembered as expired, so the
 * same content is not taken up again — otherwise its answer would change every loop and no
 * evaluation that read it could ever be reused.
 */
export class ArrivalsOverlay {
  private readonly held = new Map<string, Held>();
  /** Refs that expired without reaching a snapshot, with the content they had, oldest first. */
  private readonly expired = new Map<string, string>();

  constructor(private readonly options: ArrivalsOverlayOptions) {}

  get size(): number {
    return this.held.size;
  }

  get(ref: string): Entity | undefined {
    return this.held.get(ref)?.entity;
  }

  /**
   * An entity the catalog has processed that the snapshot does not hold. True when it was not
   * held before: an arrival (a repeat, a changed one or one not taken up is not).
   */
  note(ref: string, entity: Entity, nowMs: number): boolean {
    const content = this.options.contentOf(entity);
    const held = this.held.get(ref);
    if (held) {
      if (held.content === content) return false;
      held.entity = entity;
      held.content = content;
      this.options.changed(ref);
      return false;
    }
    if (this.expired.get(ref) === content) return false;
    if (this.held.size >= this.options.max) return false;
    this.expired.delete(ref);
    this.held.set(ref, { entity, content, firstAtMs: nowMs });
    this.options.changed(ref);
    return true;
  }

  /** After a refresh: forgets what the new snapshot holds and expires what stayed out too long. */
  settle(snapshot: CatalogIndex, nowMs: number): void {
    const expiredBefore = nowMs - this.options.ttlMs;
    for (const [ref, held] of this.held) {
      if (snapshot.get(ref)) {
        this.held.delete(ref);
        this.options.changed(ref);
      } else if (held.firstAtMs < expiredBefore) {
        this.held.delete(ref);
        this.expired.set(ref, held.content);
        this.options.changed(ref);
      }
    }
    for (const ref of this.expired.keys()) {
      if (snapshot.get(ref)) this.expired.delete(ref);
    }
    for (const ref of this.expired.keys()) {
      if (this.expired.size <= this.options.max) break;
      this.expired.delete(ref);
    }
  }
}
