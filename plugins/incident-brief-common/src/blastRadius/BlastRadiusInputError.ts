/** A request the blast radius cannot answer; `status` is the HTTP status the API returns (R12, R13). */
export class BlastRadiusInputError extends Error {
  readonly status: 400 | 404;

  constructor(status: 400 | 404, message: string) {
    super(message);
    this.name = 'BlastRadiusInputError';
    this.status = status;
  }
}
