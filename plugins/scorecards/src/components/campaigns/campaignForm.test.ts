import {
  campaignBodyOf,
  emptyCampaignForm,
  validateCampaignForm,
} from './campaignForm';

const NOW = Date.parse('2026-12-02T10:00:00Z');
const valid = {
  ...emptyCampaignForm(NOW),
  title: ' Tier 1 to L2 ',
  owner: 'group:default/platform-team',
  dueOn: '2027-03-31',
};

describe('campaign form', () => {
  it('starts today with goal L2 for Components', () => {
    expect(emptyCampaignForm(NOW)).toMatchObject({
      level: 'L2',
      kinds: 'Component',
      tiers: [],
      startsOn: '2026-12-02',
      dueOn: '',
    });
  });

  it.each([
    [{}, {}],
    [{ title: '  ' }, { title: 'A title is required.' }],
    [
      { id: 'Tier_1' },
      {
        id: 'Lower-case letters, digits and dashes, starting with a letter or digit, at most 63 characters.',
      },
    ],
    [
      { owner: '' },
      { owner: 'An owner is required, e.g. group:default/platform-team.' },
    ],
    [
      { owner: 'platform-team' },
      {
        owner:
          'Write the owner as a full entity ref kind:namespace/name (got "platform-team").',
      },
    ],
    [{ dueOn: '' }, { dueOn: 'A due date is required.' }],
    [
      { dueOn: '2026-12-02' },
      { dueOn: 'The due date must be after the start date.' },
    ],
    [
      // started earlier, due today: today's 00:00 UTC is already past
      { startsOn: '2026-11-01', dueOn: '2026-12-02' },
      {
        dueOn:
          'The due date must be after today: a campaign would be overdue from its start.',
      },
    ],
    [{ startsOn: '2026-11-01', dueOn: '2026-12-03' }, {}],
    [{ startsOn: '' }, { startsOn: 'A start date is required.' }],
    [{ title: 't'.repeat(201) }, { title: 'At most 200 characters.' }],
    [
      { kinds: 'Component, Compnent' },
      {
        kinds: 'Compnent is not scored; use Component, Resource, API, System.',
      },
    ],
  ])('%j → %j', (patch, errors) => {
    expect(validateCampaignForm({ ...valid, ...patch }, NOW)).toEqual(errors);
  });

  it('builds the body the backend takes: trimmed, empty fields left out, dates at 00:00 UTC', () => {
    expect(campaignBodyOf(valid)).toEqual({
      title: 'Tier 1 to L2',
      owner: 'group:default/platform-team',
      selector: { kinds: ['Component'] },
      goal: { level: 'L2' },
      startsAt: '2026-12-02T00:00:00.000Z',
      dueAt: '2027-03-31T00:00:00.000Z',
    });
    expect(
      campaignBodyOf({
        ...valid,
        id: 'tier-1-l2',
        brief: ' Why. ',
        kinds: 'Component, Resource,',
        tiers: [2, 1],
        level: 'L3',
      }),
    ).toMatchObject({
      id: 'tier-1-l2',
      brief: 'Why.',
      selector: { kinds: ['Component', 'Resource'], tiers: [1, 2] },
      goal: { level: 'L3' },
    });
    expect(campaignBodyOf({ ...valid, kinds: ' ' }).selector).toEqual({});
  });
});
