import { expect } from 'chai';
import pino from 'pino';
import { AppError, toWireError } from '../../server/errors.js';

describe('errors on the wire', () => {
  const log = pino({ level: 'silent' });
  const storeDown = () => Object.assign(new Error('Reached the max retries per request limit'), { name: 'MaxRetriesPerRequestError' });

  it('answers a store outage with a retryable INTERNAL whose wait is spread over 1–2 s, so retries do not come back in step', () => {
    const waits = Array.from({ length: 200 }, () => toWireError(storeDown(), log, {}));
    for (const w of waits) {
      expect(w.code).to.equal('INTERNAL');
      expect(w.retryAfterMs).to.be.within(1000, 1999);
    }
    const ms = waits.map((w) => w.retryAfterMs!);
    expect(Math.min(...ms), 'some retries early in the second').to.be.below(1300);
    expect(Math.max(...ms), 'some retries late in the second').to.be.above(1700);
  });

  it('passes an AppError through with its own code and wait', () => {
    expect(toWireError(new AppError('SLOW_MODE', 'slow mode', { retryAfterMs: 2500.2 }), log, {})).to.deep.equal({
      code: 'SLOW_MODE',
      message: 'slow mode',
      retryAfterMs: 2501,
    });
  });
});
