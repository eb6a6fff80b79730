/** Caveats shared by the commitment calculators C2 and C3 (00, 02). */
export const COMMITMENT_CAVEATS = [
  'Standard reservations are usually tied to an engine: an Oracle reservation does not follow a move to PostgreSQL (00).',
  'A move to another engine or to serverless inside 18 months makes a 3-year term sunk cost (00).',
  'A reservation binds you to one instance family for its whole one- or three-year term (02).',
];
