import type { Request, Response } from 'express';
import {
  EVIDENCE_ERROR_STATUS,
  EvidenceError,
  EvidenceErrorBody,
} from '@internal/plugin-evidence-common';

/** An evidence API failure carrying its exact §3.9 error member. */
export class EvidenceHttpError extends Error {
  constructor(readonly error: EvidenceError) {
    super(error.message);
    this.name = 'EvidenceHttpError';
  }

  get status(): number {
    return EVIDENCE_ERROR_STATUS[this.error.code];
  }
}

/** The full §3.9 envelope for an error member answered to this request. */
export function errorBody(
  req: Request,
  error: EvidenceError,
): EvidenceErrorBody {
  return {
    error,
    request: { method: req.method, url: req.originalUrl },
    response: { statusCode: EVIDENCE_ERROR_STATUS[error.code] },
  };
}

/** Sends an error member with its status and Backstage's error envelope. */
export function sendEvidenceError(
  req: Request,
  res: Response,
  error: EvidenceError,
): void {
  res.status(EVIDENCE_ERROR_STATUS[error.code]).json(errorBody(req, error));
}
