import { ReactNode } from 'react';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import type { CostCalculatorsContext } from '../api/CostCalculatorsApi';
import type { ContextState } from './useCostCalculatorsContext';

/** Props of {@link CalculatorsCard}. */
export interface CalculatorsCardProps {
  title: string;
  /** Shown once the context is loaded, above the body. */
  subheader?: string;
  /** The calculators' context (price book, settings), as loaded so far. */
  state: ContextState;
  /** The card's body, drawn with the loaded context. */
  children(context: CostCalculatorsContext): ReactNode;
}

/**
 * An entity card of the calculators: its title over a progress bar while the context loads,
 * the error if it cannot, then the body. One card throughout, so the title stays in place.
 */
export function CalculatorsCard(props: CalculatorsCardProps) {
  const { title, state } = props;
  if (state.loading) {
    return (
      <InfoCard title={title}>
        <Progress />
      </InfoCard>
    );
  }
  if (state.error) {
    return (
      <InfoCard title={title}>
        <ResponseErrorPanel error={state.error} />
      </InfoCard>
    );
  }
  return (
    <InfoCard title={title} subheader={props.subheader}>
      {props.children(state.value)}
    </InfoCard>
  );
}
