import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import plugin, {
  blastRadiusCard,
  incidentBriefContent,
  lastChangeCard,
  ownerOnCallCard,
} from './alpha';
import * as legacy from './index';
import type { Entity } from '@backstage/catalog-model';
import { checkoutService, checkoutTeam } from './__testUtils__/fixtures';

describe('incident-brief plugin (new frontend system)', () => {
  it('is the incident-brief plugin with its api, three cards and the tab', () => {
    expect(plugin.toString()).toContain('incident-brief');
    expect(plugin.getExtension('api:incident-brief')).toBeDefined();
  });

  it.each([
    ['owner-oncall', ownerOnCallCard],
    ['blast-radius', blastRadiusCard],
    ['last-change', lastChangeCard],
  ])('card %s applies to Components, Resources and Systems only', (_, card) => {
    // the cards' definitions differ in name only; the tester needs one concrete type
    const filter = createExtensionTester(card as typeof ownerOnCallCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    ) as (entity: Entity) => boolean;
    expect(filter(checkoutService)).toBe(true);
    expect(filter({ ...checkoutService, kind: 'Resource' })).toBe(true);
    expect(filter({ ...checkoutService, kind: 'System' })).toBe(true);
    expect(filter(checkoutTeam)).toBe(false);
    expect(filter({ ...checkoutService, kind: 'API' })).toBe(false);
  });

  it('adds the "Incident brief" tab', () => {
    const tester = createExtensionTester(incidentBriefContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Incident brief',
    );
    const filter = tester.get(
      EntityContentBlueprint.dataRefs.filterFunction,
    ) as (entity: Entity) => boolean;
    expect(filter(checkoutTeam)).toBe(false);
    expect(filter(checkoutService)).toBe(true);
  });

  it('keeps the legacy exports and no default export on the main entry', () => {
    expect(legacy.incidentBriefPlugin.getId()).toBe('incident-brief');
    expect(legacy.EntityOwnerOnCallCard).toBeDefined();
    expect(legacy.EntityBlastRadiusCard).toBeDefined();
    expect(legacy.EntityLastChangeCard).toBeDefined();
    expect(legacy.EntityIncidentBriefContent).toBeDefined();
    expect((legacy as any).default).toBeUndefined();
  });
});
