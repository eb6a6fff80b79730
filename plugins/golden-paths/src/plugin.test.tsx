import { getComponentData } from '@backstage/core-plugin-api';
import type { FieldExtensionOptions } from '@backstage/plugin-scaffolder-react';
import { GoldenPathAvailabilityFieldExtension } from './plugin';
import { GoldenPathAvailabilityField } from './components/GoldenPathAvailabilityField';

describe('golden-paths plugin (legacy frontend system)', () => {
  it('offers the GoldenPathAvailability field to <ScaffolderFieldExtensions>', () => {
    // What the legacy scaffolder page reads from each child of <ScaffolderFieldExtensions>.
    const options = getComponentData<FieldExtensionOptions>(
      <GoldenPathAvailabilityFieldExtension />,
      'scaffolder.extensions.field.v1',
    );
    expect(options?.name).toBe('GoldenPathAvailability');
    expect(options?.component).toBe(GoldenPathAvailabilityField);
  });
});
