import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  GOLDEN_PATH_AVAILABILITY_FIELD,
  GoldenPathAvailabilityField,
} from './GoldenPathAvailabilityField';
import { RoutedLinks } from './links';

/**
 * The `GoldenPathAvailability` form field of the new frontend system: its kill-switch link
 * resolves through the plugin's route ref. Loaded lazily by the blueprint in `alpha.tsx`.
 */
export const goldenPathAvailabilityFormField = createFormField({
  name: GOLDEN_PATH_AVAILABILITY_FIELD,
  component: props => (
    <RoutedLinks>
      <GoldenPathAvailabilityField {...props} />
    </RoutedLinks>
  ),
});
