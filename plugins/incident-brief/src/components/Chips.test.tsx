import { render, screen } from '@testing-library/react';
import type { RiskTier } from '@internal/plugin-incident-brief-common';
import { RiskChip } from './Chips';
import { AA_COLOR } from './palette';

describe('RiskChip', () => {
  it('keeps white text readable for a tier this frontend does not know', () => {
    render(<RiskChip risk={{ tier: 'Severe' as RiskTier, score: 17 }} />);
    const chip = screen.getByLabelText('risk Severe 17');
    expect(chip).toHaveTextContent('Severe 17');
    expect(chip).toHaveStyle({
      backgroundColor: AA_COLOR.neutral,
      color: '#fff',
    });
  });

  it('colours a known tier by its level', () => {
    render(<RiskChip risk={{ tier: 'High', score: 13 }} />);
    expect(screen.getByLabelText('risk High 13')).toHaveStyle({
      backgroundColor: AA_COLOR.bad,
    });
  });
});
