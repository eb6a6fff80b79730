import { render, screen } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import { LifecycleDates } from './LifecycleDates';

const entityWith = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'cart-db-dev', annotations },
  spec: {},
});
const NOW = new Date('2026-11-23T10:00:00Z');

describe('LifecycleDates', () => {
  it.each([
    ['2026-12-24', 'Expires on 2026-12-24 (in 31 days).', false],
    ['2026-11-30', 'Expires on 2026-11-30 (in 7 days).', true],
    ['2026-11-24', 'Expires on 2026-11-24 (in 1 day).', true],
    ['2026-11-23', 'Expired on 2026-11-23.', true],
    ['2026-10-01', 'Expired on 2026-10-01.', true],
  ])('expires-on %s: "%s"', (expiresOn, text, alert) => {
    render(
      <LifecycleDates
        entity={entityWith({ 'ops.example.com/expires-on': expiresOn })}
        now={NOW}
      />,
    );
    const line = screen.getByTestId('lifecycle-expiry');
    expect(line).toHaveTextContent(text);
    // within the reconciler's seven days it is an alert, not a footnote
    expect(line.getAttribute('role') === 'alert').toBe(alert);
  });

  it('says when an archived worker is paused (schedules finalizer)', () => {
    render(
      <LifecycleDates
        entity={entityWith({ 'ops.example.com/paused': 'true' })}
        now={NOW}
      />,
    );
    expect(screen.getByTestId('lifecycle-paused')).toHaveTextContent(
      'Schedules paused',
    );
  });

  it('shows the sunset of a deprecated entity, and when it is reached', () => {
    const { rerender } = render(
      <LifecycleDates
        entity={entityWith({ 'ops.example.com/retire-by': '2027-01-01' })}
        now={NOW}
      />,
    );
    expect(screen.getByTestId('lifecycle-sunset')).toHaveTextContent(
      'Sunset on 2027-01-01 (in 39 days).',
    );
    rerender(
      <LifecycleDates
        entity={entityWith({ 'ops.example.com/retire-by': '2026-11-01' })}
        now={NOW}
      />,
    );
    expect(screen.getByTestId('lifecycle-sunset')).toHaveTextContent(
      'Sunset on 2026-11-01: reached, it can be archived.',
    );
  });

  it.each([
    [{}],
    [{ 'ops.example.com/expires-on': '2026-02-31' }],
    [{ 'ops.example.com/retire-by': 'soon' }],
  ])('says nothing without a date: %j', annotations => {
    const { container } = render(
      <LifecycleDates entity={entityWith(annotations)} now={NOW} />,
    );
    expect(container).toBeEmptyDOMElement();
  });
});
