/**
 * Raised by a stat test that cannot score its input. `pythonType` names the exception Evidently/scipy
 * raises for the same input, so golden "error" cases can be matched by kind, not wording.
 */
export class StatTestError extends Error {
  constructor(
    message: string,
    readonly pythonType: 'ValueError' | 'ZeroDivisionError' = 'ValueError',
  ) {
    super(message);
    this.name = 'StatTestError';
  }
}
